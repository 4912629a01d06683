package mask

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/url"
	"testing"
)

var fuzzSeps = []string{" ", "-", ".", ",", "_", "|", "\n", "\t", ", ", "--", " | ", "::", "/"}

// leakChain writes value the way ops say: a case change and reversal;
// interleaving, a split over two lines, or JSON or URL escaping;
// compression; and up to two binary-to-text encodings. It returns what the
// program would print, or false when ops ask for what the scanner does not
// promise (interleaving a value too plain for it, escaping a reversed value).
func leakChain(value string, ops []byte) (string, bool) {
	op := func(i int) int {
		if i < len(ops) {
			return int(ops[i])
		}
		return 0
	}
	v := value
	switch op(0) % 4 {
	case 1:
		v = upperASCII(v)
	case 2:
		v = lowerASCII(v)
	case 3:
		v = mixCase(v)
	}
	reversed := op(0)&4 != 0
	if reversed {
		v = reverse(v)
	}
	switch op(1) % 5 {
	case 1:
		sq := squeeze(foldASCII(v))
		if len(sq) < minInterleaved || distinct(sq) < minInterleavedDistinct {
			return "", false
		}
		sep := fuzzSeps[op(2)%len(fuzzSeps)]
		var b bytes.Buffer
		for i := 0; i < len(v); i++ {
			if i > 0 {
				b.WriteString(sep)
			}
			b.WriteByte(v[i])
		}
		v = b.String()
	case 2:
		at := 1 + op(3)%(len(v)-1)
		v = v[:at] + "\n" + v[at:]
	case 3:
		if reversed {
			return "", false
		}
		j, _ := json.Marshal(v)
		v = string(j[1 : len(j)-1])
	case 4:
		if reversed {
			return "", false
		}
		if op(2)%2 == 0 {
			v = url.QueryEscape(v)
		} else {
			v = url.PathEscape(v)
		}
	}
	p := []byte(v)
	comp := []string{"", FormGzip, FormZlib, FormDeflate}[op(4)%4]
	if comp != "" {
		p = compress(comp, p)
		if comp == FormDeflate && len(p) <= len(value) {
			return "", false // see the LeakScanner doc: raw deflate shorter than every value
		}
	}
	layers := 0
	for _, k := range []int{op(5), op(6)} {
		if k%(len(binaryEncodings)+1) == 0 {
			continue
		}
		p = []byte(binaryEncodings[k%(len(binaryEncodings)+1)-1].enc(p))
		layers++
	}
	if comp == FormDeflate && layers == 0 {
		p = []byte(b64(p)) // raw deflate is looked for inside an encoded run only
	}
	if k := op(7) % (len(spellings) + 1); k > 0 {
		p = []byte(spellings[k-1](p))
	}
	return string(p), true
}

// spellings write bytes out number by number, as the last step of a chain.
var spellings = []func([]byte) string{
	func(p []byte) string { return spell(p, "%02x", ":") },
	func(p []byte) string { return spell(p, "%02X", " ") },
	func(p []byte) string { return "[" + spell(p, "%d", ", ") + "]" },
	func(p []byte) string { return "[]byte{" + spell(p, "0x%x", ", ") + "}" },
	func(p []byte) string { return spell(p, `\x%02x`, "") },
	func(p []byte) string { return spell(p, "&#%d;", "") },
}

func spell(p []byte, format, sep string) string {
	var b bytes.Buffer
	for i, c := range p {
		if i > 0 {
			b.WriteString(sep)
		}
		fmt.Fprintf(&b, format, c)
	}
	return b.String()
}

// checkLeakChain embeds the encoded value in arbitrary text, on a line of
// its own as a program prints it (a run is decoded from its first
// character), and checks that it is found and that Redact removes it.
func checkLeakChain(t *testing.T, value string, ops, before, after []byte) {
	t.Helper()
	if len(value) < 8 || len(value) > 256 || overlapsMask(value) {
		t.Skip()
	}
	payload, ok := leakChain(value, ops)
	if !ok {
		t.Skip()
	}
	data := append(append(append(append([]byte{}, before...), '\n'), payload...), '\n')
	data = append(data, after...)
	s := NewLeakScanner(value)
	if !s.Found(data) {
		t.Fatalf("ops %v: a leak of a %d-byte value is not found", ops, len(value))
	}
	if len(s.Scan(data)) == 0 {
		t.Fatalf("ops %v: Found but Scan is empty", ops)
	}
	out := s.Redact(data)
	if left := s.Scan(out); len(left) > 0 {
		t.Fatalf("ops %v: Redact left %v", ops, left)
	}
}

// FuzzLeakScanner: a value written through any chain of the forms the
// scanner promises, amid arbitrary text, is always found, and Redact's
// output holds no leak that Scan finds.
func FuzzLeakScanner(f *testing.F) {
	f.Add("Tr0ub4dor&3xyzQW", []byte{0, 0, 0, 0, 1, 7}, []byte("log:"), []byte("done"))
	f.Add("sk_live_51HqR8vKzX2mPq9TbWc", []byte{3, 1, 4, 0, 0, 1}, []byte{}, []byte("x"))
	f.Add("hunter22", []byte{4, 2, 0, 3, 2, 9, 1}, []byte("a=b"), []byte{})
	f.Add("pässwörd-Geheim1", []byte{1, 3, 0, 0, 3, 5, 8}, []byte("\x1f\x8b"), []byte("="))
	f.Add("correct horse battery", []byte{2, 4, 1, 0, 0, 0, 0}, []byte("ok "), []byte(" ok"))
	f.Add("Tr0ub4dor&3xyzQW", []byte{0, 0, 0, 0, 0, 0, 0, 3}, []byte("list "), []byte(" end"))
	f.Add("hunter22", []byte{1, 0, 0, 0, 1, 7, 0, 1}, []byte("fp: "), []byte{})
	f.Fuzz(func(t *testing.T, value string, ops, before, after []byte) {
		checkLeakChain(t, value, ops, before, after)
	})
}

// TestLeakScannerChains runs the fuzz property on a few thousand seeded
// chains, so that every test run covers the whole vocabulary.
func TestLeakScannerChains(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 31))
	n := 1000
	if testing.Short() {
		n = 200
	}
	for i := range n {
		value := randomValues(rng, 1, 8, 48)[0]
		ops := make([]byte, 8)
		for j := range ops {
			ops[j] = byte(rng.UintN(256))
		}
		before := []byte(ordinaryText(200, uint64(i))[:rng.IntN(200)])
		after := []byte(prose[:rng.IntN(100)])
		t.Run("", func(t *testing.T) { checkLeakChain(t, value, ops, before, after) })
	}
}
