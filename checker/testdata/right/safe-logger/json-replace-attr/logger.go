package main

import (
	"io"
	"log/slog"

	"secretlings/mask"
)

// newLogger is right but different: a JSON handler whose ReplaceAttr runs
// every value (errors included) through a redactor that writes
// "<redacted>"; no mask.NewHandler.
func newLogger(w io.Writer, secrets ...string) *slog.Logger {
	r := mask.NewRedactor(mask.WithReplacement("<redacted>"))
	r.Add(secrets...)
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			switch a.Value.Kind() {
			case slog.KindString, slog.KindAny:
				a.Value = slog.StringValue(r.Redact(a.Value.String()))
			}
			return a
		},
	}))
}
