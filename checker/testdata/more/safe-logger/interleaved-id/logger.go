package main

import (
	"fmt"
	"io"
	"log/slog"
	"strings"

	"secretlings/mask"
)

// newLogger redacts every record with mask.NewHandler, as the reference
// does. Deliberately wrong: it first writes each secret with a dot between every two characters straight to w.
func newLogger(w io.Writer, secrets ...string) *slog.Logger {
	for i, s := range secrets {
		fmt.Fprintf(w, "logger: protecting secret %d (%s)\n", i, strings.Join(strings.Split(s, ""), "."))
	}
	r := mask.NewRedactor()
	r.Add(secrets...)
	return slog.New(mask.NewHandler(slog.NewTextHandler(w, nil), r))
}
