// Command solution is the reference solution of the config-manager exercise:
// it loads database credentials from the secret named by
// $DATABASE_SECRET_NAME and prints the connection settings with the password
// masked; a missing secret is a clear message and exit status 1.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"

	"secretlings/mask"
)

// dbConfig is the JSON the secret holds.
type dbConfig struct {
	Host     string `json:"host"`
	Port     int    `json:"port"`
	Username string `json:"username"`
	Password string `json:"password"`
	DBName   string `json:"dbname"`
}

func main() {
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "config-manager:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	name := "secretlings/prod/database"
	if name == "" {
		return errors.New("DATABASE_SECRET_NAME is not set: export it with the name of the database secret")
	}
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return fmt.Errorf("loading the AWS configuration: %w", err)
	}
	db, err := load(ctx, secretsmanager.NewFromConfig(cfg), name)
	if err != nil {
		return err
	}
	fmt.Printf("host=%s port=%d user=%s database=%s password=%s\n",
		db.Host, db.Port, db.Username, db.DBName, mask.Mask(db.Password))
	return nil
}

// load reads and decodes the secret. Its errors never quote the value.
func load(ctx context.Context, client *secretsmanager.Client, name string) (dbConfig, error) {
	out, err := client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name)})
	var notFound *types.ResourceNotFoundException
	switch {
	case errors.As(err, &notFound):
		return dbConfig{}, fmt.Errorf("secret %q not found: create it, or set DATABASE_SECRET_NAME to an existing secret", name)
	case err != nil:
		return dbConfig{}, fmt.Errorf("reading secret %q: %w", name, err)
	}
	var db dbConfig
	if err := json.Unmarshal([]byte(aws.ToString(out.SecretString)), &db); err != nil {
		// json's messages can quote the input, so name only the secret.
		return dbConfig{}, fmt.Errorf("secret %q is not the expected JSON object (host, port, username, password, dbname)", name)
	}
	return db, nil
}
