// Package pyenv finds the Python interpreter that runs the Python track's
// exercises, and says in one paragraph what is missing when there is none.
//
// The interpreter is the first of: an explicit path (the --python flag),
// $SECRETLINGS_PYTHON, python3 on PATH. It must be Python 3.9 or newer and
// import boto3. Each interpreter is probed once per process: the probe runs
// it with the user's own environment, so it learns the directories its
// packages come from (a user site, a venv, PYTHONPATH), which a sandboxed
// run, with its own HOME and no user variables, would not find by itself.
package pyenv

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// EnvVar names the interpreter when no flag does.
const EnvVar = "SECRETLINGS_PYTHON"

// MinMinor is the oldest Python 3 minor version the track supports:
// 3.9 is the oldest boto3 still supports.
const MinMinor = 9

// Python is an interpreter ready for the Python track.
type Python struct {
	// Exe is the interpreter itself (sys.executable), not a shim in
	// front of it: a pyenv shim is a shell script that needs PATH and
	// would start a second process.
	Exe     string
	Version string // e.g. "3.11.7"
	Boto3   string // boto3's version
	// Site lists the directories on the interpreter's sys.path besides
	// the standard library: what PYTHONPATH must hold for a run whose
	// HOME and environment are not the user's to import boto3.
	Site []string
	// Cache is where the compiled bytecode of boto3 and botocore is kept
	// (PYTHONPYCACHEPREFIX), so a run does not compile them again: that
	// halves the start of every program.
	Cache string
}

// Env is the part of a run's environment that makes the interpreter
// work in a sandbox: its packages, the bytecode cache (read only: nothing
// is written, neither beside the learner's files nor there), unbuffered
// UTF-8 output.
func (p *Python) Env() map[string]string {
	env := map[string]string{
		"PYTHONDONTWRITEBYTECODE": "1",
		"PYTHONUNBUFFERED":        "1",
		"PYTHONUTF8":              "1",
		"PYTHONNOUSERSITE":        "1", // the sandbox's HOME has none; Site has the user's
	}
	if len(p.Site) > 0 {
		env["PYTHONPATH"] = strings.Join(p.Site, string(os.PathListSeparator))
	}
	if p.Cache != "" {
		env["PYTHONPYCACHEPREFIX"] = p.Cache
	}
	return env
}

// Error is why the Python track cannot run, with how to fix it.
type Error struct {
	Exe string // the interpreter tried, when one was found
	Msg string // one paragraph: what is missing and how to fix it
}

func (e *Error) Error() string { return e.Msg }

// ErrMissing is matched by every error Find returns (errors.Is).
var ErrMissing = errors.New("the Python track is not ready")

func (e *Error) Is(target error) bool { return target == ErrMissing }

const fixBoto3 = "install it with `python3 -m pip install --user boto3` (or `uv pip install boto3`), or make a virtual environment (`python3 -m venv .venv && .venv/bin/pip install boto3`) and set SECRETLINGS_PYTHON=.venv/bin/python"

var (
	mu     sync.Mutex
	probed = map[string]probeResult{}
)

type probeResult struct {
	py  *Python
	err error
}

// Find returns the interpreter for the Python track: flag when not
// empty, else $SECRETLINGS_PYTHON (from getenv), else python3 on PATH.
// The probe of each interpreter runs once per process.
func Find(flag string, getenv func(string) string) (*Python, error) {
	name, from := flag, "--python"
	if name == "" {
		name, from = getenv(EnvVar), EnvVar
	}
	if name == "" {
		name, from = "python3", "PATH"
	}
	exe, err := exec.LookPath(name)
	if err != nil {
		if from == "PATH" {
			return nil, &Error{Msg: "The Python track needs Python 3.9 or newer with boto3, and there is no python3 on PATH: install Python 3 (https://www.python.org/downloads/ or your package manager), then boto3: " + fixBoto3 + "; or pass --python PATH."}
		}
		return nil, &Error{Msg: fmt.Sprintf("The Python track cannot run %q (from %s): %v. Point %s at a Python 3.9+ interpreter that has boto3, e.g. SECRETLINGS_PYTHON=.venv/bin/python.", name, from, errors.Unwrap(err), from)}
	}
	if abs, err := filepath.Abs(exe); err == nil {
		exe = abs
	}
	mu.Lock()
	defer mu.Unlock()
	if r, ok := probed[exe]; ok {
		return r.py, r.err
	}
	py, err := probe(exe)
	probed[exe] = probeResult{py, err}
	return py, err
}

// probeScript reports the interpreter's facts as JSON, in syntax that
// even an old Python parses, so a too-old one is reported, not a
// SyntaxError. Creating a client (not only importing boto3) loads and
// so compiles, into the bytecode cache, what every run loads.
const probeScript = `
import sys, os, json
out = {"version": "%d.%d.%d" % tuple(sys.version_info[:3]), "minor": sys.version_info[1], "major": sys.version_info[0], "exe": sys.executable}
try:
    import sysconfig
    std = set(os.path.realpath(sysconfig.get_paths()[k]) for k in ("stdlib", "platstdlib"))
except Exception:
    std = set()
site = []
for p in sys.path:
    if not p or not os.path.isdir(p) or os.path.realpath(p) == os.path.realpath(os.getcwd()):
        continue
    r = os.path.realpath(p)
    if r in std or r.endswith("lib-dynload") or p in site:
        continue
    site.append(p)
out["site"] = site
try:
    import boto3
    out["boto3"] = boto3.__version__
    boto3.client("secretsmanager", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
except Exception as e:
    out["boto3_error"] = "%s: %s" % (type(e).__name__, e)
sys.stdout.write(json.dumps(out))
`

// probe runs exe once with the user's environment (so it finds what the
// user installed), from an empty directory.
func probe(exe string) (*Python, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	dir, err := os.MkdirTemp("", "secretlings-pyprobe-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	cache := CacheDir()
	cmd := exec.CommandContext(ctx, exe, "-c", probeScript)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PYTHONPYCACHEPREFIX="+cache, "PYTHONDONTWRITEBYTECODE=")
	out, err := cmd.Output()
	var facts struct {
		Version    string   `json:"version"`
		Major      int      `json:"major"`
		Minor      int      `json:"minor"`
		Exe        string   `json:"exe"`
		Site       []string `json:"site"`
		Boto3      string   `json:"boto3"`
		Boto3Error string   `json:"boto3_error"`
	}
	if err != nil || json.Unmarshal(out, &facts) != nil {
		return nil, &Error{Exe: exe, Msg: fmt.Sprintf("The Python track cannot use %s: it did not run as a Python 3 interpreter (%s). Install Python 3.9 or newer with boto3, or point --python or SECRETLINGS_PYTHON at one.", exe, runError(err))}
	}
	if facts.Major != 3 || facts.Minor < MinMinor {
		return nil, &Error{Exe: exe, Msg: fmt.Sprintf("The Python track needs Python 3.%d or newer, and %s is Python %s: install a newer Python (https://www.python.org/downloads/, or `uv python install 3.12`) and point --python or SECRETLINGS_PYTHON at it.", MinMinor, exe, facts.Version)}
	}
	if facts.Boto3 == "" {
		why := ""
		if facts.Boto3Error != "" && !strings.HasPrefix(facts.Boto3Error, "ModuleNotFoundError") {
			why = " (" + firstLine(facts.Boto3Error) + ")"
		}
		return nil, &Error{Exe: exe, Msg: fmt.Sprintf("The Python track needs boto3, and %s (Python %s) cannot import it%s: %s.", exe, facts.Version, why, fixBoto3)}
	}
	py := &Python{Exe: exe, Version: facts.Version, Boto3: facts.Boto3, Site: facts.Site, Cache: cache}
	if facts.Exe != "" {
		py.Exe = facts.Exe
	}
	return py, nil
}

func runError(err error) string {
	var exit *exec.ExitError
	if errors.As(err, &exit) && len(exit.Stderr) > 0 {
		return firstLine(lastLine(string(exit.Stderr)))
	}
	if err != nil {
		return err.Error()
	}
	return "its answer was not understood"
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	if len(line) > 200 {
		line = line[:200] + "…"
	}
	return line
}

// CacheDir is where compiled bytecode of the interpreter's packages goes:
// the user's cache directory, so it outlives one command, else the temp
// directory.
func CacheDir() string {
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "secretlings", "pycache")
	}
	return filepath.Join(os.TempDir(), "secretlings-pycache")
}

// Status is one line saying whether the Python track is ready, for make
// setup and the test preamble.
func Status(flag string, getenv func(string) string) (string, bool) {
	py, err := Find(flag, getenv)
	if err != nil {
		return "Python track: NOT ready. " + err.Error(), false
	}
	return fmt.Sprintf("Python track: ready (%s, Python %s, boto3 %s)", py.Exe, py.Version, py.Boto3), true
}
