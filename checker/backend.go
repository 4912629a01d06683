package checker

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"secretlings/aws"
	"secretlings/aws/emulator"
)

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

// BackendFor describes a connected backend, its embedded emulator
// included, so the checker takes the same road to every backend.
func BackendFor(conn *aws.Conn) Backend {
	return Backend{
		Endpoint: conn.Target.Endpoint,
		Region:   conn.Client.Options().Region,
		Local:    conn.Target.Backend != aws.AWS,
		Client:   conn.Client,
		Emulator: conn.Emulator,
	}
}

// StartEmbedded connects to a new embedded emulator, as the command line
// does by default, and returns its Backend (with Emulator set, so the
// rotation exercise runs on it) and a function that stops it. An empty
// region is aws.DefaultRegion.
func StartEmbedded(region string) (Backend, func(), error) {
	if region == "" {
		region = aws.DefaultRegion
	}
	conn, err := aws.Connect(context.Background(), aws.Target{Backend: aws.Embedded, Region: region, RegionSource: "flag"})
	if err != nil {
		return Backend{}, nil, err
	}
	return BackendFor(conn), func() { conn.Close() }, nil
}
