package main

// The learner's program in a `secretlings run`: its environment, how it
// starts (built first for Go), and its output relayed, masked, as it
// comes; or, for a rotation handler, one process per rotation step.

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"secretlings/aws"
	"secretlings/aws/emulator"
	"secretlings/checker"
)

// awsEnv is what points an SDK at the run's Secrets Manager: the endpoint,
// the region (botocore reads AWS_DEFAULT_REGION), dummy credentials, and
// no shared config.
func (r *tryRun) awsEnv() map[string]string {
	return map[string]string{
		"AWS_ENDPOINT_URL_SECRETS_MANAGER": r.b.Endpoint,
		"AWS_REGION":                       r.b.Region,
		"AWS_DEFAULT_REGION":               r.b.Region,
		"AWS_ACCESS_KEY_ID":                "test",
		"AWS_SECRET_ACCESS_KEY":            "test",
	}
}

// environ is the program's whole environment: the user's without any
// AWS_ setting (a profile or real credentials must not reach the
// emulator) and without the variables the run sets, then those.
func (r *tryRun) environ(extra map[string]string) []string {
	set := r.awsEnv()
	for k, v := range extra {
		set[k] = v
	}
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if _, ours := set[k]; ours || strings.HasPrefix(k, "AWS_") {
			continue
		}
		env = append(env, kv)
	}
	for k, v := range set {
		env = append(env, k+"="+v)
	}
	return env
}

// command is how the program starts, and where: a Python program with the
// interpreter in its folder; a Go one built first (its test binary, run
// with go test, for a test exercise) from the checkout's root.
// shown is the command as the learner would type it.
func (r *tryRun) command(ctx context.Context) (argv []string, dir, shown string, err error) {
	exDir := filepath.Join(r.root, r.ex.Dir())
	rel := filepath.ToSlash(r.ex.Dir())
	if r.lang == checker.Python {
		py := shellWord(r.py.Exe)
		if r.ex.TestsCode() {
			return []string{r.py.Exe, "-m", "unittest", "-v"}, exDir, "cd " + rel + " && " + py + " -m unittest -v", nil
		}
		main := r.ex.Python.MainFile()
		return []string{r.py.Exe, main}, exDir, "cd " + rel + " && " + py + " " + main, nil
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		return nil, "", "", errors.New("the Go toolchain is not on PATH: install Go (https://go.dev/dl/), or run the Python version (--lang python)")
	}
	pkg := "./" + rel
	if r.ex.TestsCode() {
		return []string{goBin, "test", "-count=1", "-v", pkg}, r.root, "go test -count=1 -v " + pkg, nil
	}
	out := filepath.Join(os.TempDir(), "secretlings-run-"+r.ex.ID+"-"+randomHex(4))
	if runtime.GOOS == "windows" {
		out += ".exe"
	}
	// Built as the checker builds it: the same program, and the link half
	// as long as go run's.
	args := append([]string{"build", "-o", out}, checker.BuildFlags(r.ex)...)
	shown = "go run " + pkg
	if r.ex.Race {
		shown = "go run -race " + pkg
	}
	build := exec.CommandContext(ctx, goBin, append(args, pkg)...)
	build.Dir = r.root
	fmt.Fprintf(r.stderr, "Building %s …\n", pkg)
	if msg, err := build.CombinedOutput(); err != nil {
		fmt.Fprint(r.stderr, string(msg))
		return nil, "", "", fmt.Errorf("building %s failed (%v): the compiler's message is above", pkg, err)
	}
	r.built = out
	return []string{out}, r.root, shown, nil
}

// exec runs the program once with its output shown, masked, as it comes,
// and returns its exit status.
func (r *tryRun) exec(ctx context.Context, argv []string, dir string, env []string, t *checker.Tryout) int {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir, cmd.Env = dir, env
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second
	var in io.WriteCloser
	var err error
	if t.Trigger != "" {
		if in, err = cmd.StdinPipe(); err != nil {
			fmt.Fprintf(r.stderr, "secretlings run: %v\n", err)
			return 1
		}
	} else {
		cmd.Stdin = r.stdin
	}
	outPipe, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintf(r.stderr, "secretlings run: %v\n", err)
		return 1
	}
	errPipe, err := cmd.StderrPipe()
	if err != nil {
		fmt.Fprintf(r.stderr, "secretlings run: %v\n", err)
		return 1
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(r.stderr, "secretlings run: starting %s: %v\n", argv[0], err)
		return 1
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		r.copyLines(r.stdout, outPipe, func(line string) {
			if t.Trigger == "" || !strings.HasPrefix(line, t.Trigger) {
				return
			}
			if err := t.Act(ctx); err != nil {
				fmt.Fprintf(r.stderr, "secretlings run: changing the secrets during the run: %v\n", err)
			}
			_, _ = in.Write([]byte("\n"))
		})
		if in != nil {
			_ = in.Close()
		}
	}()
	go func() { defer wg.Done(); r.copyLines(r.stderr, errPipe, nil) }()
	wg.Wait()
	return r.exited(cmd.Wait())
}

// copyLines copies what the program prints to w a line at a time, masked,
// and tells each line to seen.
func (r *tryRun) copyLines(w io.Writer, from io.Reader, seen func(string)) {
	br := bufio.NewReader(from)
	for {
		line, err := br.ReadString('\n')
		if line != "" {
			_, _ = io.WriteString(w, r.redact.Redact(line))
			if seen != nil {
				seen(strings.TrimRight(line, "\r\n"))
			}
		}
		if err != nil {
			return
		}
	}
}

// exited says how the program ended and returns its status: 130 when it
// was interrupted, as a shell reports it.
func (r *tryRun) exited(err error) int {
	var exit *exec.ExitError
	switch {
	case err == nil:
		fmt.Fprintln(r.stderr, "\n(The program exited with status 0.)")
		return 0
	case errors.As(err, &exit) && exit.ExitCode() >= 0:
		fmt.Fprintf(r.stderr, "\n(The program exited with status %d.)\n", exit.ExitCode())
		return exit.ExitCode()
	case errors.As(err, &exit):
		fmt.Fprintf(r.stderr, "\n(The program was stopped: %v.)\n", err)
		return 130
	}
	fmt.Fprintf(r.stderr, "secretlings run: %v\n", err)
	return 1
}

// cleanup removes the program built for the run.
func (r *tryRun) cleanup() {
	if r.built != "" {
		_ = os.Remove(r.built)
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// rotate runs the program as the secret's rotation function (one process
// per step, the event as JSON on stdin) for one rotation, and says how it
// ended.
func (r *tryRun) rotate(ctx context.Context, rot *checker.Rotation, argv []string, dir string, env []string) int {
	step, failed := 0, ""
	version, current, err := rot.Rotate(ctx, func(ctx context.Context, ev emulator.RotationEvent) error {
		step++
		fmt.Fprintf(r.stderr, "── %s (step %d of 4) ──\n", ev.Step, step)
		stdout, stderr := r.redact.Writer(r.stdout), r.redact.Writer(r.stderr)
		err := emulator.Command{Path: argv[0], Args: argv[1:], Env: env, Dir: dir, Stdout: stdout, Stderr: stderr}.RotationFunc()(ctx, ev)
		// The end of what it printed, held back while it might have been
		// the start of a value.
		_ = stdout.Close()
		_ = stderr.Close()
		if err != nil && failed == "" {
			failed = ev.Step
			fmt.Fprintf(r.stderr, "(%s failed, so the rotation stops here, as Secrets Manager's would.)\n", ev.Step)
		}
		return err
	})
	code := 0
	switch {
	case err != nil:
		fmt.Fprintf(r.stderr, "\nThe rotation could not start: %s\n", r.redact.Redact(aws.Explain(err, r.target)))
		code = 1
	case failed != "" || !current:
		fmt.Fprintf(r.stderr, "\nThe rotation did not complete: the new version %s is not AWSCURRENT.\n", version)
		code = 1
	default:
		fmt.Fprintf(r.stderr, "\nThe rotation completed: the new version %s is AWSCURRENT.\n", version)
	}
	return code
}
