// Command config-manager is the exercise of lesson 1: load database
// credentials from Secrets Manager and print the connection settings with the
// password masked. Read README.md next to this file; check your work with
// `secretlings check config-manager`.
package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
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
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		panic(err)
	}
	client := secretsmanager.NewFromConfig(cfg)

	// TODO: take the name from the DATABASE_SECRET_NAME environment variable.
	name := "prod/database"

	out, err := client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name)})
	if err != nil {
		// TODO: a missing secret deserves a clear message and exit status 1.
		panic(err)
	}
	var db dbConfig
	if err := json.Unmarshal([]byte(aws.ToString(out.SecretString)), &db); err != nil {
		panic(err)
	}
	// TODO: print host, port, user and database, with the password masked.
	fmt.Println("TODO: print the connection settings")
}
