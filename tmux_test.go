package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// tmuxTUI is the tutorial running in a private tmux server, for what only a
// real terminal shows: keys arriving before the first frame, the alternate
// screen after a resize.
type tmuxTUI struct {
	t      *testing.T
	socket string
}

// startTUI runs `secretlings ARGS` (this test binary, re-executed) in a
// w×h tmux window, sending keys, if any, in the same breath as the start.
func startTUI(t *testing.T, w, h int, keys string, args ...string) *tmuxTUI {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed: this test drives the TUI in a real terminal (apt-get install tmux)")
	}
	self, err := filepath.Abs(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	args = append([]string{"--state-dir", t.TempDir()}, args...)
	argv, _ := json.Marshal(args)
	tt := &tmuxTUI{t: t, socket: fmt.Sprintf("secretlings-test-%d-%d", os.Getpid(), time.Now().UnixNano())}
	// TERM=xterm-256color makes termenv willing to query the terminal, as it
	// would be in a terminal emulator; tmux answers the queries.
	shell := fmt.Sprintf("env TERM=xterm-256color COLORFGBG= %s=%s %s -test.run='^TestMainChildProcessHelper$'; echo EXITED; sleep 600",
		mainChildEnv, shellQuote(string(argv)), shellQuote(self))
	tt.tmux("new-session", "-d", "-s", "t", "-x", fmt.Sprint(w), "-y", fmt.Sprint(h), shell)
	t.Cleanup(func() { _ = exec.Command("tmux", "-L", tt.socket, "kill-server").Run() })
	if keys != "" {
		tt.tmux("send-keys", "-t", "t", "-l", keys)
	}
	return tt
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func (tt *tmuxTUI) tmux(args ...string) string {
	tt.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", tt.socket}, args...)...).CombinedOutput()
	if err != nil {
		tt.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func (tt *tmuxTUI) screen() string { return tt.tmux("capture-pane", "-p", "-t", "t") }

// waitFor polls the pane until it shows text; the deadline only bounds a
// broken run, it is not what the test measures.
func (tt *tmuxTUI) waitFor(text string) string {
	tt.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		s := tt.screen()
		if strings.Contains(s, text) {
			return s
		}
		if time.Now().After(deadline) {
			tt.t.Fatalf("the terminal never showed %q:\n%s", text, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (tt *tmuxTUI) keys(k ...string) { tt.tmux(append([]string{"send-keys", "-t", "t"}, k...)...) }

// TestKeysTypedAtStartArrive types jjj before the first frame, in one write:
// no key may be eaten by a terminal query, and each j moves the cursor.
func TestKeysTypedAtStartArrive(t *testing.T) {
	tt := startTUI(t, 100, 30, "jjj")
	s := tt.waitFor("answers in")
	if !strings.Contains(s, "▸ 4  Caching") {
		t.Fatalf("jjj typed at start should put the cursor on lesson 4:\n%s", s)
	}
	tt.keys("-l", "kk")
	if s := tt.waitFor("▸ 2  JSON"); !strings.Contains(s, "▸ 2  JSON") {
		t.Fatal(s)
	}
}

// TestQuitAfterAResizeLeavesTheTerminalClean starts below the minimum size,
// grows the window and quits: nothing of the app may stay on the screen.
func TestQuitAfterAResizeLeavesTheTerminalClean(t *testing.T) {
	tt := startTUI(t, 38, 10, "")
	tt.waitFor("needs at least")
	tt.tmux("resize-window", "-t", "t", "-x", "50", "-y", "14")
	tt.waitFor("Store and retrieve")
	tt.keys("q")
	s := tt.waitFor("EXITED")
	for _, text := range []string{"Store", "Rotation", "Caching", "needs at least"} {
		if strings.Contains(s, text) {
			t.Fatalf("after q the terminal still shows %q:\n%s", text, s)
		}
	}
}
