package aws

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// calls make one request of each operation an explanation depends on.
var calls = map[string]func(context.Context, *secretsmanager.Client) error{
	"CreateSecret": func(ctx context.Context, c *secretsmanager.Client) error {
		_, err := c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: sdkaws.String("x"), SecretString: sdkaws.String("v")})
		return err
	},
	"PutSecretValue": func(ctx context.Context, c *secretsmanager.Client) error {
		_, err := c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: sdkaws.String("x"), SecretString: sdkaws.String("v")})
		return err
	},
	"UpdateSecret": func(ctx context.Context, c *secretsmanager.Client) error {
		_, err := c.UpdateSecret(ctx, &secretsmanager.UpdateSecretInput{SecretId: sdkaws.String("x"), SecretString: sdkaws.String("v")})
		return err
	},
	"GetSecretValue": func(ctx context.Context, c *secretsmanager.Client) error {
		_, err := c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: sdkaws.String("x")})
		return err
	},
	"DeleteSecret": func(ctx context.Context, c *secretsmanager.Client) error {
		_, err := c.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: sdkaws.String("x")})
		return err
	},
	"RestoreSecret": func(ctx context.Context, c *secretsmanager.Client) error {
		_, err := c.RestoreSecret(ctx, &secretsmanager.RestoreSecretInput{SecretId: sdkaws.String("x")})
		return err
	},
	"RotateSecret": func(ctx context.Context, c *secretsmanager.Client) error {
		_, err := c.RotateSecret(ctx, &secretsmanager.RotateSecretInput{SecretId: sdkaws.String("x")})
		return err
	},
	"UpdateSecretVersionStage": func(ctx context.Context, c *secretsmanager.Client) error {
		_, err := c.UpdateSecretVersionStage(ctx, &secretsmanager.UpdateSecretVersionStageInput{SecretId: sdkaws.String("x"), VersionStage: sdkaws.String("AWSCURRENT")})
		return err
	},
}

// TestExplainByOperation replays each error code an operation can raise to
// the real SDK client and checks the explanation fits that operation: what
// it must say, and the advice of another operation it must not give.
func TestExplainByOperation(t *testing.T) {
	isolate(t)
	const (
		notFound = "Secrets Manager can't find the specified secret."
		deleted  = "You can't perform this operation on the secret because it was marked for deletion."
	)
	for _, tc := range []struct {
		op, code, message string
		want, not         []string
	}{
		{"CreateSecret", "ResourceExistsException", "The operation failed because the secret x already exists.", []string{"name already exists", "PutSecretValue"}, []string{"ClientRequestToken"}},
		{"PutSecretValue", "ResourceExistsException", "You can't modify an existing version, you can only create a new version.", []string{"ClientRequestToken", "new token"}, []string{"name already exists", "add a version to it"}},
		{"UpdateSecret", "ResourceExistsException", "You can't use ClientRequestToken t because that value is already in use for a version of secret x.", []string{"ClientRequestToken"}, []string{"name already exists"}},
		{"CreateSecret", "InvalidRequestException", "You can't create this secret because a secret with this name is already scheduled for deletion.", []string{"RestoreSecret", "ForceDeleteWithoutRecovery"}, []string{"before using it"}},
		{"DeleteSecret", "InvalidRequestException", "You tried to perform the operation on a secret that's currently marked deleted.", []string{"already scheduled for deletion", "ForceDeleteWithoutRecovery"}, nil},
		{"GetSecretValue", "InvalidRequestException", deleted, []string{"scheduled for deletion", "RestoreSecret"}, nil},
		{"PutSecretValue", "InvalidRequestException", deleted, []string{"scheduled for deletion", "RestoreSecret"}, nil},
		{"GetSecretValue", "ResourceNotFoundException", notFound, []string{"can't find the secret", "errors.As"}, nil},
		{"GetSecretValue", "ResourceNotFoundException", "Secrets Manager can't find the specified secret value for staging label: AWSPREVIOUS", []string{"AWSPREVIOUS", "ListSecretVersionIds"}, []string{"create it first"}},
		{"DeleteSecret", "ResourceNotFoundException", notFound, []string{"no such secret to delete"}, []string{"create it first"}},
		{"RestoreSecret", "ResourceNotFoundException", notFound, []string{"recovery window"}, []string{"create it first"}},
		{"RotateSecret", "InvalidRequestException", "No Lambda rotation function ARN is associated with this secret.", []string{"RotationLambdaARN"}, nil},
		{"RotateSecret", "InvalidRequestException", "A previous rotation isn't complete. That rotation will be reattempted.", []string{"AWSPENDING"}, nil},
		{"UpdateSecretVersionStage", "InvalidParameterException", "The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is currently attached to version v1, so you must explicitly reference that version in RemoveFromVersionId.", []string{"v1", "label moves"}, nil},
		{"DeleteSecret", "InvalidParameterException", "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).", []string{"between 7 and 30"}, nil},
	} {
		t.Run(tc.op+"/"+tc.code, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if got := r.Header.Get("X-Amz-Target"); got != "secretsmanager."+tc.op {
					t.Errorf("the call sent %s, want %s", got, tc.op)
				}
				w.Header().Set("Content-Type", "application/x-amz-json-1.1")
				w.WriteHeader(http.StatusBadRequest)
				fmt.Fprintf(w, `{"__type":%q,"Message":%q}`, tc.code, tc.message)
			}))
			defer srv.Close()
			c, err := Connect(context.Background(), Target{Backend: Endpoint, Endpoint: srv.URL})
			if err != nil {
				t.Fatal(err)
			}
			got := Explain(calls[tc.op](context.Background(), c.Client), c.Target)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("Explain = %q, want it to mention %q", got, w)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(got, n) {
					t.Errorf("Explain = %q gives advice for another operation (%q)", got, n)
				}
			}
		})
	}
}

// TestExplainReusedTokenOnTheEmulator makes the mistake lesson 2 shows, a
// ClientRequestToken reused with a different value, on the embedded
// Secrets Manager.
func TestExplainReusedTokenOnTheEmulator(t *testing.T) {
	isolate(t)
	ctx := context.Background()
	c, err := Connect(ctx, Target{Backend: Embedded})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: sdkaws.String("tok"), SecretString: sdkaws.String("one")}); err != nil {
		t.Fatal(err)
	}
	token := sdkaws.String("11111111-2222-3333-4444-555555555555")
	put := func(v string) error {
		_, err := c.Client.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: sdkaws.String("tok"), SecretString: sdkaws.String(v), ClientRequestToken: token})
		return err
	}
	if err := put("two"); err != nil {
		t.Fatal(err)
	}
	got := Explain(put("three"), c.Target)
	if !strings.Contains(got, "ClientRequestToken") || strings.Contains(got, "name already exists") {
		t.Fatalf("Explain = %q, want the reused token explained", got)
	}
}
