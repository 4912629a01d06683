// Command solution rolls back the rollback exercise's secret. Deliberately wrong: it rolls back, then (a retry of the same script) swaps the labels once more, so the broken version is current again.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"

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

	desc, err := client.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(name)})
	if err != nil {
		return fmt.Errorf("describing %s: %w", name, err)
	}
	var current, previous string
	for id, stages := range desc.VersionIdsToStages {
		if slices.Contains(stages, "AWSCURRENT") {
			current = id
		}
		if slices.Contains(stages, "AWSPREVIOUS") {
			previous = id
		}
	}
	if previous == "" {
		return fmt.Errorf("%s has no AWSPREVIOUS version", name)
	}
	if _, err := client.UpdateSecretVersionStage(ctx, &secretsmanager.UpdateSecretVersionStageInput{
		SecretId:            aws.String(name),
		VersionStage:        aws.String("AWSCURRENT"),
		MoveToVersionId:     aws.String(previous),
		RemoveFromVersionId: aws.String(current),
	}); err != nil {
		return fmt.Errorf("moving AWSCURRENT: %w", err)
	}
	if _, err := client.UpdateSecretVersionStage(ctx, &secretsmanager.UpdateSecretVersionStageInput{
		SecretId:            aws.String(name),
		VersionStage:        aws.String("AWSCURRENT"),
		MoveToVersionId:     aws.String(current),
		RemoveFromVersionId: aws.String(previous),
	}); err != nil {
		return fmt.Errorf("moving AWSCURRENT again: %w", err)
	}
	return nil
}
