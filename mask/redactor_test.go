package mask

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// naiveRedact is the reference semantics: at each position, replace the
// longest pattern starting there, else keep the byte.
func naiveRedact(pats []string, s, repl string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		best := 0
		for _, p := range pats {
			if len(p) > best && strings.HasPrefix(s[i:], p) {
				best = len(p)
			}
		}
		if best > 0 {
			b.WriteString(repl)
			i += best
		} else {
			b.WriteByte(s[i])
			i++
		}
	}
	return b.String()
}

func TestRedact(t *testing.T) {
	const v = "s3cr3t-Value/+?&" // has bytes that URL, JSON and base64 treat specially
	basic := base64.StdEncoding.EncodeToString([]byte("admin:" + v))
	jsonEsc, _ := json.Marshal("<" + v + ">")
	tests := []struct {
		name, in, want string
	}{
		{"raw", "pw=" + v + ".", "pw=" + Masked + "."},
		{"twice", v + v, Masked + Masked},
		{"none", "nothing to see", "nothing to see"},
		{"prefix only", "pw=" + v[:8], "pw=" + v[:8]},
		{"base64 std padded", "x " + base64.StdEncoding.EncodeToString([]byte(v)) + " y", "x " + Masked + " y"},
		{"base64 url raw", "x " + base64.RawURLEncoding.EncodeToString([]byte(v)) + " y", "x " + Masked + " y"},
		{"url query", "?p=" + url.QueryEscape(v) + "&q=1", "?p=" + Masked + "&q=1"},
		{"url path", "/" + url.PathEscape(v) + "/", "/" + Masked + "/"},
		{"json escaped", `{"p":` + string(jsonEsc) + `}`, `{"p":"\u003c` + Masked + `\u003e"}`},
	}
	r := NewRedactor()
	r.Add(v)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := r.Redact(tt.in); got != tt.want {
				t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if got := string(r.RedactBytes([]byte(tt.in))); got != tt.want {
				t.Errorf("RedactBytes(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	t.Run("basic auth header", func(t *testing.T) {
		got := r.Redact("Authorization: Basic " + basic)
		if strings.Contains(got, basic) || !strings.Contains(got, Masked) {
			t.Errorf("got %q: the value inside the base64 of user:value was not redacted", got)
		}
	})
}

// The value at every alignment inside a longer base64 text is caught.
func TestRedactBase64Alignments(t *testing.T) {
	for _, v := range []string{"abcd", "hunter22", "correct horse battery staple"} {
		r := NewRedactor()
		r.Add(v)
		for pre := 0; pre < 6; pre++ {
			for post := 0; post < 4; post++ {
				for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding} {
					doc := strings.Repeat("\x00\xff", pre)[:pre] + v + strings.Repeat("\xfe", post)
					in := enc.EncodeToString([]byte(doc))
					got := r.Redact(in)
					if got == in {
						t.Errorf("value %q at offset %d in base64 %q not redacted", v, pre, in)
					}
				}
			}
		}
	}
}

func TestShortValuesIgnored(t *testing.T) {
	r := NewRedactor()
	r.Add("", "a", "abc")
	if got := r.Redact("abc a abcabc"); got != "abc a abcabc" {
		t.Errorf("values under MinLen were registered: %q", got)
	}
	r.Add("abcd")
	if got := r.Redact("abcd"); got != Masked {
		t.Errorf("a MinLen value was not registered: %q", got)
	}
}

func TestZeroRedactorAndReplacement(t *testing.T) {
	var r Redactor
	if got := r.Redact("hello"); got != "hello" {
		t.Errorf("empty redactor changed text: %q", got)
	}
	r.Add("hello")
	if got := r.Redact("hello world"); got != Masked+" world" {
		t.Errorf("zero Redactor: %q", got)
	}
	r2 := NewRedactor(WithReplacement("[REDACTED]"))
	r2.Add("hello")
	if got := r2.Redact("hello world"); got != "[REDACTED] world" {
		t.Errorf("WithReplacement: %q", got)
	}
	r3 := NewRedactor(WithReplacement(""))
	r3.Add("hello")
	if got := r3.Redact("hello"); got != Masked {
		t.Errorf("an empty replacement must keep the mask, got %q", got)
	}
}

// Overlapping values resolve leftmost, then longest, as the reference does.
func TestLeftmostLongest(t *testing.T) {
	tests := []struct {
		pats []string
		in   string
	}{
		{[]string{"bcde", "abcdefgh"}, "xabcdefghx"},
		{[]string{"abcd", "abcdefgh"}, "abcdefg abcdefgh"},
		{[]string{"cdef", "abcd"}, "abcdef"},
		{[]string{"aaaa"}, "aaaaaaaaaa"},
		{[]string{"abab", "babab"}, "abababab"},
		{[]string{"abcdx", "bcdy", "cdz0"}, "abcdz0 abcdy abcdx"},
	}
	for _, tt := range tests {
		m := newMatcher(tt.pats, make([]string, len(tt.pats)))
		got, _, _ := redact(m, nil, tt.in, true, "#")
		if want := naiveRedact(tt.pats, tt.in, "#"); string(got) != want {
			t.Errorf("patterns %q in %q: got %q, want %q", tt.pats, tt.in, got, want)
		}
	}
}

// A random differential test against the reference, with dense and sparse
// automata.
func TestMatcherAgainstReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := "abc"
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(b)
	}
	for iter := 0; iter < 2000; iter++ {
		pats := make([]string, 1+rng.IntN(6))
		for i := range pats {
			pats[i] = word(1 + rng.IntN(6))
		}
		in := word(rng.IntN(60))
		want := naiveRedact(pats, in, "#")
		for _, budget := range []int{denseBudget, 1, 9} {
			m := newMatcherBudget(pats, make([]string, len(pats)), budget)
			got, _, _ := redact(m, nil, in, true, "#")
			if string(got) != want {
				t.Fatalf("budget %d, patterns %q in %q: got %q, want %q", budget, pats, in, got, want)
			}
			chunk := rng.IntN(5) + 1
			if got := streamRedact(t, m, in, chunk); got != want {
				t.Fatalf("streamed in chunks of %d, budget %d, patterns %q in %q: got %q, want %q", chunk, budget, pats, in, got, want)
			}
			if got := streamResume(t, m, in, chunk); got != want {
				t.Fatalf("scanned on in chunks of %d, budget %d, patterns %q in %q: got %q, want %q", chunk, budget, pats, in, got, want)
			}
		}
	}
}

// streamRedact redacts in through the writer's scanning loop in chunks.
func streamRedact(t *testing.T, m *matcher, in string, chunk int) string {
	t.Helper()
	var out, held []byte
	for i := 0; i < len(in); i += chunk {
		held = append(held, in[i:min(i+chunk, len(in))]...)
		var n int
		out, n, _ = redact(m, out, held, false, "#")
		if len(held)-n >= max(m.maxLen, 1) {
			t.Fatalf("held back %d bytes, more than the longest pattern (%d) less one", len(held)-n, m.maxLen)
		}
		held = held[:copy(held, held[n:])]
	}
	out, _, _ = redact(m, out, held, true, "#")
	return string(out)
}

// streamResume redacts in chunks as the writer does: the scan resumes where
// it stopped instead of going over the held text again.
func streamResume(t *testing.T, m *matcher, in string, chunk int) string {
	t.Helper()
	var out, held []byte
	sc := newScanner(0)
	for i := 0; i <= len(in); i += chunk {
		final := i+chunk > len(in)
		held = append(held, in[i:min(i+chunk, len(in))]...)
		var n int
		out, n, _ = redactScan(m, &sc, out, held, final, "#")
		if !final && len(held)-n >= max(m.maxLen, 1) {
			t.Fatalf("held back %d bytes, more than the longest pattern (%d) less one", len(held)-n, m.maxLen)
		}
		held = held[:copy(held, held[n:])]
		sc.shift(n)
	}
	return string(out)
}

func TestAddSecretJSON(t *testing.T) {
	secret := `{
  "username": "dbadmin",
  "password": "p@ss w0rd!",
  "port": 5432,
  "nested": {"apiKeys": ["key-one-1", "key-two-2"]},
  "ssl": true
}`
	r := NewRedactor()
	r.AddSecret(secret)
	tests := []struct{ in, want string }{
		{"user dbadmin", "user " + Masked},
		{"pass p@ss w0rd!", "pass " + Masked},
		{"pass p%40ss+w0rd%21", "pass " + Masked},
		{"keys key-one-1,key-two-2", "keys " + Masked + "," + Masked},
		{"port 5432 ssl true", "port 5432 ssl true"}, // numbers and booleans stay
		{secret, Masked},
		{`{"username":"dbadmin","password":"p@ss w0rd!","port":5432,"nested":{"apiKeys":["key-one-1","key-two-2"]},"ssl":true}`, Masked},
	}
	for _, tt := range tests {
		if got := r.Redact(tt.in); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}

	plain := NewRedactor()
	plain.Add(secret)
	if got := plain.Redact("pass p@ss w0rd!"); got == "pass "+Masked {
		t.Error("Add must register the document only; the JSON leaves belong to AddSecret")
	}
}

func TestFind(t *testing.T) {
	r := NewRedactor()
	r.Add("hunter22")
	text := "a hunter22\nb " + base64.StdEncoding.EncodeToString([]byte("hunter22"))
	fs := r.Find(text)
	if len(fs) != 2 {
		t.Fatalf("Find found %d, want 2: %v", len(fs), fs)
	}
	want := []Finding{
		{Kind: KindKnownValue, Start: 2, End: 10, Line: 1, Column: 3, Encoding: EncodingRaw},
		{Kind: KindKnownValue, Start: 13, End: 25, Line: 2, Column: 3, Encoding: EncodingBase64},
	}
	for i := range want {
		if fs[i] != want[i] {
			t.Errorf("finding %d = %+v, want %+v", i, fs[i], want[i])
		}
		if s := fs[i].String(); strings.Contains(s, "hunter22") || strings.Contains(s, "aHVudGVy") {
			t.Errorf("Finding.String leaks the value: %q", s)
		}
	}
}

func TestWriter(t *testing.T) {
	r := NewRedactor()
	r.Add("hunter22", "token-xyz-123")
	in := "login hunter22 then token-xyz-123 and hunter2 twice hunter22hunter22 end hunt"
	want := r.Redact(in)
	for chunk := 1; chunk <= len(in); chunk++ {
		var out bytes.Buffer
		w := r.Writer(&out)
		for i := 0; i < len(in); i += chunk {
			n, err := w.Write([]byte(in[i:min(i+chunk, len(in))]))
			if err != nil || n != min(chunk, len(in)-i) {
				t.Fatalf("Write = %d, %v", n, err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if out.String() != want {
			t.Fatalf("chunks of %d: got %q, want %q", chunk, out.String(), want)
		}
	}
}

func TestWriterHoldsBackOnlyPossibleStarts(t *testing.T) {
	r := NewRedactor()
	r.Add("hunter22")
	var out bytes.Buffer
	w := r.Writer(&out)
	fmt.Fprint(w, "line one\n")
	if out.String() != "line one\n" {
		t.Errorf("text that cannot start a value was held back: %q", out.String())
	}
	fmt.Fprint(w, "pw hunt")
	if out.String() != "line one\npw " {
		t.Errorf("got %q, want the possible start %q held back", out.String(), "hunt")
	}
	fmt.Fprint(w, "er22!")
	w.Close()
	if want := "line one\npw " + Masked + "!"; out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
	if _, err := w.Write([]byte("x")); !errors.Is(err, ErrClosed) {
		t.Errorf("Write after Close = %v, want ErrClosed", err)
	}
}

type failWriter struct{ err error }

func (f failWriter) Write([]byte) (int, error) { return 0, f.err }

func TestWriterError(t *testing.T) {
	boom := errors.New("disk full")
	w := NewRedactor().Writer(failWriter{boom})
	if _, err := w.Write([]byte("abc")); !errors.Is(err, boom) {
		t.Errorf("Write = %v, want the underlying error", err)
	}
	if _, err := w.Write([]byte("abc")); !errors.Is(err, boom) {
		t.Errorf("second Write = %v, want the underlying error again", err)
	}
	if err := w.Close(); !errors.Is(err, boom) {
		t.Errorf("Close = %v, want the underlying error", err)
	}
}

// Values added while others redact are picked up; run with -race.
func TestRedactorConcurrent(t *testing.T) {
	r := NewRedactor()
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				v := fmt.Sprintf("value-%d-%d", g, i)
				r.Add(v)
				if got := r.Redact("x " + v + " y"); got != "x "+Masked+" y" {
					t.Errorf("just-added value not redacted: %q", got)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// syncBuffer is a bytes.Buffer safe for concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
