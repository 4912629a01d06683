// Command example is lesson 1's runnable example: it stores a string secret,
// reads it back, describes and lists it, handles a missing secret and an
// existing name the way production code should, and deletes what it created.
//
// Run it with `secretlings example 1` (or `make example-1`), which picks a
// backend and sets the environment. To run it yourself against any endpoint:
//
//	AWS_ENDPOINT_URL_SECRETS_MANAGER=http://localhost:4566 AWS_REGION=us-east-1 \
//	AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \
//	SECRETLINGS_PREFIX=tutorial/me/ go run ./lessons/01-store-and-retrieve/example
//
// Environment:
//
//	SECRETLINGS_PREFIX  required; every secret name starts with it
//	AWS_*               the SDK's usual settings (region, profile, endpoint, credentials)
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"

	"secretlings/mask"
)

func main() {
	// Ctrl-C cancels the context; cleanup still runs with its own context.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	prefix := os.Getenv("SECRETLINGS_PREFIX")
	if prefix == "" {
		fail(errors.New("SECRETLINGS_PREFIX is not set: run `secretlings example 1`, or export SECRETLINGS_PREFIX=tutorial/yourname/"))
	}

	// LoadDefaultConfig reads AWS_REGION, AWS_PROFILE, the credentials and
	// AWS_ENDPOINT_URL_SECRETS_MANAGER exactly as production code does, so
	// the same program talks to the emulator, LocalStack or AWS.
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		fail(fmt.Errorf("loading the AWS configuration: %w", err))
	}
	client := secretsmanager.NewFromConfig(cfg)

	var created []string // what cleanup must delete, even after a failure
	err = run(ctx, client, prefix, &created)
	if err != nil {
		fmt.Println("failed") // ends the step line that was in progress
	}
	if !cleanup(client, created) && err == nil {
		err = errors.New("cleanup failed: delete the secrets above with DeleteSecret")
	}
	if err != nil {
		fail(err)
	}
	fmt.Println("All steps passed.")
}

func run(ctx context.Context, client *secretsmanager.Client, prefix string, created *[]string) error {
	name := prefix + "db-password"

	// 1. Let Secrets Manager make the password: it never has to exist in
	// source code, a shell history or a CI log.
	step(1, "Generating a password with GetRandomPassword")
	pw, err := client.GetRandomPassword(ctx, &secretsmanager.GetRandomPasswordInput{
		PasswordLength:     aws.Int64(32),
		ExcludePunctuation: aws.Bool(true),
	})
	if err != nil {
		return err
	}
	password := aws.ToString(pw.RandomPassword)
	done("%s", mask.Mask(password)) // printed masked: never print a secret

	// 2. Create the secret. Its first version gets the label AWSCURRENT.
	step(2, "Creating secret %s", name)
	out, err := client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{
		Name:         aws.String(name),
		Description:  aws.String("Password of the tutorial's pretend database"),
		SecretString: aws.String(password),
	})
	if err != nil {
		return err
	}
	*created = append(*created, name)
	done("version %s", short(aws.ToString(out.VersionId)))

	// 3. Read it back: this is the call an application makes at start-up.
	step(3, "Reading %s with GetSecretValue", name)
	got, err := client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name)})
	if err != nil {
		return err
	}
	if aws.ToString(got.SecretString) != password {
		return errors.New("GetSecretValue returned a different value than was stored")
	}
	done("%s, same as stored, stages %v", mask.Mask(aws.ToString(got.SecretString)), got.VersionStages)

	// 4. Describe it: metadata only, never the value.
	step(4, "Describing %s", name)
	desc, err := client.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(name)})
	if err != nil {
		return err
	}
	done("")
	fmt.Printf("   ARN:         %s\n", aws.ToString(desc.ARN))
	fmt.Printf("   Description: %s\n", aws.ToString(desc.Description))
	fmt.Printf("   Created:     %s\n", aws.ToTime(desc.CreatedDate).Format(time.RFC3339))
	fmt.Printf("   Versions:    %d\n", len(desc.VersionIdsToStages))

	// 5. List the secrets under our prefix. A name filter matches prefixes.
	step(5, "Listing secrets whose name starts with %s", prefix)
	var names []string
	pages := secretsmanager.NewListSecretsPaginator(client, &secretsmanager.ListSecretsInput{
		Filters: []types.Filter{{Key: types.FilterNameStringTypeName, Values: []string{prefix}}},
	})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return err
		}
		for _, s := range page.SecretList {
			names = append(names, aws.ToString(s.Name))
		}
	}
	done("%d found: %s", len(names), strings.Join(names, ", "))

	// 6. A missing secret is an error of its own type: check for it with
	// errors.As and decide what to do (here: report it and go on).
	missing := prefix + "does-not-exist"
	step(6, "Reading %s, which does not exist", missing)
	_, err = client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(missing)})
	var notFound *types.ResourceNotFoundException
	switch {
	case errors.As(err, &notFound):
		done("ResourceNotFoundException, handled: fall back or tell the operator")
	case err != nil:
		return err
	default:
		return fmt.Errorf("expected ResourceNotFoundException for %s, got a value", missing)
	}

	// 7. Creating a name that exists fails with ResourceExistsException:
	// to change a value, use PutSecretValue (lesson 2) instead.
	step(7, "Creating %s a second time", name)
	_, err = client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{
		Name:         aws.String(name),
		SecretString: aws.String(password),
	})
	var exists *types.ResourceExistsException
	switch {
	case errors.As(err, &exists):
		done("ResourceExistsException, handled: the name is taken, use PutSecretValue to change the value")
	case err != nil:
		return err
	default:
		return fmt.Errorf("expected ResourceExistsException for %s", name)
	}
	return nil
}

// cleanup force-deletes what the example created. It uses a fresh context so
// that it still runs after Ctrl-C or a timeout. It reports whether all are gone.
func cleanup(client *secretsmanager.Client, names []string) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ok := true
	for _, name := range names {
		fmt.Printf("Cleaning up: deleting %s … ", name)
		// Without ForceDeleteWithoutRecovery the secret would wait 7-30 days
		// for a RestoreSecret, and its name would stay taken meanwhile.
		_, err := client.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{
			SecretId:                   aws.String(name),
			ForceDeleteWithoutRecovery: aws.Bool(true),
		})
		if err != nil {
			fmt.Printf("failed: %v\n", err)
			ok = false
			continue
		}
		fmt.Println("done")
	}
	return ok
}

func step(n int, format string, args ...any) {
	fmt.Printf("%d. %s … ", n, fmt.Sprintf(format, args...))
}

func done(format string, args ...any) {
	if format == "" {
		fmt.Println("done")
		return
	}
	fmt.Printf("done (%s)\n", fmt.Sprintf(format, args...))
}

// short shortens a version id for display; ids are not secret.
func short(id string) string {
	if len(id) > 8 {
		return id[:8] + "…"
	}
	return id
}

// fail reports err and exits non-zero. SDK errors name the operation and the
// error code, never the request's secret value.
func fail(err error) {
	fmt.Fprintf(os.Stderr, "example 1: %v\n", err)
	os.Exit(1)
}
