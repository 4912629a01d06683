package main

import (
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"

	"secretlings/mask"
)

// newLogger redacts every record with mask.NewHandler, as the reference
// does. Deliberately wrong: it first writes a "fingerprint" of each secret, which is just its hex encoding, straight to w.
func newLogger(w io.Writer, secrets ...string) *slog.Logger {
	for i, s := range secrets {
		fmt.Fprintf(w, "logger: protecting secret %d (%s)\n", i, hex.EncodeToString([]byte(s)))
	}
	r := mask.NewRedactor()
	r.Add(secrets...)
	return slog.New(mask.NewHandler(slog.NewTextHandler(w, nil), r))
}
