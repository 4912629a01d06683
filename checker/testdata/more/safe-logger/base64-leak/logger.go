package main

import (
	"io"
	"log/slog"
	"strings"
)

// replacer is deliberately wrong: it masks the plain values only, so the
// base64 in the Authorization header gets through.
type replacer struct {
	w       io.Writer
	secrets []string
}

func (r replacer) Write(p []byte) (int, error) {
	s := string(p)
	for _, v := range r.secrets {
		s = strings.ReplaceAll(s, v, "****")
		s = strings.ReplaceAll(s, strings.ReplaceAll(v, `"`, `\"`), "****")
		s = strings.ReplaceAll(s, strings.ReplaceAll(strings.ReplaceAll(v, `\`, `\\`), `"`, `\\\"`), "****")
	}
	_, err := io.WriteString(r.w, s)
	return len(p), err
}

func newLogger(w io.Writer, secrets ...string) *slog.Logger {
	return slog.New(slog.NewTextHandler(replacer{w: w, secrets: secrets}, nil))
}
