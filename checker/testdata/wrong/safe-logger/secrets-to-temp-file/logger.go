package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"secretlings/mask"
)

// newLogger redacts what goes to w. Deliberately wrong: it also keeps an
// unredacted debug copy of every record in a file in the temp dir, so the
// output is clean but the secrets are on disk.
func newLogger(w io.Writer, secrets ...string) *slog.Logger {
	r := mask.NewRedactor()
	r.Add(secrets...)
	var h slog.Handler = mask.NewHandler(slog.NewTextHandler(w, nil), r)
	if f, err := os.OpenFile(filepath.Join(os.TempDir(), "safe-logger-debug.out"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600); err == nil {
		h = fanout{h, slog.NewTextHandler(f, nil)}
	}
	return slog.New(h)
}

// fanout sends every record to both handlers.
type fanout [2]slog.Handler

func (f fanout) Enabled(ctx context.Context, l slog.Level) bool { return f[0].Enabled(ctx, l) }

func (f fanout) Handle(ctx context.Context, r slog.Record) error {
	_ = f[1].Handle(ctx, r.Clone())
	return f[0].Handle(ctx, r)
}

func (f fanout) WithAttrs(as []slog.Attr) slog.Handler {
	return fanout{f[0].WithAttrs(as), f[1].WithAttrs(as)}
}

func (f fanout) WithGroup(n string) slog.Handler { return fanout{f[0].WithGroup(n), f[1].WithGroup(n)} }
