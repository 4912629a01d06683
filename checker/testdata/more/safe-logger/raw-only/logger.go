package main

import (
	"context"
	"io"
	"log/slog"
	"strings"
)

// newLogger is deliberately wrong: it replaces the raw values in every
// string attribute and message, and nothing else: the base64 header and
// the escaped JSON get through.
func newLogger(w io.Writer, secrets ...string) *slog.Logger {
	return slog.New(rawRedactor{slog.NewTextHandler(w, nil), secrets})
}

type rawRedactor struct {
	next    slog.Handler
	secrets []string
}

func (h rawRedactor) clean(s string) string {
	for _, v := range h.secrets {
		s = strings.ReplaceAll(s, v, "[hidden]")
	}
	return s
}

func (h rawRedactor) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

func (h rawRedactor) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, h.clean(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(slog.String(a.Key, h.clean(a.Value.String())))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h rawRedactor) WithAttrs(as []slog.Attr) slog.Handler {
	return rawRedactor{h.next.WithAttrs(as), h.secrets}
}

func (h rawRedactor) WithGroup(n string) slog.Handler {
	return rawRedactor{h.next.WithGroup(n), h.secrets}
}
