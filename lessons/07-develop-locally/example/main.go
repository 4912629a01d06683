// Command example is lesson 7's runnable example: one program with no
// endpoint in its code, which runs unchanged against the embedded emulator,
// secretlings serve, LocalStack, moto_server or AWS. Only its environment
// (or profile) says where Secrets Manager is.
//
// Run it with `secretlings example 4` (or `make example-4`), which picks a
// backend and sets the environment. To run it yourself against any endpoint:
//
//	AWS_ENDPOINT_URL=http://127.0.0.1:4566 AWS_REGION=us-east-1 \
//	AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \
//	SECRETLINGS_PREFIX=tutorial/me/ go run ./lessons/07-develop-locally/example
//
// Its function ReadSetting is tested twice: against an emulator started in
// the test process (setting_test.go) and against whatever endpoint the
// environment names (endpoint_test.go, as in CI).
//
// Environment:
//
//	SECRETLINGS_PREFIX  required; every secret name starts with it
//	AWS_*               the SDK's usual settings (region, profile, endpoint, credentials)
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"secretlings/mask"
)

func main() {
	// Ctrl-C cancels the context; cleanup still runs with its own context.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	prefix := os.Getenv("SECRETLINGS_PREFIX")
	if prefix == "" {
		fail(errors.New("SECRETLINGS_PREFIX is not set: run `secretlings example 4`, or export SECRETLINGS_PREFIX=tutorial/yourname/"))
	}

	// 1. No endpoint here: LoadDefaultConfig and NewFromConfig find it (and
	// the region and credentials) as the aws CLI does.
	step(1, "Loading the configuration")
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		fail(fmt.Errorf("loading the AWS configuration: %w", err))
	}
	client := secretsmanager.NewFromConfig(cfg)
	done("region %s, endpoint %s", cfg.Region, endpointFrom())

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
	name := prefix + "dev/api-token"
	token := "dev-" + rand.Text()

	step(2, "Creating %s", name)
	if _, err := client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{
		Name:         aws.String(name),
		SecretString: aws.String(token),
	}); err != nil {
		return err
	}
	*created = append(*created, name)
	done("%s", mask.Mask(token)) // printed masked: never print a secret

	step(3, "Reading it with ReadSetting")
	got, err := ReadSetting(ctx, client, name)
	if err != nil {
		return err
	}
	if got != token {
		return errors.New("ReadSetting returned another value than the one stored")
	}
	done("%s, same as stored", mask.Mask(got))

	missing := prefix + "dev/not-configured"
	step(4, "Reading %s, which does not exist", missing)
	_, err = ReadSetting(ctx, client, missing)
	switch {
	case errors.Is(err, ErrNotFound):
		done("ErrNotFound, handled: the setting is not configured")
	case err != nil:
		return err
	default:
		return fmt.Errorf("expected ErrNotFound for %s, got a value", missing)
	}
	return nil
}

// endpointFrom names the setting that sends this program to a local
// Secrets Manager, as the SDK reads them (a profile's endpoint_url is read
// too, but not named here).
func endpointFrom() string {
	for _, v := range []string{"AWS_ENDPOINT_URL_SECRETS_MANAGER", "AWS_ENDPOINT_URL"} {
		if u := os.Getenv(v); u != "" {
			return u + " from " + v
		}
	}
	return "from the profile, else AWS's regional endpoint"
}

// cleanup force-deletes what the example created, with a fresh context so
// that it still runs after Ctrl-C. It reports whether all are gone.
func cleanup(client *secretsmanager.Client, names []string) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ok := true
	for _, name := range names {
		fmt.Printf("Cleaning up: deleting %s … ", name)
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
	fmt.Printf("done (%s)\n", fmt.Sprintf(format, args...))
}

// fail reports err and exits non-zero. SDK errors name the operation and the
// error code, never the request's secret value.
func fail(err error) {
	fmt.Fprintf(os.Stderr, "example 4: %v\n", err)
	os.Exit(1)
}
