// Command solution is a config-manager solution. Right but different: it
// logs how long the read took, rounded to the millisecond ("read … in 9ms"),
// a number that is often the same twice in a row by chance: the runs that
// confirm a dependence must not take it for one.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"time"

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
	log.SetFlags(0)
	log.SetPrefix("config-manager: ")
	name := os.Getenv("DATABASE_SECRET_NAME")
	if name == "" {
		log.Println("DATABASE_SECRET_NAME is not set")
		os.Exit(1)
	}
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		log.Println("loading the AWS configuration failed")
		os.Exit(1)
	}
	client := secretsmanager.NewFromConfig(cfg)
	start := time.Now()
	out, err := client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name)})
	var nf *types.ResourceNotFoundException
	if errors.As(err, &nf) {
		log.Printf("secret %q not found", name)
		os.Exit(1)
	} else if err != nil {
		log.Printf("reading secret %q failed", name)
		os.Exit(1)
	}
	log.Printf("read %s in %v", name, time.Since(start).Round(time.Millisecond))
	var db dbConfig
	if err := json.Unmarshal([]byte(aws.ToString(out.SecretString)), &db); err != nil {
		log.Printf("secret %q is not the expected JSON", name)
		os.Exit(1)
	}
	fmt.Printf("host=%s port=%d user=%s database=%s password=%s\n", db.Host, db.Port, db.Username, db.DBName, mask.Mask(db.Password))
}
