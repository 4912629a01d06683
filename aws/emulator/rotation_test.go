package emulator

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

const lambdaARN = "arn:aws:lambda:us-east-1:123456789012:function:rotate-demo"

// templateRotator is the AWS rotation template in Go: it talks to the
// emulator only through the SDK, as a Lambda would. It records the steps.
type templateRotator struct {
	c       *secretsmanager.Client
	mu      sync.Mutex
	steps   []string
	failAt  string
	lastEvt RotationEvent
}

func (r *templateRotator) fn(ctx context.Context, ev RotationEvent) error {
	r.mu.Lock()
	r.steps = append(r.steps, ev.Step)
	r.lastEvt = ev
	r.mu.Unlock()
	if ev.Step == r.failAt {
		return errors.New("step failed on purpose")
	}
	d, err := r.c.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: &ev.SecretId})
	if err != nil {
		return err
	}
	if !aws.ToBool(d.RotationEnabled) {
		return errors.New("rotation not enabled")
	}
	stages, ok := d.VersionIdsToStages[ev.ClientRequestToken]
	if !ok {
		return errors.New("token is not a version")
	}
	if slices.Contains(stages, "AWSCURRENT") {
		return nil
	}
	if !slices.Contains(stages, "AWSPENDING") {
		return errors.New("token is not AWSPENDING")
	}
	switch ev.Step {
	case "createSecret":
		if _, err := r.c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: &ev.SecretId}); err != nil {
			return err
		}
		_, err := r.c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: &ev.SecretId, VersionId: &ev.ClientRequestToken, VersionStage: aws.String("AWSPENDING")})
		var rnf *types.ResourceNotFoundException
		if errors.As(err, &rnf) {
			pw, err := r.c.GetRandomPassword(ctx, &secretsmanager.GetRandomPasswordInput{ExcludeCharacters: aws.String(`/@"'\`)})
			if err != nil {
				return err
			}
			_, err = r.c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: &ev.SecretId, ClientRequestToken: &ev.ClientRequestToken,
				SecretString: pw.RandomPassword, VersionStages: []string{"AWSPENDING"}})
			return err
		}
		return err
	case "finishSecret":
		var current string
		for id, st := range d.VersionIdsToStages {
			if slices.Contains(st, "AWSCURRENT") {
				current = id
			}
		}
		_, err := r.c.UpdateSecretVersionStage(ctx, &secretsmanager.UpdateSecretVersionStageInput{SecretId: &ev.SecretId, VersionStage: aws.String("AWSCURRENT"),
			MoveToVersionId: &ev.ClientRequestToken, RemoveFromVersionId: &current})
		return err
	}
	return nil
}

func TestRotationSyncFourSteps(t *testing.T) {
	e := newEnv(t, WithSyncRotation())
	r := &templateRotator{c: e.client}
	e.srv.RegisterRotationFunction(lambdaARN, r.fn)
	v1 := mustCreate(t, e.client, "rot", "initial").VersionId
	out, err := e.client.RotateSecret(ctx, &secretsmanager.RotateSecretInput{SecretId: aws.String("rot"), RotationLambdaARN: aws.String(lambdaARN),
		RotationRules: &types.RotationRulesType{AutomaticallyAfterDays: aws.Int64(1)}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.steps, rotationSteps) {
		t.Fatalf("steps %v", r.steps)
	}
	if r.lastEvt.SecretId != *out.ARN || r.lastEvt.ClientRequestToken != *out.VersionId || r.lastEvt.RotationToken == "" {
		t.Fatalf("event %+v", r.lastEvt)
	}
	got := stagesOf(t, e.client, "rot")
	if !slices.Equal(got[*v1], []string{"AWSPREVIOUS"}) || !slices.Contains(got[*out.VersionId], "AWSCURRENT") {
		t.Fatalf("stages after rotation %v", got)
	}
	d, _ := e.client.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("rot")})
	if !aws.ToBool(d.RotationEnabled) || aws.ToString(d.RotationLambdaARN) != lambdaARN || d.LastRotatedDate == nil || d.NextRotationDate == nil ||
		aws.ToInt64(d.RotationRules.AutomaticallyAfterDays) != 1 {
		t.Fatalf("describe after rotation %+v", d)
	}
	// A second rotation reuses the stored configuration.
	r.steps = nil
	out2, err := e.client.RotateSecret(ctx, &secretsmanager.RotateSecretInput{SecretId: aws.String("rot")})
	if err != nil || len(r.steps) != 4 {
		t.Fatalf("second rotation %v %v", err, r.steps)
	}
	got = stagesOf(t, e.client, "rot")
	if !slices.Equal(got[*out.VersionId], []string{"AWSPREVIOUS"}) || !slices.Contains(got[*out2.VersionId], "AWSCURRENT") {
		t.Fatalf("stages after second rotation %v", got)
	}
	// Cancel: rotation off, rules kept, NextRotationDate gone.
	if _, err := e.client.CancelRotateSecret(ctx, &secretsmanager.CancelRotateSecretInput{SecretId: aws.String("rot")}); err != nil {
		t.Fatal(err)
	}
	d, _ = e.client.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("rot")})
	if d.RotationEnabled == nil || *d.RotationEnabled || d.RotationRules == nil || d.NextRotationDate != nil {
		t.Fatalf("after cancel %+v", d)
	}
}

func TestRotationFailingStepLeavesPending(t *testing.T) {
	e := newEnv(t, WithSyncRotation())
	r := &templateRotator{c: e.client, failAt: "testSecret"}
	e.srv.RegisterRotationFunction(lambdaARN, r.fn)
	mustCreate(t, e.client, "rotfail", "initial")
	out, err := e.client.RotateSecret(ctx, &secretsmanager.RotateSecretInput{SecretId: aws.String("rotfail"), RotationLambdaARN: aws.String(lambdaARN)})
	if err != nil {
		t.Fatal(err) // AWS answers before the steps run; a failed step is not an API error
	}
	if !slices.Equal(r.steps, []string{"createSecret", "setSecret", "testSecret"}) {
		t.Fatalf("steps %v", r.steps)
	}
	if got := stagesOf(t, e.client, "rotfail"); !slices.Equal(got[*out.VersionId], []string{"AWSPENDING"}) {
		t.Fatalf("stages %v", got)
	}
	d, _ := e.client.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("rotfail")})
	if d.LastRotatedDate != nil {
		t.Fatal("failed rotation set LastRotatedDate")
	}
	_, err = e.client.RotateSecret(ctx, &secretsmanager.RotateSecretInput{SecretId: aws.String("rotfail")})
	var ire *types.InvalidRequestException
	if !errors.As(err, &ire) {
		t.Fatalf("rotation in progress: %v", err)
	}
}

func TestRotationNotImmediatelyRunsTestSecretOnly(t *testing.T) {
	e := newEnv(t, WithSyncRotation())
	var seen []string
	var pending string
	e.srv.RegisterRotationFunction(lambdaARN, func(ctx context.Context, ev RotationEvent) error {
		seen = append(seen, ev.Step)
		g, err := e.client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: &ev.SecretId, VersionStage: aws.String("AWSPENDING")})
		if err != nil {
			return err
		}
		pending = *g.SecretString
		return nil
	})
	v1 := mustCreate(t, e.client, "later", "keep-me").VersionId
	_, err := e.client.RotateSecret(ctx, &secretsmanager.RotateSecretInput{SecretId: aws.String("later"), RotationLambdaARN: aws.String(lambdaARN),
		RotateImmediately: aws.Bool(false), RotationRules: &types.RotationRulesType{ScheduleExpression: aws.String("rate(10 days)")}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(seen, []string{"testSecret"}) || pending != "keep-me" {
		t.Fatalf("steps %v pending %q", seen, pending)
	}
	got := stagesOf(t, e.client, "later")
	if len(got) != 1 || !slices.Equal(got[*v1], []string{"AWSCURRENT"}) {
		t.Fatalf("placeholder not removed: %v", got)
	}
	d, _ := e.client.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("later")})
	if !aws.ToBool(d.RotationEnabled) || d.NextRotationDate == nil || aws.ToString(d.RotationRules.ScheduleExpression) != "rate(10 days)" || d.LastRotatedDate != nil {
		t.Fatalf("describe %+v", d)
	}
}

func TestRotationAsyncByDefault(t *testing.T) {
	e := newEnv(t)
	release := make(chan struct{})
	done := make(chan string, 4)
	e.srv.RegisterRotationFunction(lambdaARN, func(ctx context.Context, ev RotationEvent) error {
		<-release
		done <- ev.Step
		return nil
	})
	mustCreate(t, e.client, "async", "v")
	out, err := e.client.RotateSecret(ctx, &secretsmanager.RotateSecretInput{SecretId: aws.String("async"), RotationLambdaARN: aws.String(lambdaARN)})
	if err != nil {
		t.Fatal(err)
	}
	// The answer came before any step ran: the placeholder is there.
	if got := stagesOf(t, e.client, "async"); !slices.Equal(got[*out.VersionId], []string{"AWSPENDING"}) {
		t.Fatalf("stages %v", got)
	}
	_, err = e.client.RotateSecret(ctx, &secretsmanager.RotateSecretInput{SecretId: aws.String("async")})
	if !errors.As(err, new(*types.InvalidRequestException)) {
		t.Fatalf("concurrent rotation: %v", err)
	}
	close(release)
	e.srv.Close() // waits for the background rotation
	if len(done) != 4 {
		t.Fatalf("%d steps ran before Close returned", len(done))
	}
}

func TestRotationSchedules(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 30, 0, 0, time.UTC)
	tests := []struct {
		name  string
		rules RotationRules
		want  time.Time
		err   ErrorCode
	}{
		{"days: end of the UTC day N days on", RotationRules{AutomaticallyAfterDays: ptr(int64(3))}, time.Date(2026, 11, 28, 23, 59, 59, 0, time.UTC), ""},
		{"days with a window", RotationRules{AutomaticallyAfterDays: ptr(int64(1)), Duration: sp("2h")}, time.Date(2026, 11, 26, 2, 0, 0, 0, time.UTC), ""},
		{"rate hours", RotationRules{ScheduleExpression: sp("rate(12 hours)")}, time.Date(2026, 11, 25, 23, 30, 0, 0, time.UTC), ""},
		{"rate days", RotationRules{ScheduleExpression: sp("rate(2 days)")}, time.Date(2026, 11, 27, 23, 59, 59, 0, time.UTC), ""},
		{"cron daily 16:00", RotationRules{ScheduleExpression: sp("cron(0 16 * * ? *)"), Duration: sp("3h")}, time.Date(2026, 11, 25, 19, 0, 0, 0, time.UTC), ""},
		{"cron first Sunday-ish weekday", RotationRules{ScheduleExpression: sp("cron(0 8 ? * MON *)")}, time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC), ""},
		{"cron monthly", RotationRules{ScheduleExpression: sp("cron(0 0 1 * ? *)")}, time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC), ""},
		{"too frequent", RotationRules{ScheduleExpression: sp("rate(1 hour)")}, time.Time{}, ErrInvalidParameter},
		{"both", RotationRules{ScheduleExpression: sp("rate(1 day)"), AutomaticallyAfterDays: ptr(int64(1))}, time.Time{}, ErrInvalidParameter},
		{"bad cron", RotationRules{ScheduleExpression: sp("cron(0 0 * * * *)")}, time.Time{}, ErrInvalidParameter},
		{"days out of range", RotationRules{AutomaticallyAfterDays: ptr(int64(1001))}, time.Time{}, ErrValidation},
		{"bad duration", RotationRules{AutomaticallyAfterDays: ptr(int64(1)), Duration: sp("2d")}, time.Time{}, ErrValidation},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc, err := parseRules(&tc.rules)
			if tc.err != "" {
				wantCode(t, err, tc.err, "")
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := sc.next(now); !got.Equal(tc.want) {
				t.Fatalf("next = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestCommandRotationFunc runs a shell script as the rotation function: the
// event arrives on stdin; a non-zero exit fails with stderr in the error.
func TestCommandRotationFunc(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh on PATH")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "events")
	fn := CommandRotationFunc("sh", "-c", `cat >> "$0"; echo >> "$0"; case "$(tail -n1 "$0")" in *testSecret*) echo "  cannot log in with the pending password  " >&2; exit 3;; esac`, out)
	for _, step := range rotationSteps[:2] {
		if err := fn(ctx, RotationEvent{Step: step, SecretId: "arn:x", ClientRequestToken: "t"}); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	err := fn(ctx, RotationEvent{Step: "testSecret", SecretId: "arn:x", ClientRequestToken: "t", RotationToken: "rt"})
	if err == nil || !strings.HasSuffix(err.Error(), ": cannot log in with the pending password") {
		t.Fatalf("error %v", err)
	}
	b, _ := os.ReadFile(out)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 3 || lines[0] != `{"Step":"createSecret","SecretId":"arn:x","ClientRequestToken":"t"}` ||
		lines[2] != `{"Step":"testSecret","SecretId":"arn:x","ClientRequestToken":"t","RotationToken":"rt"}` {
		t.Fatalf("events %q", lines)
	}
	_ = fmt.Sprint()
}

func TestRotateDueFollowsTheSchedule(t *testing.T) {
	e := newEnv(t, WithSyncRotation())
	r := &templateRotator{c: e.client}
	e.srv.RegisterRotationFunction(lambdaARN, r.fn)
	mustCreate(t, e.client, "sched", "v")
	mustCreate(t, e.client, "unscheduled", "v")
	first, err := e.client.RotateSecret(ctx, &secretsmanager.RotateSecretInput{SecretId: aws.String("sched"), RotationLambdaARN: aws.String(lambdaARN),
		RotationRules: &types.RotationRulesType{AutomaticallyAfterDays: aws.Int64(2)}})
	if err != nil {
		t.Fatal(err)
	}
	if n := e.srv.RotateDue(ctx); n != 0 {
		t.Fatalf("%d rotations started before the date", n)
	}
	e.clock.Advance(3 * 24 * time.Hour)
	if n := e.srv.RotateDue(ctx); n != 1 {
		t.Fatalf("%d rotations started, want 1", n)
	}
	got := stagesOf(t, e.client, "sched")
	if !slices.Equal(got[*first.VersionId], []string{"AWSPREVIOUS"}) || len(got) != 2 {
		t.Fatalf("stages after the scheduled rotation %v", got)
	}
	if n := e.srv.RotateDue(ctx); n != 0 {
		t.Fatalf("rotated again at once: %d", n)
	}
}
