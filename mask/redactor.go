package mask

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
)

// MinLen is the shortest value, in bytes, that a [Redactor] registers.
// Shorter values are ignored: they would match all over ordinary text.
const MinLen = 4

// Encodings under which a [Redactor] also finds each registered value, as
// reported in [Finding.Encoding].
const (
	EncodingRaw       = "raw"       // the value itself
	EncodingJSON      = "json"      // inside a JSON string: escaped, with or without HTML escaping
	EncodingURL       = "url"       // URL query or path escaping
	EncodingBase64    = "base64"    // standard alphabet, with or without padding
	EncodingBase64URL = "base64url" // URL alphabet, with or without padding
)

// Redactor replaces known secret values in text with a mask. Register each
// value as the app fetches it, with [Redactor.Add] or, for a value that may
// be a JSON document, [Redactor.AddSecret]; then pass text through
// [Redactor.Redact], streams through [Redactor.Writer] and logs through
// [NewHandler].
//
// Besides the value itself, a Redactor finds it JSON-escaped, URL-escaped
// and base64-encoded (standard and URL alphabets, padded or not, and at any
// alignment inside a longer base64 text, as in an HTTP Basic Authorization
// header). Overlapping matches resolve leftmost first, then longest.
// Values shorter than [MinLen] bytes are not registered.
//
// The values are indexed in one automaton, so redaction costs the same with
// one value or hundreds (a few hundred MB/s). The index is rebuilt on the
// first use after an Add: about 15 ms for 100 passwords, and about 60 ms
// and 15 MB for a value of 64 KiB, the largest Secrets Manager stores.
//
// The zero value is ready to use and masks with [Masked]. A Redactor is safe
// for concurrent use.
type Redactor struct {
	repl string

	mu   sync.Mutex
	pats map[string]string // pattern → encoding
	list []string          // patterns in registration order, for a stable automaton
	cur  atomic.Pointer[matcher]
	gen  atomic.Uint64 // bumped by every Add that registers something
}

// RedactorOption configures a [Redactor].
type RedactorOption func(*Redactor)

// WithReplacement makes the Redactor write repl, such as "[REDACTED]", in
// place of each value instead of [Masked]. An empty repl keeps [Masked]:
// deleting values outright could join the text around them into a value.
func WithReplacement(repl string) RedactorOption {
	return func(r *Redactor) {
		if repl != "" {
			r.repl = repl
		}
	}
}

// NewRedactor returns a Redactor with no values registered.
func NewRedactor(opts ...RedactorOption) *Redactor {
	r := &Redactor{}
	for _, o := range opts {
		o(r)
	}
	return r
}

func (r *Redactor) replacement() string {
	if r.repl == "" {
		return Masked
	}
	return r.repl
}

// Add registers values to redact, each with its encodings. Values shorter
// than [MinLen] bytes are ignored.
func (r *Redactor) Add(values ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, v := range values {
		r.addLocked(v)
	}
}

// AddSecret registers a secret value as [Redactor.Add] does and, when it is
// a JSON document, each of its string leaf values as well. Programs seldom
// print a JSON secret whole; they print its fields, and a redactor that knew
// only the whole document would miss them (the pitfall GitHub Actions warns
// about for structured secrets). It also registers the compact form of the
// document. Numbers, booleans and null are not registered: in credentials
// they are ports and flags, and masking every 5432 in the output would hide
// more than it protects. Store a numeric secret as a JSON string.
func (r *Redactor) AddSecret(value string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.addLocked(value)
	jsonParts(value, r.addLocked)
}

// jsonParts calls add with the compact form of value and each of its
// string leaves, when value is a JSON document.
func jsonParts(value string, add func(string)) {
	doc := []byte(value)
	if !json.Valid(doc) {
		return
	}
	var compact bytes.Buffer
	if json.Compact(&compact, doc) == nil {
		add(compact.String())
	}
	var tree any
	if json.Unmarshal(doc, &tree) == nil {
		eachLeaf(tree, add)
	}
}

func eachLeaf(v any, add func(string)) {
	switch v := v.(type) {
	case string:
		add(v)
	case map[string]any:
		for _, e := range v {
			eachLeaf(e, add)
		}
	case []any:
		for _, e := range v {
			eachLeaf(e, add)
		}
	}
}

func (r *Redactor) addLocked(v string) {
	if len(v) < MinLen {
		return
	}
	if r.pats == nil {
		r.pats = make(map[string]string)
	}
	added := false
	for _, e := range encodings(v) {
		if _, ok := r.pats[e.text]; !ok && len(e.text) >= MinLen {
			r.pats[e.text] = e.enc
			r.list = append(r.list, e.text)
			added = true
		}
	}
	if added {
		r.cur.Store(nil)
		r.gen.Add(1)
	}
}

type encoded struct{ text, enc string }

// encodings lists v and the forms it takes when a program encodes it, the
// raw value first so that it names a pattern two encodings share.
func encodings(v string) []encoded {
	out := append([]encoded{{v, EncodingRaw}}, escapes(v)...)

	// Base64: the whole encoding, padded (so that the padding goes too) and
	// unpadded; and, for each of the three alignments the value can have
	// inside longer encoded data (user:password in a Basic Authorization
	// header), the characters that depend on the value alone.
	for _, a := range []struct {
		enc  *base64.Encoding
		name string
	}{{base64.StdEncoding, EncodingBase64}, {base64.URLEncoding, EncodingBase64URL}} {
		raw := a.enc.WithPadding(base64.NoPadding)
		out = append(out,
			encoded{a.enc.EncodeToString([]byte(v)), a.name},
			encoded{raw.EncodeToString([]byte(v)), a.name})
		for shift := 0; shift < 3; shift++ {
			buf := make([]byte, shift+len(v))
			copy(buf[shift:], v)
			from := (8*shift + 5) / 6 // first character free of the bytes before
			// The characters free of the bytes after, for a value in the
			// middle; and all the rest, for a value that ends the data.
			mid := raw.EncodeToString(buf)[from : 8*(shift+len(v))/6]
			end := a.enc.EncodeToString(buf)[from:]
			endRaw := raw.EncodeToString(buf)[from:]
			out = append(out, encoded{mid, a.name}, encoded{end, a.name}, encoded{endRaw, a.name})
		}
	}
	return out
}

// escapes lists the forms v takes inside a JSON string and a URL: the
// escapings that the Redactor and the LeakScanner share.
func escapes(v string) []encoded {
	var out []encoded
	// JSON string escaping, with and without the HTML escaping json.Marshal does by default.
	if b, err := json.Marshal(v); err == nil {
		out = append(out, encoded{string(b[1 : len(b)-1]), EncodingJSON})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if enc.Encode(v) == nil {
		b := bytes.TrimSpace(buf.Bytes())
		out = append(out, encoded{string(b[1 : len(b)-1]), EncodingJSON})
	}
	return append(out,
		encoded{url.QueryEscape(v), EncodingURL},
		encoded{url.PathEscape(v), EncodingURL})
}

// matcher returns the automaton for the values registered so far, building
// it on first use after an Add: the app adds values one by one as it fetches
// them, and rebuilding on each Add would be wasted work.
func (r *Redactor) matcher() *matcher {
	if m := r.cur.Load(); m != nil {
		return m
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if m := r.cur.Load(); m != nil {
		return m
	}
	encs := make([]string, len(r.list))
	for i, p := range r.list {
		encs[i] = r.pats[p]
	}
	m := newMatcher(r.list, encs)
	r.cur.Store(m)
	return m
}

// generation changes whenever a value is registered.
func (r *Redactor) generation() uint64 { return r.gen.Load() }

// Redact returns s with every registered value, in any of its encodings,
// replaced by the mask.
func (r *Redactor) Redact(s string) string {
	m := r.matcher()
	st, en, _, _ := find(m, s, 0, true)
	if st < 0 {
		return s // the common case: nothing to replace, nothing to allocate
	}
	repl := r.replacement()
	var b strings.Builder // its String does not copy
	b.Grow(len(s))
	last := 0
	for st >= 0 {
		b.WriteString(s[last:st])
		b.WriteString(repl)
		last = en
		st, en, _, _ = find(m, s, last, true)
	}
	b.WriteString(s[last:])
	return b.String()
}

// RedactBytes is [Redactor.Redact] for a byte slice. It returns b itself
// when nothing matched, and a new slice otherwise.
func (r *Redactor) RedactBytes(b []byte) []byte {
	m := r.matcher()
	if st, _, _, _ := find(m, b, 0, true); st < 0 {
		return b
	}
	out, _, _ := redact(m, make([]byte, 0, len(b)), b, true, r.replacement())
	return out
}

// Find reports where registered values occur in text, as findings of kind
// [KindKnownValue] with the encoding that matched. Like [Detect], it never
// reports the value. The checker uses it to prove a program leaked nothing.
func (r *Redactor) Find(text string) []Finding {
	m := r.matcher()
	var fs []Finding
	for from := 0; ; {
		st, en, pat, _ := find(m, text, from, true)
		if st < 0 {
			break
		}
		fs = append(fs, newFinding(text, KindKnownValue, st, en, m.patEnc[pat]))
		from = en
	}
	return fs
}

// ErrClosed is returned by writes to a redacting writer after Close.
var ErrClosed = errors.New("mask: write to a closed redacting writer; create a new one with Redactor.Writer")

// Writer returns a writer that redacts everything written to it and passes
// it on to w. A value split across several writes is redacted all the same:
// the writer holds back a tail that could be the beginning of a value (at
// most one byte less than the longest registered encoding, and usually
// nothing), so the output is exactly Redact of everything written.
//
// Close flushes the held-back tail; it does not close w. The writer is safe
// for concurrent use, and values added to r while it is in use apply from
// the next Write.
func (r *Redactor) Writer(w io.Writer) io.WriteCloser {
	return &redactWriter{r: r, w: w}
}

type redactWriter struct {
	r      *Redactor
	w      io.Writer
	mu     sync.Mutex
	m      *matcher // the automaton sc runs on
	sc     scanner  // where the scan of held stands
	held   []byte   // the tail that may begin a value
	out    []byte   // reused output buffer
	closed bool
	err    error // the first error from w, returned from then on
}

func (rw *redactWriter) Write(p []byte) (int, error) {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	if rw.closed {
		return 0, ErrClosed
	}
	if rw.err != nil {
		return 0, rw.err
	}
	rw.held = append(rw.held, p...)
	if err := rw.flush(false); err != nil {
		return 0, err
	}
	return len(p), nil
}

// flush writes out the part of the held text that is settled.
func (rw *redactWriter) flush(final bool) error {
	if m := rw.r.matcher(); m != rw.m {
		// New values: scan what is held again, with the new automaton.
		rw.m, rw.sc = m, newScanner(0)
	}
	var n int
	rw.out, n, _ = redactScan(rw.m, &rw.sc, rw.out[:0], rw.held, final, rw.r.replacement())
	rw.held = rw.held[:copy(rw.held, rw.held[n:])]
	rw.sc.shift(n)
	if len(rw.out) == 0 {
		return nil
	}
	if _, err := rw.w.Write(rw.out); err != nil {
		rw.err = err
		return err
	}
	return nil
}

// Close writes the held-back tail and stops the writer.
func (rw *redactWriter) Close() error {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	if rw.closed {
		return nil
	}
	rw.closed = true
	if rw.err != nil {
		return rw.err
	}
	return rw.flush(true)
}
