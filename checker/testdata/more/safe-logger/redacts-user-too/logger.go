package main

import (
	"io"
	"log/slog"

	"secretlings/mask"
)

// newLogger is deliberately wrong: besides the secrets it masks every
// attribute named user or host as "sensitive", so the output loses them.
func newLogger(w io.Writer, secrets ...string) *slog.Logger {
	r := mask.NewRedactor()
	r.Add(secrets...)
	return slog.New(mask.NewHandler(slog.NewTextHandler(w, nil), r, mask.WithSensitiveKeys("user", "host")))
}
