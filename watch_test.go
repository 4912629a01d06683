package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"secretlings/checker"
	"secretlings/internal/progress"
	"secretlings/internal/testcheckout"
)

func TestWatchUsage(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		code     int
		inStdout string
		inStderr string
	}{
		{"help", []string{"--help"}, 0, "Usage: secretlings watch", ""},
		{"help names the flags", []string{"-h"}, 0, "--state-dir", ""},
		{"help lists exercises", []string{"-h"}, 0, "rotation-handler", ""},
		{"unknown exercise", []string{"nope"}, 2, "", `there is no exercise "nope"`},
		{"two exercises", []string{"rollback", "ttl-cache"}, 2, "", "name at most one exercise"},
		{"bad flag", []string{"--frobnicate"}, 2, "", "flag provided but not defined"},
		{"bad backend", []string{"--backend", "mars", "config-manager"}, 1, "", "mars"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := watch(context.Background(), tt.args, &stdout, &stderr)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, stdout.String(), stderr.String())
			}
			if !strings.Contains(stdout.String(), tt.inStdout) || !strings.Contains(stderr.String(), tt.inStderr) {
				t.Fatalf("stdout %q\nstderr %q", stdout.String(), stderr.String())
			}
		})
	}
}

// syncBuffer is an io.Writer the test reads while watch writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitOutput waits until out holds want, with a deadline generous enough
// for a cold build of an exercise.
func waitOutput(t *testing.T, out *syncBuffer, want string) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for !strings.Contains(out.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("no %q in the output:\n%s", want, out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// copyCheckout copies the checkout, without .git, so a test can edit an
// exercise's file.
func copyCheckout(t *testing.T) string {
	t.Helper()
	src, err := checker.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	return testcheckout.Copy(t, src)
}

// The untouched stub fails; saving the solution over it is graded again
// without a keypress, the pass is kept in the progress, and watch moves on
// to the next unfinished exercise.
func TestWatchRegradesOnSaveAndMovesOn(t *testing.T) {
	if testing.Short() {
		t.Skip("builds an exercise twice")
	}
	root := copyCheckout(t)
	t.Chdir(root)
	oldPoll, oldDebounce := watchPoll, watchDebounce
	watchPoll, watchDebounce = 100*time.Millisecond, 20*time.Millisecond
	t.Cleanup(func() { watchPoll, watchDebounce = oldPoll, oldDebounce })

	stateDir := t.TempDir()
	var out, errOut syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	go func() { done <- watch(ctx, []string{"--state-dir", stateDir, "config-manager"}, &out, &errOut) }()

	waitOutput(t, &out, "FAIL  config-manager")
	dir := filepath.Join(root, "lessons", "01-store-and-retrieve", "config-manager")
	ex, _ := checker.Lookup("config-manager")
	solution, err := checker.SolutionOf(ex)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.go"), solution[0].Data, 0o644); err != nil {
		t.Fatal(err)
	}
	waitOutput(t, &out, "PASS  config-manager")
	waitOutput(t, &out, "You earned the reference solution")
	waitOutput(t, &out, "config-manager passes: on to rollback.")
	waitOutput(t, &out, "Watching rollback")

	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit %d after stopping, want 0\n%s", code, errOut.String())
		}
	case <-time.After(time.Minute):
		t.Fatal("watch did not stop")
	}
	if !strings.HasSuffix(out.String(), "Stopped watching.\n") {
		t.Errorf("no goodbye:\n%s", out.String())
	}
	p, _, err := progress.NewStore(stateDir).Load()
	if err != nil {
		t.Fatal(err)
	}
	if e := p.Exercises["config-manager"]; e == nil || !e.Passed {
		t.Error("the pass was not kept in the progress")
	}
}

const watchChildEnv = "SECRETLINGS_WATCH_CHILD"

// TestWatchChildProcessHelper is `secretlings watch` in a child process.
func TestWatchChildProcessHelper(t *testing.T) {
	args, ok := os.LookupEnv(watchChildEnv)
	if !ok {
		return // only meaningful as a child process
	}
	var argv []string
	if err := json.Unmarshal([]byte(args), &argv); err != nil {
		t.Fatal(err)
	}
	os.Exit(runWatch(argv, os.Stdout, os.Stderr))
}

// ctrl+c (SIGINT) ends watch with status 0: stopping is how it ends.
func TestWatchStopsOnSIGINT(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestWatchChildProcessHelper$")
	argv, _ := json.Marshal([]string{"--state-dir", t.TempDir(), "create-secret"})
	cmd.Env = append(os.Environ(), watchChildEnv+"="+string(argv))
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	waitOutput(t, &out, "FAIL  create-secret")
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			t.Fatalf("exit %d after SIGINT, want 0:\n%s", exit.ExitCode(), out.String())
		}
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(time.Minute):
		t.Fatal("watch did not stop on SIGINT")
	}
	if !strings.Contains(out.String(), "Stopped watching.") {
		t.Errorf("no goodbye:\n%s", out.String())
	}
}
