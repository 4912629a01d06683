// Command solution creates the create-secret exercise's secret. Right but
// different: the secret is created bare, then described, valued and tagged
// in separate calls, addressed by the ARN CreateSecret returned.
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
		return err
	}
	c := secretsmanager.NewFromConfig(cfg)
	out, err := c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{
		Name:         aws.String(prefix + "payments/api-config"),
		SecretString: aws.String(`{"placeholder":true}`),
	})
	if err != nil {
		return fmt.Errorf("creating: %w", err)
	}
	arn := out.ARN
	if _, err := c.UpdateSecret(ctx, &secretsmanager.UpdateSecretInput{
		SecretId:    arn,
		Description: aws.String("Payments service configuration"),
	}); err != nil {
		return fmt.Errorf("describing: %w", err)
	}
	if _, err := c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{
		SecretId:     arn,
		SecretString: aws.String(`{"host": "10.0.4.17", "port": 9443, "api_key": "ak-7Qw2-zz91"}`),
	}); err != nil {
		return fmt.Errorf("writing the value: %w", err)
	}
	if _, err := c.TagResource(ctx, &secretsmanager.TagResourceInput{
		SecretId: arn,
		Tags: []types.Tag{
			{Key: aws.String("env"), Value: aws.String("dev")},
			{Key: aws.String("team"), Value: aws.String("payments")},
			{Key: aws.String("owner"), Value: aws.String("alice")},
		},
	}); err != nil {
		return fmt.Errorf("tagging: %w", err)
	}
	fmt.Println("created", aws.ToString(arn))
	return nil
}
