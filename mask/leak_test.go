package mask

import (
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

const (
	leakPW    = "Tr0ub4dor&3xyzQW" // 16 bytes: fragments of 8
	leakShort = "x7Kq9z"           // 6 bytes: fragments of 4
	leakUTF8  = "pässwörd-Geheim1"
)

var b64 = base64.StdEncoding.EncodeToString

type leakCase struct {
	name    string
	payload string
	form    string // every leak in the payload must have this form
}

func leakCases() []leakCase {
	pw, bpw := leakPW, []byte(leakPW)
	jsonHTML, _ := json.Marshal(pw)
	cases := []leakCase{
		{"raw", pw, FormRaw},
		{"upper", upperASCII(pw), FormCaseFolded},
		{"lower", lowerASCII(pw), FormCaseFolded},
		{"mixed case", mixCase(pw), FormCaseFolded},
		{"reversed", reverse(pw), FormReversed},
		{"reversed upper", upperASCII(reverse(pw)), FormReversed},
		{"hex", hex.EncodeToString(bpw), FormHex},
		{"hex upper", strings.ToUpper(hex.EncodeToString(bpw)), FormHex},
		{"hex mixed", mixCase(hex.EncodeToString(bpw)), FormHex},
		{"hex glued to a hex letter", "c" + hex.EncodeToString(bpw), FormHex},
		{"base32", base32.StdEncoding.EncodeToString(bpw), FormBase32},
		{"base32 unpadded", base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(bpw), FormBase32},
		{"base32 at an offset", base32.StdEncoding.EncodeToString([]byte("user:" + pw)), FormBase32},
		{"base32hex", base32.HexEncoding.EncodeToString(bpw), FormBase32Hex},
		{"base64", b64(bpw), base64Form(b64(bpw))},
		{"base64 unpadded", base64.RawStdEncoding.EncodeToString(bpw), base64Form(b64(bpw))},
		{"base64url", base64.URLEncoding.EncodeToString(bpw), base64Form(base64.URLEncoding.EncodeToString(bpw))},
		{"basic auth", "Basic " + b64([]byte("admin:"+pw)), FormBase64},
		{"base64 glued to a word", "token" + b64([]byte("ab"+pw)), FormBase64},
		{"url query", url.QueryEscape(pw), FormURL},
		{"url path", url.PathEscape(leakUTF8), FormURL},
		{"json html-escaped", string(jsonHTML[1 : len(jsonHTML)-1]), FormJSON},
		{"json \\u escapes", asciiJSON(leakUTF8), FormJSON},
		{"fragment head", pw[:8], FormFragment},
		{"fragment tail", pw[7:], FormFragment},
		{"fragment middle upper", upperASCII(pw[3:13]), FormFragment},
		{"fragment reversed", reverse(pw)[2:12], FormFragment},
		{"two lines", pw[:9] + "\n" + pw[9:], FormFragment},
		{"printed in parts", pw[:8] + "..." + pw[8:], FormFragment},
		{"short value fragment", leakShort[:4], FormFragment},
		{"short value base64", b64([]byte(leakShort)), FormBase64},
		{"gzip+base64", b64(compress(FormGzip, bpw)), "gzip+base64"},
		{"zlib+base64", b64(compress(FormZlib, bpw)), "zlib+base64"},
		{"deflate+base64", b64(compress(FormDeflate, bpw)), "deflate+base64"},
		{"gzip+hex", hex.EncodeToString(compress(FormGzip, bpw)), "gzip+hex"},
		{"gzip raw", string(compress(FormGzip, []byte("config dump: "+pw))), FormGzip},
		{"zlib raw", string(compress(FormZlib, bpw)), FormZlib},
		{"hex+base64", b64([]byte(hex.EncodeToString(bpw))), "hex+base64"},
		{"base64+hex", hex.EncodeToString([]byte(b64(bpw))), base64Form(b64(bpw)) + "+hex"},
		{"fragment+base64", b64(bpw[2:12]), "fragment+base64"},
		{"interleaved+base64", b64([]byte(interleave(pw, " "))), "interleaved+base64"},
		{"case-folded+hex", hex.EncodeToString([]byte(upperASCII(pw))), "case-folded+hex"},
		{"hex+gzip+base64", b64(compress(FormGzip, []byte(hex.EncodeToString(bpw)))), "hex+gzip+base64"},
		{"reversed+gzip+base32", base32.StdEncoding.EncodeToString(compress(FormGzip, []byte(reverse(pw)))), "reversed+gzip+base32"},
	}
	cases = append(cases, spelledCases()...)
	for _, sep := range []string{" ", "-", ".", ",", "_", "|", "\n", "\t", ", ", "--", " | ", "\r\n", "*"} {
		cases = append(cases, leakCase{"interleaved " + strings.ReplaceAll(sep, "\n", `\n`), interleave(pw, sep), FormInterleaved})
	}
	cases = append(cases,
		leakCase{"interleaved reversed upper", interleave(upperASCII(reverse(pw)), " "), FormInterleaved},
		leakCase{"interleaved short", interleave(leakShort, "-"), FormInterleaved},
	)
	return cases
}

func newTestLeakScanner() *LeakScanner {
	return NewLeakScanner(leakPW, leakShort, leakUTF8)
}

// TestLeakScannerForms: every form is found, named, and located inside
// the payload; and Redact leaves nothing that Scan would find.
func TestLeakScannerForms(t *testing.T) {
	s := newTestLeakScanner()
	const before, after = "2026-11-25 INFO value: ", " (done)\n"
	for _, c := range leakCases() {
		t.Run(c.name, func(t *testing.T) {
			data := []byte(before + c.payload + after)
			leaks := s.Scan(data)
			if len(leaks) == 0 {
				t.Fatalf("no leak found; want %s", c.form)
			}
			for _, l := range leaks {
				if l.Form != c.form {
					t.Errorf("leak %v: form %q, want %q", l, l.Form, c.form)
				}
				if l.Start < len(before) || l.End > len(before)+len(c.payload) || l.Start >= l.End {
					t.Errorf("leak %v spans %d-%d, outside the payload at %d-%d", l, l.Start, l.End, len(before), len(before)+len(c.payload))
				}
			}
			if !s.Found(data) {
				t.Error("Found is false where Scan finds leaks")
			}
			out := s.Redact(data)
			if left := s.Scan(out); len(left) > 0 {
				t.Errorf("Redact left %v", left)
			}
			if !strings.HasPrefix(string(out), before) || !strings.HasSuffix(string(out), after) || !strings.Contains(string(out), Masked) {
				t.Errorf("Redact should mask the payload alone, got %q", out)
			}
		})
	}
}

// TestLeakScannerSpans pins exact spans where the form has a precise one.
func TestLeakScannerSpans(t *testing.T) {
	s := newTestLeakScanner()
	h := hex.EncodeToString([]byte(leakPW))
	data := "a " + leakPW + " b " + h + " c " + interleave(leakPW, "-") + " d " + b64([]byte(leakPW)) + " e"
	got := s.Scan([]byte(data))
	at := func(p string) int { return strings.Index(data, p) }
	want := []Leak{
		{FormRaw, at(leakPW), at(leakPW) + len(leakPW)},
		{FormHex, at(h), at(h) + len(h)},
		{FormInterleaved, at("T-r"), at("T-r") + 2*len(leakPW) - 1},
		{base64Form(b64([]byte(leakPW))), at(" d ") + 3, at(" e")},
	}
	if len(got) != len(want) {
		t.Fatalf("Scan = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("leak %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

// TestLeakScannerFragmentCoversTheRest: a fragment leak spans all of the
// value that follows it, so Redact leaves no tail of it.
func TestLeakScannerFragmentCoversTheRest(t *testing.T) {
	s := NewLeakScanner("correct-horse-battery-staple-42")
	data := []byte("x horse-battery-staple-4 y")
	got := s.Scan(data)
	if len(got) != 1 || got[0].Form != FormFragment || string(data[got[0].Start:got[0].End]) != "horse-battery-staple-4" {
		t.Fatalf("Scan = %v, want one fragment over all of horse-battery-staple-4", got)
	}
	if out := s.RedactString(string(data)); out != "x "+Masked+" y" {
		t.Errorf("RedactString = %q", out)
	}
}

func TestLeakScannerAddSecretLeaves(t *testing.T) {
	s := &LeakScanner{}
	s.AddSecret(`{"username":"svc-reporting","password":"Zq8#vLm2pX9!wRt4","port":5432}`)
	if !s.Found([]byte(`connecting as svc-reporting`)) {
		t.Error("a string leaf is not found")
	}
	if !s.Found([]byte("pw: " + b64([]byte("Zq8#vLm2pX9!wRt4")))) {
		t.Error("a string leaf is not found in base64")
	}
	// The document's own text (keys, punctuation) is in every JSON log: it
	// must not count as a fragment of the secret.
	if l := s.Scan([]byte(`{"username":"bob","password":"other","port":5432}`)); len(l) > 0 {
		t.Errorf("a JSON log of the same shape is a leak: %v", l)
	}
	if s.Found([]byte("listening on 5432")) {
		t.Error("a number leaf was registered")
	}
}

func TestLeakScannerAddConcurrent(t *testing.T) {
	s := NewLeakScanner()
	done := make(chan bool)
	for i := range 4 {
		go func() {
			v := strings.Repeat(string(rune('k'+i)), 3) + "-Secret-Value-" + string(rune('a'+i))
			s.Add(v)
			done <- s.Found([]byte("x " + v + " y"))
		}()
	}
	for range 4 {
		if !<-done {
			t.Error("a value added concurrently is not found")
		}
	}
}

func TestLeakScannerIgnoresShortValues(t *testing.T) {
	s := NewLeakScanner("abc", "")
	if s.Found([]byte("abc abc abc")) {
		t.Error("a value under MinLen was registered")
	}
}

// TestLeakScannerReportsNoValue: neither a Leak nor its String can carry
// the value or a part of it.
func TestLeakScannerReportsNoValue(t *testing.T) {
	s := newTestLeakScanner()
	for _, c := range leakCases() {
		for _, l := range s.Scan([]byte("x " + c.payload + " y")) {
			str := l.String()
			for _, v := range []string{leakPW, leakShort, leakUTF8} {
				for i := 0; i+4 <= len(v); i++ {
					if strings.Contains(str, v[i:i+4]) || strings.Contains(l.Form, v[i:i+4]) {
						t.Fatalf("%q holds a part of a value", str)
					}
				}
			}
			if !strings.HasPrefix(str, l.Form+" at byte ") {
				t.Errorf("String() = %q", str)
			}
		}
	}
}

// TestLeakScannerLongValue: a value over 1 KiB is found whole, encoded,
// and by a part of 63 bytes at any offset.
func TestLeakScannerLongValue(t *testing.T) {
	v := strings.Repeat("MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\n", 40)
	s := NewLeakScanner(v)
	for _, data := range []string{"x " + v, b64([]byte(v)), "part: " + v[1000:1063] + "."} {
		if !s.Found([]byte(data)) {
			t.Errorf("a leak of a %d-byte value in a %d-byte text is not found", len(v), len(data))
		}
	}
}

// spelledCases are a value spelled out character by character or byte by
// byte, as programs print it when they believe a list or a dump hides it.
func spelledCases() []leakCase {
	pw, bpw := leakPW, []byte(leakPW)
	each := func(s string, f func(c byte) string, sep string) string {
		parts := make([]string, len(s))
		for i := 0; i < len(s); i++ {
			parts[i] = f(s[i])
		}
		return strings.Join(parts, sep)
	}
	runes := func(s string, f func(r rune) string, sep string) string {
		var parts []string
		for _, r := range s {
			parts = append(parts, f(r))
		}
		return strings.Join(parts, sep)
	}
	hx := hex.EncodeToString(bpw)
	var groups []string // Python's bytes.hex(":", 2)
	for i := 0; i < len(hx); i += 4 {
		groups = append(groups, hx[i:min(i+4, len(hx))])
	}
	return []leakCase{
		{"hex with colons", each(pw, func(c byte) string { return fmt.Sprintf("%02x", c) }, ":"), FormHexList},
		{"hex with spaces upper", each(pw, func(c byte) string { return fmt.Sprintf("%02X", c) }, " "), FormHexList},
		{"hex in groups of two bytes", strings.Join(groups, ":"), FormHexList},
		{"hex byte list", "[]byte{" + each(pw, func(c byte) string { return fmt.Sprintf("0x%x", c) }, ", ") + "}", FormHexList},
		{"python hex() list", "[" + each(pw, func(c byte) string { return fmt.Sprintf("'0x%x'", c) }, ", ") + "]", FormHexList},
		{"percent-escaped every byte", each(pw, func(c byte) string { return fmt.Sprintf("%%%02X", c) }, ""), FormHexList},
		{"decimal byte list", "[" + each(pw, func(c byte) string { return fmt.Sprint(c) }, ", ") + "]", FormDecimalList},
		{"go byte slice", "[" + each(pw, func(c byte) string { return fmt.Sprint(c) }, " ") + "]", FormDecimalList},
		{"code points of a UTF-8 value", "[" + runes(leakUTF8, func(r rune) string { return fmt.Sprint(r) }, ", ") + "]", FormDecimalList},
		{"html decimal references", each(pw, func(c byte) string { return fmt.Sprintf("&#%d;", c) }, ""), FormDecimalList},
		{`\x escapes`, each(pw, func(c byte) string { return fmt.Sprintf(`\x%02x`, c) }, ""), FormEscapes},
		{`\u escapes`, each(pw, func(c byte) string { return fmt.Sprintf(`\u%04x`, c) }, ""), FormEscapes},
		{`\u escapes of a UTF-8 value`, runes(leakUTF8, func(r rune) string { return fmt.Sprintf(`\u%04x`, r) }, ""), FormEscapes},
		{"html hex references", each(pw, func(c byte) string { return fmt.Sprintf("&#x%x;", c) }, ""), FormEscapes},
		{"python list of characters", "[" + each(pw, func(c byte) string { return "'" + string(c) + "'" }, ", ") + "]", FormInterleaved},
		{"json list of characters", "[" + each(pw, func(c byte) string { return `"` + string(c) + `"` }, ", ") + "]", FormInterleaved},
		{"json list of characters indented", "[\n    " + each(pw, func(c byte) string { return `"` + string(c) + `"` }, ",\n    ") + "\n]", FormInterleaved},
	}
}
