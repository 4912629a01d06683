// Command solution is an idempotent-write solution. Deliberately wrong: when PutSecretValue answers ResourceExistsException (the token was used for another value) it writes again with a fresh token, the very duplicate the token guards against.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
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
	in := &secretsmanager.PutSecretValueInput{
		SecretId:           aws.String(name),
		SecretString:       aws.String(value),
		ClientRequestToken: aws.String(token),
	}
	_, err = client.PutSecretValue(ctx, in)
	if exists := (*types.ResourceExistsException)(nil); errors.As(err, &exists) {
		// The token is taken: write with a new one.
		token = newToken()
		in.ClientRequestToken = aws.String(token)
		_, err = client.PutSecretValue(ctx, in)
	}
	if err != nil {
		return fmt.Errorf("writing the new version: %w", err)
	}

	prev, err := release(ctx, client, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name), VersionStage: aws.String("AWSPREVIOUS")})
	if err != nil {
		return fmt.Errorf("reading AWSPREVIOUS: %w", err)
	}
	fmt.Println("previous release:", prev)
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

// newToken makes up a UUID-shaped token.
func newToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	s := hex.EncodeToString(b)
	return s[0:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:32]
}
