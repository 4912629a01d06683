package pyenv

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A missing interpreter is one paragraph that says how to get one, from
// whichever place named it.
func TestFindMissing(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == EnvVar {
				return v
			}
			return ""
		}
	}
	_, err := Find(filepath.Join(t.TempDir(), "no-python"), env(""))
	if !errors.Is(err, ErrMissing) || !strings.Contains(err.Error(), "--python") {
		t.Errorf("flag: %v", err)
	}
	_, err = Find("", env(filepath.Join(t.TempDir(), "nope")))
	if !errors.Is(err, ErrMissing) || !strings.Contains(err.Error(), EnvVar) {
		t.Errorf("env: %v", err)
	}
	t.Setenv("PATH", t.TempDir())
	_, err = Find("", env(""))
	if !errors.Is(err, ErrMissing) || !strings.Contains(err.Error(), "pip install --user boto3") || strings.Contains(err.Error(), "\n") {
		t.Errorf("PATH: %v", err)
	}
}

// A program that is not Python, and a Python without boto3, are told
// apart, without a traceback.
func TestFindNotPythonOrNoBoto3(t *testing.T) {
	dir := t.TempDir()
	fake := filepath.Join(dir, "python3")
	if err := os.WriteFile(fake, []byte("#!/bin/sh\necho 'Traceback (most recent call last):' >&2; exit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := Find(fake, os.Getenv)
	if !errors.Is(err, ErrMissing) || strings.Contains(err.Error(), "\n") {
		t.Errorf("fake: %v", err)
	}
	real, err := Find("", os.Getenv)
	if err != nil {
		t.Skipf("no Python with boto3 here: %v", err)
	}
	// The same interpreter with its packages hidden has no boto3.
	wrapper := filepath.Join(dir, "bare")
	script := "#!/bin/sh\nPYTHONNOUSERSITE=1 PYTHONPATH= exec " + real.Exe + " -S \"$@\"\n"
	if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err = Find(wrapper, os.Getenv)
	if err == nil || !strings.Contains(err.Error(), "cannot import it") || strings.Contains(err.Error(), "Traceback") {
		t.Errorf("bare: %v", err)
	}
}

// A ready interpreter is probed once and knows where boto3 lives.
func TestFindReady(t *testing.T) {
	py, err := Find("", os.Getenv)
	if err != nil {
		t.Skipf("the Python track is skipped: %v", err)
	}
	again, _ := Find("", os.Getenv)
	if again != py {
		t.Error("probed twice")
	}
	if py.Boto3 == "" || len(py.Site) == 0 || !filepath.IsAbs(py.Exe) {
		t.Errorf("%+v", py)
	}
	if line, ok := Status("", os.Getenv); !ok || !strings.HasPrefix(line, "Python track: ready") {
		t.Errorf("status %q", line)
	}
}

// A missing interpreter named by the flag or the variable is said in
// words, with where it came from; one that is not Python too.
func TestFindNamesTheSource(t *testing.T) {
	none := func(string) string { return "" }
	_, err := Find("/nonexistent", none)
	if err == nil || !strings.Contains(err.Error(), "cannot run /nonexistent (from --python): there is no such file") || strings.Contains(err.Error(), "stat ") {
		t.Errorf("flag: %v", err)
	}
	env := func(k string) string {
		if k == EnvVar {
			return "/bin/false"
		}
		return ""
	}
	_, err = Find("", env)
	if err == nil || !strings.Contains(err.Error(), "(from "+EnvVar+")") {
		t.Errorf("env: %v", err)
	}
}

// The advice to install boto3 fits the interpreter found: pip into a
// virtual environment, a new one for a system Python that refuses pip
// (PEP 668), pip --user otherwise; always that interpreter, by its path.
func TestInstallAdvice(t *testing.T) {
	const exe = "/opt/py/bin/python3.12"
	for _, tc := range []struct {
		name      string
		facts     probeFacts
		want, not []string
	}{
		{"venv", probeFacts{Venv: true, Pip: true}, []string{"`" + exe + " -m pip install boto3`"}, []string{"--user", "python3 -m pip"}},
		{"venv without pip", probeFacts{Venv: true}, []string{exe + " -m ensurepip", "uv pip install --python " + exe}, []string{"--user"}},
		{"externally managed", probeFacts{Managed: true, Pip: true}, []string{"PEP 668", "`" + exe + " -m venv ~/.venvs/secretlings", "export SECRETLINGS_PYTHON=~/.venvs/secretlings/bin/python", "python3-venv", "uv venv"}, []string{"--user", "--break-system-packages"}},
		{"user site", probeFacts{Pip: true}, []string{"`" + exe + " -m pip install --user boto3`", "uv venv"}, nil},
		{"no pip", probeFacts{}, []string{exe + " -m ensurepip --user"}, nil},
	} {
		got := installAdvice(exe, tc.facts)
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q lacks %q", tc.name, got, w)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(got, n) {
				t.Errorf("%s: %q says %q", tc.name, got, n)
			}
		}
	}
	if got := installAdvice("/my pythons/python3", probeFacts{Venv: true, Pip: true}); !strings.Contains(got, "`'/my pythons/python3' -m pip install boto3`") {
		t.Errorf("a path with a space is not quoted: %q", got)
	}
}

// A real virtual environment without boto3 (and without pip) is told
// how to install it there, by its own path.
func TestFindVirtualEnvironment(t *testing.T) {
	base, err := Find("", os.Getenv)
	if err != nil {
		t.Skipf("the Python track is SKIPPED: %v", err)
	}
	dir := filepath.Join(t.TempDir(), "venv")
	if out, err := exec.Command(base.Exe, "-m", "venv", "--without-pip", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot make a virtual environment: %v: %s", err, out)
	}
	exe := filepath.Join(dir, "bin", "python")
	_, err = Find(exe, func(string) string { return "" })
	if err == nil || !strings.Contains(err.Error(), "virtual environment has no pip") || !strings.Contains(err.Error(), exe+" -m ensurepip") || !strings.Contains(err.Error(), "(from --python)") {
		t.Errorf("%v", err)
	}
}
