// Command solution creates the create-secret exercise's secret. Right but
// different: it first gets the description, a tag and the value wrong, then
// fixes each with UpdateSecret, UntagResource and TagResource, as the README
// suggests.
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
	name := aws.String(prefix + "payments/api-config")
	if _, err := c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{
		Name:         name,
		Description:  aws.String("payments config"),
		SecretString: aws.String(`{"host":"","port":"443"}`),
		Tags: []types.Tag{
			{Key: aws.String("Team"), Value: aws.String("payments")},
			{Key: aws.String("env"), Value: aws.String("prod")},
		},
	}); err != nil {
		return fmt.Errorf("creating: %w", err)
	}
	if _, err := c.UpdateSecret(ctx, &secretsmanager.UpdateSecretInput{
		SecretId:     name,
		Description:  aws.String("Payments service configuration"),
		SecretString: aws.String(`{"host":"payments.internal","port":443,"api_key":"pk_test_fixed_1111"}`),
	}); err != nil {
		return fmt.Errorf("fixing the description and value: %w", err)
	}
	if _, err := c.UntagResource(ctx, &secretsmanager.UntagResourceInput{SecretId: name, TagKeys: []string{"Team"}}); err != nil {
		return fmt.Errorf("removing the wrong tag: %w", err)
	}
	if _, err := c.TagResource(ctx, &secretsmanager.TagResourceInput{
		SecretId: name,
		Tags: []types.Tag{
			{Key: aws.String("team"), Value: aws.String("payments")},
			{Key: aws.String("env"), Value: aws.String("dev")},
		},
	}); err != nil {
		return fmt.Errorf("fixing the tags: %w", err)
	}
	fmt.Println("created and fixed", *name)
	return nil
}
