package main

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"

	"secretlings/mask"
)

// newLogger redacts every record with mask.NewHandler, as the reference
// does. Deliberately wrong: it first writes each secret gzip-compressed and base64-encoded straight to w.
func newLogger(w io.Writer, secrets ...string) *slog.Logger {
	for i, s := range secrets {
		fmt.Fprintf(w, "logger: protecting secret %d (%s)\n", i, gz(s))
	}
	r := mask.NewRedactor()
	r.Add(secrets...)
	return slog.New(mask.NewHandler(slog.NewTextHandler(w, nil), r))
}

func gz(s string) string {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	_, _ = zw.Write([]byte(s))
	_ = zw.Close()
	return base64.StdEncoding.EncodeToString(b.Bytes())
}
