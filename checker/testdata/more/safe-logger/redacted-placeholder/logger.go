package main

import (
	"io"
	"log/slog"

	"secretlings/mask"
)

// newLogger is right but different: the redactor writes "[REDACTED]"
// instead of the default mask.
func newLogger(w io.Writer, secrets ...string) *slog.Logger {
	r := mask.NewRedactor(mask.WithReplacement("[REDACTED]"))
	r.Add(secrets...)
	return slog.New(mask.NewHandler(slog.NewTextHandler(w, nil), r))
}
