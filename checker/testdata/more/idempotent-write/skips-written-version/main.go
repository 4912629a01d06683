// Command solution is an idempotent-write solution. Right but different: it
// looks first whether the version with the token exists and writes only
// when it does not (the retry sends no PutSecretValue at all); when it
// exists with another value it fails, as PutSecretValue would. The write
// still passes the token, so even a race between two runs makes one version.
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
	if _, written := d.VersionIdsToStages[token]; written {
		out, err := c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: &name, VersionId: &token})
		if err != nil {
			return err
		}
		if aws.ToString(out.SecretString) != value {
			return errors.New("REQUEST_TOKEN was already used to write another value: use a new token for a new value")
		}
	} else if _, err := c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: &name, SecretString: &value, ClientRequestToken: &token}); err != nil {
		return err
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
