package aws

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/smithy-go"
)

// TestExplainRealSDKErrors replays AWS error responses to the real SDK client
// and checks the explanation names the cause and the fix.
func TestExplainRealSDKErrors(t *testing.T) {
	isolate(t)
	for _, tc := range []struct {
		code, message string
		want          []string
	}{
		{"ResourceNotFoundException", "Secrets Manager can't find the specified secret.", []string{"can't find the secret", "errors.As"}},
		{"ResourceNotFoundException", "Secrets Manager can't find the specified secret value for staging label: AWSPREVIOUS", []string{"AWSPREVIOUS", "ListSecretVersionIds"}},
		{"ResourceExistsException", "The operation failed because the secret x already exists.", []string{"already exists", "PutSecretValue"}},
		{"InvalidRequestException", "You can't perform this operation on the secret because it was marked for deletion.", []string{"scheduled for deletion", "RestoreSecret"}},
		{"InvalidParameterException", "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).", []string{"between 7 and 30"}},
		{"ValidationException", "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!", []string{"characters", "/ _ + = . @ -"}},
		{"ValidationException", "1 validation error detected: Value at 'secretString' failed to satisfy constraint: Member must have length less than or equal to 65536", []string{"64 KiB", "split"}},
		{"AccessDeniedException", "User is not authorized", []string{"may not do this", "sts get-caller-identity", "just this action", "resource policy"}},
		{"AccessDeniedException", "Access to KMS is not allowed", []string{"KMS key", "kms:Decrypt", "key's policy"}},
		{"UnrecognizedClientException", "The security token included in the request is invalid.", []string{"aws configure"}},
		{"UnknownOperationException", "", []string{"does not know this operation"}},
	} {
		t.Run(tc.code, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/x-amz-json-1.1")
				w.WriteHeader(http.StatusBadRequest)
				fmt.Fprintf(w, `{"__type":%q,"Message":%q}`, tc.code, tc.message)
			}))
			defer srv.Close()
			target := Target{Backend: Endpoint, Endpoint: srv.URL}
			c, err := Connect(context.Background(), target)
			if err != nil {
				t.Fatal(err)
			}
			const value = "hunter2-never-in-an-error"
			_, err = c.Client.CreateSecret(context.Background(), &secretsmanager.CreateSecretInput{Name: sdkaws.String("x"), SecretString: sdkaws.String(value)})
			got := Explain(err, c.Target)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("Explain = %q, want it to mention %q", got, w)
				}
			}
			if strings.Contains(got, value) {
				t.Errorf("the explanation leaked the request's secret value")
			}
		})
	}
}

func TestExplainConnectionErrors(t *testing.T) {
	isolate(t)
	url := closedPort(t)
	c, err := Connect(context.Background(), Target{Backend: Endpoint, Endpoint: url, EndpointSource: "--endpoint-url"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Client.ListSecrets(context.Background(), &secretsmanager.ListSecretsInput{})
	if got := Explain(err, c.Target); !strings.Contains(got, "Nothing answers at "+url) || !strings.Contains(got, "--endpoint-url") {
		t.Fatalf("Explain = %q", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = c.Client.ListSecrets(ctx, &secretsmanager.ListSecretsInput{})
	if got := Explain(err, c.Target); got != "The request was cancelled." {
		t.Fatalf("Explain(cancelled) = %q", got)
	}
	if Explain(nil, c.Target) != "" {
		t.Fatal("Explain(nil) should be empty")
	}
}

// TestExplainClosedConnection: the SDK's error when a kept-alive connection
// is reused after the server closed wraps net.ErrClosed ("use of closed
// network connection"); a learner sees it when the emulator goes away.
func TestExplainClosedConnection(t *testing.T) {
	tg := Target{Backend: Embedded, Endpoint: "http://127.0.0.1:1"}
	err := &smithy.OperationError{ServiceID: "Secrets Manager", OperationName: "ListSecrets",
		Err: &url.Error{Op: "Post", URL: tg.Endpoint, Err: &net.OpError{Op: "read", Net: "tcp", Err: net.ErrClosed}}}
	if got := Explain(err, tg); !strings.Contains(got, "Nothing answers at "+tg.Endpoint) {
		t.Fatalf("Explain = %q", got)
	}
	eof := &smithy.OperationError{ServiceID: "Secrets Manager", OperationName: "ListSecrets",
		Err: &url.Error{Op: "Post", URL: tg.Endpoint, Err: io.EOF}}
	if got := Explain(eof, tg); !strings.Contains(got, "Nothing answers at "+tg.Endpoint) {
		t.Fatalf("Explain(EOF) = %q", got)
	}
}
