package main

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"secretlings/aws/emulator"
)

// newLocalClient starts a Secrets Manager inside the test process and
// returns a client for it: no Docker, nothing but loopback, nothing left behind.
func newLocalClient(t *testing.T) *secretsmanager.Client {
	t.Helper()
	emu, err := emulator.New()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(emu)
	t.Cleanup(func() { srv.Close(); emu.Close() })
	return secretsmanager.New(secretsmanager.Options{
		BaseEndpoint: aws.String(srv.URL),
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
	})
}

func TestReadSetting(t *testing.T) {
	ctx := context.Background()
	client := newLocalClient(t)
	_, err := client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{
		Name:         aws.String("dev/api-token"),
		SecretString: aws.String("tok-123"),
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := ReadSetting(ctx, client, "dev/api-token")
	if err != nil {
		t.Fatal(err)
	}
	if got != "tok-123" {
		t.Fatal("ReadSetting returned another value than the one stored")
	}
	_, err = ReadSetting(ctx, client, "dev/missing")
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("a missing secret: err = %v, want ErrNotFound", err)
	}
}
