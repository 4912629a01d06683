package mask

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func benchLeakScanner(n int) *LeakScanner {
	s := NewLeakScanner(randomValues(rand.New(rand.NewPCG(11, 11)), n, 16, 40)...)
	s.index() // build outside the timed loop
	return s
}

// BenchmarkLeakScannerScan100 scans ordinary output, holding no secret,
// for 100 known values: the graders' common case.
func BenchmarkLeakScannerScan100(b *testing.B) {
	s := benchLeakScanner(100)
	text := []byte(ordinaryText(1<<20, 1))
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if len(s.Scan(text)) != 0 {
			b.Fatal("ordinary text has a leak")
		}
	}
}

func BenchmarkLeakScannerFound100(b *testing.B) {
	s := benchLeakScanner(100)
	text := []byte(ordinaryText(1<<20, 1))
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if s.Found(text) {
			b.Fatal("ordinary text has a leak")
		}
	}
}

// BenchmarkLeakScannerShort100 has 100 six-character passwords, whose
// four-byte fragments make every word of six letters a base64 run to decode.
func BenchmarkLeakScannerShort100(b *testing.B) {
	s := NewLeakScanner(randomValues(rand.New(rand.NewPCG(12, 12)), 100, 6, 6)...)
	s.index()
	text := []byte(ordinaryText(1<<20, 1))
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		s.Scan(text)
	}
}

func BenchmarkLeakScannerRedact100(b *testing.B) {
	s := benchLeakScanner(100)
	text := []byte(ordinaryText(1<<20, 1))
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		s.Redact(text)
	}
}

// BenchmarkLeakScannerBuild100 builds the index for 100 passwords.
func BenchmarkLeakScannerBuild100(b *testing.B) {
	vals := randomValues(rand.New(rand.NewPCG(11, 11)), 100, 16, 40)
	for b.Loop() {
		NewLeakScanner(vals...).index()
	}
}

// BenchmarkLeakScannerBuild64KiB indexes one value of the largest size
// Secrets Manager stores, as BenchmarkBuild64KiB does for the Redactor.
func BenchmarkLeakScannerBuild64KiB(b *testing.B) {
	v := strings.Repeat("abcdefghij0123456789ABCDEFGHIJ+/", 2048)
	for b.Loop() {
		NewLeakScanner(v).index()
	}
}
