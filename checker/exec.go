package checker

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"
	"strings"
	"time"

	"secretlings/mask"
)

// converse runs the program, and when it prints a line starting with
// trigger, calls act and then sends a newline to its stdin. It returns the
// lines printed on stdout.
func (r *run) converse(ctx context.Context, env map[string]string, trigger string, act func() error) ([]string, proc, error) {
	ctx, cancel := context.WithTimeout(ctx, r.c.timeout())
	defer cancel()
	cmd := exec.CommandContext(ctx, r.bin)
	cmd.Env = r.env(env)
	cmd.WaitDelay = 2 * time.Second
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, proc{}, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, proc{}, err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &limitWriter{w: &stderr, n: 1 << 20}
	if err := cmd.Start(); err != nil {
		return nil, proc{Code: -1, Err: err}, nil
	}
	var lines []string
	var actErr error
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		line := sc.Text()
		lines = append(lines, line)
		r.output.WriteString(line + "\n")
		if strings.HasPrefix(line, trigger) {
			actErr = act()
			_, _ = stdin.Write([]byte("\n"))
		}
	}
	_ = stdin.Close()
	err = cmd.Wait()
	p := proc{Stdout: strings.Join(lines, "\n"), Stderr: stderr.String()}
	r.output.WriteString(p.Stderr)
	p.exited(ctx, err)
	return lines, p, actErr
}

// proc is one finished run of the learner's program.
type proc struct {
	Stdout, Stderr string
	Code           int  // exit status; -1 when it did not exit normally
	TimedOut       bool // killed after the timeout
	Err            error
}

// summary describes how the program ended, with the last line it wrote to
// stderr (secret values masked), for a failed check's reason.
func (p proc) summary(known *mask.Redactor) string {
	var s string
	switch {
	case p.TimedOut:
		s = "it did not finish in time and was stopped"
	case p.Err != nil:
		s = "it could not run: " + p.Err.Error()
	default:
		s = fmt.Sprintf("it exited with status %d", p.Code)
	}
	if last := lastLine(p.Stderr); last != "" {
		s += ": " + truncate(scrub(known, last), 300)
	}
	return s
}

// lastLine returns the line that best says why a program failed: a panic's
// first line rather than the last frame of its stack trace, else the last
// line.
func lastLine(s string) string {
	for _, line := range strings.Split(s, "\n") {
		if strings.HasPrefix(line, "panic: ") {
			return strings.TrimSpace(line)
		}
	}
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// env builds the program's environment: the user's, minus every setting
// that would send it elsewhere or hand it real credentials, plus the
// proxy's endpoint, the region, dummy credentials (the proxy re-signs for
// AWS) and extra.
func (r *run) env(extra map[string]string) []string {
	drop := map[string]bool{
		"AWS_ENDPOINT_URL": true, "AWS_ENDPOINT_URL_SECRETS_MANAGER": true,
		"AWS_REGION": true, "AWS_DEFAULT_REGION": true, "AWS_PROFILE": true, "AWS_DEFAULT_PROFILE": true,
		"AWS_ACCESS_KEY_ID": true, "AWS_SECRET_ACCESS_KEY": true, "AWS_SESSION_TOKEN": true,
		"AWS_CONFIG_FILE": true, "AWS_SHARED_CREDENTIALS_FILE": true,
	}
	for k := range extra {
		drop[k] = true
	}
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if !drop[k] {
			env = append(env, kv)
		}
	}
	env = append(env,
		"AWS_ENDPOINT_URL_SECRETS_MANAGER="+r.proxy.URL,
		"AWS_REGION="+r.c.Backend.Region,
		"AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test",
		"AWS_EC2_METADATA_DISABLED=true",
		// An empty file keeps the user's shared config (and any profile
		// in it) away from the program.
		"AWS_CONFIG_FILE="+os.DevNull, "AWS_SHARED_CREDENTIALS_FILE="+os.DevNull,
		"SECRETLINGS_PREFIX="+r.ns,
	)
	keys := make([]string, 0, len(extra))
	for k := range extra {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		env = append(env, k+"="+extra[k])
	}
	return env
}

// exec runs the built program to completion with extra in its environment
// and stdin as its input.
func (r *run) exec(ctx context.Context, extra map[string]string, stdin io.Reader, args ...string) proc {
	ctx, cancel := context.WithTimeout(ctx, r.c.timeout())
	defer cancel()
	cmd := exec.CommandContext(ctx, r.bin, args...)
	cmd.Env = r.env(extra)
	cmd.Stdin = stdin
	cmd.WaitDelay = 2 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &limitWriter{w: &stdout, n: 1 << 20}
	cmd.Stderr = &limitWriter{w: &stderr, n: 1 << 20}
	err := cmd.Run()
	p := proc{Stdout: stdout.String(), Stderr: stderr.String()}
	r.output.WriteString(p.Stdout)
	r.output.WriteString(p.Stderr)
	p.exited(ctx, err)
	return p
}

// exited records how the program ended, from the context it ran under and
// the error Wait or Run returned.
func (p *proc) exited(ctx context.Context, err error) {
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		p.TimedOut, p.Code = true, -1
	case err == nil:
	case errors.As(err, &exit):
		p.Code = exit.ExitCode()
	default:
		p.Code, p.Err = -1, err
	}
}

// limitWriter keeps the first n bytes and drops the rest, so a program that
// prints without end cannot exhaust memory.
type limitWriter struct {
	w io.Writer
	n int
}

func (l *limitWriter) Write(p []byte) (int, error) {
	if l.n > 0 {
		k := min(len(p), l.n)
		l.n -= k
		_, _ = l.w.Write(p[:k])
	}
	return len(p), nil
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
