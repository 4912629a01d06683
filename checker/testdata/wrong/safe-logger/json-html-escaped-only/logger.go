package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"secretlings/mask"
)

// newLogger is deliberately wrong: it writes JSON lines and replaces each
// secret as it is and as json.Marshal spells it inside a JSON string (Go's
// escaping: < > & as \u003c \u003e \u0026). JSON written by another encoder
// (Python's json.dumps, slog's JSON handler, Go's encoder with
// SetEscapeHTML(false)) spells the value otherwise, and goes out.
func newLogger(w io.Writer, secrets ...string) *slog.Logger {
	var pairs []string
	for _, s := range secrets {
		q, _ := json.Marshal(s)
		pairs = append(pairs, string(q[1:len(q)-1]), mask.Masked, s, mask.Masked)
	}
	rep := strings.NewReplacer(pairs...)
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			switch a.Value.Kind() {
			case slog.KindString, slog.KindAny:
				a.Value = slog.StringValue(rep.Replace(fmt.Sprint(a.Value.Any())))
			}
			return a
		},
	}))
}
