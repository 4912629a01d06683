package rotation_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"secretlings/aws/rotation"
)

// fakeAPI answers DescribeSecret from a fixed description and fails every
// other call, which is all the preamble needs.
type fakeAPI struct {
	desc      secretsmanager.DescribeSecretOutput
	describes int
}

func (f *fakeAPI) DescribeSecret(context.Context, *secretsmanager.DescribeSecretInput, ...func(*secretsmanager.Options)) (*secretsmanager.DescribeSecretOutput, error) {
	f.describes++
	d := f.desc
	return &d, nil
}

func (f *fakeAPI) GetSecretValue(context.Context, *secretsmanager.GetSecretValueInput, ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error) {
	return nil, errors.New("fakeAPI: GetSecretValue not expected")
}

func (f *fakeAPI) PutSecretValue(context.Context, *secretsmanager.PutSecretValueInput, ...func(*secretsmanager.Options)) (*secretsmanager.PutSecretValueOutput, error) {
	return nil, errors.New("fakeAPI: PutSecretValue not expected")
}

func (f *fakeAPI) UpdateSecretVersionStage(context.Context, *secretsmanager.UpdateSecretVersionStageInput, ...func(*secretsmanager.Options)) (*secretsmanager.UpdateSecretVersionStageOutput, error) {
	return nil, errors.New("fakeAPI: UpdateSecretVersionStage not expected")
}

// recorder is a Handler that records which steps ran and what they saw.
type recorder struct {
	calls []string
	steps []*rotation.Step
	err   error
}

func (r *recorder) record(name string, s *rotation.Step) error {
	r.calls = append(r.calls, name)
	r.steps = append(r.steps, s)
	return r.err
}
func (r *recorder) CreateSecret(_ context.Context, s *rotation.Step) error {
	return r.record("create", s)
}
func (r *recorder) SetSecret(_ context.Context, s *rotation.Step) error { return r.record("set", s) }
func (r *recorder) TestSecret(_ context.Context, s *rotation.Step) error {
	return r.record("test", s)
}
func (r *recorder) FinishSecret(_ context.Context, s *rotation.Step) error {
	return r.record("finish", s)
}

const (
	tokOld = "11111111-1111-4111-8111-111111111111"
	tokNew = "22222222-2222-4222-8222-222222222222"
	arn    = "arn:aws:secretsmanager:us-east-1:123456789012:secret:demo-AbCdEf"
)

func TestRunPreamble(t *testing.T) {
	rotating := map[string][]string{tokOld: {"AWSCURRENT"}, tokNew: {"AWSPENDING"}}
	tests := []struct {
		name     string
		enabled  *bool
		stages   map[string][]string
		ev       rotation.Event
		wantErr  error
		wantCall string // the handler method that must run, or ""
	}{
		{"create dispatches", aws.Bool(true), rotating, rotation.Event{Step: "createSecret", SecretId: arn, ClientRequestToken: tokNew}, nil, "create"},
		{"set dispatches", aws.Bool(true), rotating, rotation.Event{Step: "setSecret", SecretId: arn, ClientRequestToken: tokNew}, nil, "set"},
		{"test dispatches", aws.Bool(true), rotating, rotation.Event{Step: "testSecret", SecretId: arn, ClientRequestToken: tokNew}, nil, "test"},
		{"finish dispatches", aws.Bool(true), rotating, rotation.Event{Step: "finishSecret", SecretId: arn, ClientRequestToken: tokNew}, nil, "finish"},
		{"rotation disabled", aws.Bool(false), rotating, rotation.Event{Step: "createSecret", SecretId: arn, ClientRequestToken: tokNew}, rotation.ErrRotationNotEnabled, ""},
		{"rotation never configured", nil, rotating, rotation.Event{Step: "createSecret", SecretId: arn, ClientRequestToken: tokNew}, rotation.ErrRotationNotEnabled, ""},
		{"token unknown", aws.Bool(true), map[string][]string{tokOld: {"AWSCURRENT"}}, rotation.Event{Step: "createSecret", SecretId: arn, ClientRequestToken: tokNew}, rotation.ErrUnknownVersion, ""},
		{"already current is done", aws.Bool(true), map[string][]string{tokOld: {"AWSPREVIOUS"}, tokNew: {"AWSCURRENT", "AWSPENDING"}}, rotation.Event{Step: "finishSecret", SecretId: arn, ClientRequestToken: tokNew}, nil, ""},
		{"not pending", aws.Bool(true), map[string][]string{tokOld: {"AWSCURRENT"}, tokNew: {"AWSPREVIOUS"}}, rotation.Event{Step: "setSecret", SecretId: arn, ClientRequestToken: tokNew}, rotation.ErrNotPending, ""},
		{"unknown step", aws.Bool(true), rotating, rotation.Event{Step: "rotateSecret", SecretId: arn, ClientRequestToken: tokNew}, rotation.ErrBadEvent, ""},
		{"no token", aws.Bool(true), rotating, rotation.Event{Step: "createSecret", SecretId: arn}, rotation.ErrBadEvent, ""},
		{"no secret", aws.Bool(true), rotating, rotation.Event{Step: "createSecret", ClientRequestToken: tokNew}, rotation.ErrBadEvent, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			api := &fakeAPI{desc: secretsmanager.DescribeSecretOutput{ARN: aws.String(arn), RotationEnabled: tc.enabled, VersionIdsToStages: tc.stages}}
			h := &recorder{}
			err := rotation.Run(context.Background(), api, h, tc.ev)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("Run error = %v, want %v", err, tc.wantErr)
			}
			got := strings.Join(h.calls, ",")
			if got != tc.wantCall {
				t.Fatalf("handler calls = %q, want %q", got, tc.wantCall)
			}
			if tc.wantCall != "" {
				s := h.steps[0]
				if s.Token() != tokNew || s.SecretID() != arn || s.Event != tc.ev || s.Secret == nil {
					t.Fatalf("step = %+v, want the event and the description", s)
				}
			}
		})
	}
}

func TestRunWrapsHandlerErrors(t *testing.T) {
	api := &fakeAPI{desc: secretsmanager.DescribeSecretOutput{RotationEnabled: aws.Bool(true), VersionIdsToStages: map[string][]string{tokNew: {"AWSPENDING"}}}}
	boom := errors.New("service said no")
	err := rotation.Run(context.Background(), api, &recorder{err: boom}, rotation.Event{Step: "testSecret", SecretId: "demo", ClientRequestToken: tokNew})
	var se *rotation.StepError
	if !errors.As(err, &se) || !errors.Is(err, boom) {
		t.Fatalf("error = %v, want a *StepError wrapping %v", err, boom)
	}
	if se.Step != "testSecret" || se.Token != tokNew || se.SecretID != "demo" {
		t.Fatalf("StepError = %+v", se)
	}
}

// TestLambdaHandler runs the handler through aws-lambda-go's own invocation
// path, so the JSON field names are the ones Lambda decodes.
func TestLambdaHandler(t *testing.T) {
	api := &fakeAPI{desc: secretsmanager.DescribeSecretOutput{RotationEnabled: aws.Bool(true), VersionIdsToStages: map[string][]string{tokNew: {"AWSPENDING"}}}}
	h := &recorder{}
	payload := `{"Step":"setSecret","SecretId":"` + arn + `","ClientRequestToken":"` + tokNew + `","RotationToken":"rt-0123456789abcdef0123456789abcdef01"}`
	if _, err := lambda.NewHandler(rotation.LambdaHandler(api, h)).Invoke(context.Background(), []byte(payload)); err != nil {
		t.Fatalf("Invoke: %v", err)
	}
	want := rotation.Event{Step: "setSecret", SecretId: arn, ClientRequestToken: tokNew, RotationToken: "rt-0123456789abcdef0123456789abcdef01"}
	if len(h.steps) != 1 || h.steps[0].Event != want {
		t.Fatalf("handler saw %v, want one setSecret with %+v", h.calls, want)
	}
	// A failing step must fail the invocation, so Secrets Manager retries.
	h.err = errors.New("nope")
	if _, err := lambda.NewHandler(rotation.LambdaHandler(api, h)).Invoke(context.Background(), []byte(payload)); err == nil {
		t.Fatal("Invoke succeeded although the step failed")
	}
}

func TestServeStdin(t *testing.T) {
	api := &fakeAPI{desc: secretsmanager.DescribeSecretOutput{RotationEnabled: aws.Bool(true), VersionIdsToStages: map[string][]string{tokNew: {"AWSPENDING"}}}}
	ev := func(step string) string {
		b, _ := json.Marshal(rotation.Event{Step: step, SecretId: arn, ClientRequestToken: tokNew})
		return string(b)
	}
	tests := []struct {
		name      string
		in        string
		wantErr   error
		wantCalls string
	}{
		{"one event", ev("createSecret"), nil, "create"},
		{"two events", ev("setSecret") + "\n" + ev("testSecret"), nil, "set,test"},
		{"empty", "", rotation.ErrBadEvent, ""},
		{"not json", "{Step: secret-ish-value}", rotation.ErrBadEvent, ""},
		{"unknown field", `{"Step":"setSecret","Secret":"x","ClientRequestToken":"` + tokNew + `"}`, rotation.ErrBadEvent, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := &recorder{}
			err := rotation.ServeStdin(context.Background(), api, h, strings.NewReader(tc.in))
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("error = %v, want %v", err, tc.wantErr)
			}
			if got := strings.Join(h.calls, ","); got != tc.wantCalls {
				t.Fatalf("calls = %q, want %q", got, tc.wantCalls)
			}
			if err != nil && strings.Contains(err.Error(), "secret-ish") {
				t.Fatalf("error quotes the input: %v", err)
			}
		})
	}
}

func TestAPIKeySecretMasksKey(t *testing.T) {
	s := rotation.APIKeySecret{Username: "app-a", APIKey: "sk_very_secret_value_123"}
	var buf bytes.Buffer
	for _, f := range []string{"%v", "%+v", "%s", "%#v"} {
		buf.Reset()
		fmt.Fprintf(&buf, f, s)
		if strings.Contains(buf.String(), "very_secret") || !strings.Contains(buf.String(), "app-a") {
			t.Errorf("format %s gave %q: want the user and no key", f, buf.String())
		}
	}
	back, err := rotation.ParseAPIKeySecret(s.JSON())
	if err != nil || back != s {
		t.Fatalf("round trip = %v, %v", back, err)
	}
	for _, bad := range []string{"sk_not_json_secret", `{"username":"u"}`, `{"api_key":"sk_secret_x"}`, `[]`} {
		_, err := rotation.ParseAPIKeySecret(bad)
		if err == nil || strings.Contains(err.Error(), "secret_") || strings.Contains(err.Error(), "not_json") {
			t.Errorf("Parse(%q) error = %v: want an error that does not quote the value", bad, err)
		}
	}
}

func TestNewAPIKey(t *testing.T) {
	a, err := rotation.NewAPIKey()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := rotation.NewAPIKey()
	if a == b || !strings.HasPrefix(a, "sk_") || len(a) != 46 {
		t.Fatalf("keys %q, %q: want distinct sk_ keys of 46 characters", a, b)
	}
}
