package aws

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"secretlings/internal/motoserver"
)

func TestMain(m *testing.M) {
	code := m.Run()
	motoserver.StopShared()
	os.Exit(code)
}

// isolate keeps the learner's real AWS configuration out of a test.
func isolate(t *testing.T) {
	t.Helper()
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SECRETS_MANAGER", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"} {
		t.Setenv(k, "")
	}
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", dir+"/config")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", dir+"/credentials")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

func TestEmbeddedBackendStartsAndAnswers(t *testing.T) {
	isolate(t)
	ctx := context.Background()
	c, err := Connect(ctx, Target{Backend: Embedded})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if !strings.HasPrefix(c.Target.Endpoint, "http://127.0.0.1:") {
		t.Fatalf("embedded endpoint %q is not on loopback", c.Target.Endpoint)
	}
	if c.Target.Region != DefaultRegion || c.Target.RegionSource != "default" {
		t.Fatalf("region %q from %q, want us-east-1 by default", c.Target.Region, c.Target.RegionSource)
	}
	if h := c.Ping(ctx); !h.OK {
		t.Fatalf("ping: %v", h.Err)
	}
	if _, err := c.Client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: sdkaws.String("t/x"), SecretString: sdkaws.String("v")}); err != nil {
		t.Fatal(err)
	}
	out, err := c.Client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: sdkaws.String("t/x")})
	if err != nil || sdkaws.ToString(out.SecretString) != "v" {
		t.Fatalf("round trip: %v", err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if h := c.Ping(ctx); h.OK || !strings.Contains(h.Err.Error(), "Nothing answers") {
		t.Fatalf("after Close, ping = %+v", h)
	}
}

func TestEndpointBackendAgainstMoto(t *testing.T) {
	isolate(t)
	moto := motoserver.ForTest(t)
	c, err := Connect(context.Background(), Target{Backend: Endpoint, Endpoint: moto.URL, Region: "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	// moto loads its Secrets Manager backend on the first request, which on
	// a loaded machine takes longer than Ping's 3 s: warm it up first.
	warm, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c.Client.ListSecrets(warm, &secretsmanager.ListSecretsInput{})
	if h := c.Ping(context.Background()); !h.OK {
		t.Fatalf("moto does not answer: %v", h.Err)
	}
}

func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

func TestPingExplainsADownBackend(t *testing.T) {
	isolate(t)
	for _, tc := range []struct {
		backend Backend
		want    string
	}{
		{Endpoint, "Nothing answers at"},
		{LocalStack, "LocalStack is not running at"},
	} {
		url := closedPort(t)
		c, err := Connect(context.Background(), Target{Backend: tc.backend, Endpoint: url, EndpointSource: "test"})
		if err != nil {
			t.Fatal(err)
		}
		h := c.Ping(context.Background())
		if h.OK || !strings.Contains(h.Err.Error(), tc.want) || !strings.Contains(h.Err.Error(), url) {
			t.Fatalf("%s: ping = %v, want %q naming %s", tc.backend, h.Err, tc.want, url)
		}
		if tc.backend == LocalStack && !strings.Contains(h.Err.Error(), "make localstack-up") {
			t.Fatalf("localstack: the fix is missing from %q", h.Err)
		}
	}
}

func TestLocalStackHealth(t *testing.T) {
	isolate(t)
	for _, tc := range []struct {
		name   string
		health string
		ok     bool
		want   string
	}{
		{"running", `{"services": {"secretsmanager": "running"}}`, true, ""},
		{"available", `{"services": {"secretsmanager": "available", "lambda": "available"}}`, true, ""},
		{"without secretsmanager", `{"services": {"s3": "running"}}`, false, "no secretsmanager service"},
		{"starting", `{"services": {"secretsmanager": "initializing"}}`, false, `"initializing"`},
		{"not localstack", `<html>`, false, "not as LocalStack"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/_localstack/health" {
					fmt.Fprint(w, tc.health)
					return
				}
				w.Header().Set("Content-Type", "application/x-amz-json-1.1")
				fmt.Fprint(w, `{"SecretList": []}`)
			}))
			defer srv.Close()
			c, err := Connect(context.Background(), Target{Backend: LocalStack, Endpoint: srv.URL})
			if err != nil {
				t.Fatal(err)
			}
			h := c.Ping(context.Background())
			if h.OK != tc.ok || (!tc.ok && !strings.Contains(h.Err.Error(), tc.want)) {
				t.Fatalf("ping = %+v, want ok=%v %q", h, tc.ok, tc.want)
			}
		})
	}
}

func TestAWSBackendRefusesToStartWithoutCredentials(t *testing.T) {
	isolate(t)
	_, err := Connect(context.Background(), Target{Backend: AWS, Region: "us-east-1"})
	if !errors.Is(err, ErrNoCredentials) || !strings.Contains(err.Error(), "aws configure") {
		t.Fatalf("Connect = %v, want ErrNoCredentials with the fix", err)
	}
}

func TestAWSBackendUsesTheCredentialChain(t *testing.T) {
	isolate(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "example-secret")
	c, err := Connect(context.Background(), Target{Backend: AWS, Region: "eu-north-1"})
	if err != nil {
		t.Fatal(err)
	}
	creds, err := c.Client.Options().Credentials.Retrieve(context.Background())
	if err != nil || creds.AccessKeyID != "AKIDEXAMPLE" {
		t.Fatalf("credentials = %v, %v", creds.AccessKeyID, err)
	}
	if c.Target.Region != "eu-north-1" || c.Client.Options().BaseEndpoint != nil {
		t.Fatalf("target %+v, base endpoint %v: real AWS must use the SDK's regional endpoint", c.Target, c.Client.Options().BaseEndpoint)
	}
}

func TestRegionFromTheSharedConfig(t *testing.T) {
	isolate(t)
	cfg := os.Getenv("AWS_CONFIG_FILE")
	if err := os.WriteFile(cfg, []byte("[profile learner]\nregion = ap-northeast-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Connect(context.Background(), Target{Backend: Endpoint, Endpoint: closedPort(t), Profile: "learner"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Target.Region != "ap-northeast-1" || c.Target.RegionSource != "shared config" {
		t.Fatalf("region %q from %q", c.Target.Region, c.Target.RegionSource)
	}
}
