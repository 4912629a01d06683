// Command idempotent-write is an exercise of lesson 2: write a new version of
// a secret idempotently with a ClientRequestToken, then read values by
// staging label and by version id. Read README.md next to this file; check
// your work with `secretlings check idempotent-write`.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

func main() {
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loading the AWS configuration:", err)
		os.Exit(1)
	}
	client := secretsmanager.NewFromConfig(cfg)
	name, token, value := os.Getenv("SECRET_NAME"), os.Getenv("REQUEST_TOKEN"), os.Getenv("NEW_VALUE")
	_, _, _, _ = client, name, token, value

	// TODO 1: PutSecretValue with SecretString value and ClientRequestToken token.
	// TODO 2: GetSecretValue by VersionStage AWSPREVIOUS; print "previous release: …".
	// TODO 3: GetSecretValue by VersionId token; print "new release: …".
	fmt.Fprintln(os.Stderr, "not implemented yet: see README.md")
	os.Exit(1)
}
