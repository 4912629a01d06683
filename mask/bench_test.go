package mask

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"strings"
	"testing"
)

// benchValues returns n random values of 16 to 48 bytes, shaped like
// passwords and API keys.
func benchValues(n int) []string {
	rng := rand.New(rand.NewPCG(7, 7))
	const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_/+!@"
	vals := make([]string, n)
	for i := range vals {
		b := make([]byte, 16+rng.IntN(33))
		for j := range b {
			b[j] = chars[rng.IntN(len(chars))]
		}
		vals[i] = string(b)
	}
	return vals
}

// benchText returns about size bytes of log-like text with one of the
// values in roughly every 4 KiB.
func benchText(size int, vals []string) string {
	rng := rand.New(rand.NewPCG(8, 8))
	var b strings.Builder
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "2026-11-25T21:00:%02d.%03dZ INFO request id=%08x path=/v1/secrets/app-%d status=200 bytes=%d\n",
			i%60, i%1000, rng.Uint32(), i%97, rng.IntN(100000))
		if i%40 == 0 {
			fmt.Fprintf(&b, "debug: connecting with password=%s\n", vals[rng.IntN(len(vals))])
		}
	}
	return b.String()
}

func newBenchRedactor(n int) (*Redactor, []string) {
	vals := benchValues(n)
	r := NewRedactor()
	r.Add(vals...)
	r.matcher() // build outside the timed loop
	return r, vals
}

func BenchmarkRedact100(b *testing.B) {
	r, vals := newBenchRedactor(100)
	text := benchText(1<<20, vals)
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for b.Loop() {
		_ = r.Redact(text)
	}
}

func BenchmarkRedact100NoMatch(b *testing.B) {
	r, _ := newBenchRedactor(100)
	text := benchText(1<<20, []string{"a-value-nobody-registered"})
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		_ = r.Redact(text)
	}
}

func BenchmarkWriter100(b *testing.B) {
	r, vals := newBenchRedactor(100)
	text := []byte(benchText(1<<20, vals))
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		w := r.Writer(io.Discard)
		for p := text; len(p) > 0; {
			n := min(len(p), 4096)
			w.Write(p[:n])
			p = p[n:]
		}
		w.Close()
	}
}

// BenchmarkReplaceAllLoop is the naive approach, for comparison.
func BenchmarkReplaceAllLoop100(b *testing.B) {
	vals := benchValues(100)
	text := benchText(1<<20, vals)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		s := text
		for _, v := range vals {
			s = strings.ReplaceAll(s, v, Masked)
		}
	}
}

func BenchmarkBuild100(b *testing.B) {
	vals := benchValues(100)
	for b.Loop() {
		r := NewRedactor()
		r.Add(vals...)
		r.matcher()
	}
}

func BenchmarkMask(b *testing.B) {
	for b.Loop() {
		_ = Mask("hunter22")
	}
}

func BenchmarkPartial(b *testing.B) {
	for b.Loop() {
		_ = Partial("AKIAIOSFODNN7EXAMPLE", 4)
	}
}

func BenchmarkJSON(b *testing.B) {
	doc := []byte(`{"username":"admin","password":"hunter22","engine":"postgres","host":"db.example.com","port":5432,"dbname":"app"}`)
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		_, _ = JSON(doc)
	}
}

func BenchmarkHandler(b *testing.B) {
	r, vals := newBenchRedactor(100)
	log := slog.New(NewHandler(slog.NewJSONHandler(io.Discard, nil), r)).With("service", "app")
	for b.Loop() {
		log.Info("fetched secret", "name", "prod/db", "password", vals[0], "note", "ok "+vals[1], "n", 3)
	}
}

func BenchmarkHandlerBaseline(b *testing.B) {
	_, vals := newBenchRedactor(100)
	log := slog.New(slog.NewJSONHandler(io.Discard, nil)).With("service", "app")
	for b.Loop() {
		log.Info("fetched secret", "name", "prod/db", "password", vals[0], "note", "ok "+vals[1], "n", 3)
	}
}

func BenchmarkDetect(b *testing.B) {
	text := benchText(64<<10, benchValues(10))
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		_ = Detect(text)
	}
}

// The redacted benchmark text must hold no value, or the numbers are for
// the wrong thing.
func TestBenchTextRedacted(t *testing.T) {
	r, vals := newBenchRedactor(100)
	text := benchText(64<<10, vals)
	out := r.Redact(text)
	for _, v := range vals {
		if strings.Contains(out, v) {
			t.Fatalf("benchmark text still holds a value after Redact")
		}
	}
	if !bytes.Contains([]byte(out), []byte(Masked)) {
		t.Fatal("benchmark text has no value to redact")
	}
}

// BenchmarkBuild64KiB indexes one value of the largest size Secrets
// Manager stores.
func BenchmarkBuild64KiB(b *testing.B) {
	v := strings.Repeat("abcdefghij0123456789ABCDEFGHIJ+/", 2048)
	for b.Loop() {
		r := NewRedactor()
		r.Add(v)
		r.matcher()
	}
}
