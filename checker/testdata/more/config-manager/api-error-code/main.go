// Command solution is a config-manager solution. Right but different: it
// tells a missing secret by the API error code (smithy.APIError) rather
// than errors.As on the exception type, decodes into a map, masks with a
// fixed string of its own and stops with log.Fatalf (no stack trace).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/smithy-go"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("config-manager: ")
	name, ok := os.LookupEnv("DATABASE_SECRET_NAME")
	if !ok || name == "" {
		log.Fatal("set DATABASE_SECRET_NAME to the name of the database secret")
	}
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		log.Fatalf("AWS configuration: %v", err)
	}
	out, err := secretsmanager.NewFromConfig(cfg).GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: &name})
	var api smithy.APIError
	if errors.As(err, &api) && api.ErrorCode() == "ResourceNotFoundException" {
		log.Fatalf("the secret %s does not exist (check DATABASE_SECRET_NAME)", name)
	} else if err != nil {
		log.Fatalf("could not read %s: %s", name, api.ErrorCode())
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(aws.ToString(out.SecretString)), &m); err != nil {
		log.Fatalf("%s is not a JSON object", name)
	}
	fmt.Printf("host=%v port=%v user=%v database=%v password=%s\n", m["host"], m["port"], m["username"], m["dbname"], "********")
}
