package dbconfig

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// It uses the endpoint the environment names, and never deletes what it
// creates there.
func TestLoadDBConfig(t *testing.T) {
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	client := secretsmanager.NewFromConfig(cfg)
	_, err = client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("test/db"),
		SecretString: aws.String(`{"host":"h","port":6543,"username":"u","password":"p4ssw0rd-xyz","dbname":"d"}`)})
	if err != nil {
		t.Fatal(err)
	}
	got, err := LoadDBConfig(ctx, client, "test/db")
	if err != nil || got.Port != 6543 || got.Password != "p4ssw0rd-xyz" {
		t.Fatalf("got %v, %v", got, err)
	}
}
