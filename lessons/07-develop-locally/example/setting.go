package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// ErrNotFound reports that a setting's secret does not exist, so a caller
// can tell "not configured" from "Secrets Manager is unreachable".
var ErrNotFound = errors.New("setting not found")

// SecretReader is the one call ReadSetting makes. *secretsmanager.Client
// has it; taking the interface keeps the function easy to call from tests.
type SecretReader interface {
	GetSecretValue(ctx context.Context, in *secretsmanager.GetSecretValueInput, opts ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error)
}

// ReadSetting returns the current value of the string secret name. A
// missing secret is ErrNotFound, wrapped with the name; no error ever holds
// the value.
func ReadSetting(ctx context.Context, client SecretReader, name string) (string, error) {
	out, err := client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name)})
	var missing *types.ResourceNotFoundException
	switch {
	case errors.As(err, &missing):
		return "", fmt.Errorf("%s: %w", name, ErrNotFound)
	case err != nil:
		return "", fmt.Errorf("reading %s: %w", name, err)
	case out.SecretString == nil:
		return "", fmt.Errorf("%s holds a binary secret, not a string", name)
	}
	return *out.SecretString, nil
}
