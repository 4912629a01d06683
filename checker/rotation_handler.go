package checker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"

	"secretlings/aws/emulator"
	"secretlings/aws/rotation"
	"secretlings/aws/rotation/demoservice"
	"secretlings/mask"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// The rotation grader watches the demo service and the secret around every
// step run: which keys the run registered or revoked (the service's key
// log, so a key revoked and registered again within one step shows), which
// keys it presented, the labels before and after, and whether the service
// still accepts the key AWSCURRENT names. So it judges what the handler
// did to the service, step by step, not only where the labels ended up.
//
// It rotates the secret three times, then sends events of its own:
//
//  1. Every step runs twice (Secrets Manager's retries), and finishSecret's
//     first move of AWSCURRENT fails (the proxy answers it with an error),
//     so the order of moving and revoking matters.
//  2. testSecret runs three times, each facing another failure of the
//     pending key (a 401, a 503, another user's name), and must fail every
//     time; the rotation stops there.
//  3. After the checker clears the failed rotation's AWSPENDING (as the
//     docs tell an operator to), a rotation with a new token must succeed
//     and leave the user one key: the failed rotation's key revoked too.
//  4. Stale and out-of-order events, as AWS's rotation template handles
//     them: createSecret for the version that is now AWSCURRENT (return,
//     changing nothing), finishSecret for the AWSPREVIOUS version and
//     createSecret for a token that is no version (fail, changing
//     nothing), and setSecret for an AWSPENDING version of a secret whose
//     rotation was turned off (fail, registering nothing).
//
// That is 8 + 5 + 4 + 4 = 21 runs of the learner's program.

// rotationPlan is how the grader's Lambda runs the steps of one rotation.
type rotationPlan struct {
	attempts int // runs of each step, as retries would run it
	// failFinishMove fails every move of AWSCURRENT during finishSecret's
	// first run.
	failFinishMove bool
	// testFaults, when set, are testSecret's runs: one per fault the demo
	// service holds for the pending key. Each must fail; the rotation
	// stops there.
	testFaults []demoservice.Fault
}

// rotationGrading is one grading of a rotation handler: the demo service
// it rotates keys for, the seeded secret, and every step run so far.
type rotationGrading struct {
	r *run
	*rotationScenario
	// seedVersion is the seeded key's version, secretARN the secret's,
	// arn the rotation function's.
	seedVersion, secretARN, arn string

	mu   sync.Mutex
	plan rotationPlan
	runs []stepRun
}

func gradeRotationHandler(ctx context.Context, r *run) {
	emu, done, ok := rotationEmulator(r)
	if !ok {
		return
	}
	defer done()
	g, stop, err := startRotationGrading(ctx, r)
	if err != nil {
		r.fatal = err
		return
	}
	defer stop()
	emu.RegisterRotationFunction(g.arn, g.lambda)

	// Rotation 1: everything works, but the first move of AWSCURRENT.
	first := g.rotate(ctx, "the rotation", rotationPlan{attempts: 2, failFinishMove: true}, &secretsmanager.RotateSecretInput{
		SecretId: awssdk.String(g.name), RotationLambdaARN: awssdk.String(g.arn),
		RotationRules: &types.RotationRulesType{AutomaticallyAfterDays: awssdk.Int64(30)},
	})
	if first == nil {
		return
	}
	var second, third *rotationResult
	var stale []stepRun
	if first.completed() {
		// Rotation 2: testSecret faces a refused key, a failing service and
		// another user, and must fail each time.
		faults := []demoservice.Fault{demoservice.Refuse, demoservice.Unavailable, demoservice.OtherUser}
		if second = g.rotate(ctx, "the second rotation", rotationPlan{attempts: 1, testFaults: faults}, &secretsmanager.RotateSecretInput{SecretId: awssdk.String(g.name)}); second == nil {
			return
		}
		// Rotation 3, with a new token, after the failed one.
		if err := g.clearPending(ctx); err != nil {
			r.fatal = err
			return
		}
		if third = g.rotate(ctx, "the third rotation", rotationPlan{attempts: 1}, &secretsmanager.RotateSecretInput{SecretId: awssdk.String(g.name)}); third == nil {
			return
		}
		if third.completed() {
			if stale = g.sendStaleEvents(ctx, first, third); stale == nil {
				return
			}
		}
	}
	g.report(ctx, first, second, third, stale)
}

// rotationEmulator returns the emulator that runs the learner's handler as
// the rotation Lambda. Only the embedded emulator can run a local program
// as one, so on other backends a private emulator stands in, and the run's
// client and proxy point at it until done is called.
func rotationEmulator(r *run) (emu *emulator.Server, done func(), ok bool) {
	if emu := r.c.Backend.Emulator; emu != nil {
		return emu, func() {}, true
	}
	priv, stop, err := StartEmbedded(r.c.Backend.Region)
	if err != nil {
		r.fatal = fmt.Errorf("starting an emulator for the rotation: %w", err)
		return nil, nil, false
	}
	p, err := startProxy(priv.Endpoint, nil)
	if err != nil {
		stop()
		r.fatal = err
		return nil, nil, false
	}
	orig, origProxy, origNames := r.client, r.proxy, r.names
	r.client, r.proxy, r.names = priv.Client, p, nil
	return priv.Emulator, func() {
		r.cleanup()
		_ = p.Close()
		stop()
		r.client, r.proxy, r.names = orig, origProxy, origNames
	}, true
}

// startRotationGrading seeds the scenario (the demo service and the
// secret) and reads the secret's ARN and version.
func startRotationGrading(ctx context.Context, r *run) (*rotationGrading, func(), error) {
	sc, err := seedRotationHandler(ctx, r)
	if err != nil {
		return nil, nil, err
	}
	g := &rotationGrading{r: r, rotationScenario: sc, arn: rotationFunctionARN(r.c.Backend.Region)}
	d, err := r.client.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: awssdk.String(g.name)})
	if err != nil {
		sc.close()
		return nil, nil, err
	}
	g.secretARN, g.seedVersion = awssdk.ToString(d.ARN), versionWith(d, "AWSCURRENT")
	return g, sc.close, nil
}

// rotate runs one rotation with plan and collects what it did; nil when
// starting or reading it failed (fatal).
func (g *rotationGrading) rotate(ctx context.Context, what string, plan rotationPlan, in *secretsmanager.RotateSecretInput) *rotationResult {
	g.mu.Lock()
	g.runs, g.plan = nil, plan
	g.mu.Unlock()
	out, err := g.r.client.RotateSecret(ctx, in)
	if err != nil {
		g.r.fatal = fmt.Errorf("starting %s: %s", what, explain(err))
		return nil
	}
	return g.finished(ctx, awssdk.ToString(out.VersionId))
}

// clearPending removes AWSPENDING from a failed rotation's version, as the
// docs tell an operator to before the next rotation can start.
func (g *rotationGrading) clearPending(ctx context.Context) error {
	d, err := g.r.client.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: awssdk.String(g.name)})
	if err != nil {
		return fmt.Errorf("reading the secret after the failed rotation: %s", explain(err))
	}
	p := versionWith(d, "AWSPENDING")
	if p == "" || slices.Contains(stagesOf(d, p), "AWSCURRENT") {
		return nil
	}
	_, err = g.r.client.UpdateSecretVersionStage(ctx, &secretsmanager.UpdateSecretVersionStageInput{
		SecretId: awssdk.String(g.name), VersionStage: awssdk.String("AWSPENDING"), RemoveFromVersionId: awssdk.String(p),
	})
	if err != nil {
		return fmt.Errorf("removing AWSPENDING after the failed rotation: %s", explain(err))
	}
	return nil
}

// Failures the grader injects or forces.
var (
	// errTestsForced ends the failing rotation after its testSecret runs,
	// whatever they returned: a testSecret that passed is reported, and
	// AWSCURRENT must not move to a key the service refused.
	errTestsForced = errors.New("the checker ends this rotation after testSecret")
)

// injectedMoveMsg is the error the proxy answers finishSecret's first move
// of AWSCURRENT with.
const injectedMoveMsg = "secretlings failed this UpdateSecretVersionStage on purpose, to see what finishSecret does when AWSCURRENT cannot move; the step is run again"

func isCurrentMove(req Request) bool {
	return req.Operation == "UpdateSecretVersionStage" && req.VersionStage == "AWSCURRENT"
}

// lambda is the rotation function the emulator calls: it runs each step
// as the plan says (twice in the first rotation, as Secrets Manager's
// retries would: a step that works once but not twice is not idempotent)
// and records every run.
func (g *rotationGrading) lambda(ctx context.Context, ev emulator.RotationEvent) error {
	g.mu.Lock()
	plan := g.plan
	g.mu.Unlock()
	if ev.Step == rotation.StepTestSecret && len(plan.testFaults) > 0 {
		return g.faultyTests(ctx, ev, plan.testFaults)
	}
	var err error
	for attempt := 1; attempt <= max(plan.attempts, 1); attempt++ {
		inject := plan.failFinishMove && attempt == 1 && ev.Step == rotation.StepFinishSecret
		var stop func() int
		if inject {
			stop = g.r.proxy.failMatching(isCurrentMove, http.StatusBadRequest, "InvalidRequestException", injectedMoveMsg)
		}
		var sr stepRun
		sr, err = g.invoke(ctx, ev, attempt)
		if inject {
			sr.injected = stop() > 0
		}
		g.record(sr)
		if err != nil && !sr.injected {
			return err
		}
	}
	return err
}

func (g *rotationGrading) record(sr stepRun) {
	g.mu.Lock()
	g.runs = append(g.runs, sr)
	g.mu.Unlock()
}

// faultyTests runs testSecret once per fault, with the demo service
// answering the pending key that way, and ends the rotation.
func (g *rotationGrading) faultyTests(ctx context.Context, ev emulator.RotationEvent, faults []demoservice.Fault) error {
	key := g.keyOf(ctx, ev.ClientRequestToken)
	if key == "" {
		// No pending key: testSecret cannot prove anything; once is enough.
		sr, _ := g.invoke(ctx, ev, 1)
		g.record(sr)
		return errTestsForced
	}
	for i, f := range faults {
		stop := g.svc.Misbehave(key, f)
		sr, _ := g.invoke(ctx, ev, i+1)
		stop()
		sr.fault = f
		g.record(sr)
	}
	return errTestsForced
}

// keyOf returns the API key in version, or "".
func (g *rotationGrading) keyOf(ctx context.Context, version string) string {
	v, err := g.r.value(ctx, g.name, "", version)
	if err != nil {
		return ""
	}
	s, err := rotation.ParseAPIKeySecret(v)
	if err != nil {
		return ""
	}
	return s.APIKey
}

// invoke runs the learner's program for one step, with the service's keys
// read before and after, the keys registered, revoked and presented
// meanwhile, and the labels around it.
func (g *rotationGrading) invoke(ctx context.Context, ev emulator.RotationEvent, attempt int) (stepRun, error) {
	sr := stepRun{step: ev.Step, attempt: attempt, version: ev.ClientRequestToken, before: g.svc.Keys(), stagesBefore: g.stages(ctx)}
	since, keysSince := lastAccess(g.svc.Accesses()), lastKeyEvent(g.svc.KeyEvents())
	var p proc
	err := emulator.StdinRotationFunc("rotation-handler", func(ctx context.Context, _ emulator.RotationEvent, stdin io.Reader) emulator.ProcessExit {
		p = g.r.exec(ctx, g.env, stdin)
		exit := emulator.ProcessExit{Code: p.Code, Stderr: p.Stderr, Err: p.Err}
		if p.TimedOut {
			exit.Err = errors.New("timed out")
		}
		return exit
	})(ctx, ev)
	sr.after = g.svc.Keys()
	for _, a := range g.svc.Accesses() {
		if a.Seq > since {
			sr.accesses = append(sr.accesses, a)
		}
	}
	for _, e := range g.svc.KeyEvents() {
		if e.Seq > keysSince {
			sr.events = append(sr.events, e)
		}
	}
	sr.stagesAfter = g.stages(ctx)
	sr.broken = g.currentBroken(ctx, sr.stagesAfter)
	if err != nil {
		// Scrubbed later, once every version's value is known.
		sr.err = p.summary(mask.NewLeakScanner())
		sr.loadErr = strings.Contains(p.Stderr, loadMarker)
	}
	return sr, err
}

// stages reads the secret's VersionIdsToStages (nil if that fails).
func (g *rotationGrading) stages(ctx context.Context) map[string][]string {
	d, err := g.r.client.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: awssdk.String(g.name)})
	if err != nil {
		return nil
	}
	return d.VersionIdsToStages
}

// currentBroken says why the demo service does not accept the key that
// AWSCURRENT names for the secret's user, or "" when it does: what an app
// reading the secret now would find.
func (g *rotationGrading) currentBroken(ctx context.Context, stages map[string][]string) string {
	cur := ""
	for id, st := range stages {
		if slices.Contains(st, "AWSCURRENT") {
			cur = id
		}
	}
	if cur == "" {
		return "no version was AWSCURRENT"
	}
	v, err := g.r.value(ctx, g.name, "", cur)
	if err != nil {
		return "the AWSCURRENT version could not be read (" + explain(err) + ")"
	}
	s, err := rotation.ParseAPIKeySecret(v)
	if err != nil || s.APIKey == "" {
		return "the AWSCURRENT version is not {\"username\":…,\"api_key\":…} JSON"
	}
	switch u, ok := g.svc.Authenticate(s.APIKey); {
	case !ok:
		return "the demo service did not accept the key AWSCURRENT names"
	case u != g.user:
		return fmt.Sprintf("the key AWSCURRENT names belonged to user %q, not %q", u, g.user)
	}
	return ""
}

func lastAccess(as []demoservice.Access) uint64 {
	if len(as) == 0 {
		return 0
	}
	return as[len(as)-1].Seq
}

func lastKeyEvent(es []demoservice.KeyEvent) uint64 {
	if len(es) == 0 {
		return 0
	}
	return es[len(es)-1].Seq
}

// rotationResult is what one rotation did.
type rotationResult struct {
	version string // the version being rotated in
	d       *secretsmanager.DescribeSecretOutput
	runs    []stepRun
	// firstFail is the first run that failed, but for a failure the checker
	// injected: the rotation stopped there.
	firstFail *stepRun
	// earlyCurrent is the step (before finishSecret) that made the new
	// version AWSCURRENT, if one did.
	earlyCurrent string
	// pending is the new version's key, and its fingerprint; "" when it
	// has no readable value.
	pending, pendingFP string
}

// completed reports whether the rotation moved AWSCURRENT to its version,
// in finishSecret.
func (res *rotationResult) completed() bool {
	return res.earlyCurrent == "" && slices.Contains(stagesOf(res.d, res.version), "AWSCURRENT")
}

// finished reads the secret after a rotation, learns its values (so output
// is masked) and collects the step runs; nil when reading failed (fatal).
func (g *rotationGrading) finished(ctx context.Context, version string) *rotationResult {
	d := g.r.describeOrFail(ctx, g.name)
	if g.r.fatal != nil {
		return nil
	}
	g.r.learnValues(ctx, d)
	g.protectKeys(ctx, d)
	g.mu.Lock()
	res := &rotationResult{version: version, d: d, runs: slices.Clone(g.runs)}
	g.mu.Unlock()
	for i := range res.runs {
		s := &res.runs[i]
		s.err = scrub(g.r.known, s.err)
		if res.firstFail == nil && s.err != "" && !s.injected && s.fault == 0 {
			res.firstFail = s
		}
		if res.earlyCurrent == "" && s.step != rotation.StepFinishSecret && slices.Contains(s.stagesAfter[version], "AWSCURRENT") &&
			!slices.Contains(s.stagesBefore[version], "AWSCURRENT") {
			res.earlyCurrent = s.step
		}
	}
	if k := g.keyOf(ctx, version); k != "" {
		res.pending, res.pendingFP = k, demoservice.Fingerprint(k)
	}
	return res
}

// ran returns the runs of step.
func (res *rotationResult) ran(step string) []stepRun {
	var out []stepRun
	for _, s := range res.runs {
		if s.step == step {
			out = append(out, s)
		}
	}
	return out
}

// protectKeys registers the API key of every version as a secret the
// handler must never print or write (the new and pending ones included).
func (g *rotationGrading) protectKeys(ctx context.Context, d *secretsmanager.DescribeSecretOutput) {
	for id := range d.VersionIdsToStages {
		if k := g.keyOf(ctx, id); k != "" {
			g.r.protect(k)
		}
	}
}
