package main

import (
	"fmt"
	"io"
	"log/slog"

	"secretlings/mask"
)

// newLogger redacts every record with mask.NewHandler, as the reference
// does. Deliberately wrong: it first writes the first half of each secret ("enough to tell them apart") straight to w.
func newLogger(w io.Writer, secrets ...string) *slog.Logger {
	for i, s := range secrets {
		fmt.Fprintf(w, "logger: protecting secret %d (%s)\n", i, s[:len(s)/2])
	}
	r := mask.NewRedactor()
	r.Add(secrets...)
	return slog.New(mask.NewHandler(slog.NewTextHandler(w, nil), r))
}
