package mask

// An Aho–Corasick automaton finds every registered pattern in one pass over
// the text, whatever the number of patterns: a loop of strings.ReplaceAll
// per value is one pass per value, far too slow with a hundred values.
//
// States are numbered in breadth-first order, so shallow states come first.
// The first nDense of them get a full transition row (over byte classes, to
// keep rows short), which is where ordinary text spends nearly all its time;
// deeper states keep only their trie edges and fall back along failure
// links. That bounds memory for long values (a 64 KiB JSON secret gives
// hundreds of thousands of states) without slowing the common path.

// denseBudget caps the dense table, in int32 entries (4 MiB).
const denseBudget = 1 << 20

type matcher struct {
	classes [256]int32 // byte → class; 0 for bytes in no pattern
	nc      int        // number of classes
	dense   []int32    // nDense rows of nc next states, encoded as newMatcher says
	nDense  int32

	// Trie edges of sparse states: state s has edges [edgeStart[s], edgeStart[s+1]).
	edgeStart []int32
	edgeByte  []byte
	edgeNext  []int32

	fail []int32
	// ext is the length of the longest suffix of a state's text that can
	// still grow into a longer match: every match yet to end starts within
	// it. It is less than the longest pattern's length.
	ext []int32
	out []int32 // 1 + index of the longest pattern ending in this state, or 0

	patLen []int32
	patEnc []string
	maxLen int

	// fold makes the matcher ASCII case-insensitive: its patterns are lower
	// case, and upper-case letters share their lower-case letter's class.
	fold bool
	// skip, if set, holds bytes the matcher steps over without changing
	// state, so that "h-u-n-t-e-r" matches "hunter".
	skip *[256]bool
}

// trie is the pattern trie under construction, in flat arrays (one entry
// per node; children in a sibling list) so that a 64 KiB value's hundreds
// of thousands of nodes cost a few slices, not one slice each.
type trie struct {
	label       []byte  // the byte on the edge into the node
	firstChild  []int32 // -1 if none
	nextSibling []int32 // -1 if none
	// rootChild indexes the root's children, where every failure chain
	// ends and which has the most children to search: 1 + child, or 0.
	rootChild [256]int32
}

func (t *trie) add(label byte) int32 {
	t.label = append(t.label, label)
	t.firstChild = append(t.firstChild, -1)
	t.nextSibling = append(t.nextSibling, -1)
	return int32(len(t.label) - 1)
}

// child returns the child of node s along b, or -1.
func (t *trie) child(s int32, b byte) int32 {
	if s == 0 {
		return t.rootChild[b] - 1
	}
	for c := t.firstChild[s]; c >= 0; c = t.nextSibling[c] {
		if t.label[c] == b {
			return c
		}
	}
	return -1
}

func newMatcher(pats []string, encs []string) *matcher {
	return newMatcherBudget(pats, encs, denseBudget)
}

// newFoldMatcher builds a matcher for lower-case patterns that matches
// them whatever the case of the text, at the speed of an exact one: the
// folding is in the byte classes, so no folded copy of the text is made.
//
// Its dense table is kept small enough for the processor's cache: a leak
// index has thousands of short fragments, ordinary text keeps the
// automaton in shallow states, and a table of megabytes would make every
// step a cache miss.
func newFoldMatcher(pats []string, encs []string) *matcher {
	m := newMatcherBudget(pats, encs, 1<<17)
	m.fold = true
	for b := 'A'; b <= 'Z'; b++ {
		m.classes[b] = m.classes[b+'a'-'A']
	}
	return m
}

// newMatcherBudget builds a matcher whose dense table has at most budget
// entries; tests use a small budget to exercise sparse states.
func newMatcherBudget(pats []string, encs []string, budget int) *matcher {
	m := &matcher{patEnc: encs}
	// Build the trie.
	var tr trie
	total := 1 // nodes at most: the root and a node per pattern byte
	for _, p := range pats {
		total += len(p)
	}
	tr.label = make([]byte, 0, total)
	tr.firstChild = make([]int32, 0, total)
	tr.nextSibling = make([]int32, 0, total)
	tr.add(0) // the root
	terminal := []int32{0}
	for pi, p := range pats {
		s := int32(0)
		for i := 0; i < len(p); i++ {
			next := tr.child(s, p[i])
			if next < 0 {
				next = tr.add(p[i])
				terminal = append(terminal, 0)
				tr.nextSibling[next] = tr.firstChild[s]
				tr.firstChild[s] = next
				if s == 0 {
					tr.rootChild[p[i]] = next + 1
				}
			}
			s = next
		}
		terminal[s] = int32(pi + 1)
		m.patLen = append(m.patLen, int32(len(p)))
		m.maxLen = max(m.maxLen, len(p))
	}
	n := len(tr.label)

	// Breadth-first order, failure links and outputs, in trie numbering.
	order := make([]int32, 0, n)
	order = append(order, 0)
	fail := make([]int32, n)
	depth := make([]int32, n)
	out := make([]int32, n)
	for qi := 0; qi < len(order); qi++ {
		u := order[qi]
		for v := tr.firstChild[u]; v >= 0; v = tr.nextSibling[v] {
			depth[v] = depth[u] + 1
			if u != 0 {
				f := fail[u]
				for {
					if t := tr.child(f, tr.label[v]); t >= 0 {
						fail[v] = t
						break
					}
					if f == 0 {
						break
					}
					f = fail[f]
				}
			}
			if terminal[v] != 0 {
				out[v] = terminal[v]
			} else {
				out[v] = out[fail[v]]
			}
			order = append(order, v)
		}
	}

	// Renumber in breadth-first order.
	rank := make([]int32, n)
	for i, s := range order {
		rank[s] = int32(i)
	}
	m.fail = make([]int32, n)
	m.ext = make([]int32, n)
	m.out = make([]int32, n)
	for i, s := range order {
		m.fail[i] = rank[fail[s]]
		m.out[i] = out[s]
		if tr.firstChild[s] >= 0 {
			m.ext[i] = depth[s]
		} else {
			m.ext[i] = m.ext[m.fail[i]] // fail[i] < i: already set
		}
	}

	// Byte classes: one per byte that occurs in a pattern.
	m.nc = 1 // class 0: bytes in no pattern
	for _, p := range pats {
		for i := 0; i < len(p); i++ {
			if m.classes[p[i]] == 0 {
				m.classes[p[i]] = int32(m.nc)
				m.nc++
			}
		}
	}

	m.nDense = int32(min(n, max(1, budget/m.nc)))
	m.dense = make([]int32, int(m.nDense)*m.nc)
	for i := int32(0); i < m.nDense; i++ {
		row := m.dense[int(i)*m.nc : int(i+1)*m.nc]
		// Where a state has no edge it goes where its failure state goes
		// (already filled in: fail[i] < i); the root stays put.
		if i != 0 {
			copy(row, m.dense[int(m.fail[i])*m.nc:])
		}
		for c := tr.firstChild[order[i]]; c >= 0; c = tr.nextSibling[c] {
			row[m.classes[tr.label[c]]] = rank[c]
		}
	}
	// Encode the entries for the scanning loop: a plain state (dense, no
	// output) as its row offset, so the loop needs no multiplication; any
	// other state as the complement of its number, so one sign test sends
	// the loop to its slow path.
	for k, t := range m.dense {
		if t >= m.nDense || m.out[t] != 0 {
			m.dense[k] = ^t
		} else {
			m.dense[k] = t * int32(m.nc)
		}
	}

	m.edgeStart = make([]int32, n+1)
	for i := 0; i < n; i++ {
		m.edgeStart[i] = int32(len(m.edgeByte))
		if int32(i) >= m.nDense {
			for c := tr.firstChild[order[i]]; c >= 0; c = tr.nextSibling[c] {
				m.edgeByte = append(m.edgeByte, tr.label[c])
				m.edgeNext = append(m.edgeNext, rank[c])
			}
		}
	}
	m.edgeStart[n] = int32(len(m.edgeByte))
	return m
}

// withSkip makes m step over the bytes in skip, which must occur in no
// pattern, without changing state: one more class, whose column leads
// every dense state to itself.
func (m *matcher) withSkip(skip *[256]bool) {
	nc := m.nc + 1
	dense := make([]int32, int(m.nDense)*nc)
	for i := int32(0); i < m.nDense; i++ {
		row := dense[int(i)*nc : int(i+1)*nc]
		for c, t := range m.dense[int(i)*m.nc : int(i+1)*m.nc] {
			if t >= 0 {
				t = t / int32(m.nc) * int32(nc) // a row offset, in the wider table
			}
			row[c] = t
		}
		if m.out[i] == 0 {
			row[m.nc] = i * int32(nc)
		} else {
			row[m.nc] = ^i
		}
	}
	for b := range 256 {
		if skip[b] {
			m.classes[b] = int32(m.nc)
		}
	}
	m.dense, m.nc, m.skip = dense, nc, skip
}

// slowStep is the transition from a sparse state.
func (m *matcher) slowStep(s int32, b byte) int32 {
	if m.skip != nil && m.skip[b] {
		return s
	}
	if m.fold {
		b = lower(b)
	}
	for {
		if s < m.nDense {
			if t := m.dense[int(s)*m.nc+int(m.classes[b])]; t < 0 {
				return ^t
			} else {
				return t / int32(m.nc)
			}
		}
		for k := m.edgeStart[s]; k < m.edgeStart[s+1]; k++ {
			if m.edgeByte[k] == b {
				return m.edgeNext[k]
			}
		}
		s = m.fail[s]
	}
}

// scanner is the state of a scan, kept between calls so that a stream can be
// scanned as it arrives without going over any byte twice.
type scanner struct {
	s       int32 // the automaton state after src[:i]
	i       int   // the next byte to scan
	best    int   // start of the best match seen and not yet settled, or -1
	bestEnd int
	bestPat int32
}

func newScanner(from int) scanner { return scanner{i: from, best: -1} }

// next finds the leftmost-longest match in src from sc.i on: of the matches
// that start first, the longest. Matching restarts at the end of each match,
// so matches do not overlap.
//
// It returns ok when it has settled a match, and leaves sc ready to scan on
// from its end. Otherwise it has scanned all of src and sc records where it
// stands; unless final is set (no more text will come), a match seen but
// not settled may still grow once more text is appended to src, and
// sc.hold(m) tells from where text must be kept.
func next[T string | []byte](m *matcher, sc *scanner, src T, final bool) (start, end int, pat int32, ok bool) {
	var (
		s       = sc.s
		i       = sc.i
		best    = sc.best
		bestEnd = sc.bestEnd
		bestPat = sc.bestPat
		dense   = m.dense
		classes = &m.classes
		n       = len(src)
	)
	// Start in the slow loop: it handles any state, and going over the
	// current state again changes nothing.
	for {
		// The slow loop: a state with an output, a sparse state, or a
		// candidate match pending.
		for {
			if o := m.out[s]; o != 0 {
				// The longest pattern ending here is the one starting earliest.
				st := i - int(m.patLen[o-1])
				if best < 0 || st < best || (st == best && i > bestEnd) {
					best, bestEnd, bestPat = st, i, o-1
				}
			}
			if best >= 0 {
				// Every match yet to end starts at or after i-ext[s]: once
				// that is past best, nothing can start earlier or make best
				// longer.
				if i-int(m.ext[s]) > best {
					*sc = scanner{i: bestEnd, best: -1}
					return best, bestEnd, bestPat, true
				}
			} else if s < m.nDense && m.out[s] == 0 {
				break // to the fast loop
			}
			if i >= n {
				if final && best >= 0 {
					*sc = scanner{i: bestEnd, best: -1}
					return best, bestEnd, bestPat, true
				}
				*sc = scanner{s: s, i: i, best: best, bestEnd: bestEnd, bestPat: bestPat}
				return -1, 0, 0, false
			}
			s = m.slowStep(s, src[i])
			i++
		}
		// The fast loop: plain states only, which is where text that holds
		// no value spends its time.
		off := int(s) * m.nc
		slow := false
		for i < n {
			t := dense[off+int(classes[src[i]])]
			i++
			if t < 0 {
				s, slow = ^t, true
				break
			}
			off = int(t)
		}
		if !slow {
			*sc = scanner{s: int32(off / m.nc), i: i, best: -1}
			return -1, 0, 0, false
		}
	}
}

// hold returns the offset from which a scan that has run out of text must
// keep it: a match may begin there and end in text yet to come. It is at
// most one byte less than the longest pattern before the end.
func (sc *scanner) hold(m *matcher) int { return sc.i - int(m.ext[sc.s]) }

// shift moves the scan's offsets down by k after the caller drops the
// first k bytes of its text.
func (sc *scanner) shift(k int) {
	sc.i -= k
	if sc.best >= 0 {
		sc.best -= k
		sc.bestEnd -= k
	}
}

// find is next for a scan starting at from, with hold computed: start is -1
// when there is no match.
func find[T string | []byte](m *matcher, src T, from int, final bool) (start, end int, pat int32, hold int) {
	sc := newScanner(from)
	if start, end, pat, ok := next(m, &sc, src, final); ok {
		return start, end, pat, 0
	}
	if final {
		return -1, 0, 0, len(src)
	}
	return -1, 0, 0, sc.hold(m)
}

// redact appends src to dst with every match replaced by repl, and returns
// how much of src it consumed: all of it when final, otherwise all but the
// tail that might still be the start of a match (at most maxLen-1 bytes).
// matched reports whether anything was replaced.
func redact[T string | []byte](m *matcher, dst []byte, src T, final bool, repl string) (_ []byte, consumed int, matched bool) {
	sc := newScanner(0)
	return redactScan(m, &sc, dst, src, final, repl)
}

// redactScan is redact resuming the scan sc, which has gone over src up to
// sc.i already: a stream appends to src and scans only the new bytes.
func redactScan[T string | []byte](m *matcher, sc *scanner, dst []byte, src T, final bool, repl string) (_ []byte, consumed int, matched bool) {
	last := 0
	for {
		st, en, _, ok := next(m, sc, src, final)
		if !ok {
			break
		}
		dst = append(dst, src[last:st]...)
		dst = append(dst, repl...)
		last, matched = en, true
	}
	hold := len(src)
	if !final {
		hold = sc.hold(m)
	}
	return append(dst, src[last:hold]...), hold, matched
}

// lower is ASCII lower case: case folding of secrets is about what
// strings.ToUpper/ToLower do to the ASCII letters passwords are made of.
func lower(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}
