package mask

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"io"
	"slices"
)

// Character classes of encoded runs. Every hex and base32 character is a
// base64 character too, so the scan looks for base64 runs alone and only
// inside those for hex and base32 ones: ordinary text has few long runs,
// and the pass over it stays one table lookup a byte.
const (
	clB64    = 1 << iota // A-Z a-z 0-9 + / - _
	clHex                // 0-9 a-f A-F
	clB32                // A-Z 2-7
	clB32Hex             // 0-9 A-V
)

// An alphabet is one encoding's decoding table.
type alphabet struct {
	class  uint8
	bits   uint // per character
	aligns int  // starting offsets to decode from (see LeakScanner: glued text)
	pad    int  // '=' characters that may follow
	val    [256]byte
}

var (
	runClass                        [256]uint8
	b64Alpha, hexAlpha, b32, b32Hex alphabet
	subAlphabets                    = []*alphabet{&hexAlpha, &b32, &b32Hex}
	subForms                        = []string{FormHex, FormBase32, FormBase32Hex}
	gzipMagic                       = []byte{0x1f, 0x8b, 0x08}
	zlibFlags                       = [256]bool{0x01: true, 0x5e: true, 0x9c: true, 0xda: true}
)

func init() {
	set := func(a *alphabet, class uint8, bits uint, aligns, pad int, chars string) {
		a.class, a.bits, a.aligns, a.pad = class, bits, aligns, pad
		for i := 0; i < len(chars); i++ {
			a.val[chars[i]] = byte(i)
			runClass[chars[i]] |= class
		}
	}
	set(&b64Alpha, clB64, 6, 1, 2, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
	b64Alpha.val['-'], b64Alpha.val['_'] = 62, 63 // the URL alphabet
	runClass['-'] |= clB64
	runClass['_'] |= clB64
	set(&hexAlpha, clHex, 4, 2, 0, "0123456789abcdef")
	set(&hexAlpha, clHex, 4, 2, 0, "0123456789ABCDEF")
	set(&b32, clB32, 5, 1, 6, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
	set(&b32Hex, clB32Hex, 5, 1, 6, "0123456789ABCDEFGHIJKLMNOPQRSTUV")
	for b := range 256 {
		if isSep[b] {
			wordClass[b] |= 1
		}
		if runClass[b]&clB64 == 0 {
			wordClass[b] |= 2
		}
	}
}

// minChars is the shortest run of the alphabet that decodes to n bytes.
func (a *alphabet) minChars(n int) int { return (8*n + int(a.bits) - 1) / int(a.bits) }

// decodeBits decodes src, every byte of which is in the alphabet, ignoring
// the bits of a partial last byte.
func decodeBits(dst, src []byte, a *alphabet) []byte {
	var acc uint32
	var n uint
	for _, c := range src {
		acc = acc<<a.bits | uint32(a.val[c])
		n += a.bits
		if n >= 8 {
			n -= 8
			dst = append(dst, byte(acc>>n))
		}
	}
	return dst
}

// run handles the base64 run data[a:b].
func (st *scanState) run(data []byte, a, b, depth int, emit emitFunc) bool {
	var count [4]int // characters in each sub-alphabet, and of the URL alphabet's own
	for _, c := range data[a:b] {
		k := runClass[c]
		count[0] += int(k>>1) & 1
		count[1] += int(k>>2) & 1
		count[2] += int(k>>3) & 1
		if c == '-' || c == '_' {
			count[3]++
		}
	}
	form := FormBase64
	if count[3] > 0 {
		form = FormBase64URL
	}
	found, more := st.decode(data, a, b, depth, &b64Alpha, form, emit)
	if found || !more {
		return more // a leak in a sub-run would lie inside this one
	}
	for k, al := range subAlphabets {
		minRun := al.minChars(st.ix.minNeedle)
		if count[k] < minRun {
			continue
		}
		if count[k] == b-a { // the whole run
			if _, more := st.decode(data, a, b, depth, al, subForms[k], emit); !more {
				return false
			}
			continue
		}
		for j := a; j < b; {
			if runClass[data[j]]&al.class == 0 {
				j++
				continue
			}
			c := j
			for j < b && runClass[data[j]]&al.class != 0 {
				j++
			}
			if j-c < minRun {
				continue
			}
			if _, more := st.decode(data, c, j, depth, al, subForms[k], emit); !more {
				return false
			}
		}
	}
	return true
}

// decode decodes data[a:b] at each alignment and scans the result one
// level down; a leak spans the run and its padding.
func (st *scanState) decode(data []byte, a, b, depth int, al *alphabet, form string, emit emitFunc) (found, more bool) {
	end := b
	for end < len(data) && end-b < al.pad && data[end] == '=' {
		end++
	}
	for k := 0; k < al.aligns; k++ {
		n := (b - a - k) * int(al.bits) / 8
		if n < st.ix.minNeedle || n > st.decoded {
			break
		}
		st.decoded -= n
		buf := decodeBits(st.bufs[depth][:0], data[a+k:b], al)
		st.bufs[depth] = buf
		if !st.ix.hasText(buf) && !st.mayInflate(buf) {
			continue // noise, as nearly every decoded word is
		}
		if found, more = st.sub(buf, depth, a, end, form, emit); found || !more {
			return found, more
		}
	}
	return false, true
}

// compressed decompresses every gzip and zlib stream in data and, in a
// decoded view, a raw deflate stream that starts it, and scans what comes
// out one level down.
func (st *scanState) compressed(data []byte, depth int, emit emitFunc) bool {
	for i := 0; ; i++ {
		j := bytes.Index(data[i:], gzipMagic)
		if j < 0 {
			break
		}
		i += j
		if !st.inflate(data, i, depth, FormGzip, emit) {
			return false
		}
	}
	for i := 0; ; i++ {
		j := bytes.IndexByte(data[i:], 0x78) // the usual zlib header: 32 KiB window
		if j < 0 || i+j+1 >= len(data) {
			break
		}
		i += j
		if zlibFlags[data[i+1]] && !st.inflate(data, i, depth, FormZlib, emit) {
			return false
		}
	}
	if depth == 0 || len(data) < 2 {
		return true // raw deflate has no header: only a decoded run is worth trying
	}
	cmf, flg := data[0], data[1]
	if cmf != 0x78 && cmf&0x0f == 8 && cmf>>4 <= 7 && (uint(cmf)<<8|uint(flg))%31 == 0 && flg&0x20 == 0 {
		if !st.inflate(data, 0, depth, FormZlib, emit) {
			return false
		}
	}
	// Block type 3 does not exist; and deflate stores text in at least a
	// byte a character (unless it repeats), so a view shorter than every
	// value is not worth the reader's reset.
	if (cmf>>1)&3 == 3 || len(data) <= st.ix.minValue {
		return true
	}
	return st.inflate(data, 0, depth, FormDeflate, emit)
}

// mayInflate reports whether compressed, for a decoded view, has a stream
// to try.
func (st *scanState) mayInflate(data []byte) bool {
	if len(data) < 2 {
		return false
	}
	if bytes.Contains(data, gzipMagic) || len(data) > st.ix.minValue && (data[0]>>1)&3 != 3 {
		return true
	}
	for i := 0; i+1 < len(data); i++ {
		if data[i] == 0x78 && zlibFlags[data[i+1]] {
			return true
		}
	}
	cmf, flg := data[0], data[1]
	return cmf&0x0f == 8 && cmf>>4 <= 7 && (uint(cmf)<<8|uint(flg))%31 == 0
}

// inflateLimit is LeakMaxInflate, lowered by the tests of the bound so
// that they need not inflate 16 MiB under the race detector.
var inflateLimit = LeakMaxInflate

// inflaters are reused across a Scan's streams: a new flate reader costs
// tens of kilobytes.
type inflaters struct {
	gz *gzip.Reader
	zl io.ReadCloser
	fl io.ReadCloser
}

func (z *inflaters) reader(kind string, r *bytes.Reader) io.Reader {
	switch kind {
	case FormGzip:
		if z.gz == nil {
			g, err := gzip.NewReader(r)
			if err != nil {
				return nil
			}
			z.gz = g
		} else if z.gz.Reset(r) != nil {
			return nil
		}
		// One member at a time: reading on for a next member would count
		// the text after the stream as part of it.
		z.gz.Multistream(false)
		return z.gz
	case FormZlib:
		if z.zl == nil {
			zr, err := zlib.NewReader(r)
			if err != nil {
				return nil
			}
			z.zl = zr
		} else if z.zl.(zlib.Resetter).Reset(r, nil) != nil {
			return nil
		}
		return z.zl
	default:
		if z.fl == nil {
			z.fl = flate.NewReader(r)
		} else if z.fl.(flate.Resetter).Reset(r, nil) != nil {
			return nil
		}
		return z.fl
	}
}

// inflate decompresses the stream at data[at:], within what is left of
// LeakMaxInflate, and scans its output. A truncated or corrupt stream
// still yields what came out before the error.
func (st *scanState) inflate(data []byte, at, depth int, kind string, emit emitFunc) bool {
	room := inflateLimit - st.inflated
	if room <= 0 {
		return true
	}
	br := &st.readers[depth]
	br.Reset(data[at:])
	rd := st.reader(kind, br)
	if rd == nil {
		return true
	}
	out := st.zbufs[depth][:0]
	for stalls := 0; len(out) < room && stalls < 3; {
		if len(out) == cap(out) {
			out = slices.Grow(out, min(room-len(out), max(4096, len(out))))
		}
		n, err := rd.Read(out[len(out):min(cap(out), room)])
		out = out[:len(out)+n]
		if err != nil {
			break
		}
		if n == 0 {
			stalls++
		}
	}
	st.zbufs[depth] = out
	st.inflated += len(out)
	if len(out) < st.ix.minNeedle {
		return true
	}
	end := len(data) - br.Len()
	_, more := st.sub(out, depth, at, end, kind, emit)
	return more
}
