package emulator

import (
	"bytes"
	"encoding/base64"
	"log/slog"
	"os/exec"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// TestRotationStderrIsRedacted: a rotation command that prints the secret's
// password (raw, base64 and JSON-escaped) to stderr and fails leaves none
// of it in the log.
func TestRotationStderrIsRedacted(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh on PATH")
	}
	const pw = `hunter2-"Pa55"`
	b64 := base64.StdEncoding.EncodeToString([]byte(pw))
	const lambda = "arn:aws:lambda:us-east-1:123456789012:function:leaky"
	script := `cat >/dev/null; echo "login failed for app with ` + strings.ReplaceAll(pw, `"`, `\"`) + ` (` + b64 + `) json hunter2-\\\"Pa55\\\"" >&2; exit 1`
	var logs bytes.Buffer
	e := newEnv(t, WithLogger(slog.New(slog.NewTextHandler(&logs, nil))), WithSyncRotation(),
		WithRotationFunction(lambda, CommandRotationFunc("sh", "-c", script)))
	if _, err := e.client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("db"),
		SecretString: aws.String(`{"username":"app","password":"hunter2-\"Pa55\""}`)}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.RotateSecret(ctx, &secretsmanager.RotateSecretInput{SecretId: aws.String("db"), RotationLambdaARN: aws.String(lambda)}); err != nil {
		t.Fatal(err)
	}
	out := logs.String()
	if !strings.Contains(out, "rotation step failed") || !strings.Contains(out, "[redacted]") || !strings.Contains(out, "login failed for app") {
		t.Fatalf("log does not show the redacted failure: %s", out)
	}
	for _, leak := range []string{"hunter2", b64, "Pa55"} {
		if strings.Contains(out, leak) {
			t.Fatalf("log leaks %q: %s", leak, out)
		}
	}
}
