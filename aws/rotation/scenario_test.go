package rotation_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"secretlings/aws/rotation"
	"secretlings/aws/rotation/demoservice"
	"secretlings/internal/motoserver"
)

// The strategies talk to the demo service through its HTTP client.
var _ rotation.KeyService = (*demoservice.Client)(nil)

func newClient(url string) *secretsmanager.Client {
	return secretsmanager.New(secretsmanager.Options{
		BaseEndpoint: aws.String(url),
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
	})
}

func motoClient(t *testing.T) *secretsmanager.Client {
	t.Helper()
	return newClient(motoserver.ForTest(t).URL)
}

// fixture is a demo service with one API-key secret whose current key it
// accepts.
type fixture struct {
	client  *secretsmanager.Client
	service *demoservice.Service
	keys    *demoservice.Client
	name    string // the secret's name
	first   rotation.APIKeySecret
}

var nonName = regexp.MustCompile(`[^A-Za-z0-9]+`)

func uniqueName(t *testing.T) string {
	t.Helper()
	var b [4]byte
	_, _ = rand.Read(b[:])
	return "rotation/" + strings.Trim(nonName.ReplaceAllString(t.Name(), "-"), "-") + "-" + hex.EncodeToString(b[:])
}

func newFixture(t *testing.T, client *secretsmanager.Client, user string) *fixture {
	t.Helper()
	svc := demoservice.New("admin-token-for-tests")
	srv, err := svc.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	key, err := rotation.NewAPIKey()
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{
		client:  client,
		service: svc,
		keys:    &demoservice.Client{BaseURL: srv.URL, AdminToken: "admin-token-for-tests"},
		name:    uniqueName(t),
		first:   rotation.APIKeySecret{Username: user, APIKey: key},
	}
	if err := svc.AddKey(user, key); err != nil {
		t.Fatal(err)
	}
	if _, err := client.CreateSecret(context.Background(), &secretsmanager.CreateSecretInput{
		Name: aws.String(f.name), SecretString: aws.String(f.first.JSON()),
	}); err != nil {
		t.Fatalf("CreateSecret: %v", err)
	}
	return f
}

// value returns the parsed value of the version with stage.
func (f *fixture) value(t *testing.T, stage string) rotation.APIKeySecret {
	t.Helper()
	out, err := f.client.GetSecretValue(context.Background(), &secretsmanager.GetSecretValueInput{SecretId: aws.String(f.name), VersionStage: aws.String(stage)})
	if err != nil {
		t.Fatalf("GetSecretValue(%s): %v", stage, err)
	}
	v, err := rotation.ParseAPIKeySecret(aws.ToString(out.SecretString))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func (f *fixture) stages(t *testing.T) map[string][]string {
	t.Helper()
	out, err := f.client.DescribeSecret(context.Background(), &secretsmanager.DescribeSecretInput{SecretId: aws.String(f.name)})
	if err != nil {
		t.Fatal(err)
	}
	return out.VersionIdsToStages
}

// accepts reports whether the demo service, over HTTP, accepts key as user.
func (f *fixture) accepts(t *testing.T, s rotation.APIKeySecret) bool {
	t.Helper()
	user, err := f.keys.WhoAmI(context.Background(), s.APIKey)
	if errors.Is(err, demoservice.ErrUnauthorized) {
		return false
	}
	if err != nil {
		t.Fatalf("WhoAmI: %v", err)
	}
	if user != s.Username {
		t.Fatalf("key of %s authenticates as %s", s.Username, user)
	}
	return true
}

func has(stages map[string][]string, id, label string) bool {
	return slices.Contains(stages[id], label)
}

// checkRotated checks the labels after one successful rotation from prev to
// the outcome's token.
func checkRotated(t *testing.T, f *fixture, out *rotation.Outcome, prev string) {
	t.Helper()
	st := f.stages(t)
	if !out.Succeeded() || !has(st, out.Token, "AWSCURRENT") || !has(st, prev, "AWSPREVIOUS") {
		t.Fatalf("after rotation: outcome %+v, stages %v; want %s AWSCURRENT and %s AWSPREVIOUS", out, st, out.Token, prev)
	}
	for id, labels := range st {
		if id != out.Token && slices.Contains(labels, "AWSPENDING") {
			t.Fatalf("AWSPENDING left on %s: %v", id, st)
		}
	}
	if want := rotation.Steps; !slices.Equal(out.Completed, want) {
		t.Fatalf("completed %v, want %v", out.Completed, want)
	}
}

// scenarioSingleUser: one user, the old key stops working after finish.
func scenarioSingleUser(t *testing.T, client *secretsmanager.Client, drive func(f *fixture, h rotation.Handler) *rotation.Outcome) {
	f := newFixture(t, client, "app")
	h := rotation.SingleUser{Service: f.keys}
	prev := f.stages(t)
	prevID := ""
	for id, l := range prev {
		if slices.Contains(l, "AWSCURRENT") {
			prevID = id
		}
	}
	keys := []rotation.APIKeySecret{f.first}
	for i := range 2 {
		out := drive(f, h)
		checkRotated(t, f, out, prevID)
		prevID = out.Token
		cur := f.value(t, "AWSCURRENT")
		if cur.Username != "app" || cur.APIKey == keys[len(keys)-1].APIKey {
			t.Fatalf("rotation %d: current %v, want user app with a new key", i+1, cur)
		}
		if got := f.value(t, "AWSPREVIOUS"); got != keys[len(keys)-1] {
			t.Fatalf("rotation %d: AWSPREVIOUS is %v, want the old value", i+1, got)
		}
		if !f.accepts(t, cur) {
			t.Fatalf("rotation %d: the new key is rejected", i+1)
		}
		for _, old := range keys {
			if f.accepts(t, old) {
				t.Fatalf("rotation %d: an old key still works after finishSecret", i+1)
			}
		}
		if n := f.service.KeyCount("app"); n != 1 {
			t.Fatalf("rotation %d: user app has %d keys, want 1", i+1, n)
		}
		keys = append(keys, cur)
	}
}

// scenarioAlternating: two users; the previous key keeps working until the
// next rotation replaces it.
func scenarioAlternating(t *testing.T, client *secretsmanager.Client, drive func(f *fixture, h rotation.Handler) *rotation.Outcome) {
	f := newFixture(t, client, "app-a")
	h := rotation.AlternatingUsers{Service: f.keys, Users: [2]string{"app-a", "app-b"}}
	history := []rotation.APIKeySecret{f.first}
	for i, wantUser := range []string{"app-b", "app-a", "app-b"} {
		out := drive(f, h)
		if !out.Succeeded() {
			t.Fatalf("rotation %d did not succeed: %+v", i+1, out)
		}
		cur := f.value(t, "AWSCURRENT")
		prev := history[len(history)-1]
		if cur.Username != wantUser {
			t.Fatalf("rotation %d: current user %s, want %s", i+1, cur.Username, wantUser)
		}
		if got := f.value(t, "AWSPREVIOUS"); got != prev {
			t.Fatalf("rotation %d: AWSPREVIOUS %v, want %v", i+1, got, prev)
		}
		if !f.accepts(t, cur) || !f.accepts(t, prev) {
			t.Fatalf("rotation %d: want both the new key and the previous key accepted", i+1)
		}
		if len(history) >= 2 && f.accepts(t, history[len(history)-2]) {
			t.Fatalf("rotation %d: the key from two rotations ago still works", i+1)
		}
		history = append(history, cur)
	}
}

// flakyTest fails testSecret the first n times.
type flakyTest struct {
	rotation.Handler
	failures int
}

var errTestFailed = errors.New("injected testSecret failure")

func (h *flakyTest) TestSecret(ctx context.Context, s *rotation.Step) error {
	if h.failures > 0 {
		h.failures--
		return errTestFailed
	}
	return h.Handler.TestSecret(ctx, s)
}

// scenarioFailingTest: a failed testSecret leaves AWSCURRENT alone and the
// pending version visible; a retry completes the same rotation.
func scenarioFailingTest(t *testing.T, client *secretsmanager.Client) {
	f := newFixture(t, client, "app")
	h := &flakyTest{Handler: rotation.SingleUser{Service: f.keys}, failures: 1}
	ctx := context.Background()
	out, err := rotation.Drive(ctx, client, f.name, h)
	var se *rotation.StepError
	if !errors.As(err, &se) || !errors.Is(err, errTestFailed) || se.Step != "testSecret" {
		t.Fatalf("Drive error = %v, want testSecret's *StepError", err)
	}
	if out.FailedStep != "testSecret" || !slices.Equal(out.Completed, []string{"createSecret", "setSecret"}) {
		t.Fatalf("outcome %+v, want failure at testSecret after create and set", out)
	}
	if got := f.value(t, "AWSCURRENT"); got != f.first {
		t.Fatalf("AWSCURRENT changed to %v after a failed testSecret", got)
	}
	st := f.stages(t)
	if !has(st, out.PreviousVersion, "AWSCURRENT") || !has(st, out.Token, "AWSPENDING") || has(st, out.Token, "AWSCURRENT") {
		t.Fatalf("stages after failure %v, want %s AWSCURRENT and %s AWSPENDING", st, out.PreviousVersion, out.Token)
	}
	pending := f.value(t, "AWSPENDING")
	if pending.Username != "app" || pending.APIKey == f.first.APIKey {
		t.Fatalf("pending value %v, want a new key for app", pending)
	}
	if !f.accepts(t, f.first) {
		t.Fatal("the current key stopped working after a failed testSecret")
	}

	retry, err := rotation.Drive(ctx, client, f.name, h)
	if err != nil {
		t.Fatalf("retry: %v", err)
	}
	if !retry.Resumed || retry.Token != out.Token {
		t.Fatalf("retry %+v, want it to resume version %s", retry, out.Token)
	}
	checkRotated(t, f, retry, out.PreviousVersion)
	if got := f.value(t, "AWSCURRENT"); got != pending {
		t.Fatalf("after retry AWSCURRENT is %v, want the pending value created before the failure", got)
	}
	if f.accepts(t, f.first) || !f.accepts(t, pending) {
		t.Fatal("after retry: want the old key rejected and the new one accepted")
	}
}

func driveWith(t *testing.T) func(f *fixture, h rotation.Handler) *rotation.Outcome {
	return func(f *fixture, h rotation.Handler) *rotation.Outcome {
		t.Helper()
		var steps []string
		out, err := rotation.Drive(context.Background(), f.client, f.name, h,
			rotation.OnStep(func(step string, err error) { steps = append(steps, step) }))
		if err != nil {
			t.Fatalf("Drive: %v", err)
		}
		if !slices.Equal(steps, rotation.Steps) {
			t.Fatalf("OnStep saw %v", steps)
		}
		return out
	}
}

func TestDriveSingleUserMoto(t *testing.T) {
	scenarioSingleUser(t, motoClient(t), driveWith(t))
}

func TestDriveAlternatingUsersMoto(t *testing.T) {
	scenarioAlternating(t, motoClient(t), driveWith(t))
}

func TestDriveFailingTestSecretMoto(t *testing.T) {
	scenarioFailingTest(t, motoClient(t))
}

// twiceHandler runs each of the handler's methods twice in a row, without
// the preamble in between, and fails the step if the second run changed
// anything.
type twiceHandler struct {
	h rotation.Handler
	f *fixture
}

func (w twiceHandler) CreateSecret(ctx context.Context, s *rotation.Step) error {
	return twice(w.f, s.Event.Step, func() error { return w.h.CreateSecret(ctx, s) })
}
func (w twiceHandler) SetSecret(ctx context.Context, s *rotation.Step) error {
	return twice(w.f, s.Event.Step, func() error { return w.h.SetSecret(ctx, s) })
}
func (w twiceHandler) TestSecret(ctx context.Context, s *rotation.Step) error {
	return twice(w.f, s.Event.Step, func() error { return w.h.TestSecret(ctx, s) })
}
func (w twiceHandler) FinishSecret(ctx context.Context, s *rotation.Step) error {
	return twice(w.f, s.Event.Step, func() error { return w.h.FinishSecret(ctx, s) })
}

// TestStepsIdempotentMoto drives rotations on moto_server with every handler
// method run twice.
func TestStepsIdempotentMoto(t *testing.T) {
	client := motoClient(t)
	for _, strategy := range []string{"single", "alternating"} {
		t.Run(strategy, func(t *testing.T) {
			f := newFixture(t, client, "app-a")
			var h rotation.Handler = rotation.SingleUser{Service: f.keys}
			if strategy == "alternating" {
				h = rotation.AlternatingUsers{Service: f.keys, Users: [2]string{"app-a", "app-b"}}
			}
			for i := range 2 {
				out, err := rotation.Drive(context.Background(), client, f.name, twiceHandler{h: h, f: f})
				if err != nil {
					t.Fatalf("rotation %d: %v", i+1, err)
				}
				checkRotated(t, f, out, out.PreviousVersion)
			}
		})
	}
}
