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
	"io/fs"
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

// venvRecipe makes a virtual environment for the Python track with python
// (a shell word), installs boto3 in it and points secretlings at it.
func venvRecipe(python string) string {
	return "`" + python + " -m venv ~/.venvs/secretlings && ~/.venvs/secretlings/bin/python -m pip install boto3`, then `export " + EnvVar + "=~/.venvs/secretlings/bin/python`"
}

// uvRecipe does the same with uv, which needs neither pip nor venv.
const uvRecipe = "`uv venv ~/.venvs/secretlings && uv pip install --python ~/.venvs/secretlings boto3`, then `export " + EnvVar + "=~/.venvs/secretlings/bin/python`"

// noPython is how to get a Python with boto3 when there is none at all.
const noPython = "install Python 3 (https://www.python.org/downloads/ or your package manager), then boto3 in a virtual environment: " +
	"`python3 -m venv ~/.venvs/secretlings && ~/.venvs/secretlings/bin/python -m pip install boto3`, then `export " + EnvVar + "=~/.venvs/secretlings/bin/python`" +
	" (or `python3 -m pip install --user boto3` where pip may install for your user); with uv: " + uvRecipe

// installAdvice says how to give exe boto3, for the kind of interpreter
// it is: inside a virtual environment pip installs into it (--user is
// refused there); an externally managed one (PEP 668, Debian's and
// Ubuntu's system Python) refuses pip, so a virtual environment or the
// distribution's package; otherwise pip --user. Without pip, ensurepip
// or uv.
func installAdvice(exe string, f probeFacts) string {
	py := shellWord(exe)
	switch {
	case f.Venv && f.Pip:
		return "install it into that virtual environment with `" + py + " -m pip install boto3` (or `uv pip install --python " + py + " boto3`)"
	case f.Venv:
		return "that virtual environment has no pip: `" + py + " -m ensurepip && " + py + " -m pip install boto3`, or `uv pip install --python " + py + " boto3`"
	case f.Managed:
		return py + " is managed by your system (PEP 668: pip will not install into it), so make a virtual environment for secretlings: " + venvRecipe(py) +
			" (on Debian and Ubuntu, `sudo apt install python3-venv` first); or install your distribution's package (Debian, Ubuntu: `sudo apt install python3-boto3`); or with uv: " + uvRecipe
	case f.Pip:
		return "install it with `" + py + " -m pip install --user boto3`, or in a virtual environment: " + venvRecipe(py) + "; or with uv: " + uvRecipe
	}
	return py + " has no pip: `" + py + " -m ensurepip --user && " + py + " -m pip install --user boto3`, or a virtual environment: " + venvRecipe(py) + "; or with uv: " + uvRecipe
}

// shellWord quotes s for a POSIX shell when it needs it.
func shellWord(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t'\"$`\\*?[]{}()<>|&;!#~") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

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
// The probe of each interpreter runs once per process. An error names
// where the interpreter came from, and says how to fix what it lacks for
// that interpreter.
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
			return nil, &Error{Msg: "The Python track needs Python 3.9 or newer with boto3, and there is no python3 on PATH: " + noPython + "; or pass --python PATH."}
		}
		why := "it is not a program that can run"
		switch {
		case errors.Is(err, fs.ErrNotExist):
			why = "there is no such file"
		case errors.Is(err, exec.ErrNotFound) && !strings.ContainsRune(name, filepath.Separator):
			why = "there is no such program on PATH"
		case errors.Is(err, fs.ErrPermission), errors.Is(err, exec.ErrNotFound):
			why = "it is not executable"
		}
		return nil, &Error{Msg: fmt.Sprintf("The Python track cannot run %s (from %s): %s. Point %s at a Python 3.9+ interpreter that has boto3, e.g. %s=~/.venvs/secretlings/bin/python (see the README, \"In Python\").", name, from, why, from, EnvVar)}
	}
	if abs, err := filepath.Abs(exe); err == nil {
		exe = abs
	}
	shown := exe
	if from != "PATH" {
		shown += " (from " + from + ")"
	}
	mu.Lock()
	defer mu.Unlock()
	key := exe + "\x00" + shown
	if r, ok := probed[key]; ok {
		return r.py, r.err
	}
	py, err := probe(exe, shown)
	probed[key] = probeResult{py, err}
	return py, err
}

// probeFacts are what the probe reports.
type probeFacts struct {
	Version    string   `json:"version"`
	Major      int      `json:"major"`
	Minor      int      `json:"minor"`
	Exe        string   `json:"exe"`
	Site       []string `json:"site"`
	Boto3      string   `json:"boto3"`
	Boto3Error string   `json:"boto3_error"`
	Venv       bool     `json:"venv"`    // inside a virtual environment
	Managed    bool     `json:"managed"` // externally managed (PEP 668)
	Pip        bool     `json:"pip"`     // pip is importable
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
out["venv"] = sys.prefix != getattr(sys, "base_prefix", sys.prefix)
try:
    out["managed"] = os.path.exists(os.path.join(sysconfig.get_paths()["stdlib"], "EXTERNALLY-MANAGED"))
except Exception:
    out["managed"] = False
try:
    import importlib.util
    out["pip"] = importlib.util.find_spec("pip") is not None
except Exception:
    out["pip"] = False
try:
    import boto3
    out["boto3"] = boto3.__version__
    boto3.client("secretsmanager", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
except Exception as e:
    out["boto3_error"] = "%s: %s" % (type(e).__name__, e)
sys.stdout.write(json.dumps(out))
`

// probe runs exe once with the user's environment (so it finds what the
// user installed), from an empty directory; shown names it in messages.
func probe(exe, shown string) (*Python, error) {
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
	var facts probeFacts
	if err != nil || json.Unmarshal(out, &facts) != nil {
		return nil, &Error{Exe: exe, Msg: fmt.Sprintf("The Python track cannot use %s: it did not run as a Python 3 interpreter (%s). Install Python 3.9 or newer with boto3, or point --python or %s at one.", shown, runError(err), EnvVar)}
	}
	if facts.Major != 3 || facts.Minor < MinMinor {
		return nil, &Error{Exe: exe, Msg: fmt.Sprintf("The Python track needs Python 3.%d or newer, and %s is Python %s: install a newer Python (https://www.python.org/downloads/, or `uv python install 3.12`) and point --python or %s at it.", MinMinor, shown, facts.Version, EnvVar)}
	}
	if facts.Boto3 == "" {
		why := ""
		if facts.Boto3Error != "" && !strings.HasPrefix(facts.Boto3Error, "ModuleNotFoundError") {
			why = " (" + firstLine(facts.Boto3Error) + ")"
		}
		return nil, &Error{Exe: exe, Msg: fmt.Sprintf("The Python track needs boto3, and %s (Python %s) cannot import it%s: %s.", shown, facts.Version, why, installAdvice(exe, facts))}
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
