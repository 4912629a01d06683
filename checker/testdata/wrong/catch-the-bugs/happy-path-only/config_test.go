package dbconfig

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"secretlings/aws/emulator"
)

// Only the happy path, checked well: the error paths are never tried.
func TestLoadDBConfig(t *testing.T) {
	srv, _ := emulator.New()
	hs := httptest.NewServer(srv)
	defer hs.Close()
	client := secretsmanager.New(secretsmanager.Options{
		BaseEndpoint: aws.String(hs.URL), Region: "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
	})
	ctx := context.Background()
	_, err := client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("test/db"),
		SecretString: aws.String(`{"host":"db.internal","port":6543,"username":"app","password":"p4ssw0rd-xyz","dbname":"orders"}`)})
	if err != nil {
		t.Fatal(err)
	}
	got, err := LoadDBConfig(ctx, client, "test/db")
	if err != nil {
		t.Fatal(err)
	}
	want := Config{Host: "db.internal", Port: 6543, Username: "app", Password: "p4ssw0rd-xyz", Database: "orders"}
	if got != want {
		t.Errorf("got %v, want %v", got, want)
	}
}
