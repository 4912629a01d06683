package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"secretlings/checker"
	"secretlings/internal/progress"
)

func TestCheckUsage(t *testing.T) {
	tests := []struct {
		name     string
		run      func([]string, io.Writer, io.Writer) int
		args     []string
		code     int
		inStdout string
		inStderr string
	}{
		{"check help", runCheck, []string{"--help"}, 0, "Usage: secretlings check", ""},
		{"check help lists exercises", runCheck, []string{"-h"}, 0, "rotation-handler", ""},
		{"check unknown exercise", runCheck, []string{"nope"}, 2, "", `there is no exercise "nope"`},
		{"check bad flag", runCheck, []string{"--frobnicate"}, 2, "", "flag provided but not defined"},
		{"check bad backend", runCheck, []string{"--backend", "mars", "rollback"}, 1, "", "mars"},
		{"reset help", resetNoInput, []string{"--help"}, 0, "Usage: secretlings reset", ""},
		{"reset needs one exercise", resetNoInput, nil, 2, "", "name exactly one exercise"},
		{"reset two exercises", resetNoInput, []string{"rollback", "ttl-cache"}, 2, "", "name exactly one exercise"},
		{"reset unknown", resetNoInput, []string{"nope"}, 2, "", `there is no exercise "nope"`},
		{"reset has no --json", resetNoInput, []string{"--json", "rollback"}, 2, "", "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := tt.run(tt.args, &stdout, &stderr)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, stdout.String(), stderr.String())
			}
			if !strings.Contains(stdout.String(), tt.inStdout) || !strings.Contains(stderr.String(), tt.inStderr) {
				t.Fatalf("stdout %q\nstderr %q", stdout.String(), stderr.String())
			}
			if tt.code == 2 && strings.Count(strings.TrimSpace(stderr.String()), "\n") > 0 {
				t.Errorf("a usage error should be one line: %q", stderr.String())
			}
		})
	}
}

// The reference solutions pass through the command line, in one JSON
// document of the documented shape, and the run exits 0.
func TestCheckSolutionsJSON(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := runCheck([]string{"--solutions", "--json", "--state-dir", t.TempDir(), "config-manager", "rollback"}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout.String(), stderr.String())
	}
	var doc struct {
		Exercises []struct {
			ID     string `json:"id"`
			Passed *bool  `json:"passed"`
			Checks []struct {
				Name   string `json:"name"`
				Passed *bool  `json:"passed"`
				Reason *string
			} `json:"checks"`
		} `json:"exercises"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil {
		t.Fatalf("not one JSON document: %v\n%s", err, stdout.String())
	}
	if len(doc.Exercises) != 2 || doc.Exercises[0].ID != "config-manager" || doc.Exercises[1].ID != "rollback" {
		t.Fatalf("exercises %+v", doc.Exercises)
	}
	for _, ex := range doc.Exercises {
		if ex.Passed == nil || !*ex.Passed || len(ex.Checks) < 3 {
			t.Errorf("%s: %+v", ex.ID, ex)
		}
		for _, c := range ex.Checks {
			if c.Name == "" || c.Passed == nil || c.Reason == nil {
				t.Errorf("%s: check without name, passed or reason: %+v", ex.ID, c)
			}
		}
	}
}

// A state exercise nobody did fails with exit 1; its namespace is kept in
// the progress file so the next run grades the same names.
func TestCheckStateExerciseFailsAndKeepsNamespace(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := runCheck([]string{"--state-dir", dir, "create-secret"}, &stdout, &stderr); code != 1 {
		t.Fatalf("exit %d, want 1\nstdout: %s\nstderr: %s", code, stdout.String(), stderr.String())
	}
	p, _, err := progress.NewStore(dir).Load()
	if err != nil {
		t.Fatal(err)
	}
	ns := p.Exercises["create-secret"].Namespace
	if !checker.ValidNamespace("create-secret", ns) {
		t.Fatalf("namespace %q not kept", ns)
	}
	out := stdout.String()
	for _, want := range []string{"FAIL  create-secret", "secret: " + ns + "payments/api-config", "Hint 1:", "0 of 1 exercises pass"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	stdout.Reset()
	runCheck([]string{"--state-dir", dir, "create-secret"}, &stdout, &stderr)
	if !strings.Contains(stdout.String(), ns) {
		t.Errorf("second run used another namespace:\n%s", stdout.String())
	}

	// reset forgets the result but keeps the namespace.
	stdout.Reset()
	if code := runReset([]string{"--state-dir", dir, "create-secret"}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("reset exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "back at its start") {
		t.Errorf("reset output %q", stdout.String())
	}
}

// BenchmarkCheckAllSolutions grades every reference solution the way
// `secretlings check --solutions` does (run with -benchtime=1x; the first
// iteration builds every program, later ones hit the Go build cache).
func BenchmarkCheckAllSolutions(b *testing.B) {
	dir := b.TempDir()
	for b.Loop() {
		if code := runCheck([]string{"--solutions", "--state-dir", dir}, io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}

func resetNoInput(args []string, stdout, stderr io.Writer) int {
	return runReset(args, nil, stdout, stderr)
}

// fakeCheckout makes a checkout in a temporary directory with the
// ttl-cache exercise's stub edited, and changes into it.
func fakeCheckout(t *testing.T) (root, file string) {
	t.Helper()
	root = t.TempDir()
	ex, _ := checker.Lookup("ttl-cache")
	dir := filepath.Join(root, ex.Dir())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte("module secretlings\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	file = filepath.Join(dir, "cache.go")
	if err := os.WriteFile(file, []byte("package main // my work\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(root)
	return root, file
}

// reset refuses to throw away changed files without --yes when it cannot
// ask, keeps a backup when it does, and --undo puts the files back.
func TestResetAsksAndKeepsABackup(t *testing.T) {
	_, file := fakeCheckout(t)
	var stdout, stderr bytes.Buffer
	if code := runReset([]string{"--state-dir", t.TempDir(), "ttl-cache"}, strings.NewReader("y\n"), &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), "--yes") {
		t.Fatalf("without a terminal or --yes: exit %d, stderr %q", code, stderr.String())
	}
	if got, _ := os.ReadFile(file); string(got) != "package main // my work\n" {
		t.Fatalf("the refused reset changed the file: %q", got)
	}
	stdout.Reset()
	if code := runReset([]string{"--yes", "--state-dir", t.TempDir(), "ttl-cache"}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("reset --yes: exit %d: %s", code, stderr.String())
	}
	if got, _ := os.ReadFile(file); strings.Contains(string(got), "my work") {
		t.Fatal("reset --yes kept the learner's file")
	}
	if !strings.Contains(stdout.String(), "reset --undo ttl-cache") {
		t.Errorf("reset does not say how to get the files back: %q", stdout.String())
	}
	stdout.Reset()
	if code := runReset([]string{"--undo", "ttl-cache"}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("reset --undo: exit %d: %s", code, stderr.String())
	}
	if got, _ := os.ReadFile(file); string(got) != "package main // my work\n" {
		t.Fatalf("--undo did not restore the file: %q", got)
	}
}
