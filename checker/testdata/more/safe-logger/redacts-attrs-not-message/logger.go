package main

import (
	"context"
	"io"
	"log/slog"

	"secretlings/mask"
)

// newLogger is deliberately wrong: a handler of its own redacts every
// attribute (those of Logger.With included) but passes the message on as
// it is, as if a secret could only come as an attribute.
func newLogger(w io.Writer, secrets ...string) *slog.Logger {
	r := mask.NewRedactor()
	r.Add(secrets...)
	return slog.New(redacting{slog.NewTextHandler(w, nil), r})
}

type redacting struct {
	next slog.Handler
	r    *mask.Redactor
}

func (h redacting) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

func (h redacting) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, rec.Message, rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.redact(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h redacting) redact(a slog.Attr) slog.Attr {
	if a.Value.Kind() == slog.KindGroup {
		var in []any
		for _, g := range a.Value.Group() {
			in = append(in, h.redact(g))
		}
		return slog.Group(a.Key, in...)
	}
	return slog.String(a.Key, h.r.Redact(a.Value.String()))
}

func (h redacting) WithAttrs(as []slog.Attr) slog.Handler {
	out := make([]slog.Attr, len(as))
	for i, a := range as {
		out[i] = h.redact(a)
	}
	return redacting{h.next.WithAttrs(out), h.r}
}

func (h redacting) WithGroup(n string) slog.Handler { return redacting{h.next.WithGroup(n), h.r} }
