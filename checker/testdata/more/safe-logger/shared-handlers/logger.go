package main

import (
	"context"
	"errors"
	"io"
	"log/slog"

	"secretlings/mask"
)

// handlers are every handler newLogger ever made, shared by every logger.
var handlers fanout

// newLogger is deliberately wrong: each call adds a redacting handler to a
// package-level list that every logger writes through, so after a second
// call every record is written twice, once by the first call's handler,
// which was given no secret.
func newLogger(w io.Writer, secrets ...string) *slog.Logger {
	r := mask.NewRedactor()
	r.Add(secrets...)
	handlers.hs = append(handlers.hs, mask.NewHandler(slog.NewTextHandler(w, nil), r))
	return slog.New(&handlers)
}

type fanout struct{ hs []slog.Handler }

func (f *fanout) Enabled(ctx context.Context, l slog.Level) bool { return true }

func (f *fanout) Handle(ctx context.Context, rec slog.Record) error {
	var errs []error
	for _, h := range f.hs {
		errs = append(errs, h.Handle(ctx, rec.Clone()))
	}
	return errors.Join(errs...)
}

func (f *fanout) WithAttrs(as []slog.Attr) slog.Handler {
	out := &fanout{}
	for _, h := range f.hs {
		out.hs = append(out.hs, h.WithAttrs(as))
	}
	return out
}

func (f *fanout) WithGroup(n string) slog.Handler {
	out := &fanout{}
	for _, h := range f.hs {
		out.hs = append(out.hs, h.WithGroup(n))
	}
	return out
}
