package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"early.secretlings/termbg"
	tea "github.com/charmbracelet/bubbletea"

	"secretlings/aws"
	"secretlings/internal/progress"
	"secretlings/lessons"
	"secretlings/ui"
)

func TestCommandLine(t *testing.T) {
	for _, tc := range []struct {
		name       string
		args       []string
		code       int
		stdout     string
		stderr     string
		noStdout   bool
		stderrOnce string
	}{
		{name: "root help", args: []string{"--help"}, code: 0, stdout: "secretlings serve [flags]"},
		{name: "short help", args: []string{"-h"}, code: 0, stdout: "--backend NAME"},
		{name: "help command", args: []string{"help"}, code: 0, stdout: "Usage:"},
		{name: "version", args: []string{"version"}, code: 0, stdout: "secretlings "},
		{name: "version help", args: []string{"version", "--help"}, code: 0, stdout: "Usage: secretlings version"},
		{name: "unknown flag", args: []string{"--bogus"}, code: 2, stderr: "secretlings: flag provided but not defined: -bogus\n\nsecretlings: learn", noStdout: true},
		{name: "unknown command", args: []string{"frobnicate"}, code: 2, stderr: "secretlings: unknown command \"frobnicate\"\n\nsecretlings: learn", noStdout: true},
		{name: "typo suggests the command", args: []string{"exmaple", "1"}, code: 2, stderr: "secretlings: unknown command \"exmaple\": did you mean \"example\"?", noStdout: true},
		{name: "typo of check", args: []string{"chekc"}, code: 2, stderr: "did you mean \"check\"?", noStdout: true},
		{name: "version flag", args: []string{"--version"}, code: 0, stdout: "secretlings "},
		{name: "version flag error", args: []string{"version", "--x"}, code: 2, stderr: "flag provided but not defined: -x", noStdout: true},
		{name: "bad backend", args: []string{"--backend", "gcp"}, code: 2, stderr: `unknown backend "gcp"`},
		{name: "serve help", args: []string{"serve", "--help"}, code: 0, stdout: "secretlings serve [--addr"},
		{name: "serve bad flag", args: []string{"serve", "--bogus"}, code: 2, stderr: "secretlings serve: flag provided but not defined: -bogus", noStdout: true},
		{name: "example help", args: []string{"example", "--help"}, code: 0, stdout: "secretlings example"},
		{name: "check help", args: []string{"check", "--help"}, code: 0, stdout: "secretlings check"},
		{name: "reset help", args: []string{"reset", "--help"}, code: 0, stdout: "secretlings reset"},
		{name: "cleanup help", args: []string{"cleanup", "--help"}, code: 0, stdout: "secretlings cleanup"},
		{name: "example out of range", args: []string{"example", "9"}, code: 2, stderr: "no example", noStdout: true},
		{name: "endpoint without url", args: []string{"--backend", "endpoint"}, code: 2, stderr: "needs a URL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("AWS_ENDPOINT_URL", "")
			t.Setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", "")
			var out, errOut bytes.Buffer
			code := run(tc.args, &out, &errOut)
			if code != tc.code {
				t.Fatalf("exit %d, want %d (stderr %q)", code, tc.code, errOut.String())
			}
			if !strings.Contains(out.String(), tc.stdout) {
				t.Errorf("stdout %q lacks %q", out.String(), tc.stdout)
			}
			if !strings.HasPrefix(errOut.String(), tc.stderr) && !strings.Contains(errOut.String(), tc.stderr) {
				t.Errorf("stderr %q lacks %q", errOut.String(), tc.stderr)
			}
			if tc.noStdout && out.Len() > 0 {
				t.Errorf("an error wrote to stdout: %q", out.String())
			}
		})
	}
}

func TestVersionNamesTheBuildOnce(t *testing.T) {
	noGit := func() string { return "" }
	rev := "a35814f5667bc3c5634165024cbbf5c5d64fdef9"
	for _, tc := range []struct {
		name    string
		ldflags string
		info    *debug.BuildInfo
		git     func() string
		want    string
	}{
		{"ldflags win", "v1.2.3", &debug.BuildInfo{Main: debug.Module{Version: "v9"}}, noGit, "v1.2.3"},
		{"module pseudo-version names the commit itself", "", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261202054757-a35814f5667b+dirty"}, Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: rev}}}, noGit, "v0.0.0-20261202054757-a35814f5667b+dirty"},
		{"go build without a tag", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: "true"}}}, noGit, "devel a35814f5667b+dirty"},
		{"go run in a checkout", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, func() string { return "a35814f5667b" }, "devel a35814f5667b (from the checkout in this directory)"},
		{"nothing known", "", nil, noGit, "devel (no version recorded: build with `make setup` or `go build` in a git checkout)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := versionFrom(tc.ldflags, tc.info, tc.git); got != tc.want {
				t.Errorf("version = %q, want %q", got, tc.want)
			}
		})
	}
}

// panicModel panics on its first key, as a bug in a screen would.
type panicModel struct{}

func (panicModel) Init() tea.Cmd { return nil }
func (panicModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(tea.KeyMsg); ok {
		panic("a bug in a screen")
	}
	return panicModel{}, nil
}
func (panicModel) View() string { return "ok" }

// TestPanicIsRecoveredAndTheTerminalRestored checks that Bubble Tea's panic
// recovery is on (the program is never built WithoutCatchPanics): a panic in
// Update ends Run with an error instead of killing the process with the
// terminal in raw mode and the alternate screen.
func TestPanicIsRecoveredAndTheTerminalRestored(t *testing.T) {
	// Bubble Tea prints the recovered panic and its stack to os.Stdout and
	// os.Stderr; keep them out of the test log, where they would read like a
	// real failure.
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer devnull.Close()
	stdout, stderr := os.Stdout, os.Stderr
	os.Stdout, os.Stderr = devnull, devnull
	defer func() { os.Stdout, os.Stderr = stdout, stderr }()
	var out bytes.Buffer
	p := tea.NewProgram(panicModel{}, tea.WithInput(strings.NewReader("x")), tea.WithOutput(&out), tea.WithAltScreen())
	_, err = p.Run()
	if !errors.Is(err, tea.ErrProgramPanic) {
		t.Fatalf("Run = %v, want ErrProgramPanic", err)
	}
	if !bytes.Contains(out.Bytes(), []byte("\x1b[?1049l")) {
		t.Fatalf("the alternate screen was not left after the panic")
	}
}

// BenchmarkStartupToFirstFrame measures what `go run .` does before the first
// frame: parse the lessons, read progress, start the embedded emulator,
// connect, build the UI and render the home screen.
func BenchmarkStartupToFirstFrame(b *testing.B) {
	dir := b.TempDir()
	os.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	for b.Loop() {
		all, err := lessons.All()
		if err != nil {
			b.Fatal(err)
		}
		prog, _, err := progress.NewStore(dir).Load()
		if err != nil {
			b.Fatal(err)
		}
		conn, err := aws.Connect(context.Background(), aws.Target{Backend: aws.Embedded})
		if err != nil {
			b.Fatal(err)
		}
		var m tea.Model = ui.New(ui.Options{Lessons: all, Progress: prog, Backend: ui.Backend{Target: conn.Target, Conn: conn}, Now: time.Now})
		m, _ = m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
		if !strings.Contains(m.View(), "Store and retrieve") {
			b.Fatal("home screen not drawn")
		}
		conn.Close()
	}
}

// BenchmarkOpenLesson measures the first frame of a lesson step, which
// renders its Markdown.
func BenchmarkOpenLesson(b *testing.B) {
	all, _ := lessons.All()
	for b.Loop() {
		var m tea.Model = ui.New(ui.Options{Lessons: all, Now: time.Now})
		m, _ = m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
		m, cmd := m.Update(tea.KeyMsg{Type: tea.KeyEnter})
		m, _ = m.Update(cmd())
		if !strings.Contains(m.View(), "Why a secrets manager?") {
			b.Fatal("lesson not drawn")
		}
	}
}

// TestBackgroundFromCOLORFGBG checks the background decision made without
// asking the terminal: dark unless $COLORFGBG names a light background.
func TestBackgroundFromCOLORFGBG(t *testing.T) {
	for v, dark := range map[string]bool{"": true, "15;0": true, "0;15": false, "0;7": false, "7;default;0": true, "12;8": true, "junk": true, "0;11": false} {
		if got := termbg.FromCOLORFGBG(v); got != dark {
			t.Errorf("COLORFGBG=%q: dark = %v, want %v", v, got, dark)
		}
	}
}
