package main

import (
	"io"
	"log/slog"

	"secretlings/mask"
)

// newLogger is right but different: "***" as the replacement.
func newLogger(w io.Writer, secrets ...string) *slog.Logger {
	r := mask.NewRedactor(mask.WithReplacement("***"))
	r.Add(secrets...)
	return slog.New(mask.NewHandler(slog.NewTextHandler(w, nil), r))
}
