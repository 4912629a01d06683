// Command solution is a config-manager solution. Right but different: it
// prints the settings as a connection URL with the password masked (a
// fixed mask: mask.Partial's leading characters would be a part of the
// password, for a password nothing identifies), reports a missing secret
// with errors.As and exits with status 2.
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

func main() {
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "error: %v\n", err)
		os.Exit(2)
	}
}

func run() error {
	name := os.Getenv("DATABASE_SECRET_NAME")
	if name == "" {
		return errors.New("DATABASE_SECRET_NAME is empty")
	}
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return err
	}
	out, err := secretsmanager.NewFromConfig(cfg).GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name)})
	if nf := (*types.ResourceNotFoundException)(nil); errors.As(err, &nf) {
		return fmt.Errorf("%s: not found in Secrets Manager", name)
	} else if err != nil {
		return fmt.Errorf("%s: read failed", name)
	}
	var db struct {
		Host, Username, Password, DBName string
		Port                             int
	}
	if err := json.Unmarshal([]byte(aws.ToString(out.SecretString)), &db); err != nil {
		return fmt.Errorf("%s: not the expected JSON", name)
	}
	fmt.Printf("postgres://%s:%s@%s:%d/%s\n", db.Username, mask.Mask(db.Password), db.Host, db.Port, db.DBName)
	return nil
}
