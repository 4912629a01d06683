package rotation_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"

	"secretlings/aws/rotation"
)

var errNotCalled = errors.New("Generate must not be called")

func TestDriveRefusesASecondRotation(t *testing.T) {
	e := newEmulator(t)
	f := newFixture(t, e.client, "app")
	ctx := context.Background()
	first, err := rotation.Drive(ctx, e.client, f.name, &flakyTest{Handler: rotation.SingleUser{Service: f.keys}, failures: 1})
	if err == nil {
		t.Fatal("the flaky rotation succeeded")
	}
	before, _ := snapshot(f)
	_, err = rotation.Drive(ctx, e.client, f.name, rotation.SingleUser{Service: f.keys}, rotation.WithToken("33333333-3333-4333-8333-333333333333"))
	if !errors.Is(err, rotation.ErrRotationInProgress) || !strings.Contains(err.Error(), first.Token) {
		t.Fatalf("error = %v, want ErrRotationInProgress naming %s", err, first.Token)
	}
	if after, _ := snapshot(f); after != before {
		t.Fatalf("a refused Drive changed the secret:\n%s\n%s", before, after)
	}
	// The pending token itself is accepted and resumes.
	out, err := rotation.Drive(ctx, e.client, f.name, rotation.SingleUser{Service: f.keys}, rotation.WithToken(first.Token))
	if err != nil || !out.Resumed || !out.Succeeded() {
		t.Fatalf("resume with the pending token: %+v, %v", out, err)
	}
}

func TestDriveWithPendingValue(t *testing.T) {
	e := newEmulator(t)
	f := newFixture(t, e.client, "app")
	staged := rotation.APIKeySecret{Username: "app", APIKey: "sk_staged_by_the_caller_01"}
	h := rotation.Funcs{
		Generate: func(context.Context, string) (string, error) { return "", errNotCalled },
		Set: func(ctx context.Context, s *rotation.Step) error {
			return f.keys.AddKey(ctx, "app", staged.APIKey)
		},
	}
	out, err := rotation.Drive(context.Background(), e.client, f.name, h, rotation.WithPendingValue(staged.JSON()))
	if err != nil || !out.Succeeded() {
		t.Fatalf("Drive: %+v, %v", out, err)
	}
	if got := f.value(t, "AWSCURRENT"); got != staged {
		t.Fatalf("AWSCURRENT = %v, want the staged value", got)
	}
}

func TestDriveReportsBrokenHandlers(t *testing.T) {
	gen := func(context.Context, string) (string, error) {
		return rotation.APIKeySecret{Username: "app", APIKey: "sk_generated_value_0001"}.JSON(), nil
	}
	tests := []struct {
		name     string
		h        rotation.Handler
		wantStep string
		wantText string
	}{
		{"create stores nothing", rotation.Funcs{Create: func(context.Context, *rotation.Step) error { return nil }}, "createSecret", "PutPending"},
		{"create without Generate", rotation.Funcs{}, "createSecret", "Generate"},
		{"finish does not promote", rotation.Funcs{Generate: gen, Finish: func(context.Context, *rotation.Step) error { return nil }}, "finishSecret", "PromotePending"},
		{"set fails", rotation.Funcs{Generate: gen, Set: func(context.Context, *rotation.Step) error { return errors.New("target down") }}, "setSecret", "target down"},
	}
	e := newEmulator(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, e.client, "app")
			out, err := rotation.Drive(context.Background(), e.client, f.name, tc.h)
			var se *rotation.StepError
			if !errors.As(err, &se) || se.Step != tc.wantStep || !strings.Contains(err.Error(), tc.wantText) {
				t.Fatalf("error = %v, want a %s StepError mentioning %q", err, tc.wantStep, tc.wantText)
			}
			if out == nil || out.FailedStep != tc.wantStep || out.Succeeded() {
				t.Fatalf("outcome %+v, want FailedStep %s", out, tc.wantStep)
			}
			if got := f.value(t, "AWSCURRENT"); got != f.first && tc.wantStep != "finishSecret" {
				t.Fatalf("AWSCURRENT changed after a failed %s", tc.wantStep)
			}
		})
	}
}

func TestDriveUnrotatableSecrets(t *testing.T) {
	e := newEmulator(t)
	ctx := context.Background()
	name := uniqueName(t)
	if _, err := e.client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String(name)}); err != nil {
		t.Fatal(err)
	}
	if _, err := rotation.Drive(ctx, e.client, name, rotation.Funcs{}); err == nil || !strings.Contains(err.Error(), "no AWSCURRENT") {
		t.Fatalf("empty secret: %v, want a 'no AWSCURRENT' error", err)
	}
	var nf *types.ResourceNotFoundException
	if _, err := rotation.Drive(ctx, e.client, name+"-missing", rotation.Funcs{}); !errors.As(err, &nf) {
		t.Fatalf("missing secret: %v, want ResourceNotFoundException", err)
	}
}

// Without Users, AlternatingUsers alternates between the user and its
// "_clone", as AWS's templates name them.
func TestAlternatingUsersCloneNaming(t *testing.T) {
	e := newEmulator(t)
	f := newFixture(t, e.client, "app")
	h := rotation.AlternatingUsers{Service: f.keys}
	for i, want := range []string{"app_clone", "app", "app_clone"} {
		if _, err := rotation.Drive(context.Background(), e.client, f.name, h); err != nil {
			t.Fatal(err)
		}
		if got := f.value(t, "AWSCURRENT").Username; got != want {
			t.Fatalf("rotation %d: user %s, want %s", i+1, got, want)
		}
	}
	// A user outside an explicit pair is an error, not a guess.
	bad := rotation.AlternatingUsers{Service: f.keys, Users: [2]string{"x", "y"}}
	if _, err := rotation.Drive(context.Background(), e.client, f.name, bad); err == nil || !strings.Contains(err.Error(), "neither x nor y") {
		t.Fatalf("error = %v, want the user-pair mismatch", err)
	}
}

// TestLogsCarryNoValues: Run's log lines name the secret, step and version
// but never a key, old or new.
func TestLogsCarryNoValues(t *testing.T) {
	e := newEmulator(t)
	f := newFixture(t, e.client, "app")
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	out, err := rotation.Drive(context.Background(), e.client, f.name, rotation.SingleUser{Service: f.keys}, rotation.WithRunOptions(rotation.WithLogger(log)))
	if err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	for _, step := range rotation.Steps {
		if !strings.Contains(text, "step="+step) {
			t.Fatalf("no log line for %s; the leak check below would prove nothing:\n%s", step, text)
		}
	}
	if !strings.Contains(text, out.Token) {
		t.Fatalf("log lacks the version id:\n%s", text)
	}
	for _, key := range []string{f.first.APIKey, f.value(t, "AWSCURRENT").APIKey} {
		if strings.Contains(text, key) || strings.Contains(text, key[3:15]) {
			t.Fatal("a key appears in the rotation log")
		}
	}
	if slices.Contains(strings.Fields(text), "api_key") {
		t.Fatal("the log mentions api_key")
	}
}
