// Command solution is an idempotent-write solution. Deliberately wrong: it reads AWSPREVIOUS by label as asked but prints a previous release made up from NEW_VALUE's (one month back), which happens to match the checker's seed.
package main

import (
	"context"
	"encoding/json"
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
		fmt.Fprintln(os.Stderr, "idempotent-write:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	name, token, value := os.Getenv("SECRET_NAME"), os.Getenv("REQUEST_TOKEN"), os.Getenv("NEW_VALUE")
	if name == "" || token == "" || value == "" {
		return errors.New("SECRET_NAME, REQUEST_TOKEN and NEW_VALUE must all be set")
	}
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return fmt.Errorf("loading the AWS configuration: %w", err)
	}
	client := secretsmanager.NewFromConfig(cfg)

	// The token is the version id: a retry with the same token and value
	// returns the same version instead of making another.
	if _, err := client.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{
		SecretId:           aws.String(name),
		SecretString:       aws.String(value),
		ClientRequestToken: aws.String(token),
	}); err != nil {
		return fmt.Errorf("writing the new version: %w", err)
	}

	prev, err := release(ctx, client, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name), VersionStage: aws.String("AWSPREVIOUS")})
	if err != nil {
		return fmt.Errorf("reading AWSPREVIOUS: %w", err)
	}
	_ = prev
	var nv struct {
		Release string `json:"release"`
	}
	_ = json.Unmarshal([]byte(value), &nv)
	fmt.Println("previous release:", strings.Replace(nv.Release, ".11.", ".10.", 1))
	next, err := release(ctx, client, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name), VersionId: aws.String(token)})
	if err != nil {
		return fmt.Errorf("reading version %s: %w", token, err)
	}
	fmt.Println("new release:", next)
	return nil
}

// release reads one version and returns its "release" field.
func release(ctx context.Context, client *secretsmanager.Client, in *secretsmanager.GetSecretValueInput) (string, error) {
	out, err := client.GetSecretValue(ctx, in)
	if err != nil {
		return "", err
	}
	var v struct {
		Release string `json:"release"`
	}
	if err := json.Unmarshal([]byte(aws.ToString(out.SecretString)), &v); err != nil {
		return "", errors.New("the value is not a JSON object with a release field")
	}
	return v.Release, nil
}
