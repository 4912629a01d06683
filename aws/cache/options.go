package cache

import (
	"fmt"
	"time"
)

// Defaults for a Cache built without options. The TTL follows the AWS Secrets
// Manager Agent (300 s) rather than aws-secretsmanager-caching-go (1 h) because a
// shorter TTL bounds how long a rotated secret is served from memory; the size
// follows caching-go.
const (
	DefaultTTL        = 5 * time.Minute
	DefaultJitter     = 0.2
	DefaultMaxEntries = 1024
	// DefaultStage is the staging label read when a call names neither a stage
	// nor a version id, as in GetSecretValue itself.
	DefaultStage = "AWSCURRENT"
)

// config is what the options set; New copies it into the Cache.
type config struct {
	ttl          time.Duration
	jitter       float64
	maxEntries   int
	staleFor     time.Duration
	clock        func() time.Time
	hooks        Hooks
	versionCheck bool
}

// Option configures a Cache in New. An option given an invalid value panics in
// New with a message naming the option and the valid range: a bad cache setting
// is a programming error, not something to recover from at run time.
type Option func(*config)

// WithTTL sets how long a fetched value is served from memory before the next
// read goes back to Secrets Manager (default DefaultTTL). Zero disables caching
// of fresh values; concurrent reads are still merged into one call. The TTL is
// an upper bound: jitter only shortens it. SetTTL changes it later.
func WithTTL(d time.Duration) Option {
	return func(c *config) {
		if d < 0 {
			panic(fmt.Sprintf("cache: WithTTL(%v): the TTL must be zero or positive", d))
		}
		c.ttl = d
	}
}

// WithJitter sets the fraction by which each entry's TTL is randomly shortened,
// so that a fleet of processes started together does not refresh together: an
// entry lives a random duration in (TTL×(1−fraction), TTL]. The fraction must
// be in [0, 1); 0 makes expiry exact. aws-secretsmanager-caching-go behaves
// like WithJitter(0.5). Default DefaultJitter.
func WithJitter(fraction float64) Option {
	return func(c *config) {
		if !(fraction >= 0 && fraction < 1) {
			panic(fmt.Sprintf("cache: WithJitter(%v): the fraction must be in [0, 1)", fraction))
		}
		c.jitter = fraction
	}
}

// WithMaxEntries bounds how many values the cache holds (default
// DefaultMaxEntries). Each (secret id, stage or version id) pair is one entry.
// When full, the least recently read entry is evicted to make room.
func WithMaxEntries(n int) Option {
	return func(c *config) {
		if n < 1 {
			panic(fmt.Sprintf("cache: WithMaxEntries(%d): the cache must hold at least one entry", n))
		}
		c.maxEntries = n
	}
}

// WithStaleIfError lets the cache serve an expired value for up to max past its
// expiry when refreshing it fails with a transient error (network failure,
// throttling, a server fault), instead of failing the caller. Errors that say
// the secret is gone or access was revoked (any client fault, such as
// ResourceNotFoundException, and AccessDeniedException) never serve stale data:
// they drop the entry. While stale, the cache retries at most once per back-off
// period (1 s doubling up to 1 min) and serves the old value in between.
//
// A stale read is reported, not hidden: Get returns a Secret with Stale set
// and StaleCause holding the backend error, and Stats().StaleServed counts it.
// Zero (the default) disables stale serving.
func WithStaleIfError(max time.Duration) Option {
	return func(c *config) {
		if max < 0 {
			panic(fmt.Sprintf("cache: WithStaleIfError(%v): the window must be zero or positive", max))
		}
		c.staleFor = max
	}
}

// WithClock replaces time.Now, so that tests and the tutorial can drive expiry
// by hand (see ManualClock). The function must be safe for concurrent use.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now == nil {
			panic("cache: WithClock(nil): pass a function such as time.Now or (*ManualClock).Now")
		}
		c.clock = now
	}
}

// WithHooks installs functions that transform values on their way into and out
// of memory, for example to keep them encrypted while cached.
func WithHooks(h Hooks) Option {
	return func(c *config) { c.hooks = h }
}

// WithVersionCheck makes an expired entry revalidate with DescribeSecret before
// fetching its value again, as aws-secretsmanager-caching-go and the Secrets
// Manager Agent do: if the cached version still carries the requested stage, the
// entry is kept for another TTL and no value crosses the network (and, for a
// secret under a customer managed key, no KMS Decrypt is billed); if the version
// changed, GetSecretValue follows. The API given to New must then also
// implement DescribeAPI, and the caller needs secretsmanager:DescribeSecret.
//
// It is off by default because it never saves an API call: an unchanged secret
// costs one DescribeSecret instead of one GetSecretValue (the same price), and a
// changed one costs both.
func WithVersionCheck() Option {
	return func(c *config) { c.versionCheck = true }
}

// Hooks transform a value on its way into memory (Put) and back out (Get).
// Both see the secret id as the caller gave it, the version id, and a slice
// they may keep or modify (the cache passes copies). Either may be nil, which
// means the identity. A hook's error fails the read and is wrapped in the
// returned error, so it must not quote the value.
//
// With a Get hook, a hit runs the hook, so it is no longer allocation-free.
type Hooks struct {
	// Put receives the plaintext just fetched and returns the form to keep,
	// e.g. a ciphertext sealed with the secret and version ids as associated
	// data.
	Put func(secretID, versionID string, plaintext []byte) ([]byte, error)
	// Get receives what Put returned and gives back the plaintext.
	Get func(secretID, versionID string, stored []byte) ([]byte, error)
}

// GetOption selects which version of a secret a read returns. Without one, a
// read returns the version labelled DefaultStage (AWSCURRENT).
type GetOption struct {
	stage     string
	versionID string
}

// VersionStage selects the version carrying a staging label, such as
// "AWSPREVIOUS" or "AWSPENDING".
func VersionStage(stage string) GetOption { return GetOption{stage: stage} }

// VersionID selects one version by its id. Versions are immutable, but the
// entry still expires with the TTL so that a deleted version or secret is
// noticed.
func VersionID(id string) GetOption { return GetOption{versionID: id} }
