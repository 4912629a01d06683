package checker

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Each mutant's edits apply to config.go exactly once, make code that
// parses and differs from the correct code; IDs are unique and hints
// exist. (That each compiles and behaves differently is proved by the
// reference test catching each one: TestCatchTheBugsScores.)
func TestMutantsApplyOnceAndChangeTheCode(t *testing.T) {
	ex, _ := Lookup("catch-the-bugs")
	src, err := pristineFile(ex, catchFile)
	if err != nil {
		t.Fatal(err)
	}
	onDisk, err := os.ReadFile(filepath.Join(root(t), ex.Dir(), catchFile))
	if err != nil || string(onDisk) != string(src) {
		t.Fatalf("%s in the checkout differs from the checker's copy (%v)", catchFile, err)
	}
	hints, err := Hints(root(t), ex)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := newSchema(src, mutants); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	if len(mutants) < 8 {
		t.Errorf("%d mutants; the exercise promises at least eight", len(mutants))
	}
	for _, m := range mutants {
		if seen[m.ID] {
			t.Errorf("mutant id %s twice", m.ID)
		}
		seen[m.ID] = true
		code, err := m.apply(src)
		if err != nil {
			t.Error(err)
			continue
		}
		if string(code) == string(src) {
			t.Errorf("mutant %s changes nothing", m.ID)
		}
		if _, err := parser.ParseFile(token.NewFileSet(), catchFile, code, 0); err != nil {
			t.Errorf("mutant %s does not parse: %v", m.ID, err)
		}
		if first, last := m.lines(src); first == 0 || last < first {
			t.Errorf("mutant %s: lines %d-%d", m.ID, first, last)
		}
		if m.Hint < 1 || m.Hint > len(hints) {
			t.Errorf("mutant %s names hint %d of %d", m.ID, m.Hint, len(hints))
		}
	}
}

// The reference test passes and catches every mutant by a failing test
// (none by hanging), and the stub, which calls nothing, fails, catching
// none, and says its tests never run the changed code. The schema builds
// with the reference test, so each mutant compiles.
func TestCatchTheBugsScores(t *testing.T) {
	gradesApart(t)
	t.Parallel()
	ex, _ := Lookup("catch-the-bugs")
	b, stop, err := StartEmbedded("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	for source, want := range map[Source]string{Solution: "caught by Test", Stub: "survived: your tests never run"} {
		c := New(b, root(t))
		c.Source = source
		t.Cleanup(func() { c.Close() })
		res := grade(t, c, ex, NewNamespace(ex.ID))
		var ids []string
		if source == Solution {
			ids = mutantIDs()
		}
		if res.Passed != (source == Solution) {
			t.Errorf("source %d: passed = %t:%s", source, res.Passed, describe(res))
		}
		assertCaught(t, res, Go, ids)
		for _, m := range mutants {
			if c := checkNamed(res, catchesPrefix+m.Breaks); c == nil || !strings.HasPrefix(c.Reason, want) {
				t.Errorf("source %d, mutant %s: %+v, want a reason starting %q", source, m.ID, c, want)
			}
		}
	}
}

// assertCaught fails unless exactly the mutants ids (of the mutants in
// l) are caught.
func assertCaught(t *testing.T, res *Result, l Lang, ids []string) {
	t.Helper()
	var caught []string
	for _, m := range mutantsIn(l) {
		if c := checkNamed(res, catchesPrefix+m.Breaks); c != nil && c.Passed {
			caught = append(caught, m.ID)
		}
	}
	want := slices.Clone(ids)
	slices.Sort(want)
	slices.Sort(caught)
	if !slices.Equal(caught, want) {
		t.Errorf("caught %v, want %v:%s", caught, want, describe(res))
	}
}

func mutantIDs() []string {
	var ids []string
	for _, m := range mutants {
		ids = append(ids, m.ID)
	}
	return ids
}

func checkNamed(res *Result, name string) *Check {
	for i := range res.Checks {
		if res.Checks[i].Name == name {
			return &res.Checks[i]
		}
	}
	return nil
}

// A -test.v report: tests run are counted, and the deepest failing test is
// named first.
func TestParseTestReport(t *testing.T) {
	o := testOutcome{proc: proc{Stdout: `=== RUN   TestA
--- PASS: TestA (0.00s)
=== RUN   TestB
=== RUN   TestB/no-host
    config_test.go:12: want ErrInvalid
=== RUN   TestB/ok
--- FAIL: TestB (0.00s)
    --- FAIL: TestB/no-host (0.00s)
    --- PASS: TestB/ok (0.00s)
FAIL
`}}
	o.parse()
	if o.ran != 4 || len(o.failed) != 2 || o.failed[0] != "TestB/no-host" {
		t.Errorf("ran %d, failed %v", o.ran, o.failed)
	}
}

// Coverage: only blocks that ran count, by line overlap; no profile means
// everything counts as reached (a crash must not make a mutant "survive").
func TestCoverageReached(t *testing.T) {
	p := filepath.Join(t.TempDir(), "cover.out")
	profile := "mode: set\nsecretlings/x/config.go:10.2,12.3 2 1\nsecretlings/x/config.go:14.2,15.3 1 0\n"
	if err := os.WriteFile(p, []byte(profile), 0o600); err != nil {
		t.Fatal(err)
	}
	cov := readCoverage(p)
	for _, tc := range []struct {
		first, last int
		want        bool
	}{{11, 11, true}, {12, 14, true}, {14, 15, false}, {13, 13, false}, {1, 9, false}} {
		if got := cov.reached("config.go", tc.first, tc.last); got != tc.want {
			t.Errorf("lines %d-%d reached = %t, want %t", tc.first, tc.last, got, tc.want)
		}
	}
	if !readCoverage(filepath.Join(t.TempDir(), "none")).reached("config.go", 1, 1) {
		t.Error("no profile: a line counts as not reached")
	}
}

// selectIn encodes the value in fresh bytes where the marker stood, and
// a write it cannot make is an error (a full disk is the checker's
// problem, not a failed test), as is a marker found twice.
func TestSchemaSelectIn(t *testing.T) {
	ex, _ := Lookup("catch-the-bugs")
	src, _ := pristineFile(ex, catchFile)
	sch, err := newSchema(src, mutants)
	if err != nil {
		t.Fatal(err)
	}
	bin := append(append([]byte("head"), sch.marker...), "tail"...)
	dst := filepath.Join(t.TempDir(), "tests")
	if err := sch.selectIn(bin, dst, 7); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(dst)
	sel := got[4 : 4+markerSize]
	if int(sel[sch.a]^sel[sch.b]) != 7 || string(sel) == string(sch.marker) {
		t.Errorf("selector bytes encode %d (marker kept: %t), want 7", sel[sch.a]^sel[sch.b], string(sel) == string(sch.marker))
	}
	if err := sch.selectIn(bin, filepath.Join(dst, "not-a-dir", "tests"), 1); err == nil {
		t.Error("a write that cannot be made is not an error")
	}
	if err := sch.selectIn(append(bin, sch.marker...), dst, 1); err == nil {
		t.Error("a marker found twice is not an error")
	}
}

// A learner who edited config.go in the checkout (the README says not to)
// is graded against the checker's copy all the same: the baseline is then
// built without coverage, which go's cover step would read from disk, and
// every mutant is tried, so the reference still catches all ten, each by
// running.
func TestCatchTheBugsWithConfigEditedOnDisk(t *testing.T) {
	gradesApart(t)
	t.Parallel()
	ex, _ := Lookup("catch-the-bugs")
	b, stop, err := StartEmbedded("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	c := New(b, root(t))
	c.Source, c.editedOnDisk = Solution, true
	t.Cleanup(func() { c.Close() })
	res := grade(t, c, ex, NewNamespace(ex.ID))
	if !res.Passed {
		t.Fatalf("the reference fails:%s", describe(res))
	}
	assertCaught(t, res, Go, mutantIDs())
}

// Python's mutants keep the code's shape, so only running them tells them
// apart: each edit replaces part of one line, once, and the line count
// stays, so every line number, name and docstring is the same.
func TestPyMutantsKeepTheirShape(t *testing.T) {
	ex, _ := Lookup("catch-the-bugs")
	src, err := pristineFile(ex, pyCatchFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(pyMutants) != len(mutants) {
		t.Fatalf("%d Python mutants, %d Go ones", len(pyMutants), len(mutants))
	}
	for i, m := range pyMutants {
		if m.ID != mutants[i].ID || m.Hint != mutants[i].Hint {
			t.Errorf("Python mutant %d is %s (hint %d), Go's %s (hint %d)", i, m.ID, m.Hint, mutants[i].ID, mutants[i].Hint)
		}
		code, err := m.apply(src)
		if err != nil {
			t.Error(err)
			continue
		}
		for _, e := range m.Edits {
			if strings.Contains(e.Old, "\n") || strings.Contains(e.New, "\n") || strings.Contains(e.Old, `"""`) {
				t.Errorf("mutant %s edits more than one line, or a docstring", m.ID)
			}
		}
		if a, b := strings.Count(string(src), "\n"), strings.Count(string(code), "\n"); a != b || string(code) == string(src) {
			t.Errorf("mutant %s: %d lines, the code %d (or it changes nothing)", m.ID, b, a)
		}
	}
}
