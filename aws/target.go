// Package aws builds the Secrets Manager client for the backend the learner
// chose (embedded, LocalStack, any endpoint, or real AWS) and explains SDK
// errors in plain words.
package aws

import (
	"fmt"
	"os"
	"strings"
)

// Backend names where the tutorial's Secrets Manager traffic goes.
type Backend string

// The backends a learner can choose with --backend.
const (
	Embedded   Backend = "embedded"   // the emulator in aws/emulator, in process
	LocalStack Backend = "localstack" // http://localhost:4566, from docker-compose.yml
	Endpoint   Backend = "endpoint"   // any Secrets Manager endpoint URL (moto_server, …)
	AWS        Backend = "aws"        // real AWS through the default credential chain
)

// Backends lists every backend in the order the help text shows them.
var Backends = []Backend{Embedded, LocalStack, Endpoint, AWS}

// LocalStackURL is where docker-compose.yml publishes LocalStack.
const LocalStackURL = "http://localhost:4566"

// DefaultRegion is used when neither a flag, the environment nor the shared
// config names a region.
const DefaultRegion = "us-east-1"

// ParseBackend accepts a backend name as typed on the command line.
func ParseBackend(s string) (Backend, error) {
	for _, b := range Backends {
		if strings.EqualFold(s, string(b)) {
			return b, nil
		}
	}
	return "", fmt.Errorf("unknown backend %q: choose one of embedded, localstack, endpoint, aws", s)
}

// Flags are the global command-line flags that pick a backend. Empty strings
// mean "not given".
type Flags struct {
	Backend     string
	EndpointURL string
	Region      string
	Profile     string
}

// Target is a resolved backend: where requests go and why. Sources name the
// flag, environment variable or default each value came from, so the status
// bar and error messages can tell the learner what to change.
type Target struct {
	Backend        Backend
	Endpoint       string // empty for AWS: the SDK resolves the regional endpoint
	EndpointSource string
	Region         string // empty: resolved from the shared config by the SDK, else DefaultRegion
	RegionSource   string
	Profile        string
}

// Getenv reads an environment variable; tests substitute a map.
type Getenv func(string) string

// Resolve applies the precedence the AWS SDKs document. Endpoint: the
// --endpoint-url flag, then what the environment and the profile configure
// (configuredEndpoint), then the backend's own default. Region: --region, then AWS_REGION, then AWS_DEFAULT_REGION, then
// the profile's shared config (left to the SDK), then us-east-1. Profile:
// --profile, then AWS_PROFILE.
//
// Without --backend, a configured endpoint (flag, environment or profile)
// selects the endpoint backend, as it redirects any SDK program and the aws
// CLI; with nothing configured the embedded emulator is used.
func Resolve(f Flags, getenv Getenv) (Target, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	var t Target

	endpoint, endpointSource := configuredEndpoint(f, getenv)

	switch {
	case f.Backend != "":
		b, err := ParseBackend(f.Backend)
		if err != nil {
			return Target{}, err
		}
		t.Backend = b
	case endpoint != "":
		t.Backend = Endpoint
	default:
		t.Backend = Embedded
	}

	switch t.Backend {
	case Embedded:
		if f.EndpointURL != "" {
			return Target{}, fmt.Errorf("--endpoint-url %s does not go with --backend embedded: use --backend endpoint to talk to that server", f.EndpointURL)
		}
		// The emulator's own address is known once it listens; an endpoint
		// from the environment is for other programs and is ignored here.
		t.EndpointSource = "embedded emulator"
	case LocalStack:
		t.Endpoint, t.EndpointSource = LocalStackURL, "LocalStack default"
		if endpoint != "" {
			t.Endpoint, t.EndpointSource = endpoint, endpointSource
		}
	case Endpoint:
		if endpoint == "" {
			return Target{}, fmt.Errorf("--backend endpoint needs a URL: pass --endpoint-url http://127.0.0.1:5000 or set AWS_ENDPOINT_URL_SECRETS_MANAGER")
		}
		t.Endpoint, t.EndpointSource = endpoint, endpointSource
	case AWS:
		if endpoint != "" {
			t.Endpoint, t.EndpointSource = endpoint, endpointSource
		} else {
			t.EndpointSource = "AWS regional endpoint"
		}
	}
	if t.Endpoint != "" {
		if err := checkURL(t.Endpoint, t.EndpointSource); err != nil {
			return Target{}, err
		}
	}

	t.Region, t.RegionSource = firstSet(getenv, f.Region, "--region", "AWS_REGION", "AWS_DEFAULT_REGION")
	t.Profile, _ = firstSet(getenv, f.Profile, "--profile", "AWS_PROFILE")
	return t, nil
}

// firstSet returns the flag's value if given, else the first environment
// variable in env that is set, with the name of where it came from; both
// are empty when nothing is set.
func firstSet(getenv Getenv, flag, flagName string, env ...string) (value, source string) {
	if flag != "" {
		return flag, flagName
	}
	for _, name := range env {
		if v := getenv(name); v != "" {
			return v, name
		}
	}
	return "", ""
}

func checkURL(u, source string) error {
	if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
		return fmt.Errorf("endpoint %q (from %s) is not a URL: write it as http://host:port", u, source)
	}
	return nil
}
