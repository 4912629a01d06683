package mask

import (
	"bytes"
	"strings"
	"sync"
)

// A scan looks at one view of the data (the data itself, or bytes decoded
// or decompressed from it) in three passes: the direct automaton over the
// view; one pass that splits it into words, running the interleaving
// automaton (which skips separators) where words of one character follow
// one another and, below the depth limit, decoding each run of base64,
// base32 or hex characters and reading back each run of numbers that
// spells bytes (leakspelled.go); and a pass over its compressed streams.
// Each decoded run, spelled run and stream is a view one level down.

// emitFunc receives a leak, with its span in the view being scanned; it
// returns false to stop the scan.
type emitFunc func(Leak) bool

// scanState is what one Scan carries through its views.
type scanState struct {
	ix       *leakIndex
	decoded  int                      // bytes that decoding may still produce, so nesting cannot blow up
	inflated int                      // bytes decompressed so far
	bufs     [LeakMaxDepth + 1][]byte // decode buffers, one per depth
	zbufs    [LeakMaxDepth + 1][]byte // decompression buffers, one per depth
	readers  [LeakMaxDepth + 1]bytes.Reader
	runes    [LeakMaxDepth + 1][]rune // the numbers of a spelled run, one per depth
	inflaters
}

var scanStates = sync.Pool{New: func() any { return new(scanState) }}

// scan runs emit on every leak in data.
func (ix *leakIndex) scan(data []byte, emit emitFunc) {
	if ix.direct == nil {
		return
	}
	st := scanStates.Get().(*scanState)
	st.ix, st.inflated = ix, 0
	st.decoded = 64*len(data) + 1<<20
	st.view(data, 0, emit)
	st.ix = nil
	for i := range st.zbufs {
		if cap(st.zbufs[i]) > 1<<20 {
			st.zbufs[i] = nil // keep no large buffer alive in the pool
		}
	}
	scanStates.Put(st)
}

// view scans one view at the given depth; it returns false if emit asked
// to stop.
func (st *scanState) view(data []byte, depth int, emit emitFunc) bool {
	// Most decoded views are noise (a word decoded as base64, a run decoded
	// at the wrong alignment): unless one has text long enough to hold a
	// needle, only a compressed stream can be in it.
	if depth == 0 || st.ix.hasText(data) { // decode checks the same before it calls sub
		if !st.direct(data, emit) || !st.words(data, depth < LeakMaxDepth, depth, emit) {
			return false
		}
	}
	return depth >= LeakMaxDepth || st.compressed(data, depth, emit)
}

// hasText reports whether data has a run of minNeedle bytes that could
// be a needle, an interleaved value or encoded text.
func (ix *leakIndex) hasText(data []byte) bool {
	n := 0
	for _, b := range data {
		if !ix.textish[b] {
			n = 0
		} else if n++; n >= ix.minNeedle {
			return true
		}
	}
	return false
}

// direct finds the needles in data, leftmost-longest.
func (st *scanState) direct(data []byte, emit emitFunc) bool {
	m := st.ix.direct
	for from := 0; ; {
		s, e, pat, _ := find(m, data, from, true)
		if s < 0 {
			return true
		}
		n := &st.ix.needles[pat]
		form := n.form
		if n.exactOnly && string(data[s:e]) != n.exact {
			from = s + 1
			continue
		}
		if form == FormFragment {
			// Cover all of the value that follows, so Redact leaves no tail.
			for k := n.off + e - s; e < len(data) && k < len(n.src) && lower(data[e]) == n.src[k]; k++ {
				e++
			}
			if e-s < fragmentLen(16) && (cuts(data, s) || cuts(data, e)) {
				// A short fragment inside a word is chance, not a leak,
				// unless the whole word is part of the value (which the
				// extension above misses where the value repeats itself).
				ws, we := s, e
				for ws > 0 && isAlnum(data[ws-1]) {
					ws--
				}
				for we < len(data) && isAlnum(data[we]) {
					we++
				}
				if w := foldASCII(string(data[ws:we])); !strings.Contains(n.src, w) && !strings.Contains(n.other, w) {
					from = s + 1
					continue
				}
				s, e = ws, we
			}
		} else if form == FormRaw && string(data[s:e]) != n.exact {
			form = FormCaseFolded
		}
		if !emit(Leak{Form: form, Start: s, End: e}) {
			return false
		}
		from = e
	}
}

// cuts reports whether offset i falls between two letters or digits.
func cuts(data []byte, i int) bool {
	return i > 0 && i < len(data) && isAlnum(data[i-1]) && isAlnum(data[i])
}

// wordClass tells, per byte, whether it is a separator (1: it ends a word
// for interleaving) and whether it is outside the base64 alphabet (2: it
// ends a run to decode). Letters and digits are neither, so the common
// case costs one lookup.
// It is filled in by init, after runClass.
var wordClass [256]uint8

// words splits data, in one pass, into the words that interleaving looks
// at and, if decode is set, the base64 runs that are decoded and the
// spelled runs of numbers that are read back.
//
// Interleaved, a value's characters (but perhaps the first and last, which
// may touch the text around) are words of one character, so only where
// four such words follow one another does the interleaving automaton run,
// from the start of the word before them to the end of the word after them.
func (st *scanState) words(data []byte, decode bool, depth int, emit emitFunc) bool {
	const chain = minInterleaved - 2
	il := st.ix.interleaved != nil
	minRun := b64Alpha.minChars(st.ix.minNeedle)
	n := 0     // one-character words in a row
	from := 0  // where the word before them starts
	prev := 0  // where the last word started
	sep := -1  // the last separator
	stop := -1 // the last byte outside the base64 alphabet
	var sr spellRuns
	for i := 0; i <= len(data); i++ {
		c := uint8(3) // the end of data ends everything
		if i < len(data) {
			if c = wordClass[data[i]]; c == 0 {
				continue
			}
		}
		if c&1 != 0 {
			if decode && i-sep > 1 && (mayBeNumber(data, sep+1, i) || sr.open()) && !st.spellWord(&sr, data, sep+1, i, depth, emit) {
				return false
			}
			if w := i - sep - 1; il && w > 0 {
				if w == 1 {
					if n == 0 {
						from = prev
					}
					n++
				} else {
					if n >= chain && !st.interleaveIn(data, from, i, emit) {
						return false
					}
					n = 0
				}
				prev = sep + 1
			}
			sep = i
		}
		if c&2 != 0 {
			if decode && i-stop-1 >= minRun && !st.run(data, stop+1, i, depth, emit) {
				return false
			}
			stop = i
		}
	}
	if decode && !st.endSpelled(&sr, data, depth, emit) {
		return false
	}
	return !il || n < chain || st.interleaveIn(data, from, len(data), emit)
}

// interleaveIn runs the interleaving automaton over data[lo:hi].
func (st *scanState) interleaveIn(data []byte, lo, hi int, emit emitFunc) bool {
	m := st.ix.interleaved
	dense, classes := m.dense, &m.classes
	off := 0 // the row of the current state, a plain dense one
	for i := lo; i < hi; {
		t := dense[off+int(classes[data[i]])]
		i++
		if t >= 0 {
			off = int(t)
			continue
		}
		s := ^t
		for { // a state with an output, or a sparse one
			if o := m.out[s]; o != 0 {
				if start, end, ok := verifyInterleaved(data, i, int(m.patLen[o-1]), st.ix.ilVals[o-1]); ok {
					if !emit(Leak{Form: FormInterleaved, Start: start, End: end}) {
						return false
					}
					i, s = end, 0
					break
				}
			}
			if s < m.nDense && m.out[s] == 0 {
				break
			}
			if i >= hi {
				return true
			}
			s = m.slowStep(s, data[i])
			i++
		}
		off = int(s) * m.nc
	}
	return true
}

// verifyInterleaved checks that the squeezed match of sqLen characters
// ending at end is v spelled out with one separator, the same throughout,
// between every two characters, and returns its span.
func verifyInterleaved(data []byte, end, sqLen int, v string) (start, stop int, ok bool) {
	// The first non-separator byte of the match.
	s0, n := end, 0
	for n < sqLen && s0 > 0 {
		s0--
		if !isSep[data[s0]] {
			n++
		}
	}
	lead := 0 // separator bytes at the start of v itself
	for lead < len(v) && isSep[v[lead]] {
		lead++
	}
	for k := 1; k <= maxInterleaveSep; k++ {
		p := s0 - lead*(1+k)
		last := p + (len(v)-1)*(1+k)
		if p < 0 || last >= len(data) {
			continue
		}
		if spelled(data, p, k, v) {
			return p, last + 1, true
		}
	}
	return 0, 0, false
}

// spelled reports whether data from p holds v with the same k separator
// bytes between every two characters.
func spelled(data []byte, p, k int, v string) bool {
	sep := data[p+1 : p+1+k]
	for _, c := range sep {
		if !isSep[c] {
			return false
		}
	}
	for i := 0; i < len(v); i++ {
		at := p + i*(1+k)
		if lower(data[at]) != v[i] {
			return false
		}
		if i+1 < len(v) && string(data[at+1:at+1+k]) != string(sep) {
			return false
		}
	}
	return true
}

// chain names a leak of form inner found inside a view decoded with layer.
func chain(inner, layer string) string {
	if inner == FormRaw {
		return layer
	}
	return inner + "+" + layer
}

// sub scans view, found inside the span [start, end) of the parent view,
// one level down, and reports at most one leak for the span, named with
// layer. It returns whether a leak was found and whether to go on.
func (st *scanState) sub(view []byte, depth, start, end int, layer string, emit emitFunc) (found, more bool) {
	more = true
	st.view(view, depth+1, func(l Leak) bool {
		found = true
		more = emit(Leak{Form: chain(l.Form, layer), Start: start, End: end})
		return false // one leak per span is enough: Redact masks it whole
	})
	return found, more
}
