package checker

import (
	"os"
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
				res := grade(t, sol, ex, NewNamespace(ex.ID))
				if !res.Passed {
					t.Errorf("the Python reference solution fails:%s", describe(res))
				}
				assertShowsNoSecret(t, res)
				res = grade(t, stub, ex, NewNamespace(ex.ID))
				if res.Passed {
					t.Errorf("the untouched Python stub passes:%s", describe(res))
				}
				assertNoSecretsLeft(t, b, "secretlings/ex/"+ex.ID+"/")
			})
		}
	})
}
