package dbconfig

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// These tests use the Secrets Manager the environment names
// (AWS_ENDPOINT_URL: `secretlings serve` locally or in CI), and delete
// what they create.
func client(t *testing.T) *secretsmanager.Client {
	t.Helper()
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return secretsmanager.NewFromConfig(cfg)
}

func create(t *testing.T, c *secretsmanager.Client, values ...string) string {
	t.Helper()
	ctx := context.Background()
	name := fmt.Sprintf("test/%s/%d", t.Name(), time.Now().UnixNano())
	if _, err := c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String(name), SecretString: aws.String(values[0])}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c.DeleteSecret(context.Background(), &secretsmanager.DeleteSecretInput{SecretId: aws.String(name), ForceDeleteWithoutRecovery: aws.Bool(true)})
	})
	for _, v := range values[1:] {
		if _, err := c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String(name), SecretString: aws.String(v)}); err != nil {
			t.Fatal(err)
		}
	}
	return name
}

func loadWithin(c *secretsmanager.Client, name string) (Config, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return LoadDBConfig(ctx, c, name)
}

const pw = "Corpus-pw-0a9f3e"

func TestCurrent(t *testing.T) {
	c := client(t)
	name := create(t, c, `{"host":"a","port":1111,"username":"a","password":"a","dbname":"a"}`,
		`{"host":"b","port":2222,"username":"b","password":"`+pw+`","dbname":"b"}`)
	got, err := loadWithin(c, name)
	if err != nil || got != (Config{"b", 2222, "b", pw, "b"}) {
		t.Fatalf("got %v, %v", got, err)
	}
	if strings.Contains(fmt.Sprintf("%v", got), pw) {
		t.Error("printing a Config shows the password")
	}
}

func TestErrors(t *testing.T) {
	c := client(t)
	if _, err := loadWithin(c, "test/none"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing: %v", err)
	}
	for _, v := range []string{`[`, `{"port":1,"username":"u","password":"` + pw + `","dbname":"d"}`, `{"host":"h","username":"u","dbname":"d"}`} {
		_, err := loadWithin(c, create(t, c, v))
		if !errors.Is(err, ErrInvalid) || strings.Contains(err.Error(), pw) {
			t.Errorf("%.20s…: %v", v, errors.Is(err, ErrInvalid))
		}
	}
}
