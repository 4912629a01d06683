// Command solution rolls back the rollback exercise's secret. Deliberately wrong: it writes the good value again with UpdateSecret, a third version.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

func main() {
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "rollback:", err)
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
	name := prefix + "app/feature-flags"
	prev, err := client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name), VersionStage: aws.String("AWSPREVIOUS")})
	if err != nil {
		return fmt.Errorf("reading AWSPREVIOUS: %w", err)
	}
	if _, err := client.UpdateSecret(ctx, &secretsmanager.UpdateSecretInput{SecretId: aws.String(name), SecretString: prev.SecretString}); err != nil {
		return fmt.Errorf("writing: %w", err)
	}
	return nil
}
