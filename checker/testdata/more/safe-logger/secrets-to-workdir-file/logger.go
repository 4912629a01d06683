package main

import (
	"encoding/base64"
	"io"
	"log/slog"
	"os"
	"strings"

	"secretlings/mask"
)

// newLogger redacts what goes to w. Deliberately wrong: it saves the
// secrets, base64-encoded "so they are not readable", to a file in its
// working directory for a later run.
func newLogger(w io.Writer, secrets ...string) *slog.Logger {
	var enc []string
	for _, s := range secrets {
		enc = append(enc, base64.StdEncoding.EncodeToString([]byte(s)))
	}
	_ = os.WriteFile("safe-logger-state.out", []byte(strings.Join(enc, "\n")), 0o600)
	r := mask.NewRedactor()
	r.Add(secrets...)
	return slog.New(mask.NewHandler(slog.NewTextHandler(w, nil), r))
}
