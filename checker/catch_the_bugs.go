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

// A tester runs the learner's tests against the code under test and its
// mutants, in the learner's language: Go links every mutant into one test
// binary (schema.go); Python loads each version into its runner from
// memory (catch_the_bugs_python.go).
type tester interface {
	// file is the code under test, in the exercise's folder.
	file() string
	mutants() []mutant
	// baseline runs the tests against the correct code, with coverage
	// where it can (a mutant whose lines never run is not tried).
	baseline(ctx context.Context, r *run) (testOutcome, error)
	// prepare readies the runs against the mutants; false when it could
	// not (r.fatal says why).
	prepare(ctx context.Context, r *run, src []byte) bool
	// try runs the tests in box against mutant i of mutants() (from 1),
	// or against the correct code, as a control, when i is 0.
	try(ctx context.Context, r *run, box *sandbox, i int, limit time.Duration) (testOutcome, error)
}

func (r *run) tester() tester {
	if r.c.lang(r.ex) == Python {
		return pyTester{}
	}
	return goTester{}
}

// mutantsIn are the mutants of the code under test in l.
func mutantsIn(l Lang) []mutant {
	if l == Python {
		return pyMutants
	}
	return mutants
}

// tryCatchTheBugs gives the tests the endpoint as the grader does; they
// make their own secrets.
func tryCatchTheBugs(_ context.Context, t *Tryout) error {
	t.Env = testEndpointEnv(t.b.Endpoint)
	return nil
}

func gradeCatchTheBugs(ctx context.Context, r *run) {
	t := r.tester()
	base, err := t.baseline(ctx, r)
	if err != nil {
		r.fatal = err
		return
	}
	mutantChecks := func(why string, hint int) { r.skipMutants(t, why, hint, checkDeterminism, r.say(checkCatchesAll)) }
	if !r.check(checkRunsTests, hintStart, failIf(base.ran == 0 && base.Code == 0 && len(base.refused) == 0, r.say(noTestRan))) {
		r.skip("no test ran", hintStart, r.say(checkPassesRight), checkFast, checkNoRealAWS, checkLeavesNone)
		mutantChecks("no test ran", hintStart)
		return
	}
	passed := r.check(r.say(checkPassesRight), hintStart, failIf(base.Code != 0 || len(base.refused) > 0, base.failure(r, t.file())))
	fast := r.check(checkFast, 5, failIf(base.TimedOut || base.elapsed > testLimit, fmt.Sprintf("it was stopped after %s: %s, and keep sleeps out", testLimit, r.say(boundEachCall))))
	local := r.check(checkNoRealAWS, hintStart, failIf(len(base.awsHosts) > 0, fmt.Sprintf("it tried to reach %s: a test of this code needs no AWS account; %s", strings.Join(base.awsHosts, ", "), r.say(useLocalEndpoint))))
	clean := r.check(checkLeavesNone, hintCleanUp, base.leftReason(r))
	switch {
	case !passed:
		mutantChecks("the test fails against the correct code, so a failure against a broken copy proves nothing", hintStart)
	case !fast || !local || !clean:
		// Each run against a broken copy would do the same again, ten
		// times over: the test is put right first.
		mutantChecks("the broken copies are tried once the checks above pass", hintStart)
	default:
		r.gradeMutants(ctx, t, base)
	}
}

// The words of catch-the-bugs' reasons that name Go (see pythonNames).
const (
	noTestRan        = "config_test.go has no Test function that runs: write func TestSomething(t *testing.T) and call LoadDBConfig in it"
	boundEachCall    = "give each call a context with a deadline"
	useLocalEndpoint = "use the in-process emulator or the endpoint in AWS_ENDPOINT_URL"
	cleanUpHow       = "delete what a test creates, in t.Cleanup, or use an emulator of the test's own"
	failAtOnce       = "a context with a deadline would fail at once"
)

// gradeMutants runs the tests against each mutant they reach and against
// the controls (the correct code again), in random order, and records
// what each run shows.
func (r *run) gradeMutants(ctx context.Context, t tester, base testOutcome) {
	src, err := pristineFile(r.ex, t.file())
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
	ms := t.mutants()
	for i := range ms {
		m := &ms[i]
		if first, last := m.lines(src); !base.cover.reached(t.file(), first, last) {
			verdicts[m.ID] = verdict{why: fmt.Sprintf("survived: your tests never run the code it changes (%s line %d)", t.file(), first)}
			continue
		}
		jobs = append(jobs, &job{m: m, sel: i + 1})
	}
	for range controls {
		jobs = append(jobs, &job{})
	}
	if note := r.c.Notify; note != nil {
		switch n := len(jobs) - controls; n {
		case 0:
			note(fmt.Sprintf("catch-the-bugs: your tests run none of the lines the broken copies of %s change, so none is tried (each survives)", t.file()))
		case 1:
			note(fmt.Sprintf("catch-the-bugs: trying your tests against the one broken copy of %s whose change they run", t.file()))
		default:
			note(fmt.Sprintf("catch-the-bugs: trying your tests against %d broken copies of %s", n, t.file()))
		}
	}
	if !t.prepare(ctx, r, src) {
		return
	}
	mathrand.Shuffle(len(jobs), func(i, j int) { jobs[i], jobs[j] = jobs[j], jobs[i] })
	limit := mutantLimit(base.elapsed)
	for _, j := range jobs {
		var box sandbox
		j.out, err = t.try(ctx, r, &box, j.sel, limit)
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
	if !r.check(checkDeterminism, hintCleanUp, failIf(failedControls > 0, fmt.Sprintf("it failed %d of %d more runs against the correct code, among the broken copies: a test must not depend on earlier runs, timing, the order it runs in, or how it is run", failedControls, controls))) {
		r.skipMutants(t, "the test does not pass reliably against the correct code", hintCleanUp, r.say(checkCatchesAll))
		return
	}
	for _, j := range jobs {
		if j.m != nil {
			verdicts[j.m.ID] = j.out.verdict(r, j.m, limit)
		}
	}
	r.recordMutants(t, verdicts)
}

// skipMutants records the checks named and every mutant's as not checked.
func (r *run) skipMutants(t tester, why string, hint int, names ...string) {
	r.skip(why, hint, names...)
	for _, m := range t.mutants() {
		r.skip(why, m.Hint, catchesPrefix+m.Breaks)
	}
}

// goTester runs a Go test binary: the baseline built with coverage (when
// the code under test on disk is the original: go's cover step ignores
// the overlay), the mutants and controls from one mutant schema.
type goTester struct{}

func (goTester) file() string      { return catchFile }
func (goTester) mutants() []mutant { return mutantsIn(Go) }

func (goTester) baseline(ctx context.Context, r *run) (testOutcome, error) {
	return r.runTests(ctx, &r.box, goLaunch(r.bin, testLimit, r.covered), testLimit)
}

// prepare builds the learner's tests with the mutant schema in place of
// the code under test.
func (goTester) prepare(ctx context.Context, r *run, src []byte) bool {
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

// try runs the tests with the schema's value sel selected (0: the correct
// code), from a copy of the binary of their own, without coverage.
func (goTester) try(ctx context.Context, r *run, box *sandbox, sel int, limit time.Duration) (testOutcome, error) {
	if err := box.open(r); err != nil {
		return testOutcome{}, err
	}
	exe := filepath.Join(box.dir, "tests")
	if err := r.schema.selectIn(r.schemaBin, exe, sel); err != nil {
		return testOutcome{}, fmt.Errorf("writing the tests' binary for a run: %w", err)
	}
	return r.runTests(ctx, box, goLaunch(exe, limit, false), limit)
}

// recordMutants records the summary and one check per mutant, in the
// order mutants lists them.
func (r *run) recordMutants(t tester, verdicts map[string]verdict) {
	ms := t.mutants()
	var survivors []string
	hint, unreached := 0, 0
	for _, m := range ms {
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
	summary := fmt.Sprintf("caught %d of %d", len(ms)-len(survivors), len(ms))
	name := r.say(checkCatchesAll)
	switch {
	case unreached == len(ms):
		r.check(name, hintStart, summary+": your tests never call LoadDBConfig")
	case len(survivors) > 0:
		r.check(name, hint, summary+"; survived: "+strings.Join(survivors, ", "))
	default:
		r.pass(name, summary)
	}
	for _, m := range ms {
		if v := verdicts[m.ID]; v.caught {
			r.pass(catchesPrefix+m.Breaks, v.why)
		} else {
			r.check(catchesPrefix+m.Breaks, m.Hint, v.why)
		}
	}
}
