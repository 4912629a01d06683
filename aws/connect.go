package aws

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"secretlings/aws/emulator"
)

// Conn is a Secrets Manager client bound to a resolved backend.
type Conn struct {
	// Target is the resolved backend, with Endpoint and Region filled in.
	Target Target
	// Client is the official SDK client every operation goes through.
	Client *secretsmanager.Client
	// Emulator is the embedded Secrets Manager, for the embedded backend
	// only: the lessons register their rotation functions with it.
	Emulator *emulator.Server

	cfg   sdkaws.Config // the resolved configuration every client is built from
	http  *http.Client
	close func() error
}

// Clients are the SDK clients of one identity on a Conn's backend: the
// services the embedded emulator also answers on its one endpoint.
type Clients struct {
	SecretsManager *secretsmanager.Client
	KMS            *kms.Client
	CloudTrail     *cloudtrail.Client
	STS            *sts.Client
}

// Clients returns the Conn's own clients: the same credentials as Client.
func (c *Conn) Clients() Clients { return c.clients(c.cfg) }

// As returns clients that sign with creds (a cast member's keys, say) and
// are otherwise configured as the Conn's: same endpoint, region and retries.
func (c *Conn) As(creds sdkaws.CredentialsProvider) Clients {
	cfg := c.cfg.Copy()
	cfg.Credentials = sdkaws.NewCredentialsCache(creds)
	return c.clients(cfg)
}

func (c *Conn) clients(cfg sdkaws.Config) Clients {
	return Clients{
		SecretsManager: secretsmanager.NewFromConfig(cfg),
		KMS:            kms.NewFromConfig(cfg),
		CloudTrail:     cloudtrail.NewFromConfig(cfg),
		STS:            sts.NewFromConfig(cfg),
	}
}

// Close stops what Connect started (the embedded emulator) and is safe to
// call more than once.
func (c *Conn) Close() error {
	if c == nil || c.close == nil {
		return nil
	}
	f := c.close
	c.close = nil
	return f()
}

// localCredentials are the dummy keys emulators accept; using them for the
// local backends keeps the learner's real AWS credentials out of the traffic.
var localCredentials = credentials.NewStaticCredentialsProvider("test", "test", "")

// Connect builds the SDK client for t. For the embedded backend it starts the
// emulator on a free loopback port first. For AWS it refuses to go on without
// credentials and says why. It does not check that the backend answers: see
// Ping.
func Connect(ctx context.Context, t Target) (*Conn, error) {
	var loadOpts []func(*config.LoadOptions) error
	if t.Region != "" {
		loadOpts = append(loadOpts, config.WithRegion(t.Region))
	}
	if t.Profile != "" {
		loadOpts = append(loadOpts, config.WithSharedConfigProfile(t.Profile))
	}
	local := t.Backend != AWS
	if local {
		loadOpts = append(loadOpts, config.WithCredentialsProvider(localCredentials))
	}
	cfg, err := config.LoadDefaultConfig(ctx, loadOpts...)
	if err != nil {
		return nil, fmt.Errorf("reading the AWS configuration: %w (check AWS_PROFILE and ~/.aws/config)", err)
	}
	if cfg.Region == "" {
		cfg.Region, t.RegionSource = DefaultRegion, "default"
	} else if t.RegionSource == "" {
		t.RegionSource = "shared config"
	}
	t.Region = cfg.Region

	c := &Conn{Target: t, http: &http.Client{Timeout: 30 * time.Second}}
	if t.Backend == Embedded {
		srv, url, stop, err := StartEmbedded(t.Region)
		if err != nil {
			return nil, fmt.Errorf("starting the embedded Secrets Manager: %w", err)
		}
		c.Emulator, c.Target.Endpoint = srv, url
		c.close = func() error { stop(); return nil }
	}
	if t.Backend == AWS {
		if err := checkCredentials(ctx, cfg); err != nil {
			return nil, err
		}
	}

	// Every client is built from cfg: the endpoint and, on a local backend,
	// the retry policy and transport are set once, for all services.
	if c.Target.Endpoint != "" {
		cfg.BaseEndpoint = sdkaws.String(c.Target.Endpoint)
	}
	if local {
		cfg.Retryer = func() sdkaws.Retryer { return LocalRetryer() }
		cfg.HTTPClient = LocalHTTPClient()
	}
	c.cfg = cfg
	c.Client = secretsmanager.NewFromConfig(cfg)
	return c, nil
}

// ErrNoCredentials reports that the AWS backend found no credentials.
var ErrNoCredentials = errors.New("no AWS credentials found")

// credentialsFix is what a learner does about ErrNoCredentials.
const credentialsFix = "run `aws configure`, set AWS_PROFILE, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"

func checkCredentials(ctx context.Context, cfg sdkaws.Config) error {
	if cfg.Credentials == nil {
		return fmt.Errorf("%w: %s", ErrNoCredentials, credentialsFix)
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		return fmt.Errorf("%w: %v\n%s", ErrNoCredentials, err, credentialsFix)
	}
	return nil
}

// Health is the result of one Ping.
type Health struct {
	OK      bool
	Latency time.Duration
	Err     error // why it does not answer, in words a learner can act on
}

// Ping checks that the backend answers Secrets Manager requests. LocalStack is
// asked through its health endpoint first, so a LocalStack without the
// secretsmanager service is reported as such.
func (c *Conn) Ping(ctx context.Context) Health {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	start := time.Now()
	if c.Target.Backend == LocalStack {
		if err := c.localStackHealth(ctx); err != nil {
			return Health{Err: err, Latency: time.Since(start)}
		}
	}
	_, err := c.Client.ListSecrets(ctx, &secretsmanager.ListSecretsInput{MaxResults: sdkaws.Int32(1)})
	h := Health{Latency: time.Since(start)}
	if err != nil {
		h.Err = errors.New(Explain(err, c.Target))
		return h
	}
	h.OK = true
	return h
}

func (c *Conn) localStackHealth(ctx context.Context) error {
	return LocalStackHealth(ctx, c.http, c.Target.Endpoint)
}

// The ways LocalStackHealth finds LocalStack not ready, for errors.Is.
var (
	ErrLocalStackDown = errors.New("LocalStack is not running")
	ErrNotLocalStack  = errors.New("not as LocalStack")
	ErrNoSecretsMgr   = errors.New("LocalStack's secretsmanager service is not available")
)

// LocalStackHealth asks LocalStack's health endpoint at base whether its
// secretsmanager service is up. Its errors wrap ErrLocalStackDown (nothing
// answers), ErrNotLocalStack or ErrNoSecretsMgr, and say what to do.
func LocalStackHealth(ctx context.Context, client *http.Client, base string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/_localstack/health", nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("%w at %s: start it with `make localstack-up` (needs Docker), or use the default embedded backend", ErrLocalStackDown, base)
	}
	defer resp.Body.Close()
	var health struct {
		Services map[string]string `json:"services"`
	}
	if resp.StatusCode != http.StatusOK || json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&health) != nil {
		return fmt.Errorf("%s answers, but %w (health check: HTTP %d): is another program using port 4566?", base, ErrNotLocalStack, resp.StatusCode)
	}
	switch s := health.Services["secretsmanager"]; s {
	case "available", "running":
		return nil
	case "":
		return fmt.Errorf("%w: LocalStack is up but has no secretsmanager service: add it to SERVICES in docker-compose.yml", ErrNoSecretsMgr)
	default:
		return fmt.Errorf("%w: it is %q: wait a moment, or see `docker compose logs localstack`", ErrNoSecretsMgr, s)
	}
}
