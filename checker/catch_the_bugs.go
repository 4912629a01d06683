package checker

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	mathrand "math/rand/v2"
)

// catch-the-bugs grades a test, not a program: the learner writes
// config_test.go for the provided, correct config.go, and the checker runs
// it against that code and against each mutant (mutants.go). A test is as
// good as the bugs it catches.
//
// How a test could fool it, and why it cannot:
//   - fail always: it must pass against the correct code first;
//   - pass once, then fail (it remembers, in a file or on the endpoint):
//     every run has a fresh sandbox and a fresh Secrets Manager, and the
//     correct code is run again, as "controls", at random places among
//     the mutants; a test that fails a control proves nothing;
//   - tell the mutants from the controls by their binary or their
//     environment: those runs are all the same binary (built once, with a
//     mutant schema: schema.go) but for random bytes of data, in the same
//     environment; a test that tells the baseline's binary from theirs
//     fails the controls;
//   - read the code under test: it runs where no source is.

// controls is how many more times the correct code runs, among the
// mutants, after the first run (the baseline, built on its own with
// coverage). The mutants and the controls run one binary, built once with
// the mutant schema.
const controls = 2

// catchFile is the code under test, in the exercise's folder.
const catchFile = "config.go"

// coverFlags build the tests with coverage: the baseline's says which
// mutants a test could catch at all; one whose changed lines never run
// survives untried.
var coverFlags = []string{"-cover", "-covermode=set"}

// testLimit is how long the learner's tests may take against the correct
// code; mutantLimit bounds a run against a mutant (one that hangs counts
// as caught, once it has been stopped).
const testLimit = 30 * time.Second

func mutantLimit(base time.Duration) time.Duration {
	return min(max(3*time.Second, 3*base+2*time.Second), testLimit)
}

// The checks of catch-the-bugs, by name.
const (
	checkRunsTests   = "runs at least one test"
	checkPassesRight = "passes against the correct LoadDBConfig"
	checkFast        = "finishes in under 30 s"
	checkNoRealAWS   = "never calls real AWS"
	checkLeavesNone  = "leaves no secret behind"
	checkDeterminism = "passes against the correct code every time"
	checkCatchesAll  = "catches every broken copy of LoadDBConfig"
	catchesPrefix    = "catches: "
	hintStart        = 1
	hintCleanUp      = 6
)

func gradeCatchTheBugs(ctx context.Context, r *run) {
	base, err := r.runTests(ctx, r.bin, &r.box, testLimit, r.covered)
	if err != nil {
		r.fatal = err
		return
	}
	mutantChecks := func(why string, hint int) { r.skipMutants(why, hint, checkDeterminism, checkCatchesAll) }
	if !r.check(checkRunsTests, hintStart, failIf(base.ran == 0 && base.Code == 0, "config_test.go has no Test function that runs: write func TestSomething(t *testing.T) and call LoadDBConfig in it")) {
		r.skip("no test ran", hintStart, checkPassesRight, checkFast, checkNoRealAWS, checkLeavesNone)
		mutantChecks("no test ran", hintStart)
		return
	}
	passed := r.check(checkPassesRight, hintStart, failIf(base.Code != 0, base.failure(r, "against the correct code")))
	fast := r.check(checkFast, 5, failIf(base.TimedOut || base.elapsed > testLimit, fmt.Sprintf("it was stopped after %s: give each call a context with a deadline, and keep sleeps out", testLimit)))
	local := r.check(checkNoRealAWS, hintStart, failIf(len(base.awsHosts) > 0, fmt.Sprintf("it tried to reach %s: a test of this code needs no AWS account; use the in-process emulator or the endpoint in AWS_ENDPOINT_URL", strings.Join(base.awsHosts, ", "))))
	clean := r.check(checkLeavesNone, hintCleanUp, base.leftReason())
	switch {
	case !passed:
		mutantChecks("the test fails against the correct code, so a failure against a broken copy proves nothing", hintStart)
	case !fast || !local || !clean:
		// Each run against a broken copy would do the same again, ten
		// times over: the test is put right first.
		mutantChecks("the broken copies are tried once the checks above pass", hintStart)
	default:
		r.gradeMutants(ctx, base)
	}
}

// gradeMutants builds the mutant schema once and runs the tests against
// each mutant they reach and against the controls (the correct code, from
// the same binary), in random order, and records what each run shows.
func (r *run) gradeMutants(ctx context.Context, base testOutcome) {
	src, err := pristineFile(r.ex, catchFile)
	if err != nil {
		r.fatal = err
		return
	}
	type job struct {
		m   *mutant // nil for a control
		sel int
		out testOutcome
	}
	var jobs []*job
	verdicts := map[string]verdict{}
	for i := range mutants {
		m := &mutants[i]
		if first, last := m.lines(src); !base.cover.reached(catchFile, first, last) {
			verdicts[m.ID] = verdict{why: fmt.Sprintf("survived: your tests never run the code it changes (%s line %d)", catchFile, first)}
			continue
		}
		jobs = append(jobs, &job{m: m, sel: i + 1})
	}
	for range controls {
		jobs = append(jobs, &job{})
	}
	if note := r.c.Notify; note != nil {
		note(fmt.Sprintf("catch-the-bugs: trying your tests against %d broken copies of %s", len(jobs)-controls, catchFile))
	}
	if !r.buildSchema(ctx, src) {
		return
	}
	mathrand.Shuffle(len(jobs), func(i, j int) { jobs[i], jobs[j] = jobs[j], jobs[i] })
	limit := mutantLimit(base.elapsed)
	for _, j := range jobs {
		var box sandbox
		j.out, err = r.runSelected(ctx, &box, j.sel, limit)
		box.close()
		if err != nil {
			r.fatal = err
			return
		}
	}
	var failedControls int
	for _, j := range jobs {
		if j.m == nil && j.out.Code != 0 {
			failedControls++
		}
	}
	if !r.check(checkDeterminism, hintCleanUp, failIf(failedControls > 0, fmt.Sprintf("it failed %d of %d more runs against the correct code, among the broken copies: a test must not depend on earlier runs, timing, the order it runs in, or its own binary", failedControls, controls))) {
		r.skipMutants("the test does not pass reliably against the correct code", hintCleanUp, checkCatchesAll)
		return
	}
	for _, j := range jobs {
		if j.m != nil {
			verdicts[j.m.ID] = j.out.verdict(r, j.m, limit)
		}
	}
	r.recordMutants(verdicts)
}

// skipMutants records the checks named and every mutant's as not checked.
func (r *run) skipMutants(why string, hint int, names ...string) {
	r.skip(why, hint, names...)
	for _, m := range mutants {
		r.skip(why, m.Hint, catchesPrefix+m.Breaks)
	}
}

// buildSchema builds the learner's tests with the mutant schema in place
// of the code under test, for the runs against the mutants and controls.
func (r *run) buildSchema(ctx context.Context, src []byte) bool {
	sch, err := newSchema(src, mutants)
	if err != nil {
		r.fatal = err
		return false
	}
	overlay, err := r.c.overlay(r.ex)
	if err != nil {
		r.fatal = err
		return false
	}
	overlay[filepath.Join(r.c.Root, r.ex.Dir(), catchFile)] = sch.src
	b := r.c.buildVariant(ctx, r.ex, "schema", nil, overlay)
	switch {
	case b.err != nil:
		r.fatal = b.err
	case b.compile != "":
		r.fatal = fmt.Errorf("the mutant schema does not compile with the tests, which compile with %s: %s", catchFile, b.compile)
	default:
		r.schema = sch
		r.schemaBin, r.fatal = os.ReadFile(b.bin)
		r.c.cache.remove(b.bin) // one grading's: never built again
	}
	return r.fatal == nil
}

// runSelected runs the tests in box with the schema's value sel selected
// (0: the correct code), from a copy of the binary of their own, without
// coverage.
func (r *run) runSelected(ctx context.Context, box *sandbox, sel int, limit time.Duration) (testOutcome, error) {
	if err := box.open(r); err != nil {
		return testOutcome{}, err
	}
	exe := filepath.Join(box.dir, "tests")
	if err := r.schema.selectIn(r.schemaBin, exe, sel); err != nil {
		return testOutcome{}, fmt.Errorf("writing the tests' binary for a run: %w", err)
	}
	return r.runTests(ctx, exe, box, limit, false)
}

// recordMutants records the summary and one check per mutant, in the
// order mutants lists them.
func (r *run) recordMutants(verdicts map[string]verdict) {
	var survivors []string
	hint, unreached := 0, 0
	for _, m := range mutants {
		v := verdicts[m.ID]
		if v.caught {
			continue
		}
		survivors = append(survivors, m.ID)
		if hint == 0 {
			hint = m.Hint
		}
		if !v.ran {
			unreached++
		}
	}
	summary := fmt.Sprintf("caught %d of %d", len(mutants)-len(survivors), len(mutants))
	switch {
	case unreached == len(mutants):
		r.check(checkCatchesAll, hintStart, summary+": your tests never call LoadDBConfig")
	case len(survivors) > 0:
		r.check(checkCatchesAll, hint, summary+"; survived: "+strings.Join(survivors, ", "))
	default:
		r.pass(checkCatchesAll, summary)
	}
	for _, m := range mutants {
		if v := verdicts[m.ID]; v.caught {
			r.pass(catchesPrefix+m.Breaks, v.why)
		} else {
			r.check(catchesPrefix+m.Breaks, m.Hint, v.why)
		}
	}
}
