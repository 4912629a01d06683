package aws

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestDescribeTheEmbeddedConnection(t *testing.T) {
	isolate(t)
	c, err := Connect(context.Background(), Target{Backend: Embedded})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	d := c.Describe(context.Background())
	if !strings.HasPrefix(d.Endpoint.Value, "http://127.0.0.1:") || !strings.Contains(d.Endpoint.Source, "embedded emulator") {
		t.Errorf("endpoint %+v: want the emulator's loopback URL, said to be the embedded emulator", d.Endpoint)
	}
	if d.Region != (Origin{"us-east-1", "default"}) {
		t.Errorf("region %+v, want us-east-1 by default", d.Region)
	}
	if d.Credentials != (Origin{"test", "StaticCredentials"}) || !strings.Contains(d.Note, "dummy keys") {
		t.Errorf("credentials %+v, note %q: want the static dummy keys, said so", d.Credentials, d.Note)
	}
}

func TestDescribeEnvironmentFromVariables(t *testing.T) {
	isolate(t)
	t.Setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566")
	t.Setenv("AWS_DEFAULT_REGION", "eu-west-1")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	d := DescribeEnvironment(context.Background(), os.Getenv)
	want := Connection{
		Endpoint:    Origin{"http://127.0.0.1:4566", "AWS_ENDPOINT_URL"},
		Region:      Origin{"eu-west-1", "AWS_DEFAULT_REGION"},
		Credentials: Origin{"AKIA••••••••", "EnvConfigCredentials"},
	}
	if d != want {
		t.Fatalf("got  %+v\nwant %+v", d, want)
	}
	if s := fmt.Sprintf("%+v", d); strings.Contains(s, "wJalr") || strings.Contains(s, "IOSFODNN7") {
		t.Fatalf("the description shows a key: %s", s)
	}
}

func TestDescribeEnvironmentFromAProfile(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	config := dir + "/config"
	creds := dir + "/credentials"
	write(t, config, "[profile dev]\nregion = ap-south-1\nservices = local\n\n[services local]\nsecrets_manager =\n  endpoint_url = http://127.0.0.1:4566\n")
	write(t, creds, "[dev]\naws_access_key_id = AKIADEVPROFILE000001\naws_secret_access_key = not-shown-anywhere\n")
	t.Setenv("AWS_CONFIG_FILE", config)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", creds)
	t.Setenv("AWS_PROFILE", "dev")
	d := DescribeEnvironment(context.Background(), os.Getenv)
	if d.Endpoint.Value != "http://127.0.0.1:4566" || !strings.HasPrefix(d.Endpoint.Source, "the services section of profile dev") {
		t.Errorf("endpoint %+v", d.Endpoint)
	}
	if d.Region.Value != "ap-south-1" || !strings.Contains(d.Region.Source, "profile dev") {
		t.Errorf("region %+v", d.Region)
	}
	if d.Credentials.Value != "AKIA••••••••" || !strings.HasPrefix(d.Credentials.Source, "SharedConfigCredentials") {
		t.Errorf("credentials %+v", d.Credentials)
	}
}

func TestDescribeEnvironmentWithNothingConfigured(t *testing.T) {
	isolate(t)
	d := DescribeEnvironment(context.Background(), os.Getenv)
	if d.Endpoint.Value != "" || d.Region.Value != "" || !strings.HasPrefix(d.Region.Source, "none") || !strings.HasPrefix(d.Credentials.Source, "none") {
		t.Fatalf("nothing configured should say none: %+v", d)
	}
}

// A profile whose credentials need a program, a role or a sign-in is named
// as such: the demo only reads configuration, so none of them is tried.
func TestDescribeEnvironmentRunsNoCredentialSource(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	ran := dir + "/ran"
	write(t, dir+"/config", "[profile proc]\nregion = eu-west-1\ncredential_process = touch "+ran+"\n\n"+
		"[profile role]\nrole_arn = arn:aws:iam::123456789012:role/deployer\nsource_profile = proc\n")
	t.Setenv("AWS_CONFIG_FILE", dir+"/config")
	for profile, want := range map[string]string{
		"proc": "profile proc's credential_process (not run here)",
		"role": "profile role assumes role arn:aws:iam::123456789012:role/deployer (not assumed here)",
	} {
		t.Setenv("AWS_PROFILE", profile)
		if d := DescribeEnvironment(context.Background(), os.Getenv); d.Credentials != (Origin{Source: want}) {
			t.Errorf("profile %s: credentials %+v, want %q", profile, d.Credentials, want)
		}
	}
	if _, err := os.Stat(ran); err == nil {
		t.Fatal("the credential_process was run")
	}
}

func TestMaskAccessKey(t *testing.T) {
	for in, want := range map[string]string{"AKIAIOSFODNN7EXAMPLE": "AKIA••••••••", "ASIA1": "ASIA••••••••", "test": "test", "": ""} {
		if got := MaskAccessKey(in); got != want {
			t.Errorf("MaskAccessKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func write(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}
