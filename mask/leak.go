package mask

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
)

// The forms under which a [LeakScanner] finds a value, as reported in
// [Leak.Form]. A leak inside a decoded or decompressed view is reported as a
// chain, innermost first and each encoding in the order it was applied:
// "hex+base64" is the base64 of the hex of the value, "gzip+base64" the
// base64 of its gzip, "fragment+hex" the hex of a part of it. A raw value
// inside a view adds nothing to the chain: base64 of the value is "base64".
const (
	FormRaw         = "raw"         // the value itself
	FormCaseFolded  = "case-folded" // upper-cased, lower-cased or any mix
	FormReversed    = "reversed"    // the value backwards, in any case
	FormFragment    = "fragment"    // a part of the value (or of it reversed), in any case
	FormInterleaved = "interleaved" // a separator between every two characters: "h-u-n-t-e-r-2"
	FormURL         = "url"         // URL query or path escaping
	FormJSON        = "json"        // a JSON string's escaping, with or without HTML escaping or \uXXXX
	FormHex         = "hex"         // lower, upper or mixed case
	FormBase32      = "base32"      // standard alphabet, padded or not, any alignment
	FormBase32Hex   = "base32hex"   // extended hex alphabet, padded or not, any alignment
	FormBase64      = "base64"      // standard alphabet, padded or not, any alignment
	FormBase64URL   = "base64url"   // URL alphabet, padded or not, any alignment
	FormGzip        = "gzip"        // gzip stream
	FormZlib        = "zlib"        // zlib stream
	FormDeflate     = "deflate"     // raw deflate stream, inside an encoded run only
	// A value spelled out number by number (see LeakScanner).
	FormHexList     = "hex-list"     // hex bytes apart: "70:77:2d", "70 77", "0x70, 0x77", "%70%77"
	FormDecimalList = "decimal-list" // bytes or code points in decimal: "[112, 119, 45]", "&#112;"
	FormEscapes     = "escapes"      // escapes of every character: "\x70\x77", "\u0070", "&#x70;"
)

// Leak tells where a known value leaked and in what form, never what it is:
// it has no field that could hold the value or any part of it.
type Leak struct {
	// Form names the form, one of the Form constants or a chain of them
	// joined with "+".
	Form string
	// Start and End are the byte span in the scanned data. For a value found
	// in a decoded or decompressed view, they span the whole encoded run (or
	// compressed stream) in the scanned data, which is reported once however
	// many leaks it holds.
	Start, End int
}

// String describes the leak without its content: "hex at byte 120".
func (l Leak) String() string { return fmt.Sprintf("%s at byte %d", l.Form, l.Start) }

// LeakScanner finds known secret values in arbitrary bytes (a program's
// output, the files it wrote) in every form a program is likely to print
// them in. The graders and the check command use it to prove a learner's
// program leaked nothing.
//
// For each value of [MinLen] bytes or more it finds:
//
//   - the value raw, case-folded (upper, lower, any mix) and reversed;
//   - URL-escaped (query and path) and JSON-escaped (with and without HTML
//     escaping, and with every non-ASCII character as \uXXXX);
//   - interleaved: one separator of one to eight non-alphanumeric ASCII
//     bytes (space, "-", ".", ",", "_", "|", newline, tab, ", " ...),
//     the same between every two characters, as in "h u n t e r 2", or
//     the value as a list of its characters, "['h', 'u', 'n', …]" in
//     Python or "["h", "u", "n", …]" in JSON;
//   - spelled out number by number: its bytes in hex with a separator or
//     a prefix ("68:75:6e", "68 75 6e", "0x68, 0x75", "%68%75%6E"), its
//     bytes or code points in decimal ("[104, 117, 110]", "&#104;"), or
//     every character escaped ("\x68\x75", "\u0068\u0075", "&#x68;"):
//     a run of at least two such numbers with at most eight separator
//     bytes between two is read back and scanned in turn, as a decoded
//     run is;
//   - fragments, as a value printed in parts or split over two lines: any
//     part of at least 8 bytes, or for values shorter than 16 bytes of at
//     least half the value and never under 4 bytes (for values over 1 KiB,
//     such as a certificate chain, of at least 63 bytes); forwards or
//     reversed, in any case;
//   - any of the above inside a run of hex (any case), base32 (standard or
//     extended hex alphabet, upper case, padded or not) or base64
//     (standard or URL alphabet, padded or not): the run is decoded from
//     its first character (hex from either of its first two) and the
//     decoded bytes scanned in turn, so the value may sit at any offset in
//     longer encoded data, as user:password in a Basic header. The base64
//     of the value itself is found at any alignment, even glued to the
//     text before it, as the [Redactor] finds it;
//   - any of the above inside gzip or zlib data (written raw or inside an
//     encoded run) and raw deflate data (inside an encoded run), which is
//     decompressed and scanned in turn.
//
// Decoding and decompressing nest up to [LeakMaxDepth] layers deep, as
// base64 of gzip of hex, and a Scan decompresses at most [LeakMaxInflate]
// bytes in all, so hostile input costs bounded time and memory.
//
// What it deliberately does not catch: anything that needs a key or cannot
// be undone. An encrypted value cannot be told from random bytes without
// the key, and a hash of a value is not the value: a password hash in the
// output does not leak the password (though a weak password can be guessed
// from it, which is for a password policy, not a scanner, to prevent). Nor
// does it catch a split into parts shorter than the fragment length (each
// part on its own is no more than a guess), split base32/base64/hex text
// (each part decodes at a ragged edge), an encoded run glued to letters
// before it but for base64 of the value itself (its start is then not the
// encoding's), base32 in lower case (it would make every long English word
// a run to decode), escapes nested inside other escapes, escapes of some
// characters mixed with others left plain ("\x68u\x6et"), numbers in
// octal or as "U+0068", or raw deflate (which has no header, unlike gzip
// and zlib) shorter than every value, as that of a value repeating itself
// ("passwordpassword"): trying every short decoded run as deflate would
// cost more than all the rest of a scan.
//
// Against false positives on output that holds no secret, the rules are:
// fragments only of values, never of a JSON document's own text (its keys
// and punctuation are in every JSON log; [LeakScanner.AddSecret] registers
// its string leaves instead); no fragment that lies inside a key's type
// prefix (such as "sk_live_" or "ghp_", which every key of its kind starts
// with); a fragment shorter than 8 bytes only where it is a word of its
// own, not inside a longer run of letters and digits (four random
// characters turn up by chance in any long base64 text); and interleaving
// only of a whole value of at most 1 KiB with at least 6 bytes besides separator bytes, 4 of
// them distinct, and the same separator between every two characters, so
// that a value such as "aaaaaaaa" does not match every "a a a a a a a a",
// nor "abcdefgh" a listing "a b c d e f g" of part of it.
//
// A LeakScanner is safe for concurrent use. Its index is built on the first
// scan after an Add: about 25 ms for 100 passwords.
type LeakScanner struct {
	mu   sync.Mutex
	seen map[string]bool
	vals []leakValue
	cur  atomic.Pointer[leakIndex]
}

// LeakMaxDepth is how many decoding and decompression layers a
// [LeakScanner] goes through: enough for base64 of gzip of hex.
const LeakMaxDepth = 4

// LeakMaxInflate is how many decompressed bytes one [LeakScanner.Scan]
// produces at most, in all.
const LeakMaxInflate = 16 << 20

// leakValue is a registered value; doc marks a whole JSON document, which
// gets no fragment or interleaving forms.
type leakValue struct {
	v   string
	doc bool
}

// NewLeakScanner returns a scanner for the known values (values shorter
// than [MinLen] are ignored).
func NewLeakScanner(values ...string) *LeakScanner {
	s := &LeakScanner{}
	s.Add(values...)
	return s
}

// Add registers values to find. Values shorter than [MinLen] bytes are
// ignored. A value that is a JSON object or array is registered whole,
// without fragments; use [LeakScanner.AddSecret] to register its leaves.
func (s *LeakScanner) Add(values ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range values {
		s.addLocked(v)
	}
}

// AddSecret registers a secret value as [LeakScanner.Add] does and, when it
// is a JSON document, its compact form and each of its string leaves of
// [MinLen] bytes or more, as [Redactor.AddSecret] does.
func (s *LeakScanner) AddSecret(value string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addLocked(value)
	jsonParts(value, s.addLocked)
}

func (s *LeakScanner) addLocked(v string) {
	if len(v) < MinLen || s.seen[v] {
		return
	}
	if s.seen == nil {
		s.seen = make(map[string]bool)
	}
	s.seen[v] = true
	t := bytes.TrimSpace([]byte(v))
	doc := len(t) > 0 && (t[0] == '{' || t[0] == '[') && json.Valid(t)
	s.vals = append(s.vals, leakValue{v: v, doc: doc})
	s.cur.Store(nil)
}

// index returns the index of the values registered so far, building it on
// first use after an Add.
func (s *LeakScanner) index() *leakIndex {
	if ix := s.cur.Load(); ix != nil {
		return ix
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if ix := s.cur.Load(); ix != nil {
		return ix
	}
	ix := newLeakIndex(s.vals)
	s.cur.Store(ix)
	return ix
}

// Scan returns every leak found in data, leftmost first. A leak that lies
// wholly inside another is left out. A Leak never contains the value.
func (s *LeakScanner) Scan(data []byte) []Leak {
	var leaks []Leak
	s.index().scan(data, func(l Leak) bool {
		leaks = append(leaks, l)
		return true
	})
	return tidyLeaks(leaks)
}

// Found reports whether data holds any leak at all; it stops at the first.
func (s *LeakScanner) Found(data []byte) bool {
	found := false
	s.index().scan(data, func(Leak) bool {
		found = true
		return false
	})
	return found
}

// Redact returns data with every leaked span replaced by [Masked]; for a
// leak inside a decoded or decompressed view, the whole encoded run goes.
// It scans its own output again until nothing is found (a replacement can
// join the text around it into a new leak), so text that passed through
// Redact holds no leak that Scan would find. It returns data itself when
// nothing leaked.
func (s *LeakScanner) Redact(data []byte) []byte {
	out := data
	for range 8 {
		leaks := s.Scan(out)
		if len(leaks) == 0 {
			return out
		}
		var b bytes.Buffer
		b.Grow(len(out))
		last := 0
		for _, l := range leaks {
			if l.Start < last { // overlaps the span just replaced
				last = max(last, l.End)
				continue
			}
			b.Write(out[last:l.Start])
			b.WriteString(Masked)
			last = l.End
		}
		b.Write(out[last:])
		out = b.Bytes()
	}
	if s.Found(out) {
		// Only input built to defeat the loop gets here: mask it all.
		return []byte(Masked)
	}
	return out
}

// RedactString is [LeakScanner.Redact] for a string.
func (s *LeakScanner) RedactString(text string) string {
	out := s.Redact([]byte(text))
	return string(out)
}

// tidyLeaks sorts leaks leftmost first, longest first at the same start,
// and drops those that lie wholly inside an earlier one.
func tidyLeaks(leaks []Leak) []Leak {
	slices.SortFunc(leaks, func(a, b Leak) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		return b.End - a.End
	})
	out := leaks[:0]
	end := -1
	for _, l := range leaks {
		if l.End <= end {
			continue
		}
		out = append(out, l)
		end = l.End
	}
	return out
}
