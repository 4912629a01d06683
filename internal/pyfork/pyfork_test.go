//go:build unix

package pyfork

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"secretlings/internal/pyenv"
)

// python is the interpreter the tests fork, with the environment a
// grading gives it; the tests skip, saying so, without one. $PYFORK_PYTHON
// names another interpreter (boto3 not needed), to try other versions:
// PYFORK_PYTHON=~/.pyenv/versions/3.9.18/bin/python3 go test ./internal/pyfork/
func python(t testing.TB) (string, []string) {
	t.Helper()
	env := []string{"HOME=" + t.TempDir(), "TMPDIR=" + t.TempDir(), "SOME_VAR=some value"}
	exe := os.Getenv("PYFORK_PYTHON")
	if exe != "" {
		env = append(env, "PYTHONDONTWRITEBYTECODE=1", "PYTHONUNBUFFERED=1", "PYTHONUTF8=1", "PYTHONNOUSERSITE=1")
	} else {
		py, err := pyenv.Find("", os.Getenv)
		if err != nil {
			t.Skipf("no Python with boto3, the fork server is not tested: %v", err)
		}
		exe = py.Exe
		for k, v := range py.Env() {
			env = append(env, k+"="+v)
		}
	}
	sort.Strings(env)
	return exe, env
}

// report prints, as JSON, what a program sees of how it was started.
const report = `
import atexit, json, os, random, sys, tempfile, threading, time, uuid
data = sys.stdin.read()
fds = sorted(int(f) for f in os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None
out = {
    "argv": sys.argv, "cwd": os.getcwd(), "env": dict(os.environ),
    "path0": sys.path[0], "name": __name__, "file": globals().get("__file__"),
    "doc": __doc__, "names": sorted(k for k in globals() if k.startswith("__")),
    "stdin": data, "tty": [sys.stdin.isatty(), sys.stdout.isatty()],
    "tmp": tempfile.gettempdir(), "home": os.path.expanduser("~"),
    "fds": fds, "utf8": sys.flags.utf8_mode, "bytecode": sys.dont_write_bytecode,
    "random": random.random(), "uuid": str(uuid.uuid4()), "loader": type(__loader__).__name__ if not isinstance(__loader__, type) else __loader__.__name__,
}
try:
    import boto3
    clients = [boto3.client("secretsmanager", region_name=r, aws_access_key_id="a", aws_secret_access_key="b") for r in ("eu-west-1", "us-east-1")]
    out["clients"] = [[c.meta.region_name, c.meta.endpoint_url, c.meta.partition, sorted(c.meta.service_model.operation_names)] for c in clients]
    from botocore.loaders import create_loader
    models = tempfile.mkdtemp()
    os.makedirs(os.path.join(models, "madeup", "2020-01-01"))
    open(os.path.join(models, "madeup", "2020-01-01", "service-2.json"), "w").write("{}")
    out["services"] = [boto3.session.Session().get_available_services(), create_loader(models).list_available_services("service-2")]
except ImportError:
    pass
sys.stdout.write(json.dumps(out) + "\n")
sys.stderr.write("to stderr\n")
if len(sys.argv) > 2 and sys.argv[2] == "extra":
    os.write(3, b"on fd 3\n")
def late():
    time.sleep(0.2)
    print("thread done", flush=True)
threading.Thread(target=late).start()
atexit.register(lambda: print("atexit ran", flush=True))
sys.exit(int(sys.argv[1]))
`

type seen struct {
	Argv     []string          `json:"argv"`
	Cwd      string            `json:"cwd"`
	Env      map[string]string `json:"env"`
	Path0    string            `json:"path0"`
	Name     string            `json:"name"`
	File     *string           `json:"file"`
	Doc      *string           `json:"doc"`
	Names    []string          `json:"names"`
	Stdin    string            `json:"stdin"`
	TTY      []bool            `json:"tty"`
	Tmp      string            `json:"tmp"`
	Home     string            `json:"home"`
	FDs      []int             `json:"fds"`
	UTF8     int               `json:"utf8"`
	Bytecode bool              `json:"bytecode"`
	Random   float64           `json:"random"`
	UUID     string            `json:"uuid"`
	Loader   string            `json:"loader"`
	Clients  []any             `json:"clients"`
	Services [][]string        `json:"services"`
}

// outcome is one run of a program: what it printed and how it ended.
type outcome struct {
	seen           seen
	stdout, stderr string
	fd3            string
	code           int
}

func run(t *testing.T, p Process, stdout, stderr *bytes.Buffer) outcome {
	t.Helper()
	err := p.Run()
	o := outcome{stdout: stdout.String(), stderr: stderr.String()}
	var ec interface{ ExitCode() int }
	switch {
	case err == nil:
	case errors.As(err, &ec):
		o.code = ec.ExitCode()
	default:
		t.Fatalf("run: %v (stderr %q)", err, o.stderr)
	}
	if line, _, ok := strings.Cut(o.stdout, "\n"); ok && strings.HasPrefix(line, "{") {
		if err := json.Unmarshal([]byte(line), &o.seen); err != nil {
			t.Fatal(err)
		}
		o.stdout = strings.TrimPrefix(o.stdout, line+"\n")
	}
	return o
}

// both runs args in dir twice, as a process of its own and forked, and
// returns both outcomes.
func both(t *testing.T, exe string, env []string, dir, stdin string, extra bool, args ...string) (direct, forked outcome) {
	t.Helper()
	return bothWant(t, true, exe, env, dir, stdin, extra, args...)
}

// bothWant is both, where fork says whether Command must fork.
func bothWant(t *testing.T, fork bool, exe string, env []string, dir, stdin string, extra bool, args ...string) (direct, forked outcome) {
	t.Helper()
	for i, o := range []*outcome{&direct, &forked} {
		var stdout, stderr bytes.Buffer
		cmd := exec.Command(exe, args...)
		cmd.Env, cmd.Dir = env, dir
		cmd.Stdin = strings.NewReader(stdin)
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		var fd3 *os.File
		if extra {
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			cmd.ExtraFiles, fd3 = []*os.File{w}, r
		}
		var p Process = cmd
		if i == 1 {
			p = Command(context.Background(), cmd)
			if _, ok := p.(*Cmd); ok != fork {
				t.Fatalf("forked is %v, want %v", ok, fork)
			}
		}
		*o = run(t, p, &stdout, &stderr)
		if fd3 != nil {
			cmd.ExtraFiles[0].Close()
			data, _ := io.ReadAll(fd3)
			o.fd3 = string(data)
			fd3.Close()
		}
	}
	return direct, forked
}

// A forked program sees what it would see as a process of its own: its
// argv, directory, environment, stdin, files, __main__ and a fresh
// random state; and it ends as one would (threads joined, atexit run,
// SystemExit's status).
func TestForkedLikeDirect(t *testing.T) {
	if !supported {
		t.Skip("no fork server on " + runtime.GOOS)
	}
	exe, env := python(t)
	dir := t.TempDir()
	script := filepath.Join(dir, "main.py")
	if err := os.WriteFile(script, []byte(report), 0o600); err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	for _, tc := range []struct {
		name  string
		args  []string
		extra bool
	}{
		{"script", []string{script, "3"}, false},
		{"script with fd 3", []string{script, "0", "extra"}, true},
		{"-c", []string{"-c", report, "7"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, f := both(t, exe, env, work, "line one\nline two\n", tc.extra, tc.args...)
			if d.seen.Random == f.seen.Random || d.seen.UUID == f.seen.UUID {
				t.Errorf("random state shared: %v %v", d.seen.Random, f.seen.Random)
			}
			if os.Getenv("PYFORK_PYTHON") == "" && len(f.seen.Clients) != 2 {
				t.Errorf("the program made no boto3 clients: %v", f.seen.Clients)
			}
			// The services the server listed once, and a search path of
			// the program's own listed anew.
			if os.Getenv("PYFORK_PYTHON") == "" && (len(f.seen.Services) != 2 || !slices.Contains(f.seen.Services[0], "secretsmanager") ||
				!slices.Contains(f.seen.Services[1], "madeup") || !slices.Contains(f.seen.Services[1], "secretsmanager")) {
				t.Errorf("the services a forked program lists: %.200v", f.seen.Services)
			}
			d.seen.Random, f.seen.Random, d.seen.UUID, f.seen.UUID = 0, 0, "", ""
			// Only its own files are open (one is listdir's), where a
			// process of its own also has what the test inherited.
			want := []int{0, 1, 2, 3}
			if tc.extra {
				want = append(want, 4)
			}
			if f.seen.FDs != nil && !slices.Equal(f.seen.FDs, want) {
				t.Errorf("the forked program has files %v open; want %v", f.seen.FDs, want)
			}
			for _, fd := range f.seen.FDs {
				if !slices.Contains(d.seen.FDs, fd) {
					t.Errorf("the forked program has file %d open, which a process of its own has not", fd)
				}
			}
			d.seen.FDs, f.seen.FDs = nil, nil
			dj, _ := json.MarshalIndent(d, "", " ")
			fj, _ := json.MarshalIndent(f, "", " ")
			if string(dj) != string(fj) {
				t.Errorf("direct and forked runs differ:\ndirect %s\nforked %s", dj, fj)
			}
			if d.code != 3 && d.code != 0 && d.code != 7 {
				t.Errorf("exit %d", d.code)
			}
		})
	}
}

func (o outcome) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]any{"seen": o.seen, "stdout": o.stdout, "stderr": o.stderr, "fd3": o.fd3, "code": o.code})
}

// A program that fails ends as it would on its own: the same message,
// the traceback starting at the program, the same status.
func TestForkedFailsLikeDirect(t *testing.T) {
	if !supported {
		t.Skip("no fork server on " + runtime.GOOS)
	}
	exe, env := python(t)
	dir := t.TempDir()
	for name, src := range map[string]string{
		"uncaught":     "import json\n\ndef load():\n    return json.loads('{')\n\nload()\n",
		"exit message": "import sys\nsys.exit('config-manager: no secret name')\n",
		"os._exit":     "import os, sys\nsys.stdout.write('bye')\nos._exit(5)\n",
		"signal":       "import os, signal\nos.kill(os.getpid(), signal.SIGTERM)\n",
		"syntax error": "def f(:\n    pass\n",
		"keyboard":     "raise KeyboardInterrupt\n",
		"chained":      "try:\n    {}['k']\nexcept KeyError as e:\n    raise RuntimeError('no key') from e\n",
		"missing":      "",
		"import error": "import no_such_module_here\n",
		"bad encoding": "# -*- coding: latin-1 -*-\ns = '\xe9'\nprint(len(s))\n",
		"stdin read":   "import sys\nprint(sys.stdin.read().upper())\n",
		"relative imp": "import helper\nprint(helper.X)\n",
		// A file named as a module the server holds would not shadow it
		// in a fork: such a program runs as a process of its own.
		"shadows": "import json\nprint(json.X)\n",
	} {
		t.Run(name, func(t *testing.T) {
			sub := filepath.Join(dir, strings.ReplaceAll(name, " ", "_"))
			script := filepath.Join(sub, "main.py")
			files := map[string]string{"main.py": src, "helper.py": "X = 42\n"}
			switch name {
			case "missing":
				delete(files, "main.py")
			case "shadows":
				files["json.py"] = "X = 'mine'\n"
			}
			if err := os.MkdirAll(sub, 0o700); err != nil {
				t.Fatal(err)
			}
			for file, data := range files {
				if err := os.WriteFile(filepath.Join(sub, file), []byte(data), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			d, f := bothWant(t, name != "shadows", exe, env, t.TempDir(), "some input", false, script)
			if d.stdout != f.stdout || d.stderr != f.stderr || d.code != f.code {
				t.Errorf("direct and forked runs differ:\ndirect %d %q %q\nforked %d %q %q", d.code, d.stdout, d.stderr, f.code, f.stdout, f.stderr)
			}
		})
	}
}

// forked prepares src as a forked program in a directory of its own.
func forked(t *testing.T, ctx context.Context, src string, args ...string) (*Cmd, *exec.Cmd) {
	t.Helper()
	if !supported {
		t.Skip("no fork server on " + runtime.GOOS)
	}
	exe, env := python(t)
	dir := t.TempDir()
	script := filepath.Join(dir, "main.py")
	if err := os.WriteFile(script, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, append([]string{script}, args...)...)
	cmd.Env, cmd.Dir = env, dir
	p, ok := Command(ctx, cmd).(*Cmd)
	if !ok {
		t.Fatal("not forked")
	}
	return p, cmd
}

// A context that ends kills the program and what it started (its
// process group), and Wait returns within WaitDelay even though the
// grandchild held the output open.
func TestContextKillsTheGroup(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	p, cmd := forked(t, ctx, `
import subprocess, sys, time
child = subprocess.Popen(["/bin/sleep", "60"])
print(child.pid, flush=True)
time.sleep(60)
`)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.WaitDelay = time.Second
	start := time.Now()
	err := p.Run()
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("Wait took %v", took)
	}
	var ee *ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != -1 || !strings.Contains(err.Error(), "killed") {
		t.Errorf("err = %v; want the signal that killed it", err)
	}
	var grandchild int
	if _, err := fmt.Sscan(out.String(), &grandchild); err != nil {
		t.Fatalf("no pid printed: %q", out.String())
	}
	deadline := time.Now().Add(5 * time.Second)
	for syscall.Kill(grandchild, 0) == nil {
		if time.Now().After(deadline) {
			t.Fatalf("the program's own child %d is still alive", grandchild)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// StdinPipe and StdoutPipe make a conversation, as with exec.Cmd.
func TestPipes(t *testing.T) {
	p, _ := forked(t, context.Background(), `
import sys
for line in sys.stdin:
    print("got " + line.strip(), flush=True)
`)
	in, err := p.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := p.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Start(); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(out)
	for _, word := range []string{"one", "two"} {
		fmt.Fprintln(in, word)
		line, err := r.ReadString('\n')
		if err != nil || line != "got "+word+"\n" {
			t.Fatalf("read %q, %v", line, err)
		}
	}
	in.Close()
	if rest, _ := io.ReadAll(r); len(rest) != 0 {
		t.Errorf("more output: %q", rest)
	}
	if err := p.Wait(); err != nil {
		t.Fatal(err)
	}
}

// A program that kills the server fails (its end cannot be known); the
// next program gets a new server.
func TestServerDeath(t *testing.T) {
	p, _ := forked(t, context.Background(), "import os, signal, time\nos.kill(os.getppid(), signal.SIGKILL)\ntime.sleep(30)\n")
	start := time.Now()
	if err := p.Run(); !errors.Is(err, errServerGone) {
		t.Errorf("err = %v; want the server gone", err)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("took %v: the orphan was not killed", took)
	}
	p, cmd := forked(t, context.Background(), "print('again')\n")
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := p.Run(); err != nil || out.String() != "again\n" {
		t.Errorf("after the server died: %v %q", err, out.String())
	}
}

// Many programs at once each get their own input, output and status.
func TestConcurrent(t *testing.T) {
	src := "import sys\nn = int(sys.stdin.read())\nprint(n * n)\nsys.exit(n % 3)\n"
	var wg sync.WaitGroup
	for i := range 12 {
		p, cmd := forked(t, context.Background(), src)
		var out bytes.Buffer
		cmd.Stdin, cmd.Stdout = strings.NewReader(strconv.Itoa(i)), &out
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := p.Run()
			code := 0
			var ee *ExitError
			if errors.As(err, &ee) {
				code = ee.ExitCode()
			} else if err != nil {
				t.Error(err)
			}
			if out.String() != strconv.Itoa(i*i)+"\n" || code != i%3 {
				t.Errorf("program %d printed %q and exited %d", i, out.String(), code)
			}
		}()
	}
	wg.Wait()
}

// SECRETLINGS_PYFORK=off runs every program as a process of its own;
// a different startup environment gets a server of its own.
func TestWhenItForks(t *testing.T) {
	if !supported {
		t.Skip("no fork server on " + runtime.GOOS)
	}
	exe, env := python(t)
	mk := func(env []string, args ...string) Process {
		cmd := exec.Command(exe, args...)
		cmd.Env = env
		return Command(context.Background(), cmd)
	}
	if _, ok := mk(env, "-c", "pass").(*Cmd); !ok {
		t.Error("-c is not forked")
	}
	for _, args := range [][]string{{"-u", "x.py"}, {"-c"}, {"-m", "json.tool"}, {}} {
		if _, ok := mk(env, args...).(*Cmd); ok {
			t.Errorf("%q is forked", args)
		}
	}
	if _, ok := mk(nil, "-c", "pass").(*Cmd); ok {
		t.Error("a program with the caller's environment is forked")
	}
	a, _ := mk(env, "-c", "pass").(*Cmd)
	b, _ := mk(append(slices.Clone(env), "LANG=C.UTF-8"), "-c", "pass").(*Cmd)
	if a == nil || b == nil || a.server == b.server {
		t.Error("programs with different startup environments share a server")
	}
	t.Setenv(EnvVar, "off")
	if _, ok := mk(env, "-c", "pass").(*Cmd); ok {
		t.Errorf("forked with %s=off", EnvVar)
	}
}

// A server that stops answering (here: stopped) is given up on after
// forkTimeout: the program starts on a new one.
func TestStuckServer(t *testing.T) {
	p, cmd := forked(t, context.Background(), "print('on a new server')\n")
	defer func(d time.Duration) { forkTimeout = d }(forkTimeout)
	forkTimeout = 300 * time.Millisecond
	stuck := p.server
	if err := syscall.Kill(stuck.cmd.Process.Pid, syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := p.Run(); err != nil || out.String() != "on a new server\n" {
		t.Errorf("on a stuck server: %v %q", err, out.String())
	}
	if p.server == stuck || stuck.alive() {
		t.Error("the stuck server is still in use")
	}
}
