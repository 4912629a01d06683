package lessons

import "reflect"

// The demo actions run a small program of the tutorial's own instead of one
// Secrets Manager call: the demo API-key service, a cache reader, a logger.
// Their inputs are checked like SDK inputs; the UI knows how to run them.

// SetupDemoServiceInput creates a secret holding an API key for the demo
// service, registered with the service, ready to rotate.
type SetupDemoServiceInput struct {
	SecretId *string
	// Strategy is single-user (the default) or alternating-users.
	Strategy *string
}

// CallDemoServiceInput calls the demo service with the API key stored in a
// version of the secret, showing whether the service accepts it.
type CallDemoServiceInput struct {
	SecretId     *string
	VersionStage *string // default AWSCURRENT
}

// ReadThroughCacheInput runs a reader that reads a secret through the
// caching client, showing hits, misses and API calls live.
type ReadThroughCacheInput struct {
	SecretId *string
	TTL      *string // a Go duration, e.g. "5s"
	Reads    *int32  // how many reads (default 50)
	Rate     *int32  // reads per second (default 10)
	// RotateAfter, when set, puts a new value mid-way (a Go duration) to
	// show the stale window.
	RotateAfter *string
}

// RunLoggerInput runs a sample program that logs while handling a secret,
// with or without the redacting slog handler.
type RunLoggerInput struct {
	SecretId *string
	Redact   *bool
}

// ScanTextInput runs the secret-looking-string detector over a text.
type ScanTextInput struct {
	Text *string
}

// ShowConnectionInput takes nothing: the demo prints where the session's
// endpoint, region and credentials came from, and what a program started
// from the same shell would use.
type ShowConnectionInput struct{}

func init() {
	for name, t := range map[string]reflect.Type{
		"SetupDemoService": reflect.TypeFor[SetupDemoServiceInput](),
		"CallDemoService":  reflect.TypeFor[CallDemoServiceInput](),
		"ReadThroughCache": reflect.TypeFor[ReadThroughCacheInput](),
		"RunLogger":        reflect.TypeFor[RunLoggerInput](),
		"ScanText":         reflect.TypeFor[ScanTextInput](),
		"ShowConnection":   reflect.TypeFor[ShowConnectionInput](),
	} {
		operations[name] = t
		demos[name] = true
	}
	required["ScanText"] = []string{"Text"}
}

// demos marks the operations that are demo actions, not API calls.
var demos = map[string]bool{}

// IsDemo tells whether an action runs a demo program rather than one
// Secrets Manager operation.
func (a *Action) IsDemo() bool { return demos[a.Operation] }
