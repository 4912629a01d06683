package pyenv

import (
	"errors"
	"os"
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
