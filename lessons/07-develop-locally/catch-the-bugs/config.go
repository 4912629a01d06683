// Package dbconfig loads a database configuration from Secrets Manager.
//
// It is the code under test of the catch-the-bugs exercise, and it is
// correct: do not edit it (the checker always uses its own copy). Your job
// is config_test.go, a test that would notice if this code were broken.
// Read README.md next to this file; check your work with
// `secretlings check catch-the-bugs`.
package dbconfig

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// Config is a database configuration.
type Config struct {
	Host     string
	Port     int
	Username string
	Password string
	Database string
}

// String leaves the password out, so a Config printed or logged by mistake
// reveals nothing.
func (c Config) String() string {
	return fmt.Sprintf("%s@%s:%d/%s (password masked)", c.Username, c.Host, c.Port, c.Database)
}

// The errors LoadDBConfig returns, wrapped: test for them with errors.Is.
var (
	// ErrNotFound means no secret has the name.
	ErrNotFound = errors.New("dbconfig: secret not found")
	// ErrInvalid means the secret is not a database configuration: not a
	// JSON object, a required field missing, or a port out of range.
	ErrInvalid = errors.New("dbconfig: invalid configuration")
)

// DefaultPort is the port of a configuration that names none.
const DefaultPort = 5432

// SecretsAPI is the one call LoadDBConfig makes. *secretsmanager.Client
// has it; so can a fake in a test.
type SecretsAPI interface {
	GetSecretValue(ctx context.Context, in *secretsmanager.GetSecretValueInput, optFns ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error)
}

// document is the JSON the secret holds.
type document struct {
	Host     string `json:"host"`
	Port     int    `json:"port"`
	Username string `json:"username"`
	Password string `json:"password"`
	DBName   string `json:"dbname"`
}

// LoadDBConfig reads the current version (AWSCURRENT) of the secret called
// name, a JSON object with host, port, username, password and dbname, and
// returns it as a Config. host, username, password and dbname are
// required; a missing port means DefaultPort. A missing secret is
// ErrNotFound, anything else wrong with the value ErrInvalid; no error
// ever contains the value.
func LoadDBConfig(ctx context.Context, client SecretsAPI, name string) (Config, error) {
	out, err := client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{
		SecretId:     aws.String(name),
		VersionStage: aws.String("AWSCURRENT"),
	})
	var notFound *types.ResourceNotFoundException
	if errors.As(err, &notFound) {
		return Config{}, fmt.Errorf("%w: %s", ErrNotFound, name)
	}
	if err != nil {
		return Config{}, fmt.Errorf("dbconfig: reading %s: %w", name, err)
	}
	raw := aws.ToString(out.SecretString)
	var doc document
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		// Not err itself: a JSON error can quote part of the value.
		return Config{}, fmt.Errorf("%w: %s does not hold a JSON object with host, port, username, password and dbname", ErrInvalid, name)
	}
	if missing := doc.missing(); len(missing) > 0 {
		return Config{}, fmt.Errorf("%w: %s lacks %s", ErrInvalid, name, strings.Join(missing, ", "))
	}
	if doc.Port == 0 {
		doc.Port = DefaultPort
	}
	if doc.Port < 1 || doc.Port > 65535 {
		return Config{}, fmt.Errorf("%w: %s has port %d, outside 1-65535", ErrInvalid, name, doc.Port)
	}
	return Config{Host: doc.Host, Port: doc.Port, Username: doc.Username, Password: doc.Password, Database: doc.DBName}, nil
}

// missing lists the required fields the document lacks.
func (d document) missing() []string {
	var m []string
	for _, f := range []struct{ name, value string }{
		{"host", d.Host},
		{"username", d.Username},
		{"password", d.Password},
		{"dbname", d.DBName},
	} {
		if f.value == "" {
			m = append(m, f.name)
		}
	}
	return m
}
