// Package runner runs a lesson's actions against a Secrets Manager backend:
// it gives each lesson its own name prefix, resolves placeholders, calls the
// SDK, masks what comes back, and writes the Go, aws CLI and boto3 lines that
// do the same.
//
// Besides Secrets Manager, an action may call KMS, STS or CloudTrail on the
// same backend (services.go), and may run as one of the emulator's cast,
// signed with that principal's keys. A step the backend cannot show (no
// cast, no policy enforcement, no trail) is not sent: its Result says why.
package runner

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"sync"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/smithy-go"

	"secretlings/aws"
	"secretlings/aws/emulator"
	"secretlings/lessons"
	"secretlings/mask"
)

// Prefix is the name prefix of every secret the tutorial creates; cleanup
// removes what is under it and nothing else.
const Prefix = "secretlings/"

// Namespace is the prefix of one lesson's secrets.
func Namespace(lessonID string) string { return Prefix + lessonID + "/" }

// Runner runs actions for the lessons of one session. It is safe for
// concurrent use, though the UI runs one action at a time.
type Runner struct {
	conn   *aws.Conn
	client *secretsmanager.Client
	own    aws.Clients // the session's clients of every service; SecretsManager is client
	target aws.Target
	now    func() time.Time
	// timeScale shortens the demos' waits in tests (1 in the app).
	timeScale float64

	mu   sync.Mutex
	next map[string]int         // per lesson: how many actions have run, in order
	cast map[string]aws.Clients // per cast member: its clients, made on first use
	// castKnown caches whether an endpoint knows the cast (knowsCast).
	castKnown *bool
	// absent are, per lesson, the secrets whose CreateSecret was skipped on
	// this backend: the steps about them are skipped too.
	absent map[string]map[string]bool
	demo   *demo
}

// New returns a Runner for a connected backend. On the embedded backend it
// registers the demo rotation function with the emulator, so RotateSecret
// runs it as AWS would run a Lambda.
func New(conn *aws.Conn, opts ...Option) *Runner {
	r := &Runner{conn: conn, client: conn.Client, target: conn.Target, now: time.Now, timeScale: 1,
		next: map[string]int{}, cast: map[string]aws.Clients{}, absent: map[string]map[string]bool{}}
	for _, o := range opts {
		o(r)
	}
	r.own = conn.Clients()
	r.own.SecretsManager = r.client // the session's client, with its options
	r.demo = newDemo(r)
	if conn.Emulator != nil {
		conn.Emulator.RegisterRotationFunction(r.demoRotationARN(), func(ctx context.Context, ev emulator.RotationEvent) error {
			return r.demo.rotationStep(ctx, ev.Step, ev.SecretId, ev.ClientRequestToken, ev.RotationToken)
		})
	}
	return r
}

// Option configures a Runner.
type Option func(*Runner)

// WithTimeScale runs the demos' waits (read rates, TTLs, rotation delays)
// f times as long: tests use 0.05 to run the cache demo in a blink.
func WithTimeScale(f float64) Option { return func(r *Runner) { r.timeScale = f } }

// WithClock sets the clock durations are measured with; a fixed clock makes
// them zero, for stable golden files.
func WithClock(now func() time.Time) Option { return func(r *Runner) { r.now = now } }

// Embedded reports whether the backend is the in-process emulator.
func (r *Runner) Embedded() bool { return r.target.Backend == aws.Embedded }

// Result is what one action did, ready to show: every secret value masked.
type Result struct {
	Operation string
	// Secret is the full name of the secret the action is about, if any.
	Secret   string
	Request  string // the request as JSON, values masked
	Response string // the response as JSON, values masked; empty on error
	Duration time.Duration
	// Err is the error the call returned; Explanation says it in words.
	Err         error
	Explanation string
	// Expected is true when the action demonstrates an error and got it.
	Expected bool
	// Go, CLI and Python are the same call as code, values masked.
	Go, CLI, Python string
	// Versions is the secret's versions and labels after the call, for the
	// lessons that draw them.
	Versions []Version
	// Lines are a demo's output, already masked, and notes on the call.
	Lines []string
	Notes []string
	// Done is false while a demo still runs.
	Done bool
	// As is the cast member the call was signed as ("role/app"), and AsARN
	// its ARN; both empty for the session's own credentials.
	As, AsARN string
	// Skipped says why the action was not sent: the backend cannot show
	// what the step is about (no cast, no policy enforcement, no trail).
	Skipped string

	revealed string
}

// OK tells whether the action did what the lesson meant: it succeeded, or
// failed with the error it set out to show.
// A skipped action is OK too: the lesson goes on without it.
func (r *Result) OK() bool {
	return r.Skipped != "" || r.Expected || (r.Err == nil && r.Explanation == "")
}

// Revealed is the response with its secret values in the clear. The UI calls
// it only after the learner asked to see them.
func (r *Result) Revealed() string { return r.revealed }

// Version is one version of a secret in the picture of its labels.
type Version struct {
	ID      string
	Created time.Time
	Stages  []string
}

// Progress receives snapshots of a demo that runs for a while.
type Progress func(Result)

// Run runs the action at index i of the lesson's script (see
// lessons.Lesson.Actions). Actions depend on the ones before them, so unless
// the action is the next in order, Run first empties the lesson's namespace
// and replays the actions before it quietly: an action can run at any time,
// before its predecessors, again, or after later ones changed the secrets
// (a later step deleted the secret this one reads).
func (r *Runner) Run(ctx context.Context, l *lessons.Lesson, i int, progress Progress) *Result {
	actions := l.Actions()
	if i < 0 || i >= len(actions) {
		return &Result{Err: fmt.Errorf("no action %d in lesson %s", i, l.ID), Explanation: "internal error: no such action", Done: true}
	}
	r.mu.Lock()
	next := r.next[l.ID]
	r.mu.Unlock()
	var notes []string
	if next != i {
		if err := r.reset(ctx, l); err != nil {
			return &Result{Operation: actions[i].Operation, Err: err, Explanation: aws.Explain(err, r.target), Done: true}
		}
		for j := range i {
			if res := r.run(ctx, l, actions[j], nil); !res.OK() {
				notes = append(notes, fmt.Sprintf("Replaying earlier action %d (%s) failed: %s", j+1, actions[j].Operation, res.Explanation))
			}
		}
		notes = append(notes, replayNote(i, next))
	}
	res := r.run(ctx, l, actions[i], progress)
	res.Notes = append(notes, res.Notes...)
	r.mu.Lock()
	r.next[l.ID] = i + 1
	r.mu.Unlock()
	return res
}

// replayNote says why action i found the lesson's secrets rebuilt, when
// next actions had run before it.
func replayNote(i, next int) string {
	how := "Emptied this lesson's secrets first"
	if next > i {
		how = "This ran already, or a later action changed the secrets: emptied this lesson's secrets first"
	}
	switch i {
	case 0:
		return how + ", so this action starts from nothing, as the lesson expects."
	case 1:
		return how + " and replayed the earlier action, so the secrets are as the lesson expects."
	}
	return fmt.Sprintf("%s and replayed the %d earlier actions, so the secrets are as the lesson expects.", how, i)
}

// Reset force-deletes every secret in the lesson's namespace and forgets
// which of its actions ran.
// A lesson that creates KMS keys has them scheduled for deletion too.
func (r *Runner) Reset(ctx context.Context, lessonID string) error {
	all, err := lessons.All()
	if err == nil {
		for _, l := range all {
			if l.ID == lessonID {
				return r.reset(ctx, l)
			}
		}
	}
	return r.reset(ctx, &lessons.Lesson{ID: lessonID})
}

func (r *Runner) reset(ctx context.Context, l *lessons.Lesson) error {
	r.mu.Lock()
	delete(r.next, l.ID)
	delete(r.absent, l.ID)
	r.mu.Unlock()
	if _, err := r.deleteUnder(ctx, Namespace(l.ID)); err != nil {
		return err
	}
	if usesKeys(l) {
		return r.retireKeys(ctx, l.ID)
	}
	return nil
}

// Cleanup force-deletes every secret the tutorial created (everything under
// Prefix, including secrets scheduled for deletion) and returns their names.
func (r *Runner) Cleanup(ctx context.Context) ([]string, error) {
	return r.deleteUnder(ctx, Prefix)
}

func (r *Runner) deleteUnder(ctx context.Context, prefix string) ([]string, error) {
	names, err := aws.ListNames(ctx, r.client, prefix)
	if err != nil {
		return nil, err
	}
	var deleted []string
	for _, n := range names {
		_, err := r.client.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: sdkaws.String(n), ForceDeleteWithoutRecovery: sdkaws.Bool(true)})
		if err != nil {
			return deleted, fmt.Errorf("deleting %s: %w", n, err)
		}
		deleted = append(deleted, n)
	}
	return deleted, nil
}

// sensitive are the members whose values are secret, in requests and
// responses.
var sensitive = map[string]bool{"SecretString": true, "SecretBinary": true, "RotationToken": true, "RandomPassword": true}

// Sensitive reports whether a request or response member holds a secret
// value, so that whoever shows it (the lesson reader's action panels too)
// masks the same members as the runner.
func Sensitive(member string) bool { return sensitive[member] }

// run runs one action, without replaying.
func (r *Runner) run(ctx context.Context, l *lessons.Lesson, a *lessons.Action, progress Progress) *Result {
	res := &Result{Operation: a.Operation, Done: true}
	if m, ok := emulator.CastMemberNamed(a.As); ok {
		res.As, res.AsARN = castLabel(m), m.ARN
	}
	params, secret, err := r.params(ctx, l.ID, a)
	res.Secret = secret
	skip := r.whySkip(ctx, l.ID, a, secret, err)
	if err != nil {
		if skip != "" {
			res.Skipped = skip
			return res
		}
		res.Err, res.Explanation = err, aws.Explain(err, r.target)
		return res
	}
	input, err := a.Build(params)
	if err != nil {
		res.Err, res.Explanation = err, err.Error()
		return res
	}
	res.Request = maskedJSON(input)
	if a.IsDemo() {
		r.demo.run(ctx, a.Operation, input, res, progress)
	} else {
		res.Go, res.CLI, res.Python = SnippetsAs(a.Operation, a.As, input, r.target, true)
		if skip != "" {
			res.Skipped = skip
			return res
		}
		if a.Operation == "RotateSecret" && !r.Embedded() && r.isDemoRotation(input) {
			r.demo.drive(ctx, input.(*secretsmanager.RotateSecretInput), res, progress)
		} else {
			stop := r.demo.watchSteps(progress)
			r.invoke(ctx, a, input, res)
			stop()
			steps := r.demo.takeSteps()
			res.Lines = append(res.Lines, steps...)
			if progress != nil && len(steps) > 0 {
				res.Notes = append(res.Notes, fmt.Sprintf("Each step was held on screen for %v so you can watch them go by; the rotation itself takes milliseconds.", stepPause))
			}
		}
	}
	r.judge(a, res)
	if secret != "" && l.ShowVersions {
		res.Versions, _ = Versions(ctx, r.client, secret)
	}
	return res
}

func (r *Runner) isDemoRotation(input any) bool {
	in := input.(*secretsmanager.RotateSecretInput)
	return in.RotationLambdaARN != nil && *in.RotationLambdaARN == r.demoRotationARN() ||
		in.RotationLambdaARN == nil && r.demo.known(sdkaws.ToString(in.SecretId))
}

// judge compares the outcome with what the action expects.
func (r *Runner) judge(a *lessons.Action, res *Result) {
	switch {
	case a.Expect == "" && res.Err != nil:
		res.Explanation = r.explain(a, res.Err)
	case a.Expect != "" && res.Err == nil:
		res.Explanation = fmt.Sprintf("The lesson expected %s here, but the call succeeded: were earlier steps skipped or run twice? Reset the lesson (R) and run its steps in order.", a.Expect)
	case a.Expect != "":
		var api smithy.APIError
		if errors.As(res.Err, &api) && api.ErrorCode() == a.Expect {
			res.Expected = true
		}
		res.Explanation = r.explain(a, res.Err)
	}
}

// explain says what an error means. A refusal of a call made as a cast
// member is the policies at work, not missing tutorial permissions, so AWS's
// own message, which names the caller, the action and the reason, says it
// best.
func (r *Runner) explain(a *lessons.Action, err error) string {
	var api smithy.APIError
	if a.As != "" && errors.As(err, &api) && api.ErrorCode() == "AccessDeniedException" {
		return "AccessDeniedException: " + api.ErrorMessage()
	}
	return aws.Explain(err, r.target)
}

// call invokes the Secrets Manager operation named op with input.
func (r *Runner) call(ctx context.Context, client *secretsmanager.Client, op string, input any, res *Result) {
	method := reflect.ValueOf(client).MethodByName(op)
	if !method.IsValid() {
		res.Err = fmt.Errorf("the SDK client has no operation %s", op)
		return
	}
	start := r.now()
	out := method.Call([]reflect.Value{reflect.ValueOf(ctx), reflect.ValueOf(input)})
	res.Duration = r.now().Sub(start)
	if err, _ := out[1].Interface().(error); err != nil {
		res.Err = err
		return
	}
	res.Response, res.revealed = responseJSON(out[0].Interface())
}

// Versions lists a secret's versions (deprecated ones included) in the order
// they were created, with their labels.
func Versions(ctx context.Context, client *secretsmanager.Client, secret string) ([]Version, error) {
	var vs []Version
	p := secretsmanager.NewListSecretVersionIdsPaginator(client, &secretsmanager.ListSecretVersionIdsInput{SecretId: sdkaws.String(secret), IncludeDeprecated: sdkaws.Bool(true)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, v := range page.Versions {
			vs = append(vs, Version{ID: sdkaws.ToString(v.VersionId), Created: sdkaws.ToTime(v.CreatedDate), Stages: v.VersionStages})
		}
	}
	sort.SliceStable(vs, func(i, j int) bool {
		if !vs[i].Created.Equal(vs[j].Created) {
			return vs[i].Created.Before(vs[j].Created)
		}
		return stageRank(vs[i].Stages) < stageRank(vs[j].Stages)
	})
	return vs, nil
}

// stageRank orders versions created in the same second: older labels first.
func stageRank(stages []string) int {
	for _, s := range stages {
		switch s {
		case "AWSPENDING":
			return 3
		case "AWSCURRENT":
			return 2
		case "AWSPREVIOUS":
			return 1
		}
	}
	return 0
}

// toMap turns an SDK input or output into a JSON object without the SDK's
// bookkeeping members and without empty ones.
func toMap(v any) map[string]any {
	b, err := json.Marshal(v)
	if err != nil {
		return map[string]any{}
	}
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	delete(m, "ResultMetadata")
	dropNulls(m)
	return m
}

// dropNulls removes members without a value at every depth, as AWS omits
// them on the wire.
func dropNulls(v any) {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			if val == nil {
				delete(t, k)
				continue
			}
			dropNulls(val)
		}
	case []any:
		for _, e := range t {
			dropNulls(e)
		}
	}
}

// maskedJSON renders v as indented JSON with every secret value masked: a
// JSON secret keeps its keys, each value masked.
func maskedJSON(v any) string {
	m := toMap(v)
	maskMembers(m)
	b, _ := json.MarshalIndent(m, "", "  ")
	return string(b)
}

// responseJSON renders v as maskedJSON does and, from the same conversion,
// in the clear for a reveal.
func responseJSON(v any) (masked, plain string) {
	m := toMap(v)
	b, _ := json.MarshalIndent(m, "", "  ")
	plain = string(b)
	maskMembers(m) // in place, so plain is taken first
	b, _ = json.MarshalIndent(m, "", "  ")
	return string(b), plain
}

func maskMembers(v any) {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			if s, ok := val.(string); ok && sensitive[k] {
				t[k] = mask.Value(s)
				continue
			}
			maskMembers(val)
		}
	case []any:
		for _, e := range t {
			maskMembers(e)
		}
	}
}
