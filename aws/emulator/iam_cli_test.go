package emulator

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"secretlings/internal/awscli"
)

// These tests run the real aws CLI (v1, botocore) and boto3 against the
// emulator: their SigV4 signatures must verify, and they must show AWS's
// AccessDeniedException and STS answers.

// runTool runs a command with the given credentials and returns its
// combined output and whether it succeeded.
func runTool(t *testing.T, akid, secret string, name string, args ...string) (string, bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") { // no profile, token or config of the machine's own
			env = append(env, kv)
		}
	}
	env = append(env, "AWS_ACCESS_KEY_ID="+akid, "AWS_SECRET_ACCESS_KEY="+secret,
		"AWS_DEFAULT_REGION=us-east-1", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
		"AWS_MAX_ATTEMPTS=1", "AWS_PAGER=")
	if name == "aws" {
		res, err := awscli.Run(ctx, env, args...)
		if err != nil {
			t.Fatalf("aws %v: %v", args, err)
		}
		return res.Combined(), res.Code == 0
	}
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	return string(out), err == nil
}

func needTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("%s is not installed; install the aws CLI (pip install awscli boto3) to run this test", name)
	}
}

func TestCLIAsCastMember(t *testing.T) {
	needTool(t, "aws")
	e := newEnv(t)
	mustCreate(t, e.client, "prod/db", "s3cr3t-value")
	mustCreate(t, e.client, "dev/db", "s3cr3t-value")
	app, _ := CastMemberNamed("app")
	out, ok := runTool(t, app.AccessKeyID, app.SecretAccessKey, "aws", "secretsmanager", "get-secret-value",
		"--secret-id", "prod/db", "--endpoint-url", e.url, "--query", "Name", "--output", "text")
	if !ok || strings.TrimSpace(out) != "prod/db" {
		t.Fatalf("app reading prod/db: ok=%v %s", ok, out)
	}
	out, ok = runTool(t, app.AccessKeyID, app.SecretAccessKey, "aws", "secretsmanager", "get-secret-value",
		"--secret-id", "dev/db", "--endpoint-url", e.url)
	want := "An error occurred (AccessDeniedException) when calling the GetSecretValue operation: User: arn:aws:sts::123456789012:assumed-role/app/secretlings is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:123456789012:secret:dev/db-"
	if ok || !strings.Contains(out, want) || !strings.Contains(out, "because no identity-based policy allows the secretsmanager:GetSecretValue action") {
		t.Fatalf("app reading dev/db: ok=%v %s", ok, out)
	}
	if strings.Contains(out, "s3cr3t-value") {
		t.Fatal("the refusal shows the value")
	}
	out, ok = runTool(t, app.AccessKeyID, "wrong-key", "aws", "secretsmanager", "list-secrets", "--endpoint-url", e.url)
	if ok || !strings.Contains(out, "InvalidSignatureException") {
		t.Fatalf("wrong key: ok=%v %s", ok, out)
	}
	out, ok = runTool(t, "test", "test", "aws", "secretsmanager", "get-secret-value", "--secret-id", "dev/db",
		"--endpoint-url", e.url, "--query", "Name", "--output", "text")
	if !ok || strings.TrimSpace(out) != "dev/db" {
		t.Fatalf("root: ok=%v %s", ok, out)
	}
}

func TestCLIGetCallerIdentity(t *testing.T) {
	needTool(t, "aws")
	e := newEnv(t)
	auditor, _ := CastMemberNamed("auditor")
	out, ok := runTool(t, auditor.AccessKeyID, auditor.SecretAccessKey, "aws", "sts", "get-caller-identity",
		"--endpoint-url", e.url, "--query", "[Arn,Account,UserId]", "--output", "text")
	if !ok || strings.Join(strings.Fields(out), " ") != "arn:aws:iam::123456789012:user/auditor 123456789012 AIDASLAUDITOR0000003" {
		t.Fatalf("ok=%v %s", ok, out)
	}
	out, ok = runTool(t, "test", "test", "aws", "sts", "get-caller-identity", "--endpoint-url", e.url, "--query", "Arn", "--output", "text")
	if !ok || strings.TrimSpace(out) != "arn:aws:iam::123456789012:root" {
		t.Fatalf("root: ok=%v %s", ok, out)
	}
}

const boto3Script = `
import sys, boto3, botocore
url, akid, secret = sys.argv[1:4]
kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id=akid, aws_secret_access_key=secret)
ident = boto3.client("sts", **kw).get_caller_identity()
print("ARN", ident["Arn"], ident["Account"], ident["UserId"])
sm = boto3.client("secretsmanager", **kw)
print("NAME", sm.get_secret_value(SecretId="prod/db")["Name"])
try:
    sm.get_secret_value(SecretId="dev/db")
    print("DEV allowed")
except botocore.exceptions.ClientError as e:
    print("DEV", e.response["Error"]["Code"], e.response["Error"]["Message"])
`

func TestBoto3AsCastMember(t *testing.T) {
	needTool(t, "python3")
	if _, ok := runTool(t, "x", "x", "python3", "-c", "import boto3"); !ok {
		t.Skip("boto3 is not installed (pip install boto3)")
	}
	e := newEnv(t)
	mustCreate(t, e.client, "prod/db", "pw")
	mustCreate(t, e.client, "dev/db", "pw")
	app, _ := CastMemberNamed("app")
	out, ok := runTool(t, app.AccessKeyID, app.SecretAccessKey, "python3", "-c", boto3Script, e.url, app.AccessKeyID, app.SecretAccessKey)
	if !ok {
		t.Fatalf("boto3: %s", out)
	}
	for _, want := range []string{
		"ARN arn:aws:sts::123456789012:assumed-role/app/secretlings 123456789012 AROASLAPP00000000001:secretlings",
		"NAME prod/db",
		"DEV AccessDeniedException User: arn:aws:sts::123456789012:assumed-role/app/secretlings is not authorized to perform: secretsmanager:GetSecretValue",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("boto3 output lacks %q:\n%s", want, out)
		}
	}
}
