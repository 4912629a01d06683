// Command solution is an idempotent-write solution. Right but different: it
// resolves SECRET_NAME to the secret's ARN once with DescribeSecret and
// addresses every later call by ARN; it reads the new version first.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

func main() {
	ctx := context.Background()
	name, token, value := os.Getenv("SECRET_NAME"), os.Getenv("REQUEST_TOKEN"), os.Getenv("NEW_VALUE")
	for k, v := range map[string]string{"SECRET_NAME": name, "REQUEST_TOKEN": token, "NEW_VALUE": value} {
		if v == "" {
			check(fmt.Errorf("%s is not set", k))
		}
	}
	cfg, err := config.LoadDefaultConfig(ctx)
	check(err)
	c := secretsmanager.NewFromConfig(cfg)
	d, err := c.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(name)})
	check(err)
	_, err = c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: d.ARN, SecretString: aws.String(value), ClientRequestToken: aws.String(token)})
	check(err)
	next := releaseOf(ctx, c, &secretsmanager.GetSecretValueInput{SecretId: d.ARN, VersionId: aws.String(token)})
	prev := releaseOf(ctx, c, &secretsmanager.GetSecretValueInput{SecretId: d.ARN, VersionStage: aws.String("AWSPREVIOUS")})
	fmt.Printf("previous release: %s\nnew release: %s\n", prev, next)
}

func releaseOf(ctx context.Context, c *secretsmanager.Client, in *secretsmanager.GetSecretValueInput) string {
	out, err := c.GetSecretValue(ctx, in)
	check(err)
	var m map[string]any
	check(json.Unmarshal([]byte(aws.ToString(out.SecretString)), &m))
	return fmt.Sprint(m["release"])
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "idempotent-write: failed:", err)
		os.Exit(1)
	}
}
