package dbconfig

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// No Secrets Manager at all: a fake of the one call, which answers only
// for the name and stage it expects, and counts its calls.
type fake struct {
	name, value string
	calls       int
}

func (f *fake) GetSecretValue(ctx context.Context, in *secretsmanager.GetSecretValueInput, _ ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error) {
	f.calls++
	if f.calls > 3 {
		return nil, errors.New("called too often")
	}
	if aws.ToString(in.SecretId) != f.name || (in.VersionStage != nil && *in.VersionStage != "AWSCURRENT") {
		return nil, &types.ResourceNotFoundException{Message: aws.String("no such secret")}
	}
	return &secretsmanager.GetSecretValueOutput{SecretString: aws.String(f.value)}, nil
}

const secretPW = "fake-pw-7c1e"

func TestTable(t *testing.T) {
	for _, tc := range []struct {
		name, value string
		ask         string
		want        Config
		err         error
	}{
		{"ok", `{"host":"h","port":7000,"username":"u","password":"` + secretPW + `","dbname":"d"}`, "ok", Config{"h", 7000, "u", secretPW, "d"}, nil},
		{"missing", "", "other", Config{}, ErrNotFound},
		{"garbage", `{{`, "garbage", Config{}, ErrInvalid},
		{"no-pw", `{"host":"h","username":"u","dbname":"d"}`, "no-pw", Config{}, ErrInvalid},
		{"no-host", `{"username":"u","password":"` + secretPW + `","dbname":"d"}`, "no-host", Config{}, ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			got, err := LoadDBConfig(ctx, &fake{name: tc.name, value: tc.value}, tc.ask)
			if !errors.Is(err, tc.err) || got != tc.want {
				t.Fatalf("got %v, %v", got, err)
			}
			if err != nil && strings.Contains(err.Error(), secretPW) {
				t.Fatal("the error shows the password")
			}
			if strings.Contains(fmt.Sprint(got), secretPW) {
				t.Fatal("the Config shows the password")
			}
		})
	}
}
