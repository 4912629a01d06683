package main

import (
	"context"
	"crypto/rand"
	"errors"
	"os"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// TestReadSettingOnAConfiguredEndpoint runs the same checks against the
// Secrets Manager the environment names, as a CI job does with
// secretlings serve or LocalStack. Without AWS_ENDPOINT_URL it skips, so
// it never reaches real AWS by accident.
func TestReadSettingOnAConfiguredEndpoint(t *testing.T) {
	endpoint := os.Getenv("AWS_ENDPOINT_URL")
	if endpoint == "" {
		t.Skip("AWS_ENDPOINT_URL is not set: start secretlings serve and export it")
	}
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx) // the endpoint comes from the environment
	if err != nil {
		t.Fatal(err)
	}
	client := secretsmanager.NewFromConfig(cfg)
	// A fresh name: a server shared by several jobs may hold other secrets.
	name := "ci/" + rand.Text() + "/api-token"
	_, err = client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{
		Name:         aws.String(name),
		SecretString: aws.String("tok-456"),
	})
	if err != nil {
		t.Fatalf("CreateSecret on %s: %v", endpoint, err)
	}
	t.Cleanup(func() {
		_, _ = client.DeleteSecret(context.Background(), &secretsmanager.DeleteSecretInput{
			SecretId:                   aws.String(name),
			ForceDeleteWithoutRecovery: aws.Bool(true),
		})
	})
	got, err := ReadSetting(ctx, client, name)
	if err != nil {
		t.Fatal(err)
	}
	if got != "tok-456" {
		t.Fatal("ReadSetting returned another value than the one stored")
	}
	if _, err := ReadSetting(ctx, client, name+"-missing"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a missing secret: err = %v, want ErrNotFound", err)
	}
}
