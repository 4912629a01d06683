// Package pyfork runs Python programs as forks of an interpreter that has
// already imported boto3, so each starts in milliseconds rather than the
// third of a second an import of boto3 takes.
//
// A program is described as for os/exec (an *exec.Cmd whose Path is the
// interpreter and whose Args are a script or -c CODE, then arguments) and
// runs as that command would: its own stdin, stdout, stderr and extra
// files, working directory, environment, argv and exit status. One fork
// server (zygote.py) serves each interpreter and startup environment (the
// variables Python reads as it starts); it is started on first use and
// lives as long as this process. Where there is none (no fork on this
// system, SECRETLINGS_PYFORK=off, a server that would not start), Command
// returns the *exec.Cmd itself, so callers never need to care.
package pyfork

import (
	"context"
	_ "embed"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

//go:embed zygote.py
var zygote string

// Process is what a caller does with a program it has prepared: what
// *exec.Cmd and *Cmd both do.
type Process interface {
	Start() error
	Wait() error
	Run() error
	StdinPipe() (io.WriteCloser, error)
	StdoutPipe() (io.ReadCloser, error)
}

// EnvVar turns the fork server off when set to "off" (or "0"), so every
// program starts an interpreter of its own.
const EnvVar = "SECRETLINGS_PYFORK"

// Command returns how to run cmd, a Python program: as a fork of a warm
// interpreter when a fork server can run it, else cmd itself. cmd must
// not have been started; ctx kills the program as for
// exec.CommandContext (its whole process group, when forked).
func Command(ctx context.Context, cmd *exec.Cmd) Process {
	if !forkable(cmd) {
		return cmd
	}
	s, err := serverFor(cmd.Path, startupEnv(cmd.Env))
	if err != nil || shadows(importDir(cmd), s.modules) {
		return cmd
	}
	return &Cmd{ctx: ctx, desc: cmd, server: s}
}

// importDir is the directory cmd's program imports from first
// (sys.path[0]): its script's, or for -c its working directory.
func importDir(cmd *exec.Cmd) string {
	dir := cmd.Dir
	if cmd.Args[1] != "-c" {
		script := cmd.Args[1]
		if !filepath.IsAbs(script) {
			script = filepath.Join(dir, script)
		}
		dir = filepath.Dir(script)
	}
	if dir == "" {
		dir = "."
	}
	return dir
}

// shadows reports whether dir holds a module (a .py file, a compiled
// one, a package) named as one of modules: in a process of its own it
// would be imported instead, and a fork has the other already.
func shadows(dir string, modules map[string]bool) bool {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() {
			base, ext, ok := strings.Cut(name, ".")
			if !ok || !(ext == "py" || ext == "pyc" || strings.HasSuffix(ext, ".so") || ext == "so" || ext == "pyd") {
				continue
			}
			name = base
		}
		if modules[name] {
			return true
		}
	}
	return false
}

// forkable reports whether cmd is a program a fork server can become:
// a script or -c, arguments, an environment of its own, nothing else.
func forkable(cmd *exec.Cmd) bool {
	if !supported || cmd.Process != nil || cmd.SysProcAttr != nil || cmd.Env == nil || len(cmd.Args) < 2 {
		return false
	}
	switch v := strings.ToLower(os.Getenv(EnvVar)); v {
	case "off", "0", "false", "no":
		return false
	}
	first := cmd.Args[1]
	if first == "-c" {
		return len(cmd.Args) >= 3
	}
	return first != "" && first[0] != '-'
}

// startupEnv is the part of env Python reads as it starts (and so a
// fork cannot change): its own variables, the locale and the time zone.
// Programs whose startup environments differ get different servers.
func startupEnv(env []string) []string {
	var out []string
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "PYTHON") || k == "LANG" || strings.HasPrefix(k, "LC_") || k == "TZ" {
			out = append(out, kv)
		}
	}
	sort.Strings(out)
	return out
}

// live holds the pids of the forked programs that have not ended, of
// every server.
var live sync.Map

// Running reports whether pid is a program forked here that has not
// ended: a process this one started, though the fork server is its
// parent.
func Running(pid int) bool {
	_, ok := live.Load(pid)
	return ok
}

var (
	mu      sync.Mutex
	servers = map[string]*server{}
	// failed remembers the interpreters whose server would not start,
	// so every run does not wait for it again.
	failed = map[string]error{}
)

// serverFor returns the running server for exe and env, starting one
// when there is none or the last one died.
func serverFor(exe string, env []string) (*server, error) {
	key := exe + "\x00" + strings.Join(env, "\x00")
	mu.Lock()
	defer mu.Unlock()
	if err, ok := failed[key]; ok {
		return nil, err
	}
	if s := servers[key]; s != nil && s.alive() {
		return s, nil
	}
	s, err := startServer(exe, env)
	if err != nil {
		failed[key] = err
		return nil, err
	}
	servers[key] = s
	return s, nil
}

// Cmd is a Python program run as a fork of a warm interpreter. It is
// prepared as an *exec.Cmd is (see Command) and used the same way: Start
// and Wait, or Run; StdinPipe and StdoutPipe before Start.
type Cmd struct {
	ctx    context.Context
	desc   *exec.Cmd
	server *server

	started                         bool
	pid                             int
	exited                          chan exit
	closeAfterStart, closeAfterWait []io.Closer
	copies                          []func() error
	copyDone                        chan error
	stop                            chan struct{} // closed when Wait returns, ends the killer
}

// exit is how a forked program ended.
type exit struct {
	code int   // negative: killed by that signal
	err  error // the server died before it could tell
}

// ExitCode returns the exit status err reports (of a forked program, or
// of a process of its own: *exec.ExitError), and whether it reports one.
func ExitCode(err error) (code int, ok bool) {
	var exit interface{ ExitCode() int }
	if errors.As(err, &exit) {
		return exit.ExitCode(), true
	}
	return 0, false
}

// ExitError is a forked program's unsuccessful end, as *exec.ExitError
// is a started one's.
type ExitError struct {
	code int
}

// ExitCode is the program's exit status, or -1 when a signal ended it.
func (e *ExitError) ExitCode() int {
	if e.code < 0 {
		return -1
	}
	return e.code
}

func (e *ExitError) Error() string {
	if e.code < 0 {
		return "signal: " + signalName(-e.code)
	}
	return "exit status " + strconv.Itoa(e.code)
}

// StdinPipe returns a pipe connected to the program's standard input,
// closed after Wait.
func (c *Cmd) StdinPipe() (io.WriteCloser, error) {
	if c.desc.Stdin != nil || c.started {
		return nil, errors.New("pyfork: Stdin already set")
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	c.desc.Stdin = pr
	c.closeAfterStart = append(c.closeAfterStart, pr)
	c.closeAfterWait = append(c.closeAfterWait, pw)
	return pw, nil
}

// StdoutPipe returns a pipe connected to the program's standard output;
// Wait closes it, so read it to the end first.
func (c *Cmd) StdoutPipe() (io.ReadCloser, error) {
	if c.desc.Stdout != nil || c.started {
		return nil, errors.New("pyfork: Stdout already set")
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	c.desc.Stdout = pw
	c.closeAfterStart = append(c.closeAfterStart, pw)
	c.closeAfterWait = append(c.closeAfterWait, pr)
	return pr, nil
}

// Run starts the program and waits for it.
func (c *Cmd) Run() error {
	if err := c.Start(); err != nil {
		return err
	}
	return c.Wait()
}

// Start forks the program. Like exec.Cmd's, it fails when the program
// cannot be started, not when it fails.
func (c *Cmd) Start() error {
	if c.started {
		return errors.New("pyfork: already started")
	}
	c.started = true
	if err := c.ctx.Err(); err != nil {
		c.closeAll(c.closeAfterStart, c.closeAfterWait)
		return err
	}
	files, err := c.stdio()
	if err != nil {
		c.closeAll(c.closeAfterStart, c.closeAfterWait)
		return err
	}
	files = append(files, c.desc.ExtraFiles...)
	pid, exited, err := c.server.fork(c.desc, files)
	if errors.Is(err, errServerGone) {
		// Died since Command found it: once more, on a new one.
		var s *server
		if s, err = serverFor(c.desc.Path, startupEnv(c.desc.Env)); err == nil {
			c.server = s
			pid, exited, err = s.fork(c.desc, files)
		}
	}
	c.closeAll(c.closeAfterStart)
	if err != nil {
		c.closeAll(c.closeAfterWait)
		return err
	}
	c.pid, c.exited = pid, exited
	c.copyDone = make(chan error, len(c.copies))
	for _, fn := range c.copies {
		go func() { c.copyDone <- fn() }()
	}
	c.stop = make(chan struct{})
	go c.killOnDone()
	return nil
}

// stdio returns the files the program gets as stdin, stdout and stderr:
// the caller's files as they are, /dev/null for none, and a pipe copied
// from or to any other reader or writer (one for both when stdout and
// stderr are the same writer, as for exec.Cmd).
func (c *Cmd) stdio() ([]*os.File, error) {
	in, err := c.input(c.desc.Stdin)
	if err != nil {
		return nil, err
	}
	out, err := c.output(c.desc.Stdout)
	if err != nil {
		return nil, err
	}
	errf := out
	if c.desc.Stderr != c.desc.Stdout || c.desc.Stderr == nil {
		if errf, err = c.output(c.desc.Stderr); err != nil {
			return nil, err
		}
	}
	return []*os.File{in, out, errf}, nil
}

func (c *Cmd) input(r io.Reader) (*os.File, error) {
	switch f := r.(type) {
	case *os.File:
		return f, nil
	case nil:
		return c.devNull(os.O_RDONLY)
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	c.closeAfterStart = append(c.closeAfterStart, pr)
	c.closeAfterWait = append(c.closeAfterWait, pw)
	c.copies = append(c.copies, func() error {
		_, err := io.Copy(pw, r)
		// A program that stops reading early is no error of the copy.
		_ = pw.Close()
		if errors.Is(err, os.ErrClosed) || isEPIPE(err) {
			err = nil
		}
		return err
	})
	return pr, nil
}

func (c *Cmd) output(w io.Writer) (*os.File, error) {
	switch f := w.(type) {
	case *os.File:
		return f, nil
	case nil:
		return c.devNull(os.O_WRONLY)
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	c.closeAfterStart = append(c.closeAfterStart, pw)
	c.closeAfterWait = append(c.closeAfterWait, pr)
	c.copies = append(c.copies, func() error {
		_, err := io.Copy(w, pr)
		_ = pr.Close()
		if errors.Is(err, os.ErrClosed) {
			err = nil // cut by WaitDelay
		}
		return err
	})
	return pw, nil
}

func (c *Cmd) devNull(flag int) (*os.File, error) {
	f, err := os.OpenFile(os.DevNull, flag, 0)
	if err != nil {
		return nil, err
	}
	c.closeAfterStart = append(c.closeAfterStart, f)
	return f, nil
}

// killOnDone kills the program when its context ends before it does.
func (c *Cmd) killOnDone() {
	select {
	case <-c.ctx.Done():
		c.server.kill(c.pid)
	case <-c.stop:
	}
}

// Wait waits for the program to exit and its output to be copied (for at
// most WaitDelay after the exit, as exec.Cmd does, when a program it
// started holds the output open), then releases what Start took.
func (c *Cmd) Wait() error {
	if !c.started || c.exited == nil {
		return errors.New("pyfork: not started")
	}
	e := <-c.exited
	close(c.stop)
	copyErr := c.waitCopies()
	c.closeAll(c.closeAfterWait)
	switch {
	case e.err != nil:
		return e.err
	case e.code != 0:
		return &ExitError{code: e.code}
	case c.ctx.Err() != nil:
		return c.ctx.Err()
	}
	return copyErr
}

// waitCopies waits for the copies to end, for at most WaitDelay when it
// is set; then it cuts the pipes and reports exec.ErrWaitDelay.
func (c *Cmd) waitCopies() error {
	var timeout <-chan time.Time
	if c.desc.WaitDelay > 0 {
		t := time.NewTimer(c.desc.WaitDelay)
		defer t.Stop()
		timeout = t.C
	}
	var first error
	for range c.copies {
		select {
		case err := <-c.copyDone:
			if first == nil {
				first = err
			}
		case <-timeout:
			c.closeAll(c.closeAfterWait)
			return exec.ErrWaitDelay
		}
	}
	return first
}

func (c *Cmd) closeAll(lists ...[]io.Closer) {
	for _, l := range lists {
		for _, f := range l {
			_ = f.Close()
		}
	}
}

// envMap turns KEY=VALUE pairs into a map, the last of a key winning as
// in exec.Cmd.
func envMap(env []string) map[string]string {
	m := make(map[string]string, len(env))
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		m[k] = v
	}
	return m
}
