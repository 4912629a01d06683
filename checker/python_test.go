package checker

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"secretlings/internal/pyenv"
)

// pythonOrSkip returns the interpreter of the Python track, or skips the
// test saying why the Python track was skipped.
func pythonOrSkip(t testing.TB) *pyenv.Python {
	t.Helper()
	py, err := pyenv.Find("", os.Getenv)
	if err != nil {
		t.Skipf("the Python track is SKIPPED: %v", err)
	}
	return py
}

// pythonExercises are the code exercises with a Python version.
func pythonExercises() []*Exercise {
	var out []*Exercise
	for _, ex := range All() {
		if ex.Kind == Code && ex.Python != nil {
			out = append(out, ex)
		}
	}
	return out
}

// Every Python reference solution passes and every untouched Python stub
// fails, on every backend, with the same checks as in Go.
func TestPythonSolutionsPassStubsFail(t *testing.T) {
	gradesApart(t)
	t.Parallel()
	py := pythonOrSkip(t)
	r := root(t)
	forEachBackend(t, func(t *testing.T, b Backend) {
		sol, stub := New(b, r), New(b, r)
		sol.Source, stub.Source = Solution, Stub
		sol.Lang, stub.Lang = Python, Python
		sol.Py, stub.Py = py, py
		t.Cleanup(func() { sol.Close(); stub.Close() })
		for _, ex := range pythonExercises() {
			t.Run(ex.ID, func(t *testing.T) {
				solNS, stubNS := NewNamespace(ex.ID), NewNamespace(ex.ID) // their own: others grade ex at the same time
				res := grade(t, sol, ex, solNS)
				if !res.Passed {
					t.Errorf("the Python reference solution fails:%s", describe(res))
				}
				assertShowsNoSecret(t, res)
				res = grade(t, stub, ex, stubNS)
				if res.Passed {
					t.Errorf("the untouched Python stub passes:%s", describe(res))
				}
				assertNoSecretsLeft(t, b, solNS)
				assertNoSecretsLeft(t, b, stubNS)
			})
		}
	})
}

// Every Python version has its files embedded (stub, drivers, solution),
// a README section "## In Python" and hints-python.md with as many hints
// as hints.md, so a check's hint number means the same in both.
func TestPythonTexts(t *testing.T) {
	r := root(t)
	for _, ex := range pythonExercises() {
		files, provided := ex.FilesIn(Python)
		for _, f := range append(files, provided...) {
			orig, err := pristineFile(ex, f)
			if err != nil {
				t.Error(err)
				continue
			}
			// The checkout's copy is what a learner starts from and reset
			// restores: the two must not drift apart.
			if mine, err := os.ReadFile(filepath.Join(r, ex.Dir(), f)); err != nil || !bytes.Equal(mine, orig) {
				t.Errorf("%s: %s in the checkout differs from checker/pristine (%v)", ex.ID, f, err)
			}
		}
		if _, err := SolutionIn(ex, Python); err != nil {
			t.Error(err)
		}
		if text, _ := Instructions(r, ex); !strings.Contains(text, "\n## In Python\n") {
			t.Errorf("%s: README.md has no \"## In Python\" section", ex.ID)
		}
		goHints, _ := Hints(r, ex)
		pyHints, err := HintsIn(r, ex, Python)
		if err != nil || len(pyHints) != len(goHints) {
			t.Errorf("%s: %d Python hints, %d Go hints (%v)", ex.ID, len(pyHints), len(goHints), err)
		}
		if data, err := os.ReadFile(r + "/" + ex.Dir() + "/hints-python.md"); err != nil || strings.Contains(string(data), "os.Getenv") {
			t.Errorf("%s: hints-python.md missing or speaking Go (%v)", ex.ID, err)
		}
	}
}

// Every Go identifier a grader passes to say has a Python word.
func TestPythonNamesCovered(t *testing.T) {
	said := regexp.MustCompile(`r\.say\((` + "`[^`]*`" + `|"[^"]*"|[a-zA-Z]+)\)`)
	for _, f := range []string{"config_manager.go", "ttl_cache.go", "leaks.go", "rotation_handler_checks.go"} {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range said.FindAllStringSubmatch(string(src), -1) {
			key := strings.Trim(m[1], "`\"")
			switch key {
			case "checkNoRace":
				key = checkNoRace
			case "raceReason":
				key = raceReason
			}
			if _, ok := pythonNames[key]; !ok {
				t.Errorf("%s: r.say(%s) has no Python word in pythonNames", f, m[1])
			}
		}
	}
	r := &run{c: &Checker{Lang: Python}, ex: &Exercise{Kind: Code}}
	r.check("x", 1, "register it with AddKey from s.PendingValue, then os.Exit(1)")
	if got := r.res.Checks[0].Reason; strings.Contains(got, "AddKey") || strings.Contains(got, "os.Exit") || !strings.Contains(got, "demo_service.add_key") {
		t.Errorf("reason not in Python words: %q", got)
	}
}
