// Command solution is an idempotent-write solution. Deliberately wrong: it
// looks first whether the version with the token exists and writes only
// when it does not, whatever value that version holds, so a retry with the
// same token and another value succeeds without writing it, where
// PutSecretValue would answer ResourceExistsException.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

type settings struct {
	Release string `json:"release"`
}

func main() {
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "idempotent-write:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	name, token, value := os.Getenv("SECRET_NAME"), os.Getenv("REQUEST_TOKEN"), os.Getenv("NEW_VALUE")
	if name == "" || token == "" || value == "" {
		return errors.New("set SECRET_NAME, REQUEST_TOKEN and NEW_VALUE")
	}
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return err
	}
	c := secretsmanager.NewFromConfig(cfg)
	d, err := c.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: &name})
	if err != nil {
		return err
	}
	if _, written := d.VersionIdsToStages[token]; !written {
		if _, err := c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: &name, SecretString: &value, ClientRequestToken: &token}); err != nil {
			return err
		}
	}
	var prev, next settings
	if err := read(ctx, c, &secretsmanager.GetSecretValueInput{SecretId: &name, VersionStage: aws.String("AWSPREVIOUS")}, &prev); err != nil {
		return err
	}
	if err := read(ctx, c, &secretsmanager.GetSecretValueInput{SecretId: &name, VersionId: &token}, &next); err != nil {
		return err
	}
	fmt.Println("previous release: " + prev.Release)
	fmt.Println("new release: " + next.Release)
	return nil
}

func read(ctx context.Context, c *secretsmanager.Client, in *secretsmanager.GetSecretValueInput, into *settings) error {
	out, err := c.GetSecretValue(ctx, in)
	if err != nil {
		return err
	}
	return json.Unmarshal([]byte(aws.ToString(out.SecretString)), into)
}
