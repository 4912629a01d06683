package mask

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"io"
	"net/url"
	"strings"
	"sync"
)

// Encoders for the leak tests: each writes a value the way a program
// might, so that a test and the fuzz target share one vocabulary.

// writers are kept across calls: a new flate writer allocates about a
// megabyte, which would be most of the cost of the chain tests.
var writers struct {
	sync.Mutex
	gz *gzip.Writer
	zl *zlib.Writer
	fl *flate.Writer
}

func compress(kind string, p []byte) []byte {
	writers.Lock()
	defer writers.Unlock()
	var b bytes.Buffer
	var w io.WriteCloser
	switch kind {
	case FormGzip:
		if writers.gz == nil {
			writers.gz = gzip.NewWriter(&b)
		}
		writers.gz.Reset(&b)
		w = writers.gz
	case FormZlib:
		if writers.zl == nil {
			writers.zl = zlib.NewWriter(&b)
		}
		writers.zl.Reset(&b)
		w = writers.zl
	default:
		if writers.fl == nil {
			writers.fl, _ = flate.NewWriter(&b, flate.DefaultCompression)
		}
		writers.fl.Reset(&b)
		w = writers.fl
	}
	w.Write(p)
	w.Close()
	return b.Bytes()
}

// upperASCII upper-cases ASCII letters byte by byte (strings.Map would
// replace invalid UTF-8, which a value may hold).
func upperASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

func lowerASCII(s string) string { return foldASCII(s) }

// mixCase flips the case of every other letter, starting with the first.
func mixCase(s string) string {
	b := []byte(s)
	for i := range b {
		if i%2 == 0 {
			if 'a' <= b[i] && b[i] <= 'z' {
				b[i] -= 'a' - 'A'
			} else if 'A' <= b[i] && b[i] <= 'Z' {
				b[i] += 'a' - 'A'
			}
		}
	}
	return string(b)
}

func interleave(s, sep string) string { return strings.Join(strings.Split(s, ""), sep) }

// binaryEncodings are the encodings that turn any bytes into text.
var binaryEncodings = []struct {
	name string
	enc  func([]byte) string
}{
	{FormHex, hex.EncodeToString},
	{FormHex, func(p []byte) string { return strings.ToUpper(hex.EncodeToString(p)) }},
	{FormBase32, base32.StdEncoding.EncodeToString},
	{FormBase32, base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString},
	{FormBase32Hex, base32.HexEncoding.EncodeToString},
	{FormBase32Hex, base32.HexEncoding.WithPadding(base32.NoPadding).EncodeToString},
	{FormBase64, base64.StdEncoding.EncodeToString},
	{FormBase64, base64.RawStdEncoding.EncodeToString},
	{FormBase64URL, base64.URLEncoding.EncodeToString},
	{FormBase64URL, base64.RawURLEncoding.EncodeToString},
}

// base64Form is the form a base64 text is reported as: a run with "-" or
// "_" in it is base64url whatever alphabet made it, and the other way round.
func base64Form(text string) string {
	if strings.ContainsAny(text, "-_") {
		return FormBase64URL
	}
	return FormBase64
}

func queryEscape(s string) string { return url.QueryEscape(s) }
