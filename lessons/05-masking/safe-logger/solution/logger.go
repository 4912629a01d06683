package main

import (
	"io"
	"log/slog"

	"secretlings/mask"
)

// newLogger returns a logger whose records pass through a redacting handler:
// every value in secrets is masked wherever it appears (plain, base64, inside
// JSON, URL-escaped), and attributes with sensitive names are masked whole.
func newLogger(w io.Writer, secrets ...string) *slog.Logger {
	r := mask.NewRedactor()
	r.Add(secrets...)
	return slog.New(mask.NewHandler(slog.NewTextHandler(w, nil), r))
}
