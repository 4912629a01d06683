package main

import (
	"io"
	"log/slog"
	"os"

	"secretlings/mask"
)

// newLogger is deliberately wrong: it redacts as the reference does, but
// writes to os.Stdout instead of w, the stream it is given (which main.go
// sends to stdout too, each line marked: the log is not where it was asked
// for).
func newLogger(w io.Writer, secrets ...string) *slog.Logger {
	r := mask.NewRedactor()
	r.Add(secrets...)
	return slog.New(mask.NewHandler(slog.NewTextHandler(os.Stdout, nil), r))
}
