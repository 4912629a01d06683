package mask

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

// overlapsMask reports whether v could be spelled by the mask and the text
// around it, as "••ab" is by the mask followed by "ab". Such values are not
// secrets anyone registers, and no redactor could keep them out of its
// output, so the fuzz target skips them.
func overlapsMask(v string) bool {
	if strings.Contains(v, Masked) || strings.Contains(Masked, v) {
		return true
	}
	for k := 1; k < len(v) && k < len(Masked); k++ {
		if strings.HasSuffix(Masked, v[:k]) || strings.HasPrefix(Masked, v[len(v)-k:]) {
			return true
		}
	}
	return false
}

// encodeAs writes v the way a program might print it.
func encodeAs(v string, form uint8) string {
	switch form % 5 {
	case 1:
		return base64.StdEncoding.EncodeToString([]byte(v))
	case 2:
		return base64.RawURLEncoding.EncodeToString([]byte(v))
	case 3:
		return url.QueryEscape(v)
	case 4:
		b, _ := json.Marshal(v)
		return string(b[1 : len(b)-1])
	}
	return v
}

// FuzzWriterNeverLeaks: for any registered value of MinLen bytes or more,
// written raw or encoded amid arbitrary data and split into writes at
// arbitrary points, the value never comes out, and the output is exactly
// Redact of the whole input, so splitting changes nothing.
func FuzzWriterNeverLeaks(f *testing.F) {
	f.Add("hunter22", "", []byte("password="), []byte("\n"), []byte{1}, uint8(0))
	f.Add("hunter22", "hunter22hunter22", []byte("hunterhunter2"), []byte("hunter22"), []byte{3, 1, 4, 1, 5}, uint8(1))
	f.Add("s3cr3t/+?&<>", "cr3t/+?&<", []byte("x"), []byte("y"), []byte{2, 7}, uint8(3))
	f.Add("abcd", "bcde", []byte("abcabcd"), []byte("bcdee"), []byte{0, 0, 1}, uint8(2))
	f.Add(`{"k":"v\"x"}`, "v\"x\u2028", []byte("{"), []byte("}"), []byte{9}, uint8(4))
	f.Fuzz(func(t *testing.T, value, other string, before, after, splits []byte, form uint8) {
		if len(value) < MinLen || overlapsMask(value) {
			t.Skip()
		}
		enc := encodeAs(value, form)
		if overlapsMask(enc) {
			t.Skip()
		}
		r := NewRedactor()
		r.Add(value)
		if len(other) >= MinLen && !overlapsMask(other) {
			r.Add(other) // a second value, possibly overlapping the first
		}
		input := string(before) + enc + string(after) + enc + string(before)

		var out bytes.Buffer
		w := r.Writer(&out)
		rest := []byte(input)
		for i := 0; len(rest) > 0; i++ {
			n := len(rest)
			if len(splits) > 0 {
				n = min(n, int(splits[i%len(splits)])%32)
			}
			if n == 0 { // an empty write, then one byte to make progress
				if _, err := w.Write(nil); err != nil {
					t.Fatal(err)
				}
				n = 1
			}
			if _, err := w.Write(rest[:n]); err != nil {
				t.Fatal(err)
			}
			rest = rest[n:]
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}

		got := out.String()
		if strings.Contains(got, value) {
			t.Fatalf("the value came out of the writer: %q", got)
		}
		if strings.Contains(got, enc) {
			t.Fatalf("the encoded value came out of the writer: %q", got)
		}
		if whole := r.Redact(input); got != whole {
			t.Fatalf("split writes gave %q, Redact of the whole input gave %q", got, whole)
		}
	})
}

// FuzzMatcherMatchesReference compares the automaton, dense and sparse,
// with the naive leftmost-longest reference on arbitrary patterns.
func FuzzMatcherMatchesReference(f *testing.F) {
	f.Add([]byte("ab\x00abc\x00bcd"), []byte("xabcdabcx"))
	f.Add([]byte("aaaa\x00aa"), []byte("aaaaaaaaa"))
	f.Fuzz(func(t *testing.T, pats, text []byte) {
		var ps []string
		for _, p := range bytes.Split(pats, []byte{0}) {
			if len(p) > 0 {
				ps = append(ps, string(p))
			}
		}
		if len(ps) == 0 || len(ps) > 32 {
			t.Skip()
		}
		want := naiveRedact(ps, string(text), "#")
		for _, budget := range []int{denseBudget, 1} {
			m := newMatcherBudget(ps, make([]string, len(ps)), budget)
			got, _, _ := redact(m, nil, text, true, "#")
			if string(got) != want {
				t.Fatalf("budget %d: got %q, want %q", budget, got, want)
			}
		}
	})
}
