package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"secretlings/aws"
	"secretlings/internal/motoserver"
)

func TestCleanupRemovesOnlyTutorialSecrets(t *testing.T) {
	moto := motoserver.ForTest(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	t.Setenv("AWS_REGION", "us-east-1")
	conn, err := aws.Connect(context.Background(), aws.Target{Backend: aws.Endpoint, Endpoint: moto.URL})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ours := []string{"secretlings/cleanup-test/a", "secretlings/cleanup-test/b"}
	theirs := "cleanup-test/not-ours"
	for _, n := range append(ours, theirs) {
		if _, err := conn.Client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: sdkaws.String(n), SecretString: sdkaws.String("v")}); err != nil {
			t.Fatal(err)
		}
	}
	defer conn.Client.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: sdkaws.String(theirs), ForceDeleteWithoutRecovery: sdkaws.Bool(true)})

	var out, errOut bytes.Buffer
	if code := runCleanup([]string{"--endpoint-url", moto.URL}, strings.NewReader("n\n"), &out, &errOut); code != 1 {
		t.Fatalf("answering no: exit %d, %s %s", code, out.String(), errOut.String())
	}
	if left, _ := aws.ListNames(ctx, conn.Client, "secretlings/cleanup-test/"); len(left) != 2 {
		t.Fatalf("answering no deleted something: %v", left)
	}
	out.Reset()
	if code := runCleanup([]string{"--endpoint-url", moto.URL}, strings.NewReader("y\n"), &out, &errOut); code != 0 {
		t.Fatalf("exit %d, %s %s", code, out.String(), errOut.String())
	}
	for _, n := range ours {
		if !strings.Contains(out.String(), n) {
			t.Errorf("cleanup did not list %s:\n%s", n, out.String())
		}
	}
	if left, _ := aws.ListNames(ctx, conn.Client, "secretlings/cleanup-test/"); len(left) != 0 {
		t.Fatalf("left behind: %v", left)
	}
	if _, err := conn.Client.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: sdkaws.String(theirs)}); err != nil {
		t.Fatalf("cleanup touched a secret outside the prefix: %v", err)
	}
	if code := runCleanup([]string{"extra"}, nil, &out, &errOut); code != 2 {
		t.Fatalf("a stray argument: exit %d", code)
	}
}
