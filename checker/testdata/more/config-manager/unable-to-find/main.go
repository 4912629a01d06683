// Command solution is a config-manager solution. Right but different:
// DescribeSecret, then GetSecretValue by the ARN; smithy's APIError tells a
// missing secret, reported as "unable to find secret <name>".
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
	"github.com/aws/smithy-go"

	"secretlings/mask"
)

type dbConfig struct {
	Host     string `json:"host"`
	Port     int    `json:"port"`
	Username string `json:"username"`
	Password string `json:"password"`
	DBName   string `json:"dbname"`
}

func (c dbConfig) String() string {
	return fmt.Sprintf("host=%s port=%d user=%s database=%s password=%s", c.Host, c.Port, c.Username, c.DBName, mask.Mask(c.Password))
}

type store struct{ sm *secretsmanager.Client }

func (s store) load(ctx context.Context, name string) (dbConfig, error) {
	d, err := s.sm.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(name)})
	if err != nil {
		return dbConfig{}, err
	}
	out, err := s.sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: d.ARN})
	if err != nil {
		return dbConfig{}, err
	}
	var c dbConfig
	if err := json.Unmarshal([]byte(aws.ToString(out.SecretString)), &c); err != nil {
		return dbConfig{}, fmt.Errorf("secret %s is not the expected JSON", name)
	}
	return c, nil
}

func main() {
	name, ok := os.LookupEnv("DATABASE_SECRET_NAME")
	if !ok || name == "" {
		fmt.Fprintln(os.Stderr, "error: set DATABASE_SECRET_NAME to the name of the database secret")
		os.Exit(1)
	}
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "error: AWS configuration:", err)
		os.Exit(1)
	}
	c, err := store{secretsmanager.NewFromConfig(cfg)}.load(ctx, name)
	var api smithy.APIError
	switch {
	case errors.As(err, &api) && api.ErrorCode() == "ResourceNotFoundException":
		fmt.Fprintf(os.Stderr, "error: unable to find secret %s\n", name)
		os.Exit(1)
	case err != nil:
		fmt.Fprintf(os.Stderr, "error: reading secret %s failed\n", name)
		os.Exit(1)
	}
	fmt.Println(c)
}
