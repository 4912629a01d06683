package checker

import (
	"context"
	"testing"
)

// solutionChecker is a Checker of the reference solutions on an embedded
// emulator of the benchmark's own.
func solutionChecker(b *testing.B) *Checker {
	b.Helper()
	r, err := FindRoot(".")
	if err != nil {
		b.Fatal(err)
	}
	be, stop, err := StartEmbedded("us-east-1")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(stop)
	c := New(be, r)
	c.Source = Solution
	b.Cleanup(func() { c.Close() })
	return c
}

// gradeAll grades exs with c, failing the benchmark on any that fails.
func gradeAll(b *testing.B, c *Checker, exs []*Exercise) {
	b.Helper()
	for _, ex := range exs {
		res, err := c.Grade(context.Background(), ex, NewNamespace(ex.ID))
		if err != nil || !res.Passed {
			b.Fatalf("%s: %v %+v", ex.ID, err, res)
		}
	}
}

// BenchmarkGradeAllSolutions grades every Go reference solution one after
// another on the embedded emulator, warm: the programs are built before the
// timer starts, as in an app that has graded once. The first issue's
// budget was 10 s for the first seven.
func BenchmarkGradeAllSolutions(b *testing.B) {
	c := solutionChecker(b)
	gradeAll(b, c, All()) // build
	b.ResetTimer()
	for b.Loop() {
		gradeAll(b, c, All())
	}
}

// BenchmarkGradeCatchTheBugs grades catch-the-bugs' reference test: its
// baseline (built once, with coverage), one build of the tests with the
// mutant schema (the SDK already compiled), and the runs against ten
// mutants and two controls, one of which waits out the reference's
// two-second deadline.
func BenchmarkGradeCatchTheBugs(b *testing.B) {
	c := solutionChecker(b)
	ex, _ := Lookup("catch-the-bugs")
	for b.Loop() {
		gradeAll(b, c, []*Exercise{ex})
	}
}

// BenchmarkGradePythonSolutions grades every Python reference solution one
// after another on the embedded emulator. Nothing is built; each program
// starts an interpreter and imports boto3 (from the bytecode cache the
// probe warmed). The budget is 15 s for all of them.
func BenchmarkGradePythonSolutions(b *testing.B) {
	py := pythonOrSkip(b)
	c := solutionChecker(b)
	c.Lang, c.Py = Python, py
	for b.Loop() {
		gradeAll(b, c, pythonExercises())
	}
}
