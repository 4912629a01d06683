package checker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"

	"secretlings/aws/emulator"
	"secretlings/aws/rotation"
	"secretlings/aws/rotation/demoservice"
	"secretlings/mask"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// The rotation grader watches the demo service between the steps: which
// keys each step registered or revoked, and which keys each step presented.
// So it judges what the handler did to the service, step by step, not only
// where the labels ended up.

// stepRun is one invocation of the learner's handler for one step.
type stepRun struct {
	step    string
	attempt int    // 1 or 2
	err     string // how it failed, raw: scrub it before showing it
	// before and after are the service's keys (fingerprint → user) when
	// the process started and when it ended.
	before, after map[string]string
	// accesses are the requests that authenticated with a key meanwhile.
	accesses []demoservice.Access
}

// added and removed list the key fingerprints the run registered and
// revoked.
func (s stepRun) added() []string   { return keyDiff(s.after, s.before) }
func (s stepRun) removed() []string { return keyDiff(s.before, s.after) }

func keyDiff(a, b map[string]string) []string {
	var out []string
	for fp := range a {
		if _, ok := b[fp]; !ok {
			out = append(out, fp)
		}
	}
	slices.Sort(out)
	return out
}

// stepHint is the hint for a mistake made in step: one hint per step.
func stepHint(step string) int {
	switch step {
	case rotation.StepSetSecret:
		return 2
	case rotation.StepFinishSecret:
		return 3
	case rotation.StepTestSecret:
		return 4
	}
	return 1
}

// rotationGrading is one grading of a rotation handler: the demo service
// it rotates keys for, the seeded secret, and every step run so far.
type rotationGrading struct {
	r    *run
	svc  *demoservice.Service
	env  map[string]string
	user string
	// oldKey is the seeded (current) key; name and arn the secret and the
	// rotation function.
	oldKey, name, arn string

	mu   sync.Mutex
	runs []stepRun
	// refuseAtTest makes the service refuse the pending key during
	// testSecret (the second rotation).
	refuseAtTest bool
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

	// Rotation 1: everything works.
	out, err := r.client.RotateSecret(ctx, &secretsmanager.RotateSecretInput{
		SecretId: awssdk.String(g.name), RotationLambdaARN: awssdk.String(g.arn),
		RotationRules: &types.RotationRulesType{AutomaticallyAfterDays: awssdk.Int64(30)},
	})
	if err != nil {
		r.fatal = fmt.Errorf("starting the rotation: %s", explain(err))
		return
	}
	first := g.finished(ctx, awssdk.ToString(out.VersionId))
	if first == nil {
		return
	}
	completed := g.checkFirstRotation(ctx, first)

	// Rotation 2: the service refuses the new key (and only it) during
	// testSecret, so testSecret must fail and AWSCURRENT stay where it is.
	if !completed {
		r.skip("the first rotation did not complete", 4, "a failing testSecret leaves AWSCURRENT untouched")
		return
	}
	g.mu.Lock()
	g.runs, g.refuseAtTest = nil, true
	g.mu.Unlock()
	out, err = r.client.RotateSecret(ctx, &secretsmanager.RotateSecretInput{SecretId: awssdk.String(g.name)})
	if err != nil {
		r.fatal = fmt.Errorf("starting the second rotation: %s", explain(err))
		return
	}
	if second := g.finished(ctx, awssdk.ToString(out.VersionId)); second != nil {
		g.checkFailingTest(first, second)
	}
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

// startRotationGrading starts the demo service and seeds the secret with a
// key it accepts.
func startRotationGrading(ctx context.Context, r *run) (*rotationGrading, func(), error) {
	adminToken := "adm-" + randHex(16)
	g := &rotationGrading{r: r, svc: demoservice.New(adminToken), user: "svc-" + randHex(3)}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	hs := &http.Server{Handler: g.svc, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	stop := func() { _ = hs.Close() }
	g.env = map[string]string{"DEMO_SERVICE_URL": "http://" + ln.Addr().String(), "DEMO_SERVICE_ADMIN_TOKEN": adminToken}
	if g.oldKey, err = rotation.NewAPIKey(); err == nil {
		err = g.svc.AddKey(g.user, g.oldKey)
	}
	if err != nil {
		stop()
		return nil, nil, err
	}
	r.protect(g.oldKey, adminToken)
	g.name, err = r.create(ctx, "demo/api-key", rotation.APIKeySecret{Username: g.user, APIKey: g.oldKey}.JSON(), "")
	if err != nil {
		stop()
		return nil, nil, err
	}
	g.arn = fmt.Sprintf("arn:aws:lambda:%s:123456789012:function:secretlings-ex-%s", r.c.Backend.Region, randHex(4))
	return g, stop, nil
}

// lambda is the rotation function the emulator calls: it runs each step
// twice, as Secrets Manager's retries would (a step that works once but
// not twice is not idempotent), and records every run.
func (g *rotationGrading) lambda(ctx context.Context, ev emulator.RotationEvent) error {
	if ev.Step == rotation.StepTestSecret {
		defer g.refuseDuringTest(ctx, ev.ClientRequestToken)()
	}
	for attempt := 1; attempt <= 2; attempt++ {
		sr, err := g.invoke(ctx, ev, attempt)
		g.mu.Lock()
		g.runs = append(g.runs, sr)
		g.mu.Unlock()
		if err != nil {
			return err
		}
	}
	return nil
}

// invoke runs the learner's program for one step, with the service's keys
// read before and after and the keys it presented meanwhile.
func (g *rotationGrading) invoke(ctx context.Context, ev emulator.RotationEvent, attempt int) (stepRun, error) {
	sr := stepRun{step: ev.Step, attempt: attempt, before: g.svc.Keys()}
	since := lastAccess(g.svc.Accesses())
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
	if err != nil {
		// Scrubbed later, once every version's value is known.
		sr.err = p.summary(mask.NewLeakScanner())
	}
	return sr, err
}

func lastAccess(as []demoservice.Access) uint64 {
	if len(as) == 0 {
		return 0
	}
	return as[len(as)-1].Seq
}

// refuseDuringTest makes the service refuse the pending key, and only that
// key, while the second rotation's testSecret runs (retries included, so a
// testSecret that tries again still sees the key fail); the function it
// returns ends the refusal.
func (g *rotationGrading) refuseDuringTest(ctx context.Context, version string) (stop func()) {
	g.mu.Lock()
	refuse := g.refuseAtTest
	g.mu.Unlock()
	if !refuse {
		return func() {}
	}
	v, err := g.r.value(ctx, g.name, "", version)
	if err != nil {
		return func() {} // no pending value: testSecret cannot pass anyway
	}
	s, err := rotation.ParseAPIKeySecret(v)
	if err != nil || s.APIKey == "" {
		return func() {}
	}
	return g.svc.RefuseKey(s.APIKey)
}

// rotationResult is what one rotation did.
type rotationResult struct {
	version string // the version being rotated in
	d       *secretsmanager.DescribeSecretOutput
	runs    []stepRun
	// firstFail is the first run that failed (on either attempt): the
	// rotation stopped there.
	firstFail *stepRun
	// pending is the new version's key, and its fingerprint; "" when it
	// has no readable value.
	pending, pendingFP string
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
		res.runs[i].err = scrub(g.r.known, res.runs[i].err)
		if res.firstFail == nil && res.runs[i].err != "" {
			res.firstFail = &res.runs[i]
		}
	}
	if v, err := g.r.value(ctx, g.name, "", version); err == nil {
		if s, err := rotation.ParseAPIKeySecret(v); err == nil && s.APIKey != "" {
			res.pending, res.pendingFP = s.APIKey, demoservice.Fingerprint(s.APIKey)
		}
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
		v, err := g.r.value(ctx, g.name, "", id)
		if err != nil {
			continue
		}
		if s, err := rotation.ParseAPIKeySecret(v); err == nil && s.APIKey != "" {
			g.r.protect(s.APIKey)
		}
	}
}
