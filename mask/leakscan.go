package mask

import (
	"sync"
)

// A scan looks at one view of the data (the data itself, or bytes decoded
// or decompressed from it) in three passes: the direct automaton over the
// view, the interleaving automaton over the view with separators skipped,
// and, below the depth limit, a decoding pass over runs of base64, base32
// and hex characters and over compressed streams, each of which is a view
// one level down.

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
	if !st.direct(data, emit) || !st.interleave(data, emit) {
		return false
	}
	if depth >= LeakMaxDepth {
		return true
	}
	return st.runs(data, depth, emit) && st.compressed(data, depth, emit)
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
		if form == FormFragment {
			// Cover all of the value that follows, so Redact leaves no tail.
			for k := n.off + e - s; e < len(data) && k < len(n.src) && lower(data[e]) == n.src[k]; k++ {
				e++
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

// interleave finds values with a separator between every two characters.
// The automaton skips separator bytes, so it sees "h-u-n-t-e-r-2" as
// "hunter2"; each match is then verified against the whole value.
func (st *scanState) interleave(data []byte, emit emitFunc) bool {
	m := st.ix.interleaved
	if m == nil {
		return true
	}
	nc := m.nc
	off := 0       // the row of the current state, while it is plain and dense
	s := int32(-1) // the current state otherwise
	for i := 0; i < len(data); i++ {
		b := data[i]
		if isSep[b] {
			continue
		}
		if s < 0 {
			t := m.dense[off+int(m.classes[b])]
			if t >= 0 {
				off = int(t)
				continue
			}
			s = ^t
		} else {
			s = m.slowStep(s, b)
		}
		if o := m.out[s]; o != 0 {
			if start, end, ok := verifyInterleaved(data, i+1, int(m.patLen[o-1]), st.ix.ilVals[o-1]); ok {
				if !emit(Leak{Form: FormInterleaved, Start: start, End: end}) {
					return false
				}
				i, off, s = end-1, 0, -1
				continue
			}
		}
		if s < m.nDense && m.out[s] == 0 {
			off, s = int(s)*nc, -1
		}
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
	for k := 1; k <= 3; k++ {
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
