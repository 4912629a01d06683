package main

import (
	"fmt"
	"io"
	"log/slog"

	"secretlings/mask"
)

// newLogger redacts every record with mask.NewHandler, as the reference
// does. Deliberately wrong: it first dumps its configuration with %#v straight to w, a struct holding the secrets, Go-quoted.
func newLogger(w io.Writer, secrets ...string) *slog.Logger {
	for i, s := range secrets {
		fmt.Fprintf(w, "logger: protecting secret %d (%s)\n", i, fmt.Sprintf("%#v", struct{ Secret string }{s}))
	}
	r := mask.NewRedactor()
	r.Add(secrets...)
	return slog.New(mask.NewHandler(slog.NewTextHandler(w, nil), r))
}
