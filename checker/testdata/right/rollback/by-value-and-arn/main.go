// Command solution rolls back the rollback exercise's secret. Right but different: it finds the good version by its value among ListSecretVersionIds, not by its label, and addresses the secret by ARN.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

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
		return err
	}
	arn := desc.ARN
	list, err := client.ListSecretVersionIds(ctx, &secretsmanager.ListSecretVersionIdsInput{SecretId: arn})
	if err != nil {
		return err
	}
	var good, broken string
	for _, v := range list.Versions {
		out, err := client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: arn, VersionId: v.VersionId})
		if err != nil {
			return err
		}
		if strings.Contains(aws.ToString(out.SecretString), "broken") {
			broken = aws.ToString(v.VersionId)
		} else {
			good = aws.ToString(v.VersionId)
		}
	}
	if good == "" || broken == "" {
		return errors.New("did not find both versions")
	}
	_, err = client.UpdateSecretVersionStage(ctx, &secretsmanager.UpdateSecretVersionStageInput{
		SecretId: arn, VersionStage: aws.String("AWSCURRENT"),
		MoveToVersionId: aws.String(good), RemoveFromVersionId: aws.String(broken),
	})
	return err
}
