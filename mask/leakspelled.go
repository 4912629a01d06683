package mask

import (
	"bytes"
	"math/bits"
	"unicode/utf8"
)

// A value spelled out number by number is no encoding the base64, base32
// and hex runs see: "70:77:2d:61" (Python's bytes.hex(":")), "70 77 2d"
// (Go's "% x"), "0x70, 0x77" (a C or Go byte list), "[112, 119, 45]" (a
// list of bytes or code points), "\x70\x77" and "\u0070\u0077" (escapes of
// characters that need none), "&#x70;&#112;" (HTML character references)
// and "%70%77" (every byte percent-escaped) each break a run after every
// byte. spelled reads such runs of numbers back into bytes and scans them
// one level down.

// The spellings a number of a spelled run can have (a token may fit more
// than one: "45" is hex and decimal).
const (
	spHex uint8 = 1 << iota // an even number of hex digits, up to 8: "70", "7077"
	spDec                   // decimal digits, up to 7: "112"
	sp0x                    // "0x" and one to six hex digits: "0x70"
	spEsc                   // "x" and two hex digits, "u" and four, "U" and eight: \x70 \u0070
)

// Bounds of a spelled run: at most spellGap separator bytes between two
// numbers (", " or "', '" or a backslash), and at least spellMin numbers.
const (
	spellGap = 8
	spellMin = 2
)

// spellStart marks the bytes a number of a spelled run starts with.
var spellStart = func() (t [256]bool) {
	for _, c := range []byte("0123456789abcdefABCDEFxXuU") {
		t[c] = true
	}
	return t
}()

// hexDigit marks the hex digits, and spellSecond the bytes a number's
// second character can be (a hex digit, or x in "0x70").
var hexDigit, spellSecond = func() (h, s [256]bool) {
	for _, c := range []byte("0123456789abcdefABCDEF") {
		h[c], s[c] = true, true
	}
	s['x'], s['X'] = true, true
	return h, s
}()

// mayBeNumber is a quick look at the word data[a:b] (a few table lookups,
// so that it can be inlined), true for every word spellClass accepts and
// false for most others.
func mayBeNumber(data []byte, a, b int) bool {
	return b-a <= 9 && spellStart[data[a]] && hexDigit[data[b-1]] && (b-a == 1 && data[a] <= '9' || b-a > 1 && spellSecond[data[a+1]])
}

// alnumTable marks ASCII letters and digits.
var alnumTable = func() (t [256]bool) {
	for b := range 256 {
		t[b] = isAlnum(byte(b))
	}
	return t
}()

func hexVal(b byte) (byte, bool) {
	switch {
	case '0' <= b && b <= '9':
		return b - '0', true
	case 'a' <= b && b <= 'f':
		return b - 'a' + 10, true
	case 'A' <= b && b <= 'F':
		return b - 'A' + 10, true
	}
	return 0, false
}

func allHex(t []byte) bool {
	for _, b := range t {
		if _, ok := hexVal(b); !ok {
			return false
		}
	}
	return len(t) > 0
}

// spellClass says which spellings the token t (letters and digits only)
// fits; 0 for an ordinary word.
func spellClass(t []byte) uint8 {
	n := len(t)
	if n == 0 || n > 9 {
		return 0
	}
	if !spellStart[t[0]] {
		return 0 // most words: no number starts so
	}
	var c uint8
	// From the second character: "0x70", "x70" and "u0070" have a
	// letter first or second, and hex digits after.
	hexDigits, decDigits := hexDigit[t[0]], '0' <= t[0] && t[0] <= '9'
	for _, b := range t[1:] {
		if !hexDigit[b] {
			if !hexDigits && !decDigits && b != 'x' && b != 'X' {
				return 0
			}
			hexDigits = false
		}
		if b < '0' || b > '9' {
			decDigits = false
		}
	}
	if hexDigits && n%2 == 0 && n <= 8 {
		c |= spHex
	}
	if decDigits && n <= 7 {
		c |= spDec
	}
	if n >= 3 && n <= 8 && t[0] == '0' && t[1]|0x20 == 'x' && allHex(t[2:]) {
		c |= sp0x
	}
	switch {
	case n == 3 && t[0]|0x20 == 'x' && allHex(t[1:]),
		n == 5 && t[0] == 'u' && allHex(t[1:]),
		n == 9 && t[0] == 'U' && allHex(t[1:]):
		c |= spEsc
	}
	return c
}

// spellForm names the form of a run read with spelling sp.
func spellForm(sp uint8) string {
	switch sp {
	case spDec:
		return FormDecimalList
	case spEsc:
		return FormEscapes
	}
	return FormHexList
}

// spellRuns are the spelled runs a scan of words is in, one per spelling
// (a word that fits two, as "45", may belong to two runs that start at
// different words: "ba 52, 56" is a hex run of three and a decimal one of
// two): for each, its span and how many numbers it has.
type spellRuns struct {
	run  [4]struct{ start, end, count int }
	mask uint8 // the spellings with a run under way
}

// open reports whether any run is under way.
func (r *spellRuns) open() bool { return r.mask != 0 }

// spellWord takes the next word data[a:b] of a view (see words): for each
// spelling, it extends the run, or ends it (scanning it when long enough)
// and perhaps starts another. It returns false if emit asked to stop.
func (st *scanState) spellWord(r *spellRuns, data []byte, a, b, depth int, emit emitFunc) bool {
	cls := spellClass(data[a:b])
	if cls|r.mask == 0 {
		return true // most words
	}
	for m := cls | r.mask; m != 0; m &= m - 1 {
		k := bits.TrailingZeros8(m)
		bit := uint8(1) << k
		run := &r.run[k]
		fits := cls&bit != 0
		if fits && run.count > 0 && a-run.end <= spellGap {
			run.count++
			run.end = b
			continue
		}
		if run.count >= spellMin {
			found, more := st.readSpelled(data, run.start, run.end, bit, depth, emit)
			if !more {
				return false
			}
			if found {
				// One leak per span: the other spellings' runs, which
				// overlap it, end here unread.
				*r = spellRuns{}
			}
		}
		run.start, run.end, run.count = a, b, 0
		r.mask &^= bit
		if fits {
			run.count = 1
			r.mask |= bit
		}
	}
	return true
}

// endSpelled scans the runs under way at the end of a view.
func (st *scanState) endSpelled(r *spellRuns, data []byte, depth int, emit emitFunc) bool {
	for k := range r.run {
		if r.run[k].count >= spellMin {
			found, more := st.readSpelled(data, r.run[k].start, r.run[k].end, 1<<k, depth, emit)
			if !more || found {
				*r = spellRuns{}
				return more
			}
		}
	}
	*r = spellRuns{}
	return true
}

// readSpelled reads the run data[a:b] back with spelling sp and scans
// what it spells one level down, as decode does for an encoded run.
func (st *scanState) readSpelled(data []byte, a, b int, sp uint8, depth int, emit emitFunc) (found, more bool) {
	buf := st.bufs[depth][:0]
	wide := st.runes[depth][:0] // the numbers, for spDec and sp0x
	small := true               // every number below 256
	high := false               // some number of 128 to 255: bytes, or Latin-1 characters?
	for i := a; i < b; {
		if !alnumTable[data[i]] {
			i++
			continue
		}
		j := i
		for j < b && alnumTable[data[j]] {
			j++
		}
		t := data[i:j]
		i = j
		switch sp {
		case spHex:
			for k := 0; k+1 < len(t); k += 2 {
				hi, _ := hexVal(t[k])
				lo, _ := hexVal(t[k+1])
				buf = append(buf, hi<<4|lo)
			}
		case spEsc:
			v := parseHex(t[1:])
			if t[0]|0x20 == 'x' {
				buf = append(buf, byte(v))
			} else {
				buf = utf8.AppendRune(buf, rune(v))
			}
		default:
			var v uint32
			if sp == spDec {
				for _, c := range t {
					v = v*10 + uint32(c-'0')
				}
			} else {
				v = parseHex(t[2:])
			}
			if v > utf8.MaxRune {
				return false, true
			}
			small = small && v < 256
			high = high || v >= 128 && v < 256
			wide = append(wide, rune(v))
		}
	}
	st.runes[depth] = wide
	if sp == spDec || sp == sp0x {
		// Bytes when every number fits one and, where some are over 127,
		// they make valid UTF-8 (a list of the bytes of a UTF-8 value);
		// code points otherwise (a list of its characters' numbers).
		buf = buf[:0]
		if small {
			for _, r := range wide {
				buf = append(buf, byte(r))
			}
		}
		if !small || high && !utf8.Valid(buf) {
			buf = buf[:0]
			for _, r := range wide {
				buf = utf8.AppendRune(buf, r)
			}
		}
	}
	st.bufs[depth] = buf
	if len(buf) < st.ix.minNeedle || len(buf) > st.decoded {
		return false, true
	}
	st.decoded -= len(buf)
	// Text, or a gzip or zlib stream (raw deflate, which has no header,
	// is looked for in an encoded run only).
	if !st.ix.hasText(buf) && !bytes.Contains(buf, gzipMagic) && !hasZlib(buf) {
		return false, true
	}
	return st.sub(buf, depth, a, b, spellForm(sp), emit)
}

// hasZlib reports whether data has what looks like a zlib header.
func hasZlib(data []byte) bool {
	for i := 0; i+1 < len(data); i++ {
		if data[i] == 0x78 && zlibFlags[data[i+1]] {
			return true
		}
	}
	return false
}

func parseHex(t []byte) uint32 {
	var v uint32
	for _, c := range t {
		d, _ := hexVal(c)
		v = v<<4 | uint32(d)
	}
	return v
}
