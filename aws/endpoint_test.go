package aws

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"secretlings/internal/awscli"
)

// endpointConfig is a shared config file with every place an endpoint can
// be configured. Each URL has its own port, so a result names its source.
const endpointConfig = `[default]
endpoint_url = http://127.0.0.1:1001

[profile dev]
endpoint_url = http://127.0.0.1:1002
services = dev-services

[services dev-services]
secrets_manager =
  endpoint_url = http://127.0.0.1:1003

[profile globalonly]
endpoint_url = http://127.0.0.1:1004

[profile ignoring]
endpoint_url = http://127.0.0.1:1005
ignore_configured_endpoint_urls = true

[profile plain]
region = eu-west-1
`

// endpointCases follow the order the aws CLI documents for
// service-specific endpoints (AWS SDKs and Tools Reference Guide,
// "Service-specific endpoints"): "the --endpoint-url parameter", then, when
// configured endpoints are not ignored, "AWS_ENDPOINT_URL_<SERVICE>",
// "AWS_ENDPOINT_URL", "the endpoint_url setting in a services section",
// "the global endpoint_url setting of the profile".
var endpointCases = []struct {
	name  string
	flags Flags
	env   map[string]string
	want  string // the URL, "" for none (the embedded backend)
}{
	{"the flag over everything", Flags{EndpointURL: "http://127.0.0.1:1010"},
		map[string]string{"AWS_ENDPOINT_URL_SECRETS_MANAGER": "http://127.0.0.1:1011", "AWS_PROFILE": "dev"}, "http://127.0.0.1:1010"},
	{"the flag even when configured ones are ignored", Flags{EndpointURL: "http://127.0.0.1:1010"},
		map[string]string{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"}, "http://127.0.0.1:1010"},
	{"the service variable over the global one and the profile", Flags{},
		map[string]string{"AWS_ENDPOINT_URL_SECRETS_MANAGER": "http://127.0.0.1:1011", "AWS_ENDPOINT_URL": "http://127.0.0.1:1012", "AWS_PROFILE": "dev"}, "http://127.0.0.1:1011"},
	{"the global variable over the profile", Flags{},
		map[string]string{"AWS_ENDPOINT_URL": "http://127.0.0.1:1012", "AWS_PROFILE": "dev"}, "http://127.0.0.1:1012"},
	{"the services section over the profile's endpoint_url", Flags{}, map[string]string{"AWS_PROFILE": "dev"}, "http://127.0.0.1:1003"},
	{"--profile picks the profile", Flags{Profile: "dev"}, map[string]string{"AWS_PROFILE": "globalonly"}, "http://127.0.0.1:1003"},
	{"the profile's endpoint_url", Flags{}, map[string]string{"AWS_PROFILE": "globalonly"}, "http://127.0.0.1:1004"},
	{"the default profile", Flags{}, map[string]string{}, "http://127.0.0.1:1001"},
	{"a profile with no endpoint", Flags{}, map[string]string{"AWS_PROFILE": "plain"}, ""},
	{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS over variables and profile", Flags{},
		map[string]string{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true", "AWS_ENDPOINT_URL": "http://127.0.0.1:1012", "AWS_PROFILE": "dev"}, ""},
	{"the profile's ignore_configured_endpoint_urls", Flags{},
		map[string]string{"AWS_PROFILE": "ignoring", "AWS_ENDPOINT_URL": "http://127.0.0.1:1012"}, ""},
	{"the variable false over the profile's true", Flags{},
		map[string]string{"AWS_PROFILE": "ignoring", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "false"}, "http://127.0.0.1:1005"},
}

func TestEndpointPrecedence(t *testing.T) {
	file := filepath.Join(t.TempDir(), "config")
	if err := os.WriteFile(file, []byte(endpointConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range endpointCases {
		t.Run(c.name, func(t *testing.T) {
			env := map[string]string{"AWS_CONFIG_FILE": file}
			for k, v := range c.env {
				env[k] = v
			}
			got, err := Resolve(c.flags, func(k string) string { return env[k] })
			if err != nil {
				t.Fatal(err)
			}
			wantBackend := Endpoint
			if c.want == "" {
				wantBackend = Embedded
			}
			if got.Endpoint != c.want || got.Backend != wantBackend {
				t.Errorf("endpoint %q (%s) on %s, want %q on %s", got.Endpoint, got.EndpointSource, got.Backend, c.want, wantBackend)
			}
			if c.want != "" && got.EndpointSource == "" {
				t.Error("no source named")
			}
		})
	}
	// --backend aws keeps a configured endpoint, as the SDK does.
	got, _ := Resolve(Flags{Backend: "aws"}, func(k string) string { return map[string]string{"AWS_CONFIG_FILE": file, "AWS_PROFILE": "dev"}[k] })
	if got.Endpoint != "http://127.0.0.1:1003" || !strings.Contains(got.EndpointSource, "services section of profile dev in "+file) {
		t.Errorf("aws backend: %q from %q", got.Endpoint, got.EndpointSource)
	}
	// No file, no profile: nothing configured.
	got, _ = Resolve(Flags{}, func(k string) string { return map[string]string{"AWS_CONFIG_FILE": file + ".missing"}[k] })
	if got.Backend != Embedded {
		t.Errorf("a missing config file: %+v", got)
	}
}

// TestEndpointPrecedenceMatchesTheCLI runs the same cases through the aws
// CLI, when it is installed, and reads the URL it sends to from --debug.
func TestEndpointPrecedenceMatchesTheCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the aws CLI: skipped with -short")
	}
	if !awscli.Installed() {
		t.Skip("the aws CLI is not installed: the endpoint order is checked against its documentation only")
	}
	file := filepath.Join(t.TempDir(), "config")
	if err := os.WriteFile(file, []byte(endpointConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	// An explicit --profile takes its keys from the profile, not the
	// environment: every profile gets dummy ones.
	creds := filepath.Join(t.TempDir(), "credentials")
	var cb strings.Builder
	for _, p := range []string{"default", "dev", "globalonly", "ignoring", "plain"} {
		cb.WriteString("[" + p + "]\naws_access_key_id = test\naws_secret_access_key = test\n")
	}
	if err := os.WriteFile(creds, []byte(cb.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	sent := regexp.MustCompile(`url=(https?://[^/]+)/`)
	for _, c := range endpointCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			args := []string{"secretsmanager", "list-secrets", "--debug", "--cli-connect-timeout", "1"}
			if c.flags.EndpointURL != "" {
				args = append(args, "--endpoint-url", c.flags.EndpointURL)
			}
			if c.flags.Profile != "" {
				args = append(args, "--profile", c.flags.Profile)
			}
			env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "AWS_CONFIG_FILE=" + file,
				"AWS_SHARED_CREDENTIALS_FILE=" + creds,
				"AWS_DEFAULT_REGION=us-east-1", "AWS_MAX_ATTEMPTS=1", "AWS_RETRY_MODE=standard", "AWS_EC2_METADATA_DISABLED=true"}
			for k, v := range c.env {
				env = append(env, k+"="+v)
			}
			res, err := awscli.Run(context.Background(), env, args...) // nothing listens: the call fails after the debug line
			if err != nil {
				t.Fatal(err)
			}
			out := []byte(res.Combined())
			m := sent.FindSubmatch(out)
			if m == nil {
				t.Fatalf("the CLI's debug output names no URL:\n%s", tail(out))
			}
			want := c.want
			if want == "" {
				want = "https://secretsmanager.us-east-1.amazonaws.com" // nothing configured: AWS
			}
			if string(m[1]) != want {
				t.Errorf("the aws CLI sends to %s, want %s", m[1], want)
			}
		})
	}
}

func tail(b []byte) string {
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}
