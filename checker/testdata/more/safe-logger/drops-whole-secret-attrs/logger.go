package main

import (
	"context"
	"io"
	"log/slog"

	"secretlings/mask"
)

// newLogger is right but different: a handler of its own that replaces a
// whole attribute with "(removed)" when the redactor finds a secret in it,
// in any encoding it knows, whether the attribute comes with the record or
// with Logger.With; the message and every other attribute stay.
func newLogger(w io.Writer, secrets ...string) *slog.Logger {
	r := mask.NewRedactor()
	r.Add(secrets...)
	return slog.New(dropper{slog.NewTextHandler(w, nil), r})
}

type dropper struct {
	next slog.Handler
	r    *mask.Redactor
}

func (d dropper) Enabled(ctx context.Context, l slog.Level) bool { return d.next.Enabled(ctx, l) }

func (d dropper) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, d.r.Redact(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(d.drop(a))
		return true
	})
	return d.next.Handle(ctx, out)
}

// drop replaces a whole attribute that holds a secret.
func (d dropper) drop(a slog.Attr) slog.Attr {
	if len(d.r.Find(a.Value.String())) > 0 {
		return slog.String(a.Key, "(removed)")
	}
	return a
}

// WithAttrs drops the secret attributes of Logger.With too: the handler
// it wraps formats them once, before any record.
func (d dropper) WithAttrs(as []slog.Attr) slog.Handler {
	kept := make([]slog.Attr, len(as))
	for i, a := range as {
		kept[i] = d.drop(a)
	}
	return dropper{d.next.WithAttrs(kept), d.r}
}

func (d dropper) WithGroup(n string) slog.Handler { return dropper{d.next.WithGroup(n), d.r} }
