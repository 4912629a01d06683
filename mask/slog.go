package mask

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync/atomic"
)

// sensitiveWords are matched as substrings of a normalized key (lower case,
// letters and digits only), so "DB_PASSWORD", "apiKey" and "X-Auth-Token"
// all match.
var sensitiveWords = []string{
	"password", "passwd", "passphrase", "secret", "token", "apikey",
	"accesskey", "privatekey", "credential", "authorization", "cookie",
	"connectionstring",
}

// sensitiveExact are keys sensitive only on their own: as substrings they
// would match "author" or "oauthurl".
var sensitiveExact = []string{"auth", "dsn"}

// notSensitive are keys that contain a sensitive word but name or count
// things: the name of a secret is not secret, and hiding SecretId or
// NextToken would make logs of a Secrets Manager program useless.
var (
	notSensitiveSuffixes = []string{"name", "names", "id", "ids", "arn", "arns", "count", "type"}
	notSensitiveExact    = []string{"nexttoken", "clientrequesttoken"}
)

// IsSensitiveKey reports whether an attribute or field named key holds a
// secret by its name: keys containing password, passwd, passphrase, secret,
// token, apikey, accesskey, privatekey, credential, authorization, cookie or
// connectionstring, ignoring case and punctuation, or equal to auth or dsn.
// Keys that name, identify or count things (ending in name, id, arn,
// count or type, and NextToken and ClientRequestToken) are not sensitive.
func IsSensitiveKey(key string) bool {
	return sensitiveKey(key, nil)
}

func sensitiveKey(key string, extra []string) bool {
	k := normalizeKey(key)
	if k == "" || slices.Contains(notSensitiveExact, k) {
		return false
	}
	for _, s := range notSensitiveSuffixes {
		if strings.HasSuffix(k, s) {
			return false
		}
	}
	if slices.Contains(sensitiveExact, k) {
		return true
	}
	for _, w := range sensitiveWords {
		if strings.Contains(k, w) {
			return true
		}
	}
	for _, w := range extra {
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}

func normalizeKey(key string) string {
	for i := 0; i < len(key); i++ {
		if c := key[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return normalizeSlow(key)
		}
	}
	return key // already normal: no allocation
}

func normalizeSlow(key string) string {
	b := make([]byte, 0, len(key))
	for i := 0; i < len(key); i++ {
		c := key[i]
		switch {
		case c >= 'A' && c <= 'Z':
			b = append(b, c+'a'-'A')
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			b = append(b, c)
		}
	}
	return string(b)
}

// HandlerOption configures the handler made by [NewHandler].
type HandlerOption func(*handlerConfig)

type handlerConfig struct {
	extraWords []string
}

// WithSensitiveKeys adds words that make a key sensitive (matched like the
// built-in ones, as substrings ignoring case and punctuation), such as
// "pin" or "otp".
func WithSensitiveKeys(words ...string) HandlerOption {
	return func(c *handlerConfig) {
		for _, w := range words {
			if n := normalizeKey(w); n != "" {
				c.extraWords = append(c.extraWords, n)
			}
		}
	}
}

// Handler is a slog.Handler that redacts records before passing them on to
// another handler; see [NewHandler].
type Handler struct {
	base      slog.Handler // the handler given to NewHandler
	r         *Redactor
	cfg       *handlerConfig
	goas      []groupOrAttrs // from WithGroup and WithAttrs, applied to base lazily
	sensitive bool           // inside a group with a sensitive name
	cache     atomic.Pointer[derivedHandler]
}

type groupOrAttrs struct {
	group string
	attrs []slog.Attr
}

// derivedHandler is base with the handler's groups and attributes applied,
// redacted with the values registered as of gen.
type derivedHandler struct {
	gen uint64
	h   slog.Handler
}

// NewHandler wraps next so that no record reaches it with a secret in it:
//
//   - values registered with r are redacted from the message, attribute keys
//     and values (strings, errors, byte slices, numbers, and the formatted or
//     JSON form of any other value), in groups and maps at any depth;
//   - attributes whose key is sensitive by [IsSensitiveKey] (or by the words
//     of [WithSensitiveKeys]) show [Masked] whatever their value, and so does
//     everything inside a group with such a name.
//
// Attributes added with Logger.With are redacted when a record is handled,
// not when they are added, so a value registered later still covers them.
// r may be nil, to mask by key name only.
func NewHandler(next slog.Handler, r *Redactor, opts ...HandlerOption) *Handler {
	if r == nil {
		r = NewRedactor()
	}
	cfg := &handlerConfig{}
	for _, o := range opts {
		o(cfg)
	}
	return &Handler{base: next, r: r, cfg: cfg}
}

// Enabled reports whether the wrapped handler handles records at level.
func (h *Handler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.base.Enabled(ctx, level)
}

// Handle redacts the record and passes it on.
func (h *Handler) Handle(ctx context.Context, rec slog.Record) error {
	next := h.next()
	out := slog.NewRecord(rec.Time, rec.Level, h.r.Redact(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.redactAttr(a, h.sensitive))
		return true
	})
	return next.Handle(ctx, out)
}

// WithAttrs returns a handler that adds attrs to every record.
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return h
	}
	return h.with(groupOrAttrs{attrs: slices.Clone(attrs)})
}

// WithGroup returns a handler that puts the attributes that follow in group
// name.
func (h *Handler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	h2 := h.with(groupOrAttrs{group: name})
	h2.sensitive = h.sensitive || sensitiveKey(name, h.cfg.extraWords)
	return h2
}

func (h *Handler) with(g groupOrAttrs) *Handler {
	return &Handler{
		base:      h.base,
		r:         h.r,
		cfg:       h.cfg,
		goas:      append(slices.Clip(h.goas), g),
		sensitive: h.sensitive,
	}
}

// next returns the wrapped handler with this handler's groups and redacted
// attributes applied, rebuilt only when new values have been registered.
func (h *Handler) next() slog.Handler {
	if len(h.goas) == 0 {
		return h.base
	}
	gen := h.r.generation()
	if d := h.cache.Load(); d != nil && d.gen == gen {
		return d.h
	}
	n := h.base
	sensitive := false
	for _, g := range h.goas {
		if g.group != "" {
			n = n.WithGroup(h.r.Redact(g.group))
			sensitive = sensitive || sensitiveKey(g.group, h.cfg.extraWords)
			continue
		}
		attrs := make([]slog.Attr, len(g.attrs))
		for i, a := range g.attrs {
			attrs[i] = h.redactAttr(a, sensitive)
		}
		n = n.WithAttrs(attrs)
	}
	h.cache.Store(&derivedHandler{gen: gen, h: n})
	return n
}

func (h *Handler) redactAttr(a slog.Attr, masked bool) slog.Attr {
	a.Value = a.Value.Resolve()
	key := h.r.Redact(a.Key)
	masked = masked || sensitiveKey(a.Key, h.cfg.extraWords)
	v := a.Value
	switch v.Kind() {
	case slog.KindGroup:
		return slog.Attr{Key: key, Value: slog.GroupValue(h.redactAttrs(v.Group(), masked)...)}
	case slog.KindAny:
		if g, ok := mapAttrs(v.Any()); ok {
			return slog.Attr{Key: key, Value: slog.GroupValue(h.redactAttrs(g, masked)...)}
		}
	}
	if masked {
		return slog.String(key, Masked)
	}
	switch v.Kind() {
	case slog.KindString:
		return slog.String(key, h.r.Redact(v.String()))
	case slog.KindAny:
		if s, changed := h.redactAny(v.Any()); changed {
			return slog.String(key, s)
		}
		return slog.Attr{Key: key, Value: v}
	default: // numbers, bools, durations, times: a numeric secret prints as digits
		s := v.String()
		if red := h.r.Redact(s); red != s {
			return slog.String(key, red)
		}
		return slog.Attr{Key: key, Value: v}
	}
}

func (h *Handler) redactAttrs(attrs []slog.Attr, masked bool) []slog.Attr {
	out := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		out[i] = h.redactAttr(a, masked)
	}
	return out
}

// redactAny checks the ways a handler may print v (its text form for text
// handlers, its JSON form for JSON handlers) and, if either holds a
// registered value, returns the redacted text form to print instead.
func (h *Handler) redactAny(v any) (string, bool) {
	var text string
	switch x := v.(type) {
	case error:
		text = x.Error()
	case []byte:
		text = string(x)
	default:
		text = fmt.Sprintf("%+v", v)
	}
	if red := h.r.Redact(text); red != text {
		return red, true
	}
	if _, isErr := v.(error); !isErr {
		if b, err := json.Marshal(v); err == nil {
			if h.r.Redact(string(b)) != string(b) {
				return text, true // text holds no registered value, so print it instead
			}
		}
	}
	return "", false
}

// mapAttrs turns a map with string keys into attributes, sorted by key, so
// that its keys are checked like attribute keys.
func mapAttrs(v any) ([]slog.Attr, bool) {
	var attrs []slog.Attr
	switch m := v.(type) {
	case map[string]any:
		for k, e := range m {
			attrs = append(attrs, slog.Any(k, e))
		}
	case map[string]string:
		for k, e := range m {
			attrs = append(attrs, slog.String(k, e))
		}
	default:
		return nil, false
	}
	slices.SortFunc(attrs, func(a, b slog.Attr) int { return strings.Compare(a.Key, b.Key) })
	return attrs, true
}
