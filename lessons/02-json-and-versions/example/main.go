// Command example is lesson 2's runnable example: it keeps database
// credentials as one JSON secret, adds a version idempotently, reads versions
// by staging label and by version id, pins a label of its own, rolls back,
// and deletes what it created.
//
// Run it with `secretlings example 2` (or `make example-2`), which picks a
// backend and sets the environment. To run it yourself against any endpoint:
//
//	AWS_ENDPOINT_URL_SECRETS_MANAGER=http://localhost:4566 AWS_REGION=us-east-1 \
//	AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \
//	SECRETLINGS_PREFIX=tutorial/me/ go run ./lessons/02-json-and-versions/example
//
// Environment:
//
//	SECRETLINGS_PREFIX  required; every secret name starts with it
//	AWS_*               the SDK's usual settings (region, profile, endpoint, credentials)
package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"secretlings/mask"
)

// DBCredentials is the JSON document the secret holds. One secret for all
// the fields means they change together: a reader never sees a new password
// with an old user name.
type DBCredentials struct {
	Host     string `json:"host"`
	Port     int    `json:"port"`
	Username string `json:"username"`
	Password string `json:"password"`
}

// myLabel is a staging label of our own: it pins a version we trust.
const myLabel = "known-good"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	prefix := os.Getenv("SECRETLINGS_PREFIX")
	if prefix == "" {
		fail(errors.New("SECRETLINGS_PREFIX is not set: run `secretlings example 2`, or export SECRETLINGS_PREFIX=tutorial/yourname/"))
	}
	cfg, err := config.LoadDefaultConfig(ctx) // AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL_SECRETS_MANAGER, …
	if err != nil {
		fail(fmt.Errorf("loading the AWS configuration: %w", err))
	}
	client := secretsmanager.NewFromConfig(cfg)

	name := prefix + "db-credentials"
	created := false
	err = run(ctx, client, name, &created)
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

func run(ctx context.Context, client *secretsmanager.Client, name string, created *bool) error {
	// 1. Store a JSON document. Print it masked: keys stay readable.
	v1 := DBCredentials{Host: "db.internal", Port: 5432, Username: "app", Password: rand.Text()}
	step(1, "Creating JSON secret %s", name)
	out, err := client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{
		Name:         aws.String(name),
		Description:  aws.String("Connection settings of the tutorial's pretend database"),
		SecretString: aws.String(toJSON(v1)),
	})
	if err != nil {
		return err
	}
	*created = true
	id1 := aws.ToString(out.VersionId)
	done("version %s, value %s", short(id1), mask.Value(toJSON(v1))) // keys shown, values masked

	// 2. Read it and decode the JSON into a struct.
	step(2, "Reading %s and decoding the JSON", name)
	cur, err := read(ctx, client, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name)})
	if err != nil {
		return err
	}
	done("user %s at %s:%d, password %s", cur.Username, cur.Host, cur.Port, mask.Mask(cur.Password))

	// 3. Store a new version. ClientRequestToken becomes its id and makes
	// the call idempotent: step 4's retry with the same token (as the SDK
	// does after a timeout) adds no third version.
	v2 := v1
	v2.Password = rand.Text()
	token := newToken()
	step(3, "Putting a new password as a new version (ClientRequestToken %s)", short(token))
	put := &secretsmanager.PutSecretValueInput{
		SecretId:           aws.String(name),
		SecretString:       aws.String(toJSON(v2)),
		ClientRequestToken: aws.String(token),
	}
	out2, err := client.PutSecretValue(ctx, put)
	if err != nil {
		return err
	}
	id2 := aws.ToString(out2.VersionId)
	done("version %s, stages %v", short(id2), out2.VersionStages)

	step(4, "Retrying the same PutSecretValue with the same token")
	again, err := client.PutSecretValue(ctx, put)
	if err != nil {
		return err
	}
	if aws.ToString(again.VersionId) != id2 {
		return fmt.Errorf("the retry created version %s instead of reusing %s", aws.ToString(again.VersionId), id2)
	}
	done("same version %s: no duplicate", short(id2))

	// 5. The version before is still there, labelled AWSPREVIOUS.
	step(5, "Reading the AWSPREVIOUS version")
	prev, err := read(ctx, client, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name), VersionStage: aws.String("AWSPREVIOUS")})
	if err != nil {
		return err
	}
	if prev.Password != v1.Password {
		return errors.New("AWSPREVIOUS does not hold the first password")
	}
	done("the first password, %s", mask.Mask(prev.Password))

	// 6. Any version can be read by its id, whatever its labels.
	step(6, "Reading version %s by its id", short(id1))
	byID, err := read(ctx, client, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name), VersionId: aws.String(id1)})
	if err != nil {
		return err
	}
	if byID.Password != v1.Password {
		return errors.New("version 1 does not hold the first password")
	}
	done("the first password again, %s", mask.Mask(byID.Password))

	// 7. A label of our own marks a version we know works. Labels are
	// unique within a secret: adding one moves it.
	step(7, "Labelling version %s %q", short(id1), myLabel)
	if _, err := client.UpdateSecretVersionStage(ctx, &secretsmanager.UpdateSecretVersionStageInput{
		SecretId:        aws.String(name),
		VersionStage:    aws.String(myLabel),
		MoveToVersionId: aws.String(id1),
	}); err != nil {
		return err
	}
	pinned, err := read(ctx, client, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name), VersionStage: aws.String(myLabel)})
	if err != nil {
		return err
	}
	if pinned.Password != v1.Password {
		return fmt.Errorf("the %q label does not lead to version 1", myLabel)
	}
	done("reading by stage %q gives version %s", myLabel, short(id1))

	// 8. Roll back: move AWSCURRENT to the known-good version. Name the
	// version it comes from, or the call fails; Secrets Manager labels that
	// one AWSPREVIOUS itself.
	step(8, "Rolling back: moving AWSCURRENT from %s to %s", short(id2), short(id1))
	if _, err := client.UpdateSecretVersionStage(ctx, &secretsmanager.UpdateSecretVersionStageInput{
		SecretId:            aws.String(name),
		VersionStage:        aws.String("AWSCURRENT"),
		MoveToVersionId:     aws.String(id1),
		RemoveFromVersionId: aws.String(id2),
	}); err != nil {
		return err
	}
	now, err := read(ctx, client, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name)})
	if err != nil {
		return err
	}
	if now.Password != v1.Password {
		// AWS moves what a plain GetSecretValue returns with the label;
		// moto 5.2 does not (it keeps the last PutSecretValue's version).
		return errors.New("after the rollback, GetSecretValue still returns the newer password: this backend does not follow a moved AWSCURRENT (moto 5.2 does not; AWS, LocalStack and the embedded emulator do)")
	}
	done("readers get the first password again")

	// 9. The versions and their labels, as Secrets Manager now sees them.
	step(9, "Listing the versions of %s", name)
	list, err := client.ListSecretVersionIds(ctx, &secretsmanager.ListSecretVersionIdsInput{SecretId: aws.String(name)})
	if err != nil {
		return err
	}
	done("")
	for _, v := range list.Versions {
		stages := slices.Clone(v.VersionStages)
		slices.Sort(stages)
		fmt.Printf("   %s  %s\n", short(aws.ToString(v.VersionId)), strings.Join(stages, ", "))
	}
	return nil
}

// read gets one version and decodes it.
func read(ctx context.Context, client *secretsmanager.Client, in *secretsmanager.GetSecretValueInput) (DBCredentials, error) {
	out, err := client.GetSecretValue(ctx, in)
	if err != nil {
		return DBCredentials{}, err
	}
	var c DBCredentials
	if err := json.Unmarshal([]byte(aws.ToString(out.SecretString)), &c); err != nil {
		// json's error can quote the input: say where, not what.
		return DBCredentials{}, errors.New("the secret value is not the JSON document this example stores")
	}
	return c, nil
}

func toJSON(c DBCredentials) string {
	b, _ := json.Marshal(c) // a struct of strings and ints always marshals
	return string(b)
}

// newToken makes a ClientRequestToken: 32 to 64 characters, here a UUID.
func newToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
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
	fmt.Fprintf(os.Stderr, "example 2: %v\n", err)
	os.Exit(1)
}
