package aws

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// TestLocalStackRoundTrip runs against a real LocalStack when one answers on
// :4566 (make localstack-up), and skips, saying so, when none does.
func TestLocalStackRoundTrip(t *testing.T) {
	client := http.Client{Timeout: time.Second}
	resp, err := client.Get(LocalStackURL + "/_localstack/health")
	if err != nil {
		t.Skipf("LocalStack is not running at %s: skipping (start it with make localstack-up)", LocalStackURL)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Skipf("something other than LocalStack answers at %s (health check: HTTP %d): skipping", LocalStackURL, resp.StatusCode)
	}
	isolate(t)
	ctx := context.Background()
	c, err := Connect(ctx, Target{Backend: LocalStack, Endpoint: LocalStackURL})
	if err != nil {
		t.Fatal(err)
	}
	if h := c.Ping(ctx); !h.OK {
		t.Fatalf("LocalStack answers its health check but not Secrets Manager: %v", h.Err)
	}
	name := fmt.Sprintf("secretlings-test/%d", time.Now().UnixNano())
	if _, err := c.Client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: sdkaws.String(name), SecretString: sdkaws.String("v1")}); err != nil {
		t.Fatal(Explain(err, c.Target))
	}
	defer c.Client.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: sdkaws.String(name), ForceDeleteWithoutRecovery: sdkaws.Bool(true)})
	out, err := c.Client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: sdkaws.String(name)})
	if err != nil || sdkaws.ToString(out.SecretString) != "v1" {
		t.Fatalf("GetSecretValue: %v", err)
	}
}
