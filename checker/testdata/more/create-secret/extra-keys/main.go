// Command solution creates the create-secret exercise's secret. Right but different: extra keys next to host, port and api_key are fine.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

func main() {
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "create-secret:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	prefix := os.Getenv("SECRETLINGS_PREFIX")
	if prefix == "" {
		return errors.New("SECRETLINGS_PREFIX is not set")
	}
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return fmt.Errorf("loading the AWS configuration: %w", err)
	}
	client := secretsmanager.NewFromConfig(cfg)
	name := prefix + "payments/api-config"
	_, err = client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{
		Name:         aws.String(name),
		Description:  aws.String("Payments service configuration"),
		SecretString: aws.String(`{"host":"payments.internal","port":8443,"api_key":"pk_live_9f8e7d6c5b4a","timeout_ms":2500,"region":"eu-west-1"}`),
		Tags: []types.Tag{
			{Key: aws.String("team"), Value: aws.String("payments")},
			{Key: aws.String("env"), Value: aws.String("dev")},
		},
	})
	if err != nil {
		return fmt.Errorf("creating %s: %w", name, err)
	}
	fmt.Println("created", name)
	return nil
}
