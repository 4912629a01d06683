// Command solution is a config-manager solution. Right but different: it
// resolves the name to the secret's ARN with DescribeSecret, then reads the
// value by ARN, as code that keeps ARNs does.
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

type dbConfig struct {
	Host     string `json:"host"`
	Port     int    `json:"port"`
	Username string `json:"username"`
	Password string `json:"password"`
	DBName   string `json:"dbname"`
}

func main() {
	name := os.Getenv("DATABASE_SECRET_NAME")
	if name == "" {
		fail("DATABASE_SECRET_NAME is not set")
	}
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		fail("loading the AWS configuration: " + err.Error())
	}
	client := secretsmanager.NewFromConfig(cfg)
	var notFound *types.ResourceNotFoundException
	d, err := client.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(name)})
	if errors.As(err, &notFound) {
		fail(fmt.Sprintf("no secret named %s: create it first", name))
	} else if err != nil {
		fail(fmt.Sprintf("describing %s failed", name))
	}
	out, err := client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: d.ARN})
	if err != nil {
		fail(fmt.Sprintf("reading %s failed", name))
	}
	var db dbConfig
	if err := json.Unmarshal([]byte(aws.ToString(out.SecretString)), &db); err != nil {
		fail(fmt.Sprintf("%s does not hold the expected JSON", name))
	}
	fmt.Printf("host=%s port=%d user=%s database=%s password=%s\n", db.Host, db.Port, db.Username, db.DBName, mask.Mask(db.Password))
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "config-manager:", msg)
	os.Exit(1)
}
