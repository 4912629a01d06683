package mask

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// needle is one pattern of a leak index: a form of a value, lower-cased.
type needle struct {
	form  string
	exact string // the pattern before folding: a raw match that differs is case-folded
	// For a fragment: the folded text it was cut from (the value, or the
	// value reversed) and where, so that a match can be extended over the
	// rest of what leaked.
	src   string
	off   int
	other string // the folded value the other way round
	// exactOnly marks a needle whose case matters (base64): a folded match
	// that differs from exact is no match.
	exactOnly bool
}

// leakIndex is what a LeakScanner scans with, built once per set of values.
type leakIndex struct {
	direct  *matcher // every needle, matched case-insensitively; nil with no values
	needles []needle

	// interleaved matches the values with separator bytes removed, over
	// text whose separator bytes are skipped; ilVals holds, per pattern,
	// the folded value (or value reversed) to verify a match against.
	interleaved *matcher
	ilVals      []string

	minNeedle int // the shortest needle, in bytes: shorter views are not decoded
	minValue  int // the shortest value: raw deflate shorter than that holds none

	// textish marks the bytes of needles, separators and encoded runs: a
	// decoded view without minNeedle of them in a row holds no text to scan.
	textish [256]bool
}

// isSep marks the bytes that can separate interleaved characters: every
// ASCII byte that is not a letter or digit.
var isSep = func() (t [256]bool) {
	for b := 0; b < 128; b++ {
		t[b] = !isAlnum(byte(b))
	}
	return t
}()

func isAlnum(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
}

// Interleaving needs this many characters once separators are removed, and
// this many distinct ones among them (see the LeakScanner doc).
const (
	minInterleaved         = 6
	minInterleavedDistinct = 4
	// maxInterleaveSep is the longest separator between two characters.
	// Eight bytes cover a value printed as a list of its characters:
	// `', '` in Python's, `", "` in JSON's, `",` + newline + four spaces
	// + `"` in JSON indented by four.
	maxInterleaveSep = 8
)

// fragmentLen is the shortest part of a value of n bytes that counts as a
// leak of it.
func fragmentLen(n int) int {
	if n >= 16 {
		return 8
	}
	return max(MinLen, (n+1)/2)
}

// typePrefix returns the length of the value's type prefix, as "sk_live_"
// in a Stripe key or "ghp_" in a GitHub token: a leading run of letters
// and "_" or "-" that ends in one of those two, at most 12 bytes and half
// the value. Every key of the kind starts with it, so it is no secret.
func typePrefix(v string) int {
	p := 0
	for i := 0; i < len(v) && i < 12 && i < len(v)/2; i++ {
		c := v[i]
		if c == '_' || c == '-' {
			p = i + 1
		} else if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			break
		}
	}
	return p
}

func reverse(s string) string {
	b := []byte(s)
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}

func squeeze(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if !isSep[s[i]] {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

func distinct(s string) int {
	var seen [256]bool
	n := 0
	for i := 0; i < len(s); i++ {
		if !seen[s[i]] {
			seen[s[i]] = true
			n++
		}
	}
	return n
}

// asciiJSON is v as a JSON string that escapes every non-ASCII character
// as \uXXXX, as Python's json.dumps does by default.
func asciiJSON(v string) string {
	var b strings.Builder
	for _, r := range v {
		switch {
		case r < utf8.RuneSelf:
			b.WriteRune(r)
		case r > 0xffff:
			r -= 0x10000
			fmt.Fprintf(&b, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.String()
}

type indexBuilder struct {
	ix   *leakIndex
	pats []string
	seen map[string]bool
	il   []string
	ilOK map[string]bool
}

func (b *indexBuilder) add(pat string, n needle) {
	f := foldASCII(pat) // the matcher folds ASCII only
	if len(f) < MinLen || b.seen[f] {
		return
	}
	b.seen[f] = true
	b.pats = append(b.pats, f)
	n.exact = pat
	b.ix.needles = append(b.ix.needles, n)
}

// foldASCII lower-cases ASCII letters only, leaving other bytes as they are.
func foldASCII(s string) string {
	b := []byte(s)
	for i := range b {
		b[i] = lower(b[i])
	}
	return string(b)
}

func newLeakIndex(vals []leakValue) *leakIndex {
	ix := &leakIndex{}
	b := &indexBuilder{ix: ix, seen: map[string]bool{}, ilOK: map[string]bool{}}
	for _, lv := range vals {
		v := lv.v
		b.add(v, needle{form: FormRaw, off: -1})
		b.add(reverse(v), needle{form: FormReversed, off: -1})
		for _, e := range encodings(v) {
			switch e.enc {
			case EncodingRaw:
			case EncodingBase64, EncodingBase64URL:
				// Base64 at any alignment, as the Redactor finds it: the
				// decoding pass decodes a run from its start only.
				b.add(e.text, needle{form: e.enc, off: -1, exactOnly: true})
			default:
				b.add(e.text, needle{form: e.enc, off: -1})
			}
		}
		if a := asciiJSON(v); a != v {
			b.add(a, needle{form: FormJSON, off: -1})
		}
		if lv.doc {
			continue
		}
		b.fragments(v)
		b.interleaving(v)
	}
	if len(b.pats) == 0 {
		return ix
	}
	forms := make([]string, len(ix.needles))
	ix.minNeedle = len(b.pats[0])
	for i, n := range ix.needles {
		forms[i] = n.form
		ix.minNeedle = min(ix.minNeedle, len(b.pats[i]))
	}
	for _, p := range b.pats {
		for i := 0; i < len(p); i++ {
			ix.textish[p[i]] = true
			ix.textish[p[i]-'a'+'A'] = ix.textish[p[i]-'a'+'A'] || 'a' <= p[i] && p[i] <= 'z'
		}
	}
	for c := range 256 {
		ix.textish[c] = ix.textish[c] || isSep[c] || runClass[c] != 0
	}
	ix.minValue = len(vals[0].v)
	for _, lv := range vals {
		ix.minValue = min(ix.minValue, len(lv.v))
	}
	ix.direct = newFoldMatcher(b.pats, forms)
	if len(b.il) > 0 {
		ix.interleaved = newFoldMatcher(b.il, make([]string, len(b.il)))
		ix.interleaved.withSkip(&isSep)
	}
	return ix
}

// Values longer than longValue have their fragments indexed at every
// longStride-th byte only, longStride long, so that a 64 KiB certificate
// chain does not become a trie of millions of nodes: any part of
// 2*longStride-1 bytes or more holds one of them.
const (
	longValue  = 1024
	longStride = 32
)

// fragments adds every part of v of the fragment length, forwards and
// reversed, but those that are mostly its type prefix: at least half of a
// fragment lies past the prefix, so "fresh-" + two hex digits of a
// "fresh-…" key does not match the word "fresh-after" one run in 256.
func (b *indexBuilder) fragments(v string) {
	n, f, step := len(v), fragmentLen(len(v)), 1
	if n > longValue {
		f, step = longStride, longStride
	}
	if f >= n {
		return
	}
	fv, rv := foldASCII(v), foldASCII(reverse(v))
	minEnd := typePrefix(v) + (f+1)/2 // a fragment's end past the prefix
	for p := 0; p+f <= n; p += step {
		if p+f >= minEnd {
			b.add(v[p:p+f], needle{form: FormFragment, src: fv, off: p, other: rv})
		}
		// rv[p:p+f] is v[n-p-f:n-p] reversed.
		if n-p >= minEnd {
			b.add(reverse(v[n-p-f:n-p]), needle{form: FormFragment, src: rv, off: p, other: fv})
		}
	}
}

// interleaving adds v, and v reversed, with separators removed.
func (b *indexBuilder) interleaving(v string) {
	if len(v) > longValue {
		return // nobody spells out a certificate one character at a time
	}
	for _, w := range []string{foldASCII(v), foldASCII(reverse(v))} {
		sq := squeeze(w)
		if len(sq) < minInterleaved || distinct(sq) < minInterleavedDistinct || b.ilOK[sq] {
			continue
		}
		b.ilOK[sq] = true
		b.il = append(b.il, sq)
		b.ix.ilVals = append(b.ix.ilVals, w)
	}
}
