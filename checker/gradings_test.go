package checker

import (
	"os"
	"regexp"
	"slices"
	"testing"
)

// gradingTests grade whole programs: the corpus and the reference
// solutions. make test runs them in a process of their own without -race,
// beside the race run of everything else: the programs they grade are not
// raced (only ttl-cache's driver is, by its own -race build), and under
// the detector the checker's emulator and proxy cost twice the CPU. The
// checker's own concurrency is raced by every other test here.
var gradingTests = []string{
	"TestCorpus",
	"TestSolutionsPassStubsFail",
	"TestPythonSolutionsPassStubsFail",
	"TestCatchTheBugsScores",
	"TestCatchTheBugsWithConfigEditedOnDisk",
}

// gradingsApartEnv, set to "skip" by make test's race run, skips the
// grading tests there.
const gradingsApartEnv = "SECRETLINGS_CORPUS_RACE"

// gradesApart marks t as a grading test: skipped in make test's race run,
// which runs it in a process of its own.
func gradesApart(t *testing.T) {
	t.Helper()
	if !slices.Contains(gradingTests, t.Name()) {
		t.Fatalf("%s is not in gradingTests: add it there, or make test's second process will not run it", t.Name())
	}
	if raceEnabled && os.Getenv(gradingsApartEnv) == "skip" {
		t.Skip("make test runs the gradings without -race, in parallel with this run")
	}
}

// The Makefile's run of the gradings names every grading test, and
// nothing else.
func TestMakefileRunsTheGradings(t *testing.T) {
	mk, err := os.ReadFile("../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`-run '\^\(([A-Za-z|]+)\)\$\$' \./checker/`).FindSubmatch(mk)
	if m == nil {
		t.Fatal("the Makefile's test target has no -run '^(A|B)$$' ./checker/ run of the gradings")
	}
	if got := regexp.MustCompile(`\|`).Split(string(m[1]), -1); !slices.Equal(got, gradingTests) {
		t.Errorf("the Makefile runs %v apart; gradingTests are %v", got, gradingTests)
	}
}
