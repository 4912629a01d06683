package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"syscall"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/smithy-go"

	"secretlings/aws/emulator"
)

// TestServeEnforceIAM: serve enforces the cast's policies by default and
// --enforce-iam=false turns that off; root keys work either way.
func TestServeEnforceIAM(t *testing.T) {
	intern, _ := emulator.CastMemberNamed("intern")
	for _, tc := range []struct {
		args   []string
		denied bool
	}{
		{[]string{"--addr", "127.0.0.1:0"}, true},
		{[]string{"--addr", "127.0.0.1:0", "--enforce-iam=false"}, false},
	} {
		c := startServe(t, tc.args...)
		ctx := context.Background()
		if _, err := smClient(c.url).CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("x"), SecretString: aws.String("v")}); err != nil {
			t.Fatal(err)
		}
		ic := secretsmanager.New(secretsmanager.Options{BaseEndpoint: aws.String(c.url), Region: "us-east-1", RetryMaxAttempts: 1,
			Credentials: credentials.NewStaticCredentialsProvider(intern.AccessKeyID, intern.SecretAccessKey, "")})
		_, err := ic.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("x")})
		var ae smithy.APIError
		if denied := errors.As(err, &ae) && ae.ErrorCode() == "AccessDeniedException"; denied != tc.denied {
			t.Errorf("%v: intern read err = %v, want denied=%v", tc.args, err, tc.denied)
		}
		c.cmd.Process.Signal(syscall.SIGTERM)
		c.wait(t)
	}
}

func TestServeHelpMentionsEnforceIAM(t *testing.T) {
	var out, errb bytes.Buffer
	if code := runServe([]string{"--help"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"--enforce-iam", "-enforce-iam", "get-caller-identity", "role/app"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help lacks %q", want)
		}
	}
}
