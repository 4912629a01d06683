package rotation_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"maps"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"

	"secretlings/aws/emulator"
	"secretlings/aws/rotation"
	"secretlings/aws/rotation/demoservice"
)

const lambdaARN = "arn:aws:lambda:us-east-1:123456789012:function:rotate-api-keys"

// emu is the embedded emulator on a loopback httptest server, rotating
// synchronously so a test sees the result when RotateSecret returns.
type emu struct {
	srv    *emulator.Server
	url    string
	client *secretsmanager.Client
}

func newEmulator(t *testing.T) *emu {
	t.Helper()
	srv, err := emulator.New(emulator.WithSyncRotation())
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() {
		hs.Close()
		_ = srv.Close()
	})
	return &emu{srv: srv, url: hs.URL, client: newClient(hs.URL)}
}

// asFunc adapts a rotation handler to the emulator's RotationFunc: the two
// event types convert with a plain conversion. steps, if non-nil, records
// each step and its result.
func asFunc(client rotation.API, h rotation.Handler, steps *stepLog) emulator.RotationFunc {
	run := rotation.LambdaHandler(client, h)
	return func(ctx context.Context, ev emulator.RotationEvent) error {
		err := run(ctx, rotation.Event(ev))
		if steps != nil {
			steps.add(ev, err)
		}
		return err
	}
}

type stepLog struct {
	mu     sync.Mutex
	steps  []string
	errs   []error
	events []rotation.Event
}

func (l *stepLog) add(ev emulator.RotationEvent, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.steps = append(l.steps, ev.Step)
	l.errs = append(l.errs, err)
	l.events = append(l.events, rotation.Event(ev))
}

// rotateWith returns a drive function for the scenarios that rotates through
// RotateSecret: the emulator creates the placeholder and invokes the
// registered function for each step.
func (e *emu) rotateWith(t *testing.T) func(f *fixture, h rotation.Handler) *rotation.Outcome {
	return func(f *fixture, h rotation.Handler) *rotation.Outcome {
		t.Helper()
		var log stepLog
		e.srv.RegisterRotationFunction(lambdaARN, asFunc(f.client, h, &log))
		before := f.stages(t)
		prev := ""
		for id, l := range before {
			if slices.Contains(l, "AWSCURRENT") {
				prev = id
			}
		}
		out, err := f.client.RotateSecret(context.Background(), &secretsmanager.RotateSecretInput{
			SecretId:          aws.String(f.name),
			RotationLambdaARN: aws.String(lambdaARN),
			RotationRules:     &types.RotationRulesType{AutomaticallyAfterDays: aws.Int64(30)},
		})
		if err != nil {
			t.Fatalf("RotateSecret: %v", err)
		}
		for i, err := range log.errs {
			if err != nil {
				t.Fatalf("step %s failed: %v", log.steps[i], err)
			}
		}
		for _, ev := range log.events {
			if ev.ClientRequestToken != aws.ToString(out.VersionId) || ev.SecretId != aws.ToString(out.ARN) || ev.RotationToken == "" {
				t.Fatalf("event %+v does not match RotateSecret's version %s and ARN %s", ev, aws.ToString(out.VersionId), aws.ToString(out.ARN))
			}
		}
		return &rotation.Outcome{SecretARN: aws.ToString(out.ARN), Token: aws.ToString(out.VersionId), PreviousVersion: prev, Completed: log.steps, Stages: f.stages(t)}
	}
}

func TestRotateSecretSingleUserEmulator(t *testing.T) {
	e := newEmulator(t)
	scenarioSingleUser(t, e.client, e.rotateWith(t))
}

func TestRotateSecretAlternatingUsersEmulator(t *testing.T) {
	e := newEmulator(t)
	scenarioAlternating(t, e.client, e.rotateWith(t))
}

func TestDriveSingleUserEmulator(t *testing.T) {
	scenarioSingleUser(t, newEmulator(t).client, driveWith(t))
}

func TestDriveAlternatingUsersEmulator(t *testing.T) {
	scenarioAlternating(t, newEmulator(t).client, driveWith(t))
}

func TestDriveFailingTestSecretEmulator(t *testing.T) {
	scenarioFailingTest(t, newEmulator(t).client)
}

// TestRotateSecretFailingTestSecretEmulator: through RotateSecret, a failed
// testSecret leaves AWSCURRENT and the pending version in place; RotateSecret
// with the pending version's token re-drives and completes that rotation.
func TestRotateSecretFailingTestSecretEmulator(t *testing.T) {
	e := newEmulator(t)
	f := newFixture(t, e.client, "app")
	h := &flakyTest{Handler: rotation.SingleUser{Service: f.keys}, failures: 1}
	var log stepLog
	e.srv.RegisterRotationFunction(lambdaARN, asFunc(e.client, h, &log))
	ctx := context.Background()
	out, err := e.client.RotateSecret(ctx, &secretsmanager.RotateSecretInput{SecretId: aws.String(f.name), RotationLambdaARN: aws.String(lambdaARN)})
	if err != nil {
		t.Fatalf("RotateSecret: %v", err)
	}
	token := aws.ToString(out.VersionId)
	if !slices.Equal(log.steps, []string{"createSecret", "setSecret", "testSecret"}) || !errors.Is(log.errs[2], errTestFailed) {
		t.Fatalf("steps %v, errors %v: want the rotation to stop at a failed testSecret", log.steps, log.errs)
	}
	if got := f.value(t, "AWSCURRENT"); got != f.first {
		t.Fatalf("AWSCURRENT changed to %v after a failed testSecret", got)
	}
	st := f.stages(t)
	if !has(st, token, "AWSPENDING") || has(st, token, "AWSCURRENT") {
		t.Fatalf("stages %v: want %s AWSPENDING and not AWSCURRENT", st, token)
	}
	pending := f.value(t, "AWSPENDING")
	if !f.accepts(t, f.first) {
		t.Fatal("the current key stopped working")
	}

	// A new rotation is refused while this one is incomplete…
	if _, err := e.client.RotateSecret(ctx, &secretsmanager.RotateSecretInput{SecretId: aws.String(f.name)}); err == nil {
		t.Fatal("a second rotation started while the first was incomplete")
	}
	// …and the same token re-drives it.
	if _, err := e.client.RotateSecret(ctx, &secretsmanager.RotateSecretInput{SecretId: aws.String(f.name), ClientRequestToken: aws.String(token)}); err != nil {
		t.Fatalf("re-driving RotateSecret: %v", err)
	}
	if got := f.value(t, "AWSCURRENT"); got != pending {
		t.Fatalf("after the retry AWSCURRENT is %v, want the pending value from the first attempt", got)
	}
	if f.accepts(t, f.first) || !f.accepts(t, pending) {
		t.Fatal("after the retry: want the old key rejected and the new one accepted")
	}
}

// snapshot describes the whole state a step can change: labels, each
// version's value (as a digest), and which keys the service accepts. It
// returns an error rather than failing the test, because rotation functions
// run on the emulator's goroutines.
func snapshot(f *fixture) (string, error) {
	ctx := context.Background()
	desc, err := f.client.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(f.name)})
	if err != nil {
		return "", err
	}
	st := desc.VersionIdsToStages
	var b strings.Builder
	users := map[string]bool{}
	for _, id := range slices.Sorted(maps.Keys(st)) {
		labels := slices.Sorted(slices.Values(st[id]))
		v, err := f.client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(f.name), VersionId: aws.String(id)})
		var nf *types.ResourceNotFoundException
		switch {
		case errors.As(err, &nf):
			fmt.Fprintf(&b, "%s %v (no value)\n", id, labels)
			continue
		case err != nil:
			return "", fmt.Errorf("GetSecretValue(%s): %w", id, err)
		}
		s, err := rotation.ParseAPIKeySecret(aws.ToString(v.SecretString))
		if err != nil {
			return "", err
		}
		user, ok := f.service.Authenticate(s.APIKey)
		users[s.Username] = true
		fmt.Fprintf(&b, "%s %v value %x accepted=%v as %q\n", id, labels, sha256.Sum256([]byte(s.APIKey)), ok, user)
	}
	for _, u := range slices.Sorted(maps.Keys(users)) {
		fmt.Fprintf(&b, "user %s keys %d\n", u, f.service.KeyCount(u))
	}
	return b.String(), nil
}

// twice runs a step a second time and reports a difference between the
// states after the first and the second run.
func twice(f *fixture, step string, run func() error) error {
	if err := run(); err != nil {
		return err
	}
	once, err := snapshot(f)
	if err != nil {
		return err
	}
	if err := run(); err != nil {
		return fmt.Errorf("second run of %s: %w", step, err)
	}
	again, err := snapshot(f)
	if err != nil {
		return err
	}
	if again != once {
		return fmt.Errorf("%s is not idempotent:\nafter one run:\n%s\nafter two:\n%s", step, once, again)
	}
	return nil
}

// TestStepsIdempotentEmulator runs every step twice through Run, as Secrets
// Manager's retries do, and requires the second run to leave the state of
// the first.
func TestStepsIdempotentEmulator(t *testing.T) {
	for _, strategy := range []string{"single", "alternating"} {
		t.Run(strategy, func(t *testing.T) {
			e := newEmulator(t)
			f := newFixture(t, e.client, "app-a")
			var h rotation.Handler = rotation.SingleUser{Service: f.keys}
			if strategy == "alternating" {
				h = rotation.AlternatingUsers{Service: f.keys, Users: [2]string{"app-a", "app-b"}}
			}
			var (
				mu   sync.Mutex
				ran  []string
				errs []error
			)
			e.srv.RegisterRotationFunction(lambdaARN, func(ctx context.Context, ev emulator.RotationEvent) error {
				err := twice(f, ev.Step, func() error { return rotation.Run(ctx, e.client, h, rotation.Event(ev)) })
				mu.Lock()
				defer mu.Unlock()
				ran = append(ran, ev.Step)
				errs = append(errs, err)
				return err
			})
			for i := range 2 {
				if _, err := e.client.RotateSecret(context.Background(), &secretsmanager.RotateSecretInput{SecretId: aws.String(f.name), RotationLambdaARN: aws.String(lambdaARN)}); err != nil {
					t.Fatalf("rotation %d: %v", i+1, err)
				}
			}
			if err := errors.Join(errs...); err != nil {
				t.Fatal(err)
			}
			if want := slices.Concat(rotation.Steps, rotation.Steps); !slices.Equal(ran, want) {
				t.Fatalf("steps %v, want %v", ran, want)
			}
			if cur := f.value(t, "AWSCURRENT"); cur == f.first || !f.accepts(t, cur) {
				t.Fatal("the rotations did not install a working new key")
			}
		})
	}
}

// TestCommandRotationFunctionEmulator runs the rotation function as a
// separate process fed by the emulator on stdin: this test binary re-executed
// with ROTATION_HELPER set, whose TestMain calls ServeStdin.
func TestCommandRotationFunctionEmulator(t *testing.T) {
	e := newEmulator(t)
	f := newFixture(t, e.client, "app")
	t.Setenv("ROTATION_HELPER", "single")
	t.Setenv("ROTATION_HELPER_ENDPOINT", e.url)
	t.Setenv("ROTATION_HELPER_DEMO", f.keys.BaseURL)
	t.Setenv("ROTATION_HELPER_ADMIN", f.keys.AdminToken)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	e.srv.RegisterRotationFunction(lambdaARN, emulator.CommandRotationFunc(exe))
	out, err := e.client.RotateSecret(context.Background(), &secretsmanager.RotateSecretInput{SecretId: aws.String(f.name), RotationLambdaARN: aws.String(lambdaARN)})
	if err != nil {
		t.Fatalf("RotateSecret: %v", err)
	}
	st := f.stages(t)
	if !has(st, aws.ToString(out.VersionId), "AWSCURRENT") {
		t.Fatalf("stages %v: the command did not complete the rotation to %s", st, aws.ToString(out.VersionId))
	}
	if cur := f.value(t, "AWSCURRENT"); !f.accepts(t, cur) || f.accepts(t, f.first) {
		t.Fatal("want the new key accepted and the old one rejected")
	}
}

// helperMain is the rotation command of TestCommandRotationFunctionEmulator.
func helperMain() int {
	client := newClient(os.Getenv("ROTATION_HELPER_ENDPOINT"))
	keys := &demoservice.Client{BaseURL: os.Getenv("ROTATION_HELPER_DEMO"), AdminToken: os.Getenv("ROTATION_HELPER_ADMIN")}
	if err := rotation.ServeStdin(context.Background(), client, rotation.SingleUser{Service: keys}, os.Stdin); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// TestWaitForBackgroundRotation: without WithSyncRotation the emulator
// rotates after RotateSecret answers, as AWS does, and Wait sees the end.
func TestWaitForBackgroundRotation(t *testing.T) {
	srv, err := emulator.New()
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	defer srv.Close()
	client := newClient(hs.URL)
	f := newFixture(t, client, "app")
	release, finished := make(chan struct{}), make(chan struct{})
	h := rotation.SingleUser{Service: f.keys}
	srv.RegisterRotationFunction(lambdaARN, func(ctx context.Context, ev emulator.RotationEvent) error {
		if ev.Step != rotation.StepFinishSecret {
			return rotation.Run(ctx, client, h, rotation.Event(ev))
		}
		<-release // hold the rotation open until Wait has seen it pending
		defer close(finished)
		return rotation.Run(ctx, client, h, rotation.Event(ev))
	})
	ctx := context.Background()
	out, err := client.RotateSecret(ctx, &secretsmanager.RotateSecretInput{SecretId: aws.String(f.name), RotationLambdaARN: aws.String(lambdaARN)})
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if err := rotation.Wait(short, client, f.name, aws.ToString(out.VersionId), 5*time.Millisecond); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Wait on an unfinished rotation = %v, want DeadlineExceeded", err)
	}
	close(release)
	long, cancel2 := context.WithTimeout(ctx, 10*time.Second)
	defer cancel2()
	if err := rotation.Wait(long, client, f.name, aws.ToString(out.VersionId), 5*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if cur := f.value(t, "AWSCURRENT"); cur == f.first || !f.accepts(t, cur) {
		t.Fatal("after Wait: want a new working key")
	}
	// finishSecret revokes the old key just after promoting the new one.
	<-finished
	if f.accepts(t, f.first) {
		t.Fatal("the old key still works after finishSecret")
	}
}

// TestRotateNotImmediately: RotateImmediately=false runs only testSecret,
// on a copy of the current value, and must leave everything as it was.
func TestRotateNotImmediately(t *testing.T) {
	e := newEmulator(t)
	f := newFixture(t, e.client, "app")
	var log stepLog
	e.srv.RegisterRotationFunction(lambdaARN, asFunc(e.client, rotation.SingleUser{Service: f.keys}, &log))
	before := f.stages(t)
	if _, err := e.client.RotateSecret(context.Background(), &secretsmanager.RotateSecretInput{
		SecretId: aws.String(f.name), RotationLambdaARN: aws.String(lambdaARN), RotateImmediately: aws.Bool(false),
		RotationRules: &types.RotationRulesType{AutomaticallyAfterDays: aws.Int64(7)},
	}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(log.steps, []string{"testSecret"}) || log.errs[0] != nil {
		t.Fatalf("steps %v errors %v, want one successful testSecret", log.steps, log.errs)
	}
	if after := f.stages(t); !maps.EqualFunc(before, after, slices.Equal) {
		t.Fatalf("labels changed from %v to %v", before, after)
	}
	if !f.accepts(t, f.first) || f.service.KeyCount("app") != 1 {
		t.Fatal("the test-only run changed the service's keys")
	}
}
