package rotation_test

import (
	"context"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"secretlings/aws/emulator"
	"secretlings/aws/rotation"
	"secretlings/aws/rotation/demoservice"
)

// BenchmarkRunPreamble measures Run's own cost (dispatch, preamble checks)
// with a DescribeSecret that answers from memory.
func BenchmarkRunPreamble(b *testing.B) {
	api := &fakeAPI{desc: secretsmanager.DescribeSecretOutput{RotationEnabled: aws.Bool(true), VersionIdsToStages: map[string][]string{tokOld: {"AWSCURRENT"}, tokNew: {"AWSPENDING"}}}}
	h := rotation.Funcs{Set: func(context.Context, *rotation.Step) error { return nil }}
	ev := rotation.Event{Step: "setSecret", SecretId: arn, ClientRequestToken: tokNew}
	ctx := context.Background()
	for b.Loop() {
		if err := rotation.Run(ctx, api, h, ev); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDriveEmulator measures one full single-user rotation of an API
// key: four steps against the embedded emulator over loopback HTTP, and the
// demo service's admin and whoami calls.
func BenchmarkDriveEmulator(b *testing.B) {
	emu, err := emulator.New()
	if err != nil {
		b.Fatal(err)
	}
	hs := httptest.NewServer(emu)
	defer hs.Close()
	svc, err := demoservice.New("admin").Start("127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer svc.Close()
	client := newClient(hs.URL)
	keys := &demoservice.Client{BaseURL: svc.URL, AdminToken: "admin"}
	ctx := context.Background()
	h := rotation.SingleUser{Service: keys}
	// A fresh secret every 50 rotations stays clear of the emulator's (and
	// AWS's) quota of 100 unlabelled versions a day.
	name := ""
	for i := 0; b.Loop(); i++ {
		if i%50 == 0 {
			b.StopTimer()
			name = "bench-" + strconv.Itoa(i)
			key, _ := rotation.NewAPIKey()
			_ = keys.AddKey(ctx, "app", key)
			if _, err := client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String(name), SecretString: aws.String(rotation.APIKeySecret{Username: "app", APIKey: key}.JSON())}); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		if _, err := rotation.Drive(ctx, client, name, h); err != nil {
			b.Fatal(err)
		}
	}
}
