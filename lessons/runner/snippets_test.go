package runner

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"secretlings/aws"
	"secretlings/lessons"
)

func TestCLINames(t *testing.T) {
	for in, want := range map[string]string{
		"CreateSecret":           "create-secret",
		"ListSecretVersionIds":   "list-secret-version-ids",
		"RotationLambdaARN":      "rotation-lambda-arn",
		"KmsKeyId":               "kms-key-id",
		"SecretIdList":           "secret-id-list",
		"IncludePlannedDeletion": "include-planned-deletion",
	} {
		if got := kebab(in); got != want {
			t.Errorf("kebab(%s) = %s, want %s", in, got, want)
		}
	}
	if got := snake("GetSecretValue"); got != "get_secret_value" {
		t.Errorf("snake = %s", got)
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{"plain/name-1": "plain/name-1", "two words": "'two words'", `it's`: `'it'\''s'`, `{"a":1}`: `'{"a":1}'`, "": "''"} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestGoSnippetsCompile writes every lesson action's Go snippet into a
// program and builds it, so the code the lessons show is real Go.
func TestGoSnippetsCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program: skipped with -short")
	}
	all, err := lessons.All()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString(snippetProgramHead)
	n := 0
	for _, l := range all {
		for _, a := range l.Actions() {
			if a.IsDemo() {
				continue
			}
			n++
			code, _, _ := SnippetsAs(a.Operation, a.As, a.Input, aws.Target{Backend: aws.Embedded, Endpoint: "http://127.0.0.1:4566"}, false)
			fmt.Fprintf(&b, "// %s, line %d\nfunc action%d(ctx context.Context, client *secretsmanager.Client, kmsClient *kms.Client, stsClient *sts.Client, trail *cloudtrail.Client) error {\n%s\n_, _ = out, err\nreturn nil\n}\n\n", l.ID, a.Line, n, code)
		}
	}
	// The program is vetted through an overlay into testdata/snippetcheck,
	// so nothing is written into the checkout: the checker's tests, running
	// beside this one, fail any program that changes the checkout.
	root, _ := filepath.Abs("../..")
	tmp := t.TempDir()
	src := filepath.Join(tmp, "main.go")
	if err := os.WriteFile(src, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	overlay, _ := json.Marshal(map[string]any{"Replace": map[string]string{filepath.Join(root, "lessons", "runner", "testdata", "snippetcheck", "main.go"): src}})
	overlayFile := filepath.Join(tmp, "overlay.json")
	if err := os.WriteFile(overlayFile, overlay, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "vet", "-overlay", overlayFile, "./lessons/runner/testdata/snippetcheck")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the Go snippets do not compile: %v\n%s\n%s", err, out, b.String())
	}
	t.Logf("%d Go snippets compile", n)
}

// snippetProgramHead starts the program the Go snippets are compiled in:
// every client a snippet may call, every package it may name.
const snippetProgramHead = `package main

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

var (
	_ = types.Tag{}
	_ = kmstypes.Tag{}
	_ = cttypes.LookupAttribute{}
	_ = aws.String
	_ = config.LoadDefaultConfig
)

func main() {}

`

// snippetEnv is the environment the aws CLI and python run in: only the
// AWS settings a learner would set for the emulator, none of the caller's.
func snippetEnv(t *testing.T) []string {
	t.Helper()
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	// The cast's profiles, as a learner puts them in ~/.aws/credentials,
	// for the steps that run as a cast member.
	creds := filepath.Join(t.TempDir(), "credentials")
	if err := os.WriteFile(creds, []byte(CredentialsFile()), 0o600); err != nil {
		t.Fatal(err)
	}
	env = append(env, "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE="+creds)
	return env
}

// withoutVars is env without the variables names.
func withoutVars(env []string, names ...string) []string {
	var out []string
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		if !slices.Contains(names, k) {
			out = append(out, kv)
		}
	}
	return out
}

// TestCLIAndBoto3SnippetsRun runs every lesson through the aws CLI and
// through boto3: each API action's snippet is executed for real against the
// embedded emulator (demo actions run through the runner, since they have no
// CLI form), and must succeed, or fail with the error the lesson expects.
func TestCLIAndBoto3SnippetsRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the aws CLI and python: skipped with -short")
	}
	isolate(t)
	env := snippetEnv(t)
	all, err := lessons.All()
	if err != nil {
		t.Fatal(err)
	}
	for _, tool := range []struct {
		name, bin, kind string
		pick            func(goCode, cli, python string) string
	}{
		{"aws CLI", "aws", "cli", func(_, cli, _ string) string { return cli }},
		{"boto3", "python3", "python", func(_, _, py string) string { return py }},
	} {
		t.Run(tool.name, func(t *testing.T) {
			t.Parallel()
			if _, err := exec.LookPath(tool.bin); err != nil {
				t.Skipf("%s not found: skipping the %s snippets", tool.bin, tool.name)
			}
			if tool.bin == "python3" {
				if err := exec.Command("python3", "-c", "import boto3").Run(); err != nil {
					t.Skip("boto3 is not installed: skipping the boto3 snippets")
				}
			}
			env := env
			if tool.kind == "python" {
				// A boto3 snippet carries its region and credentials: it
				// runs pasted into python3 with none in the environment.
				env = withoutVars(env, "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION")
			}
			run := snippetRunner(t, tool.kind, env)
			conn := connect(t, aws.Target{Backend: aws.Embedded})
			r := New(conn)
			r.timeScale = 0.05
			ctx := context.Background()
			ran := 0
			for _, l := range all {
				for i, a := range l.Actions() {
					if a.IsDemo() {
						if res := r.Run(ctx, l, i, nil); !res.OK() {
							t.Fatalf("%s action %d: %s", l.ID, i+1, res.Explanation)
						}
						continue
					}
					params, _, err := r.params(ctx, l.ID, a)
					if err != nil {
						t.Fatal(err)
					}
					input, err := a.Build(params)
					if err != nil {
						t.Fatal(err)
					}
					g, c, p := SnippetsAs(a.Operation, a.As, input, conn.Target, false)
					code := tool.pick(g, c, p)
					out, rc := run(code)
					ran++
					switch {
					case a.Expect == "" && rc != 0:
						t.Fatalf("%s line %d: %s failed: exit %d\n%s\n%s", l.ID, a.Line, tool.name, rc, code, out)
					case a.Expect != "" && (rc == 0 || !strings.Contains(out, a.Expect)):
						t.Fatalf("%s line %d: %s should fail with %s: exit %d\n%s", l.ID, a.Line, tool.name, a.Expect, rc, out)
					}
				}
				r.mu.Lock()
				r.next[l.ID] = len(l.Actions())
				r.mu.Unlock()
			}
			t.Logf("%d %s snippets ran against the emulator", ran, tool.name)
		})
	}
}

func TestSensitiveMembers(t *testing.T) {
	for _, tc := range []struct {
		member string
		want   bool
	}{
		{"SecretString", true},
		{"SecretBinary", true},
		{"RotationToken", true},
		{"RandomPassword", true},
		{"Name", false},
		{"SecretId", false},
		{"Description", false},
		{"secretstring", false}, // members are matched as the SDK spells them
	} {
		if got := Sensitive(tc.member); got != tc.want {
			t.Errorf("Sensitive(%q) = %v, want %v", tc.member, got, tc.want)
		}
	}
}

// The boto3 snippet is complete for the backend it was made for: the
// endpoint and region always, and for a local backend (signed as nobody
// in particular) credentials it does not check; on AWS, and as a cast
// member, the credentials come from the environment or the profile.
func TestBoto3SnippetIsComplete(t *testing.T) {
	input := &secretsmanager.GetSecretValueInput{SecretId: awssdk.String("demo/db")}
	local := aws.Target{Backend: aws.Embedded, Endpoint: "http://127.0.0.1:4566", Region: "eu-west-1"}
	_, _, py := Snippets("GetSecretValue", input, local, true)
	for _, want := range []string{`endpoint_url="http://127.0.0.1:4566"`, `region_name="eu-west-1"`, `aws_access_key_id="test"`, `aws_secret_access_key="test"`} {
		if !strings.Contains(py, want) {
			t.Errorf("local: %q lacks %s", py, want)
		}
	}
	_, _, py = Snippets("GetSecretValue", input, aws.Target{Backend: aws.AWS, Region: "eu-west-1"}, true)
	if !strings.Contains(py, `client = boto3.client("secretsmanager", region_name="eu-west-1")`) || strings.Contains(py, "aws_access_key_id") || strings.Contains(py, "endpoint_url") {
		t.Errorf("aws: %q", py)
	}
	_, _, py = SnippetsAs("GetSecretValue", "app", input, local, true)
	if strings.Contains(py, "aws_access_key_id") || !strings.Contains(py, "profile_name=") || !strings.Contains(py, `region_name="eu-west-1"`) {
		t.Errorf("as a cast member: %q", py)
	}
}
