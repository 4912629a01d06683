package dbconfig

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// It points a client at AWS itself: a test needs no account, and must not
// touch one.
func TestLoadDBConfig(t *testing.T) {
	client := secretsmanager.New(secretsmanager.Options{
		BaseEndpoint: aws.String("https://secretsmanager.us-east-1.amazonaws.com"), Region: "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
	})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := LoadDBConfig(ctx, client, "prod/app/db"); err != nil {
		t.Logf("AWS said: %v", err)
	}
}
