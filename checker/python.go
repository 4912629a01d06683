package checker

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"secretlings/internal/pyfork"
)

// program is how the graded program is started: the built binary for Go;
// the interpreter, the file to run and the variables it needs for Python.
type program struct {
	path string
	args []string
	env  map[string]string
	dir  string // a Python program's folder, removed with the run
	// python says path is a Python interpreter: its runs are forks of a
	// warm one (see start).
	python bool
}

// start is how cmd runs: a Python program as a fork of an interpreter
// that has imported boto3 already (internal/pyfork), which saves most of
// a third of a second a run; anything else as a process of its own.
func start(ctx context.Context, cmd *exec.Cmd, python bool) pyfork.Process {
	if python {
		return pyfork.Command(ctx, cmd)
	}
	return cmd
}

// startBusy starts cmd as start would, and starts it again, a few times,
// while the system says its file is busy: a binary the checker has just
// written (a mutant's test binary) stays open for a moment in any process
// another goroutine forks meanwhile (golang/go#22315).
func startBusy(ctx context.Context, cmd *exec.Cmd, python bool) (pyfork.Process, error) {
	for wait := 10 * time.Millisecond; ; wait *= 2 {
		p := start(ctx, cmd, python)
		err := p.Start()
		if err == nil || !errors.Is(err, syscall.ETXTBSY) || wait > time.Second {
			return p, err
		}
		time.Sleep(wait)
		again := exec.CommandContext(ctx, cmd.Path, cmd.Args[1:]...)
		again.Env, again.Dir, again.WaitDelay = cmd.Env, cmd.Dir, cmd.WaitDelay
		again.Stdin, again.Stdout, again.Stderr, again.ExtraFiles = cmd.Stdin, cmd.Stdout, cmd.Stderr, cmd.ExtraFiles
		cmd = again
	}
}

// syntaxCheck compiles each file named as argv pairs (the file, the name
// to report) without running it, and prints each SyntaxError as a
// compiler would, file:line:col: message, then the line.
const syntaxCheck = `
import sys
bad = 0
args = sys.argv[1:]
for src, shown in zip(args[0::2], args[1::2]):
    try:
        with open(src, "rb") as f:
            compile(f.read(), shown, "exec", dont_inherit=True)
    except SyntaxError as e:
        sys.stdout.write("%s:%s:%s: %s: %s\n" % (shown, e.lineno, e.offset, type(e).__name__, e.msg))
        if e.text and e.text.strip():
            sys.stdout.write("    " + e.text.strip() + "\n")
        bad = 1
    except ValueError as e:
        sys.stdout.write("%s: %s\n" % (shown, e))
        bad = 1
sys.exit(bad)
`

// pyBuild is build for Python: the files as the grading sees them go into
// a folder of the run's own, outside the checkout (so neither the stub
// nor the reference solution ever lands in it), and a syntax check stands
// for the compiler, reported as the "compiles" check.
func (r *run) pyBuild(ctx context.Context) bool {
	py, err := r.c.python()
	if err != nil {
		r.fatal = err
		return false
	}
	files, missing, err := r.c.pyFiles(r.ex)
	if err != nil {
		r.fatal = err
		return false
	}
	if missing != "" {
		msg := missing + " is missing: write it, or restore the stub with `secretlings reset " + r.ex.ID + "`"
		r.res.Compile = msg
		r.check("compiles", 0, "the program does not compile:\n"+msg)
		return false
	}
	dir, err := neutralDir()
	if err != nil {
		r.fatal = fmt.Errorf("making the program's folder: %w", err)
		return false
	}
	r.prog.dir = dir
	args := []string{"-c", syntaxCheck}
	for name, data := range files {
		if r.ex.tests && slices.Contains(r.ex.Python.Provided, name) {
			continue // the code under test reaches a run only through its runner
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			r.fatal = fmt.Errorf("writing the program: %w", err)
			return false
		}
		args = append(args, p, path.Join(filepath.ToSlash(r.ex.Dir()), name))
	}
	if msg, err := runSyntaxCheck(ctx, py.Exe, args, py.Env()); err != nil {
		r.fatal = err
		return false
	} else if msg != "" {
		r.res.Compile = msg
		r.check("compiles", 0, "the program does not compile:\n"+msg)
		return false
	}
	env := py.Env()
	// botocore reads AWS_DEFAULT_REGION; AWS_REGION only in its newest
	// versions.
	env["AWS_DEFAULT_REGION"] = r.c.Backend.Region
	r.prog = program{path: py.Exe, args: []string{filepath.Join(dir, r.ex.Python.MainFile())}, env: env, dir: dir, python: true}
	r.check("compiles", 0, "")
	return true
}

// runSyntaxCheck runs the syntax check; msg is what it found wrong, at most
// ten lines as for the Go compiler.
func runSyntaxCheck(ctx context.Context, exe string, args []string, env map[string]string) (msg string, err error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe, args...)
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Dir = os.TempDir()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = start(ctx, cmd, true).Run()
	switch code, exited := pyfork.ExitCode(err); {
	case err == nil:
		return "", nil
	case exited && code == 1 && out.Len() > 0:
		return trimCompile(out.String(), ""), nil
	}
	return "", fmt.Errorf("running the Python syntax check with %s: %v: %s", exe, err, strings.TrimSpace(out.String()))
}

// pyFiles are the Python files of ex as c grades them, by name: the
// learner's from the checkout (or the embedded stub or reference
// solution), the provided drivers always from the pristine copies, then
// the files a test substitutes. missing names a learner file that is not
// in the checkout.
func (c *Checker) pyFiles(ex *Exercise) (files map[string][]byte, missing string, err error) {
	lf := ex.Python
	files = map[string][]byte{}
	for _, f := range lf.Files {
		var data []byte
		switch c.Source {
		case Learner:
			data, err = os.ReadFile(filepath.Join(c.Root, ex.Dir(), f))
			if errors.Is(err, os.ErrNotExist) {
				return nil, filepath.Join(ex.Dir(), f), nil
			}
		case Stub:
			data, err = pristineFile(ex, f)
		case Solution:
			data, err = solutionFile(ex, f)
		}
		if err != nil {
			return nil, "", err
		}
		files[f] = data
	}
	for _, f := range lf.Provided {
		if files[f], err = pristineFile(ex, f); err != nil {
			return nil, "", err
		}
	}
	for f, data := range c.replace {
		if strings.HasSuffix(f, ".py") {
			files[f] = data
		}
	}
	return files, "", nil
}
