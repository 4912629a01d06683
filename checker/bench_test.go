package checker

import (
	"context"
	"testing"
)

// BenchmarkGradeAllSolutions grades every reference solution one after
// another on the embedded emulator, warm: the programs are built before the
// timer starts, as in an app that has graded once. The budget is
// 10 s for all seven.
func BenchmarkGradeAllSolutions(b *testing.B) {
	r, err := FindRoot(".")
	if err != nil {
		b.Fatal(err)
	}
	be, stop, err := StartEmbedded("us-east-1")
	if err != nil {
		b.Fatal(err)
	}
	defer stop()
	c := New(be, r)
	c.Source = Solution
	defer c.Close()
	ctx := context.Background()
	gradeAll := func() {
		for _, ex := range All() {
			res, err := c.Grade(ctx, ex, NewNamespace(ex.ID))
			if err != nil || !res.Passed {
				b.Fatalf("%s: %v %+v", ex.ID, err, res)
			}
		}
	}
	gradeAll() // build
	b.ResetTimer()
	for b.Loop() {
		gradeAll()
	}
}

// BenchmarkGradeCatchTheBugs grades catch-the-bugs' reference test: one
// build of the tests with the mutant schema (the SDK already compiled),
// the baseline run and the runs against ten mutants and two controls, one
// of which waits out the reference's two-second deadline.
func BenchmarkGradeCatchTheBugs(b *testing.B) {
	r, err := FindRoot(".")
	if err != nil {
		b.Fatal(err)
	}
	be, stop, err := StartEmbedded("us-east-1")
	if err != nil {
		b.Fatal(err)
	}
	defer stop()
	c := New(be, r)
	c.Source = Solution
	defer c.Close()
	ex, _ := Lookup("catch-the-bugs")
	ctx := context.Background()
	for b.Loop() {
		res, err := c.Grade(ctx, ex, NewNamespace(ex.ID))
		if err != nil || !res.Passed {
			b.Fatalf("%v %+v", err, res)
		}
	}
}

// BenchmarkGradePythonSolutions grades every Python reference solution one
// after another on the embedded emulator. Nothing is built; each program
// starts an interpreter and imports boto3 (from the bytecode cache the
// probe warmed). The budget is 15 s for all of them.
func BenchmarkGradePythonSolutions(b *testing.B) {
	py := pythonOrSkip(b)
	r, err := FindRoot(".")
	if err != nil {
		b.Fatal(err)
	}
	be, stop, err := StartEmbedded("us-east-1")
	if err != nil {
		b.Fatal(err)
	}
	defer stop()
	c := New(be, r)
	c.Source, c.Lang, c.Py = Solution, Python, py
	defer c.Close()
	ctx := context.Background()
	for b.Loop() {
		for _, ex := range pythonExercises() {
			res, err := c.Grade(ctx, ex, NewNamespace(ex.ID))
			if err != nil || !res.Passed {
				b.Fatalf("%s: %v %+v", ex.ID, err, res)
			}
		}
	}
}
