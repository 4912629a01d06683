// Command safe-logger is the provided program of lesson 5's exercise: it
// loads credentials and logs carelessly through the logger you write in
// logger.go, which must keep every secret out of its output. Do not edit this
// file: the checker builds the original. Read README.md next to it.
package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

type credentials struct {
	Host     string `json:"host"`
	Username string `json:"username"`
	Password string `json:"password"`
	APIKey   string `json:"api_key"`
}

func main() {
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "safe-logger: loading the AWS configuration:", err)
		os.Exit(2)
	}
	name := os.Getenv("SECRET_NAME")
	out, err := secretsmanager.NewFromConfig(cfg).GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name)})
	if err != nil {
		fmt.Fprintf(os.Stderr, "safe-logger: reading secret %q failed\n", name)
		os.Exit(2)
	}
	raw := aws.ToString(out.SecretString)
	var c credentials
	if err := json.Unmarshal([]byte(raw), &c); err != nil {
		fmt.Fprintf(os.Stderr, "safe-logger: secret %q is not the expected JSON\n", name)
		os.Exit(2)
	}

	log := newLogger(os.Stdout, c.Password, c.APIKey)
	reqID := os.Getenv("REQUEST_ID")
	log.Info("connecting to database", "host", c.Host, "user", c.Username, "password", c.Password)
	log.Info("calling partner API", "request_id", reqID, "header",
		"Authorization: Basic "+base64.StdEncoding.EncodeToString([]byte(c.Username+":"+c.APIKey)))
	log.Info("loaded configuration", "request_id", reqID, "config", raw)
	log.Warn("partner API refused the call", "request_id", reqID, "err", fmt.Errorf("key %s was rejected", c.APIKey))
	log.Info("done", "user", c.Username)
}
