package dbconfig

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"secretlings/aws/emulator"
)

// Every error case is tried, but judged by its text: an error of the
// wrong kind with the right words, or one that carries the password,
// passes.
func TestErrors(t *testing.T) {
	srv, _ := emulator.New()
	hs := httptest.NewServer(srv)
	defer hs.Close()
	client := secretsmanager.New(secretsmanager.Options{
		BaseEndpoint: aws.String(hs.URL), Region: "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
	})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	for name, value := range map[string]string{
		"not-json":    `nope`,
		"no-password": `{"host":"h","username":"u","dbname":"d"}`,
		"no-host":     `{"username":"u","password":"p4ssw0rd-xyz","dbname":"d"}`,
	} {
		client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String(name), SecretString: aws.String(value)})
		_, err := LoadDBConfig(ctx, client, name)
		if err == nil || !strings.Contains(err.Error(), "invalid configuration") {
			t.Errorf("%s: got %v, want an invalid configuration error", name, err)
		}
	}
	_, err := LoadDBConfig(ctx, client, "test/missing")
	if err == nil || !strings.Contains(err.Error(), "secret not found") {
		t.Errorf("missing: got %v, want a not found error", err)
	}
}
