package cache

import (
	"fmt"
	"log/slog"
	"time"
)

// Secret is one read from Get: the value with where it came from and whether
// it is stale. The value is reachable only through SecretString, SecretBinary
// and DecodeJSON; fmt and slog print the metadata only.
type Secret struct {
	// SecretID is the id as the caller passed it.
	SecretID string
	// VersionID is the version the value belongs to.
	VersionID string
	// FetchedAt is when Secrets Manager last vouched for the value, on the
	// cache's clock.
	FetchedAt time.Time
	// Stale reports that the value has expired and is served because
	// refreshing it failed (WithStaleIfError).
	Stale bool
	// StaleCause is the error that made the value stale; nil unless Stale.
	StaleCause error

	data   string
	binary bool
}

// SecretString returns the value of a version that holds SecretString, or an
// error wrapping ErrNotString.
func (s Secret) SecretString() (string, error) {
	if s.binary {
		return "", kindError(s.SecretID, s.VersionID, ErrNotString)
	}
	return s.data, nil
}

// SecretBinary returns a copy of the value of a version that holds
// SecretBinary, or an error wrapping ErrNotBinary.
func (s Secret) SecretBinary() ([]byte, error) {
	if !s.binary {
		return nil, kindError(s.SecretID, s.VersionID, ErrNotBinary)
	}
	return []byte(s.data), nil
}

// DecodeJSON decodes the value into v, with the errors of Cache.GetJSON.
func (s Secret) DecodeJSON(v any) error {
	return decodeJSON(s.SecretID, s.VersionID, s.data, v)
}

// Format prints the metadata and never the value, for every verb.
func (s Secret) Format(f fmt.State, _ rune) {
	kind := "string"
	if s.binary {
		kind = "binary"
	}
	fmt.Fprintf(f, "cache.Secret{SecretID: %q, VersionID: %q, %s value: [redacted], FetchedAt: %s, Stale: %t}",
		s.SecretID, s.VersionID, kind, s.FetchedAt.Format(time.RFC3339), s.Stale)
}

// LogValue makes slog log the metadata and never the value.
func (s Secret) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.String("secret_id", s.SecretID),
		slog.String("version_id", s.VersionID),
		slog.Time("fetched_at", s.FetchedAt),
		slog.Bool("stale", s.Stale),
	}
	if s.StaleCause != nil {
		attrs = append(attrs, slog.String("stale_cause", s.StaleCause.Error()))
	}
	return slog.GroupValue(attrs...)
}
