// Command solution is an idempotent-write solution. Right but different:
// slog on stderr, smithy's APIError for the code, status 2, and the conflict
// said in its own words ("conflict: this token was used before with a
// different value").
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/smithy-go"
)

var log = slog.New(slog.NewTextHandler(os.Stderr, nil))

func die(msg string, args ...any) {
	log.Error(msg, args...)
	os.Exit(2)
}

func main() {
	token, ok := os.LookupEnv("REQUEST_TOKEN")
	if !ok || token == "" {
		die("REQUEST_TOKEN is not set: refusing to write without an idempotency token")
	}
	name, value := os.Getenv("SECRET_NAME"), os.Getenv("NEW_VALUE")
	if name == "" || value == "" {
		die("SECRET_NAME and NEW_VALUE must be set")
	}
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		die("AWS configuration", "err", err)
	}
	sm := secretsmanager.NewFromConfig(cfg)
	put, err := sm.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{
		SecretId: aws.String(name), SecretString: aws.String(value), ClientRequestToken: aws.String(token),
	})
	var api smithy.APIError
	switch {
	case errors.As(err, &api) && api.ErrorCode() == "ResourceExistsException":
		die("conflict: this token was used before with a different value; nothing written")
	case err != nil:
		die("PutSecretValue failed", "secret", name)
	}
	log.Info("wrote version", "version", aws.ToString(put.VersionId))
	prev, err := release(ctx, sm, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name), VersionStage: aws.String("AWSPREVIOUS")})
	if err != nil {
		die("reading AWSPREVIOUS failed", "secret", name)
	}
	next, err := release(ctx, sm, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name), VersionId: aws.String(token)})
	if err != nil {
		die("reading the new version failed", "secret", name)
	}
	fmt.Printf("previous release: %s\nnew release: %s\n", prev, next)
}

func release(ctx context.Context, sm *secretsmanager.Client, in *secretsmanager.GetSecretValueInput) (string, error) {
	out, err := sm.GetSecretValue(ctx, in)
	if err != nil {
		return "", err
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(aws.ToString(out.SecretString)), &doc); err != nil {
		return "", err
	}
	return fmt.Sprint(doc["release"]), nil
}
