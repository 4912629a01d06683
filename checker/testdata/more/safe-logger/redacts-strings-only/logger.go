package main

import (
	"io"
	"log/slog"

	"secretlings/mask"
)

// newLogger is deliberately wrong: ReplaceAttr redacts string values only,
// so an error value (an attribute of kind Any, which the text handler
// prints with its Error method) goes out as it is.
func newLogger(w io.Writer, secrets ...string) *slog.Logger {
	r := mask.NewRedactor()
	r.Add(secrets...)
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Value.Kind() == slog.KindString {
				a.Value = slog.StringValue(r.Redact(a.Value.String()))
			}
			return a
		},
	}))
}
