package aws

import (
	"cmp"
	"context"
	"path/filepath"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
)

// Origin is one part of a connection (endpoint, region or access key) and
// where it came from, in the words the SDKs' documentation uses.
type Origin struct {
	Value  string
	Source string
}

// Connection is how a client was configured, part by part: what lesson 7
// shows live. Credentials.Value is the access key id, masked
// (MaskAccessKey), and Credentials.Source the provider's
// aws.Credentials.Source (StaticCredentials, EnvConfigCredentials,
// SharedConfigCredentials: FILE, …). Nothing here ever holds a secret
// access key.
type Connection struct {
	Endpoint, Region, Credentials Origin
	// Note says more about the credentials (the dummy keys of a local
	// backend); empty when there is nothing to add.
	Note string
}

// Describe says where the Conn's endpoint, region and credentials came
// from.
func (c *Conn) Describe(ctx context.Context) Connection {
	t := c.Target
	conn := Connection{
		Endpoint: Origin{t.Endpoint, t.EndpointSource},
		Region:   Origin{t.Region, t.RegionSource},
	}
	switch t.Backend {
	case Embedded:
		conn.Endpoint.Source = "the embedded emulator, started by secretlings"
	case AWS:
		if t.Endpoint == "" {
			conn.Endpoint.Value = "https://secretsmanager." + t.Region + ".amazonaws.com"
		}
	}
	if t.RegionSource == "shared config" {
		conn.Region.Source = "the region of profile " + profileName(t.Profile) + " (shared config)"
	}
	conn.Credentials = credentialsOrigin(ctx, c.cfg.Credentials)
	if t.Backend != AWS {
		conn.Note = "dummy keys test/test on every local backend: yours never reach an emulator"
	}
	return conn
}

// DescribeEnvironment says what an SDK program started now, from this
// process's environment and shared config and with no endpoint in its
// code, would use: the same resolution as the aws CLI's, without flags.
// It only reads: no credential_process is run, no role assumed, no SSO
// token refreshed and no instance metadata asked, so a source that needs
// one of those is named, not tried.
func DescribeEnvironment(ctx context.Context, getenv Getenv) Connection {
	var conn Connection
	conn.Endpoint.Value, conn.Endpoint.Source = configuredEndpoint(Flags{}, getenv)
	profile := profileName(getenv("AWS_PROFILE"))
	sc, _ := config.LoadSharedConfigProfile(ctx, profile, func(o *config.LoadSharedConfigOptions) {
		o.ConfigFiles, o.CredentialsFiles = []string{sharedConfigFile(getenv)}, []string{sharedCredentialsFile(getenv)}
	})
	region, source := firstSet(getenv, "", "", "AWS_REGION", "AWS_DEFAULT_REGION")
	switch {
	case region != "":
		conn.Region = Origin{region, source}
	case sc.Region != "":
		conn.Region = Origin{sc.Region, "the region of profile " + profile + " (shared config)"}
	default:
		conn.Region.Source = "none: the SDK would refuse to send a request"
	}
	if conn.Endpoint.Value == "" && conn.Region.Value != "" {
		conn.Endpoint = Origin{"https://secretsmanager." + conn.Region.Value + ".amazonaws.com", "nothing configured: AWS's regional endpoint"}
	}
	conn.Credentials = configuredCredentials(getenv, profile, sc)
	return conn
}

// configuredCredentials walks the default chain's first links as the SDK
// does (environment, then the profile), naming the provider as
// aws.Credentials.Source does.
func configuredCredentials(getenv Getenv, profile string, sc config.SharedConfig) Origin {
	if id := getenv("AWS_ACCESS_KEY_ID"); id != "" && getenv("AWS_SECRET_ACCESS_KEY") != "" {
		return Origin{MaskAccessKey(id), config.CredentialsSourceName}
	}
	switch {
	case sc.Credentials.HasKeys():
		return Origin{MaskAccessKey(sc.Credentials.AccessKeyID), sc.Credentials.Source}
	case sc.RoleARN != "":
		return Origin{Source: "profile " + profile + " assumes role " + sc.RoleARN + " (not assumed here)"}
	case sc.SSOSessionName != "" || sc.SSOAccountID != "":
		return Origin{Source: "profile " + profile + " signs in with IAM Identity Center (SSO)"}
	case sc.CredentialProcess != "":
		return Origin{Source: "profile " + profile + "'s credential_process (not run here)"}
	}
	return Origin{Source: "none in the environment or profile " + profile + " (a container or instance role may still provide some)"}
}

// sharedCredentialsFile is AWS_SHARED_CREDENTIALS_FILE, else
// .aws/credentials in the home directory the environment names.
func sharedCredentialsFile(getenv Getenv) string {
	if f := getenv("AWS_SHARED_CREDENTIALS_FILE"); f != "" {
		return f
	}
	home := cmp.Or(getenv("HOME"), getenv("USERPROFILE"))
	if home == "" {
		return ""
	}
	return filepath.Join(home, ".aws", "credentials")
}

func profileName(p string) string {
	if p == "" {
		return "default"
	}
	return p
}

// credentialsOrigin retrieves credentials only to learn their source and
// access key id; the secret key is dropped here.
func credentialsOrigin(ctx context.Context, p sdkaws.CredentialsProvider) Origin {
	none := Origin{Source: "none: no provider in the chain found credentials"}
	if p == nil {
		return none
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	creds, err := p.Retrieve(ctx)
	if err != nil {
		return none
	}
	return Origin{Value: MaskAccessKey(creds.AccessKeyID), Source: creds.Source}
}

// MaskAccessKey shows an access key id's first four characters, which say
// its kind (AKIA long-term, ASIA temporary), and hides the rest.
func MaskAccessKey(id string) string {
	if len(id) <= 4 {
		return id
	}
	return id[:4] + "••••••••"
}
