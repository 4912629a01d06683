// Command solution rolls back the rollback exercise's secret. Deliberately wrong: it deletes the secret for good and recreates it with the same two version ids and values, the good one last, so the labels look rolled back; but it is a new secret (a new ARN, every reference by ARN broken), not a rollback.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"time"

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
	good, err := client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name), VersionId: aws.String(previous)})
	if err != nil {
		return err
	}
	broken, err := client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name), VersionId: aws.String(current)})
	if err != nil {
		return err
	}
	if _, err := client.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: aws.String(name), ForceDeleteWithoutRecovery: aws.Bool(true)}); err != nil {
		return err
	}
	// Deletion can take a moment to land; retry the create until it does.
	for i := 0; ; i++ {
		_, err = client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{
			Name: aws.String(name), Description: desc.Description,
			SecretString: broken.SecretString, ClientRequestToken: aws.String(current),
		})
		if err == nil || i == 50 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		return fmt.Errorf("recreating: %w", err)
	}
	_, err = client.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{
		SecretId: aws.String(name), SecretString: good.SecretString, ClientRequestToken: aws.String(previous),
	})
	return err
}
