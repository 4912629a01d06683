package checker

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"secretlings/internal/pyenv"
	"secretlings/internal/testcheckout"
	"secretlings/mask"
)

// corpusCase is one solution in testdata/wrong, testdata/right or
// testdata/more (wrong when it has a check.txt): the files that replace
// the reference solution's, and for a wrong one the check it must fail
// (check.txt).
type corpusCase struct {
	exercise, name string
	files          map[string][]byte
	check          string // "" for a right solution
	// caught lists the mutants a catch-the-bugs test must catch, exactly
	// (caught.txt); nil when the case does not say.
	caught []string
	// lang is the solution's language, known from its files: Python when
	// it has a .py file.
	lang Lang
}

// loadCorpus reads testdata/<kind>/<exercise>/<case>/.
func loadCorpus(t *testing.T, kind string) []corpusCase {
	t.Helper()
	dirs, err := filepath.Glob(filepath.Join("testdata", kind, "*", "*"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []corpusCase
	for _, dir := range dirs {
		ex := filepath.Base(filepath.Dir(dir))
		if _, ok := Lookup(ex); !ok {
			t.Fatalf("%s: no exercise %q", dir, ex)
		}
		cc := corpusCase{exercise: ex, name: filepath.Base(dir), files: map[string][]byte{}}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			data, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			switch e.Name() {
			case "check.txt":
				cc.check = strings.TrimSpace(string(data))
				continue
			case "caught.txt":
				cc.caught = append([]string{}, strings.Fields(string(data))...)
				continue
			}
			cc.files[e.Name()] = data
			if strings.HasSuffix(e.Name(), ".py") {
				cc.lang = Python
			}
		}
		if kind == "wrong" && cc.check == "" {
			t.Fatalf("%s: a wrong solution names the check it must fail in check.txt", dir)
		}
		cases = append(cases, cc)
	}
	return cases
}

// corpusComplete turns on the corpus size check.
const corpusComplete = true

// corpusMinimum is how many solutions of each kind every exercise needs.
func corpusMinimum(kind string, ex *Exercise) int {
	switch {
	case kind == "right":
		return 2
	case ex.Kind == State:
		return 2
	default:
		return 4
	}
}

// Every wrong solution fails the check it names, with a hint; every
// right-but-different solution passes; on every backend.
func TestCorpus(t *testing.T) {
	gradesApart(t)
	t.Parallel()
	r := root(t)
	wrong, right := loadCorpus(t, "wrong"), loadCorpus(t, "right")
	checkCorpusSize(t, wrong, right)
	more := loadCorpus(t, "more")
	if os.Getenv("SECRETLINGS_CORPUS") == "all" {
		// More of the same classes (other encodings, other ways to miss
		// the README, other right ways: a case without check.txt), for
		// `make test-corpus`; make test keeps one of each class and
		// language.
		wrong = append(wrong, more...)
	} else {
		t.Logf("testdata/more (%d solutions of classes already covered) runs with SECRETLINGS_CORPUS=all (make test-corpus)", len(more))
	}
	py, pyErr := pyenv.Find("", os.Getenv)
	if pyErr != nil {
		t.Logf("the Python members of the corpus are SKIPPED: %v", pyErr)
	}
	forEachBackend(t, func(t *testing.T, b Backend) {
		moto := b.Emulator == nil
		for _, cc := range append(wrong, right...) {
			ex, _ := Lookup(cc.exercise)
			if moto && (cc.check != "" || ex.enforced || ex.tests || os.Getenv("SECRETLINGS_CORPUS") != "all") {
				// A wrong solution fails for what it does, whatever the
				// backend. The right ones run on moto in make
				// test-corpus (make test runs every reference solution
				// there, in TestSolutionsPassStubsFail), except those of
				// the access exercises: moto does not enforce policies,
				// and catch-the-bugs, which uses no backend.
				continue
			}
			// Gradings mostly wait (on links, on the programs' own
			// pauses), so a few run at once: gradeSlots bounds them.
			t.Run(cc.exercise+"/"+cc.name, func(t *testing.T) {
				t.Parallel()
				if cc.lang == Python && pyErr != nil {
					t.Skipf("the Python track is SKIPPED: %v", pyErr)
				}
				root := r
				if cc.check == checkCheckout {
					// It writes into the checkout: a copy of its own, so
					// that no grading running beside it (here, or in
					// another test process) finds the file in its own.
					root = testcheckout.Copy(t, r)
				}
				c := New(b, root)
				c.Source = Solution
				c.Lang, c.Py = cc.lang, py
				c.replace = cc.files
				t.Cleanup(func() { c.Close() })
				res := grade(t, c, ex, NewNamespace(ex.ID))
				assertShowsNoSecret(t, res)
				if cc.caught != nil {
					assertCaught(t, res, cc.lang, cc.caught)
				}
				if cc.check == "" {
					if !res.Passed {
						t.Errorf("a right solution fails:%s", describe(res))
					}
					return
				}
				assertFailedWithHint(t, res, cc.check)
				if cc.check == checkCheckout {
					assertLeftNoSecretInCheckout(t, root, res)
				}
				assertRemovedOutside(t, res)
			})
		}
	})
}

// checkCorpusSize wants enough wrong and right solutions for every exercise.
// It is switched on once the corpus is complete (see TestCorpus).
func checkCorpusSize(t *testing.T, wrong, right []corpusCase) {
	t.Helper()
	if !corpusComplete {
		return
	}
	for kind, cases := range map[string][]corpusCase{"wrong": wrong, "right": right} {
		n := map[string]int{}
		for _, cc := range cases {
			n[cc.exercise]++
		}
		for _, ex := range All() {
			if n[ex.ID] < corpusMinimum(kind, ex) {
				t.Errorf("%s has %d %s solutions in testdata/%s; want at least %d", ex.ID, n[ex.ID], kind, kind, corpusMinimum(kind, ex))
			}
		}
	}
}

// assertShowsNoSecret fails when anything the checker shows of a result
// (the JSON, the output, the hint) holds a protected value in any form the
// leak scanner knows, however the learner's program printed it.
func assertShowsNoSecret(t *testing.T, res *Result) {
	t.Helper()
	doc, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	shown := string(doc) + "\n" + res.Output + "\n" + res.NextHint + "\n" + describe(res)
	if leaks := mask.NewLeakScanner(res.secrets...).Scan([]byte(shown)); len(leaks) > 0 {
		t.Errorf("the checker shows a secret: %s", leaks[0])
	}
}

// assertLeftNoSecretInCheckout: a program that wrote a secret into the
// checkout fails, and the grading removed the file it made.
func assertLeftNoSecretInCheckout(t *testing.T, root string, res *Result) {
	t.Helper()
	for _, c := range res.Checks {
		if c.Name != checkCheckout || !strings.Contains(c.Reason, "(removed: it held a secret value)") {
			continue
		}
		for _, f := range []string{"config-manager-leak.out"} {
			if _, err := os.Stat(filepath.Join(root, f)); err == nil {
				t.Errorf("%s is still in the checkout: %s", f, c.Reason)
			}
		}
		return
	}
	t.Errorf("the grading did not remove the secret file it found in the checkout:%s", describe(res))
}

// assertRemovedOutside: a file outside the sandbox that a grading says it
// removed (one the program made in a temp dir, holding a secret) is gone.
func assertRemovedOutside(t *testing.T, res *Result) {
	t.Helper()
	removed := regexp.MustCompile(`(/[^\s(]+) \([^)]*\) \(removed: it held a secret value\)`)
	for _, c := range res.Checks {
		if c.Name != checkNoFileSecret {
			continue
		}
		for _, m := range removed.FindAllStringSubmatch(c.Reason, -1) {
			if _, err := os.Stat(m[1]); err == nil {
				t.Errorf("%s is still there: %s", m[1], c.Reason)
			}
		}
	}
}
