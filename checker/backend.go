package checker

import (
	awssdk "github.com/aws/aws-sdk-go-v2/aws"

	"secretlings/aws"
	"secretlings/aws/emulator"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// StartEmbedded starts an embedded emulator for grading, as the command
// line does by default, and returns the Backend (with Emulator set, so the
// rotation exercise runs on it) and a function that stops it. An empty
// region is aws.DefaultRegion.
func StartEmbedded(region string) (Backend, func(), error) {
	if region == "" {
		region = aws.DefaultRegion
	}
	emu, url, stop, err := aws.StartEmbedded(region)
	if err != nil {
		return Backend{}, nil, err
	}
	return Backend{
		Endpoint: url, Region: region, Local: true, Emulator: emu,
		Client: secretsmanager.New(secretsmanager.Options{
			BaseEndpoint: awssdk.String(url), Region: region,
			Credentials: awssdk.AnonymousCredentials{},
		}),
	}, stop, nil
}

// Backend is the Secrets Manager the checker grades against.
type Backend struct {
	// Endpoint is the backend's URL; empty means AWS's regional endpoint.
	Endpoint string
	Region   string
	// Local backends (emulator, LocalStack, moto) get dummy credentials;
	// otherwise the proxy re-signs requests with Client's credentials.
	Local bool
	// Client is the checker's own client, straight to the backend: seeding
	// and reading state never show up among the learner's requests.
	Client *secretsmanager.Client
	// Emulator, when set, is the embedded emulator behind Endpoint; the
	// rotation exercise registers its Lambda on it. When nil, the rotation
	// exercise runs on a private emulator (other backends cannot invoke a
	// local program as a rotation Lambda).
	Emulator *emulator.Server
}

// BackendFor describes a connected backend. The embedded emulator that
// aws.Connect starts is not reachable from here, so Emulator is nil.
func BackendFor(conn *aws.Conn) Backend {
	opts := conn.Client.Options()
	return Backend{
		Endpoint: conn.Target.Endpoint,
		Region:   opts.Region,
		Local:    conn.Target.Backend != aws.AWS,
		Client:   conn.Client,
	}
}
