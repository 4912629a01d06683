package runner

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
)

// snippetWorker runs aws CLI lines and boto3 snippets in one Python process
// (testdata/snippet_worker.py), so the CLI and boto3 are imported once per
// test instead of once per snippet.
type snippetWorker struct {
	mu  sync.Mutex
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
}

// startSnippetWorker starts the worker with env, or returns nil when
// python3 cannot import what it needs (the caller then runs a process per
// snippet).
func startSnippetWorker(t *testing.T, env []string) *snippetWorker {
	t.Helper()
	if exec.Command("python3", "-c", "import boto3, awscli.clidriver").Run() != nil {
		return nil
	}
	cmd := exec.Command("python3", "testdata/snippet_worker.py")
	cmd.Env = env
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w := &snippetWorker{cmd: cmd, in: in, out: bufio.NewReaderSize(out, 1<<16)}
	t.Cleanup(func() { in.Close(); _ = cmd.Wait() })
	return w
}

// run runs one snippet ("cli" or "python") and returns what it printed and
// its exit code.
func (w *snippetWorker) run(kind, code string) (string, int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	req, _ := json.Marshal(map[string]string{"kind": kind, "code": code})
	if _, err := w.in.Write(append(req, '\n')); err != nil {
		return "", 0, err
	}
	line, err := w.out.ReadBytes('\n')
	if err != nil {
		return "", 0, err
	}
	var ans struct {
		RC  int    `json:"rc"`
		Out string `json:"out"`
	}
	if err := json.Unmarshal(line, &ans); err != nil {
		return "", 0, err
	}
	return ans.Out, ans.RC, nil
}

// snippetRunner returns how to run one snippet of kind ("cli" or
// "python"): through the worker when python3 has what it needs, else a
// process per snippet (bash for a CLI line, python3 -c for boto3).
func snippetRunner(t *testing.T, kind string, env []string) func(code string) (out string, rc int) {
	t.Helper()
	if w := startSnippetWorker(t, env); w != nil {
		return func(code string) (string, int) {
			out, rc, err := w.run(kind, code)
			if err != nil {
				t.Fatalf("the snippet worker stopped: %v", err)
			}
			return out, rc
		}
	}
	return func(code string) (string, int) {
		cmd := exec.Command("bash", "-c", code)
		if kind == "python" {
			cmd = exec.Command("python3", "-c", code)
		}
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		switch {
		case errors.As(err, &exit):
			return string(out), exit.ExitCode()
		case err != nil:
			t.Fatalf("running %s: %v", kind, err)
		}
		return string(out), 0
	}
}

// TestSnippetWorkerReportsFailures: the worker passes on what a snippet
// does, failures included, so the snippet test can fail through it.
func TestSnippetWorkerReportsFailures(t *testing.T) {
	w := startSnippetWorker(t, []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()})
	if w == nil {
		t.Skip("python3 cannot import boto3 and awscli: the snippet tests run a process per snippet")
	}
	for _, c := range []struct {
		kind, code, out string
		rc              int
	}{
		{"python", "print('hello')", "hello\n", 0},
		{"python", "raise ValueError('boom')", "ValueError: boom", 1},
		{"python", "import sys; sys.exit(4)", "", 4},
		{"cli", "aws --version", "aws-cli/", 0},
		{"cli", "aws secretsmanager no-such-command", "aws: error: argument operation: Invalid choice", 2},
		{"cli", "echo piped | tr a-z A-Z", "PIPED", 0},
		{"cli", "FOO=bar aws --version", "aws-cli/", 0},
	} {
		out, rc, err := w.run(c.kind, c.code)
		if err != nil {
			t.Fatalf("%s: %v", c.code, err)
		}
		if rc != c.rc || !strings.Contains(out, c.out) {
			t.Errorf("%s %q: rc %d, output %q; want rc %d and %q", c.kind, c.code, rc, out, c.rc, c.out)
		}
	}
}
