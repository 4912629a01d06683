package emulator

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"secretlings/internal/awscli"
)

// runAWS runs the aws CLI against url as the root of the default account
// and decodes its JSON output.
func runAWS(t *testing.T, url string, args ...string) map[string]any {
	t.Helper()
	if !awscli.Installed() {
		t.Skip("aws CLI not on PATH; install it (pip install awscli) to run this test")
	}
	env := append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_CONFIG_FILE=/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_PAGER=")
	res, err := awscli.Run(context.Background(), env, append([]string{"--endpoint-url", url, "--region", "us-east-1", "--output", "json"}, args...)...)
	if err == nil && res.Code != 0 {
		err = fmt.Errorf("exit status %d", res.Code)
	}
	if err != nil {
		t.Fatalf("aws %v: %v: %s", args, err, res.Stderr)
	}
	m := map[string]any{}
	if res.Stdout != "" {
		if err := json.Unmarshal([]byte(res.Stdout), &m); err != nil {
			t.Fatalf("aws %v output is not JSON: %q", args, res.Stdout)
		}
	}
	return m
}

func TestKMSAndLookupEventsWithAWSCLI(t *testing.T) {
	e := newEnv(t)
	key := runAWS(t, e.url, "kms", "create-key", "--description", "from the CLI")["KeyMetadata"].(map[string]any)
	id := key["KeyId"].(string)
	runAWS(t, e.url, "kms", "create-alias", "--alias-name", "alias/cli", "--target-key-id", id)
	d := runAWS(t, e.url, "kms", "describe-key", "--key-id", "alias/cli")["KeyMetadata"].(map[string]any)
	if d["KeyId"] != id || d["KeyState"] != "Enabled" || d["Description"] != "from the CLI" {
		t.Fatalf("describe-key: %v", d)
	}
	runAWS(t, e.url, "kms", "disable-key", "--key-id", id)
	sch := runAWS(t, e.url, "kms", "schedule-key-deletion", "--key-id", id, "--pending-window-in-days", "7")
	if sch["KeyState"] != "PendingDeletion" {
		t.Fatalf("schedule-key-deletion: %v", sch)
	}
	if keys := runAWS(t, e.url, "kms", "list-keys")["Keys"].([]any); len(keys) != 1 {
		t.Fatalf("list-keys: %v", keys)
	}
	if aliases := runAWS(t, e.url, "kms", "list-aliases")["Aliases"].([]any); len(aliases) != 1 {
		t.Fatalf("list-aliases: %v", aliases)
	}
	runAWS(t, e.url, "kms", "cancel-key-deletion", "--key-id", id)
	runAWS(t, e.url, "kms", "enable-key", "--key-id", id)

	ctx := context.Background()
	e.client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("prod/db"), SecretString: aws.String("pw")})
	e.client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("prod/db")})
	out := runAWS(t, e.url, "cloudtrail", "lookup-events", "--lookup-attributes", "AttributeKey=EventName,AttributeValue=GetSecretValue")
	events := out["Events"].([]any)
	if len(events) != 1 {
		t.Fatalf("lookup-events by EventName: %d events: %v", len(events), out)
	}
	ev := events[0].(map[string]any)
	var full map[string]any
	if ev["EventName"] != "GetSecretValue" || ev["Username"] != "root" ||
		json.Unmarshal([]byte(ev["CloudTrailEvent"].(string)), &full) != nil || full["responseElements"] != nil {
		t.Fatalf("event: %v", ev)
	}
	kmsEvents := runAWS(t, e.url, "cloudtrail", "lookup-events", "--lookup-attributes", "AttributeKey=EventSource,AttributeValue=kms.amazonaws.com")["Events"].([]any)
	if len(kmsEvents) != 9 {
		t.Fatalf("%d KMS events, want the 9 CLI calls", len(kmsEvents))
	}
}

func TestLookupEventsWithBoto3(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not on PATH")
	}
	if exec.Command(py, "-c", "import boto3").Run() != nil {
		t.Skip("boto3 not installed (pip install boto3)")
	}
	e := newEnv(t)
	ctx := context.Background()
	e.client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("prod/db"), SecretString: aws.String("pw")})
	e.client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("prod/db")})
	script := `
import boto3, json, sys
ct = boto3.client("cloudtrail", endpoint_url=sys.argv[1], region_name="us-east-1",
                  aws_access_key_id="test", aws_secret_access_key="test")
out = ct.lookup_events(LookupAttributes=[{"AttributeKey": "ResourceName", "AttributeValue": "prod/db"}], MaxResults=50)
kms = boto3.client("kms", endpoint_url=sys.argv[1], region_name="us-east-1",
                   aws_access_key_id="test", aws_secret_access_key="test")
key = kms.create_key(Description="boto3")["KeyMetadata"]
print(json.dumps({"names": [e["EventName"] for e in out["Events"]],
                  "time": type(out["Events"][0]["EventTime"]).__name__,
                  "state": kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"]}))
`
	cmd := exec.Command(py, "-c", script, e.url)
	cmd.Env = append(os.Environ(), "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("boto3: %v: %s", err, b)
	}
	var got struct {
		Names []string
		Time  string
		State string
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("boto3 output %q", b)
	}
	if strings.Join(got.Names, ",") != "GetSecretValue,CreateSecret" || got.Time != "datetime" || got.State != "Enabled" {
		t.Fatalf("boto3 saw %+v", got)
	}
}
