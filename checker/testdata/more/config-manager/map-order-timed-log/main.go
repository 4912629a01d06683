// Command solution is a config-manager solution. Right but different: it
// prints the settings by ranging over a map (an order that changes from
// run to run) with the password masked, and logs to stderr, with
// microsecond timestamps, the version it read and how long that took:
// output that varies between runs, but not with the password.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"

	"secretlings/mask"
)

func main() {
	log.SetFlags(log.LstdFlags | log.Lmicroseconds)
	name := os.Getenv("DATABASE_SECRET_NAME")
	if name == "" {
		log.Fatal("DATABASE_SECRET_NAME is not set")
	}
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		log.Fatalf("AWS configuration: %v", err)
	}
	start := time.Now()
	out, err := secretsmanager.NewFromConfig(cfg).GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name)})
	var nf *types.ResourceNotFoundException
	if errors.As(err, &nf) {
		log.Fatalf("secret %s not found", name)
	} else if err != nil {
		log.Fatalf("reading %s failed", name)
	}
	log.Printf("read %s version %s in %s", name, aws.ToString(out.VersionId), time.Since(start))
	var m map[string]any
	if err := json.Unmarshal([]byte(aws.ToString(out.SecretString)), &m); err != nil {
		log.Fatalf("%s is not a JSON object", name)
	}
	var parts []string
	for k, v := range m {
		if k == "password" {
			v = mask.Mask(fmt.Sprint(v))
		}
		parts = append(parts, fmt.Sprintf("%s=%v", k, v))
	}
	fmt.Println(strings.Join(parts, " "))
}
