package rotation_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"secretlings/aws/emulator"
	"secretlings/aws/rotation"
	"secretlings/aws/rotation/demoservice"
)

// exampleSetup starts the embedded emulator and the demo service, and stores
// an API-key secret whose key the service accepts.
func exampleSetup(user string) (client *secretsmanager.Client, emu *emulator.Server, keys *demoservice.Client, first rotation.APIKeySecret, cleanup func()) {
	emu, _ = emulator.New(emulator.WithSyncRotation())
	hs := httptest.NewServer(emu)
	svc, _ := demoservice.New("admin-token").Start("127.0.0.1:0")
	client = newClient(hs.URL)
	keys = &demoservice.Client{BaseURL: svc.URL, AdminToken: "admin-token"}

	key, _ := rotation.NewAPIKey()
	first = rotation.APIKeySecret{Username: user, APIKey: key}
	_ = keys.AddKey(context.Background(), user, key)
	_, _ = client.CreateSecret(context.Background(), &secretsmanager.CreateSecretInput{
		Name: aws.String("demo/api-key"), SecretString: aws.String(first.JSON()),
	})
	return client, emu, keys, first, func() { svc.Close(); hs.Close(); emu.Close() }
}

// Drive rotates a secret on any endpoint without deploying a rotation
// function. With the single-user strategy the old key stops working once the
// rotation finishes.
func ExampleDrive() {
	client, _, keys, first, cleanup := exampleSetup("app")
	defer cleanup()
	ctx := context.Background()

	out, err := rotation.Drive(ctx, client, "demo/api-key", rotation.SingleUser{Service: keys})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("steps:", out.Completed)
	fmt.Println("new version is AWSCURRENT:", out.Succeeded())

	cur, _ := client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("demo/api-key")})
	next, _ := rotation.ParseAPIKeySecret(aws.ToString(cur.SecretString))
	_, oldErr := keys.WhoAmI(ctx, first.APIKey)
	user, newErr := keys.WhoAmI(ctx, next.APIKey)
	fmt.Println("old key works:", oldErr == nil)
	fmt.Println("new key works:", newErr == nil, "as", user)
	// Output:
	// steps: [createSecret setSecret testSecret finishSecret]
	// new version is AWSCURRENT: true
	// old key works: false
	// new key works: true as app
}

// RotateSecret on the embedded emulator invokes a registered rotation
// function for each step, as AWS invokes a Lambda. With alternating users the
// previous key keeps working until the next rotation.
func Example_rotateSecret() {
	client, emu, keys, first, cleanup := exampleSetup("app-a")
	defer cleanup()
	ctx := context.Background()

	const fn = "arn:aws:lambda:us-east-1:123456789012:function:rotate-api-key"
	h := rotation.AlternatingUsers{Service: keys, Users: [2]string{"app-a", "app-b"}}
	run := rotation.LambdaHandler(client, h)
	emu.RegisterRotationFunction(fn, func(ctx context.Context, ev emulator.RotationEvent) error {
		return run(ctx, rotation.Event(ev)) // the two event types convert directly
	})

	if _, err := client.RotateSecret(ctx, &secretsmanager.RotateSecretInput{
		SecretId: aws.String("demo/api-key"), RotationLambdaARN: aws.String(fn),
	}); err != nil {
		fmt.Println(err)
		return
	}
	cur, _ := client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("demo/api-key")})
	next, _ := rotation.ParseAPIKeySecret(aws.ToString(cur.SecretString))
	oldUser, _ := keys.WhoAmI(ctx, first.APIKey)
	newUser, _ := keys.WhoAmI(ctx, next.APIKey)
	fmt.Println("current:", next) // APIKeySecret masks the key when printed
	fmt.Println("previous key still works, as", oldUser)
	fmt.Println("new key works, as", newUser)
	// Output:
	// current: {username: app-b, api_key: ****}
	// previous key still works, as app-a
	// new key works, as app-b
}

// A rotation function for AWS Lambda or LocalStack is a main that hands the
// handler to lambda.Start.
func ExampleLambdaHandler() {
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	keys := &demoservice.Client{BaseURL: os.Getenv("DEMO_SERVICE_URL"), AdminToken: os.Getenv("DEMO_SERVICE_ADMIN_TOKEN")}
	lambda.Start(rotation.LambdaHandler(secretsmanager.NewFromConfig(cfg), rotation.SingleUser{Service: keys}))
}

// A rotation command for the emulator's CommandRotationFunc reads the event
// on stdin and exits non-zero on failure.
func ExampleServeStdin() {
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	keys := &demoservice.Client{BaseURL: os.Getenv("DEMO_SERVICE_URL"), AdminToken: os.Getenv("DEMO_SERVICE_ADMIN_TOKEN")}
	if err := rotation.ServeStdin(ctx, secretsmanager.NewFromConfig(cfg), rotation.SingleUser{Service: keys}, os.Stdin); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// Funcs builds a handler from functions: here a rotation whose
// new value comes from Generate, with the template's default createSecret
// and finishSecret.
func ExampleFuncs() {
	client, _, _, _, cleanup := exampleSetup("app")
	defer cleanup()
	ctx := context.Background()

	h := rotation.Funcs{
		Generate: func(context.Context, string) (string, error) {
			return `{"username":"app","api_key":"sk_from_generate_0001"}`, nil
		},
		Test: func(ctx context.Context, s *rotation.Step) error {
			v, ok, err := s.PendingValue(ctx)
			if err != nil || !ok {
				return fmt.Errorf("no pending value: %v", err)
			}
			_, err = rotation.ParseAPIKeySecret(v)
			return err
		},
	}
	out, err := rotation.Drive(ctx, client, "demo/api-key", h, rotation.WithToken("00000000-0000-4000-8000-000000000001"))
	fmt.Println(out.Token, out.Succeeded(), err)
	// Output:
	// 00000000-0000-4000-8000-000000000001 true <nil>
}
