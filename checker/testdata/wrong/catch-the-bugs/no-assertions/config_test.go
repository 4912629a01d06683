package dbconfig

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"secretlings/aws/emulator"
)

// It runs the code and checks nothing: every mutant survives.
func TestLoadDBConfig(t *testing.T) {
	srv, _ := emulator.New()
	hs := httptest.NewServer(srv)
	defer hs.Close()
	client := secretsmanager.New(secretsmanager.Options{
		BaseEndpoint: aws.String(hs.URL), Region: "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
	})
	ctx := context.Background()
	client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("test/db"),
		SecretString: aws.String(`{"host":"h","port":6543,"username":"u","password":"p4ssw0rd-xyz","dbname":"d"}`)})
	LoadDBConfig(ctx, client, "test/db")
	LoadDBConfig(ctx, client, "test/missing")
}
