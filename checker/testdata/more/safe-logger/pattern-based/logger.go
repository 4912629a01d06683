package main

import (
	"io"
	"log/slog"
	"regexp"

	"secretlings/mask"
)

// patterns are what a credential looks like: JSON password and api_key
// fields, a Basic authorization header, a Stripe-style key.
var patterns = []*regexp.Regexp{
	regexp.MustCompile(`("(?:password|api_key|secret|token)"\s*:\s*)"(?:[^"\\]|\\.)*"`),
	regexp.MustCompile(`Basic [A-Za-z0-9+/=]+`),
	regexp.MustCompile(`sk_(?:live|test)_[A-Za-z0-9]+`),
}

// newLogger is deliberately wrong: it ignores the secrets it is given and
// masks what looks like a credential: attributes with a sensitive name,
// JSON fields, headers, key formats. A secret under no name, such as the
// password inside a message, goes out as it is.
func newLogger(w io.Writer, _ ...string) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if mask.IsSensitiveKey(a.Key) {
				return slog.String(a.Key, mask.Masked)
			}
			s := a.Value.String()
			for _, p := range patterns {
				s = p.ReplaceAllString(s, mask.Masked)
			}
			if s != a.Value.String() {
				a.Value = slog.StringValue(s)
			}
			return a
		},
	}))
}
