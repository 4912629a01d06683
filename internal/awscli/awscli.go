// Package awscli runs aws CLI commands for the tests that check what the
// real CLI sends and prints. A new `aws` process costs about a second of
// CPU, most of it importing awscli and parsing service models; here the
// commands of a test binary run one after another in one warm Python
// process (worker.py) through awscli's own entry point, each with a new
// session and exactly the environment it is given, as the `aws` script
// would run them. Where python3 has no awscli to import, or `aws` is not
// the Python CLI (v2 is a binary), each command runs the `aws` on PATH.
package awscli

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
)

//go:embed worker.py
var workerPy string

// Result is what one command printed and its exit status.
type Result struct {
	Stdout, Stderr string
	Code           int
}

// Combined is its stdout then its stderr.
func (r Result) Combined() string { return r.Stdout + r.Stderr }

// Installed reports whether there is an aws CLI on PATH to run.
func Installed() bool {
	_, err := exec.LookPath("aws")
	return err == nil
}

var (
	mu     sync.Mutex
	warm   *worker
	noWarm bool // python3 cannot be the CLI here: run aws processes
)

// Run runs `aws args...` in env (the whole environment, as exec.Cmd.Env)
// and returns what it printed and its exit status. err is for a command
// that could not run at all; a failing command is a Result with Code > 0.
func Run(ctx context.Context, env []string, args ...string) (Result, error) {
	mu.Lock()
	defer mu.Unlock()
	if warm == nil && !noWarm {
		warm = startWorker()
		noWarm = warm == nil
	}
	if warm == nil {
		return runProcess(ctx, env, args)
	}
	res, err := warm.run(ctx, env, args)
	if err != nil {
		// A worker that died or was stopped by ctx is replaced by the
		// next command's.
		warm.stop()
		warm = nil
	}
	return res, err
}

// runProcess runs the aws on PATH.
func runProcess(ctx context.Context, env, args []string) (Result, error) {
	cmd := exec.CommandContext(ctx, "aws", args...)
	cmd.Env = env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	res := Result{Stdout: out.String(), Stderr: errb.String()}
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() >= 0 {
		res.Code, err = exit.ExitCode(), nil
	}
	return res, err
}

// worker is a running worker.py.
type worker struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
}

// startWorker starts worker.py when the aws on PATH is the Python CLI
// and python3 imports it; nil otherwise.
func startWorker() *worker {
	path, err := exec.LookPath("aws")
	if err != nil || !isScript(path) {
		return nil
	}
	cmd := exec.Command("python3", "-c", workerPy)
	// Its own startup environment only matters until awscli is imported:
	// each command gets the one it is given.
	cmd.Env = os.Environ()
	cmd.Stderr = io.Discard
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil
	}
	out, err := cmd.StdoutPipe()
	if err != nil || cmd.Start() != nil {
		return nil
	}
	w := &worker{cmd: cmd, in: in, out: bufio.NewReaderSize(out, 1<<16)}
	var ready struct{ Ready bool }
	if line, err := w.out.ReadBytes('\n'); err != nil || json.Unmarshal(line, &ready) != nil || !ready.Ready {
		w.stop()
		return nil
	}
	return w
}

// isScript reports whether the file at path is a script (the Python CLI,
// or a pyenv or virtualenv shim for it) rather than a binary.
func isScript(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 2)
	_, err = io.ReadFull(f, head)
	return err == nil && string(head) == "#!"
}

func (w *worker) run(ctx context.Context, env, args []string) (Result, error) {
	vars := map[string]string{}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		vars[k] = v // the last wins, as for exec.Cmd.Env
	}
	req, err := json.Marshal(map[string]any{"args": args, "env": vars})
	if err != nil {
		return Result{}, err
	}
	type answer struct {
		res Result
		err error
	}
	done := make(chan answer, 1)
	go func() {
		if _, err := w.in.Write(append(req, '\n')); err != nil {
			done <- answer{err: fmt.Errorf("awscli: the worker stopped: %w", err)}
			return
		}
		line, err := w.out.ReadBytes('\n')
		if err != nil {
			done <- answer{err: fmt.Errorf("awscli: the worker stopped: %w", err)}
			return
		}
		var a struct {
			Code           int
			Stdout, Stderr string
		}
		err = json.Unmarshal(line, &a)
		done <- answer{Result{Stdout: a.Stdout, Stderr: a.Stderr, Code: a.Code}, err}
	}()
	select {
	case a := <-done:
		return a.res, a.err
	case <-ctx.Done():
		return Result{}, ctx.Err() // Run stops the worker
	}
}

func (w *worker) stop() {
	_ = w.in.Close()
	_ = w.cmd.Process.Kill()
	_ = w.cmd.Wait()
}
