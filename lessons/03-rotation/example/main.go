// Command example is lesson 3's runnable example: it rotates the API key of a
// small demo service with the four-step rotation protocol (createSecret,
// setSecret, testSecret, finishSecret) and shows which keys the service
// accepts before and after.
//
// The same program is also the rotation function (handler.go):
//
//	example                   the walkthrough (this file)
//	example rotation-handler  one rotation event as JSON on stdin, as the
//	                          embedded emulator invokes it
//	(on AWS Lambda)           lambda.Start, when AWS_LAMBDA_RUNTIME_API is set
//
// Run it with `secretlings example 3` (or `make example-3`). On the embedded
// backend secretlings registers this program as the rotation function of
// ROTATION_LAMBDA_ARN, so RotateSecret invokes it exactly as AWS invokes a
// Lambda. Elsewhere no function is deployed, so the walkthrough plays
// Secrets Manager's part itself with rotation.Drive and the same handler.
//
// Environment:
//
//	SECRETLINGS_PREFIX        required; every secret name starts with it
//	DEMO_SERVICE_URL          the demo service (started here when unset)
//	DEMO_SERVICE_ADMIN_TOKEN  its admin token
//	ROTATION_LAMBDA_ARN       a rotation function RotateSecret can invoke;
//	                          unset: rotate with rotation.Drive
//	ROTATION_STRATEGY         "single" (default) or "alternating"
//	AWS_*                     the SDK's usual settings
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"

	"secretlings/aws/rotation"
	"secretlings/aws/rotation/demoservice"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		fail(fmt.Errorf("loading the AWS configuration: %w", err))
	}
	client := secretsmanager.NewFromConfig(cfg)

	// The rotation function's two entry points.
	if len(os.Args) > 1 && os.Args[1] == "rotation-handler" {
		stop()
		os.Exit(serveRotation(context.Background(), client))
	}
	if os.Getenv("AWS_LAMBDA_RUNTIME_API") != "" {
		keys, err := demoKeys()
		if err != nil {
			fail(err)
		}
		lambda.Start(rotation.LambdaHandler(client, newHandler(keys)))
		return
	}

	prefix := os.Getenv("SECRETLINGS_PREFIX")
	if prefix == "" {
		fail(errors.New("SECRETLINGS_PREFIX is not set: run `secretlings example 3`, or export SECRETLINGS_PREFIX=tutorial/yourname/"))
	}
	if os.Getenv("DEMO_SERVICE_URL") == "" {
		// Run on its own, the walkthrough brings its own demo service. A
		// deployed rotation function could not reach it, hence the check.
		if os.Getenv("ROTATION_LAMBDA_ARN") != "" {
			fail(errors.New("ROTATION_LAMBDA_ARN is set but DEMO_SERVICE_URL is not: the rotation function must reach the same demo service as this program"))
		}
		closeDemo, err := startDemoService()
		if err != nil {
			fail(err)
		}
		defer closeDemo()
	}
	keys, err := demoKeys()
	if err != nil {
		fail(err)
	}

	name := prefix + "api-key"
	created := false
	err = run(ctx, client, keys, name, &created)
	if err != nil {
		fmt.Println("failed") // ends the step line that was in progress
	}
	if created && !cleanup(client, name) && err == nil {
		err = errors.New("cleanup failed: delete the secret above with DeleteSecret")
	}
	if err != nil {
		fail(err)
	}
	fmt.Println("All steps passed.")
}

func run(ctx context.Context, client *secretsmanager.Client, keys *demoservice.Client, name string, created *bool) error {
	// 1. An operator registers a first key with the service once and
	// stores it; from then on, rotation keeps it fresh.
	first, err := rotation.NewAPIKey()
	if err != nil {
		return err
	}
	old := rotation.APIKeySecret{Username: "app-a", APIKey: first}
	step(1, "Registering a first API key for %s with the demo service", old.Username)
	if err := keys.AddKey(ctx, old.Username, old.APIKey); err != nil {
		return err
	}
	done("%s", describe(old.JSON()))

	step(2, "Storing it in secret %s", name)
	out, err := client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{
		Name:         aws.String(name),
		SecretString: aws.String(old.JSON()),
	})
	if err != nil {
		return err
	}
	*created = true
	before := aws.ToString(out.VersionId)
	done("version %s", short(before))

	step(3, "Asking the demo service about the stored key")
	done("%s", accepted(ctx, keys, old.APIKey))

	// 4. Rotate. RotateSecret stores the schedule, creates the AWSPENDING
	// version and invokes the rotation function for each step.
	var token string
	if arn := os.Getenv("ROTATION_LAMBDA_ARN"); arn != "" {
		fmt.Printf("4. Rotating with RotateSecret and rotation function %s:\n", arn)
		rot, err := client.RotateSecret(ctx, &secretsmanager.RotateSecretInput{
			SecretId:          aws.String(name),
			RotationLambdaARN: aws.String(arn),
			RotationRules:     &types.RotationRulesType{AutomaticallyAfterDays: aws.Int64(30)},
		})
		if err != nil {
			return err
		}
		token = aws.ToString(rot.VersionId)
		// On AWS the steps run after RotateSecret answers: wait until the
		// new version is AWSCURRENT. A failed step leaves it AWSPENDING, so
		// the wait is bounded.
		fmt.Printf("   waiting for version %s to become AWSCURRENT … ", short(token))
		waitCtx, cancel := context.WithTimeout(ctx, time.Minute)
		err = rotation.Wait(waitCtx, client, name, token, 200*time.Millisecond)
		cancel()
		if err != nil {
			return err
		}
		fmt.Println("done")
	} else {
		fmt.Println("4. Rotating with rotation.Drive: no rotation function is deployed on this backend,")
		fmt.Println("   so this program plays Secrets Manager's part and calls the same handler for each step:")
		outcome, err := rotation.Drive(ctx, client, name, newHandler(keys))
		if err != nil {
			return fmt.Errorf("rotation failed: %w", err) // names the step
		}
		token = outcome.Token
		fmt.Printf("   done (version %s is AWSCURRENT)\n", short(token))
	}

	// 5. Readers now get the new key; the old version is AWSPREVIOUS.
	step(5, "Reading %s again", name)
	got, err := client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name)})
	if err != nil {
		return err
	}
	next, err := rotation.ParseAPIKeySecret(aws.ToString(got.SecretString))
	if err != nil {
		return err
	}
	if aws.ToString(got.VersionId) != token {
		// moto 5.2 keeps returning the version it stored last.
		return fmt.Errorf("GetSecretValue returned version %s, not the rotated one %s: this backend does not follow a moved AWSCURRENT (moto 5.2 does not; AWS, LocalStack and the embedded emulator do)", short(aws.ToString(got.VersionId)), short(token))
	}
	done("%s, version %s", describe(next.JSON()), short(token))

	// 6. What the demo service accepts now depends on the strategy.
	step(6, "Asking the demo service about both keys")
	oldState, newState := accepted(ctx, keys, old.APIKey), accepted(ctx, keys, next.APIKey)
	done("old key %s, new key %s", oldState, newState)
	if newState != "accepted as "+next.Username {
		return errors.New("the demo service does not accept the new key")
	}
	wantOld := "rejected" // single user: finishSecret revoked it
	if os.Getenv("ROTATION_STRATEGY") == "alternating" {
		wantOld = "accepted as " + old.Username // until the next rotation
	}
	if oldState != wantOld {
		return fmt.Errorf("the old key is %s, expected %s", oldState, wantOld)
	}

	step(7, "Listing the versions of %s", name)
	desc, err := client.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(name)})
	if err != nil {
		return err
	}
	done("rotation schedule enabled: %v", aws.ToBool(desc.RotationEnabled)) // Drive sets none
	for _, id := range []string{before, token} {
		stages := slices.Clone(desc.VersionIdsToStages[id])
		slices.Sort(stages)
		fmt.Printf("   %s  %v\n", short(id), stages)
	}
	return nil
}

// accepted asks the demo service whose key this is.
func accepted(ctx context.Context, keys *demoservice.Client, key string) string {
	user, err := keys.WhoAmI(ctx, key)
	if err != nil {
		return "rejected"
	}
	return "accepted as " + user
}

// startDemoService runs the demo service in this process and points
// DEMO_SERVICE_URL and DEMO_SERVICE_ADMIN_TOKEN at it.
func startDemoService() (stop func(), err error) {
	token := rand.Text()
	srv, err := demoservice.New(token).Start("127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("starting the demo service: %w", err)
	}
	os.Setenv("DEMO_SERVICE_URL", srv.URL)
	os.Setenv("DEMO_SERVICE_ADMIN_TOKEN", token)
	return func() { srv.Close() }, nil
}

// cleanup force-deletes the secret, with a fresh context so that it still
// runs after Ctrl-C. It reports whether the secret is gone.
func cleanup(client *secretsmanager.Client, name string) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	fmt.Printf("Cleaning up: deleting %s … ", name)
	_, err := client.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{
		SecretId:                   aws.String(name),
		ForceDeleteWithoutRecovery: aws.Bool(true),
	})
	if err != nil {
		fmt.Printf("failed: %v\n", err)
		return false
	}
	fmt.Println("done")
	return true
}

func step(n int, format string, args ...any) {
	fmt.Printf("%d. %s … ", n, fmt.Sprintf(format, args...))
}

func done(format string, args ...any) {
	fmt.Printf("done (%s)\n", fmt.Sprintf(format, args...))
}

// fail reports err and exits non-zero. Errors name the operation and the
// step, never a key.
func fail(err error) {
	fmt.Fprintf(os.Stderr, "example 3: %v\n", err)
	os.Exit(1)
}
