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
}

type trieEdge struct {
	b  byte
	to int32
}

func newMatcher(pats []string, encs []string) *matcher {
	return newMatcherBudget(pats, encs, denseBudget)
}

// newMatcherBudget builds a matcher whose dense table has at most budget
// entries; tests use a small budget to exercise sparse states.
func newMatcherBudget(pats []string, encs []string, budget int) *matcher {
	m := &matcher{patEnc: encs}
	// Build the trie.
	children := [][]trieEdge{nil}
	terminal := []int32{0}
	for pi, p := range pats {
		s := int32(0)
		for i := 0; i < len(p); i++ {
			next := int32(-1)
			for _, e := range children[s] {
				if e.b == p[i] {
					next = e.to
					break
				}
			}
			if next < 0 {
				next = int32(len(children))
				children = append(children, nil)
				terminal = append(terminal, 0)
				children[s] = append(children[s], trieEdge{p[i], next})
			}
			s = next
		}
		terminal[s] = int32(pi + 1)
		m.patLen = append(m.patLen, int32(len(p)))
		m.maxLen = max(m.maxLen, len(p))
	}
	n := len(children)

	// Breadth-first order, failure links and outputs, in trie numbering.
	order := make([]int32, 0, n)
	order = append(order, 0)
	fail := make([]int32, n)
	depth := make([]int32, n)
	out := make([]int32, n)
	for qi := 0; qi < len(order); qi++ {
		u := order[qi]
		for _, e := range children[u] {
			v := e.to
			depth[v] = depth[u] + 1
			if u != 0 {
				f := fail[u]
				for {
					if t := childOf(children[f], e.b); t >= 0 {
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
		if len(children[s]) > 0 {
			m.ext[i] = depth[s]
		} else {
			m.ext[i] = m.ext[m.fail[i]] // fail[i] < i: already set
		}
	}

	// Byte classes: one per byte that occurs in a pattern.
	var classByte []byte
	classByte = append(classByte, 0) // class 0: never the start of an edge
	for _, p := range pats {
		for i := 0; i < len(p); i++ {
			if m.classes[p[i]] == 0 {
				m.classes[p[i]] = int32(len(classByte))
				classByte = append(classByte, p[i])
			}
		}
	}
	m.nc = len(classByte)

	m.nDense = int32(min(n, max(1, budget/m.nc)))
	m.dense = make([]int32, int(m.nDense)*m.nc)
	for i := int32(0); i < m.nDense; i++ {
		row := m.dense[int(i)*m.nc : int(i+1)*m.nc]
		var failRow []int32
		if i != 0 {
			failRow = m.dense[int(m.fail[i])*m.nc:] // fail[i] < i: already filled
		}
		for c := 1; c < m.nc; c++ {
			if t := childOf(children[order[i]], classByte[c]); t >= 0 {
				row[c] = rank[t]
			} else if i != 0 {
				row[c] = failRow[c]
			}
		}
		if i != 0 {
			row[0] = 0
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
			for _, e := range children[order[i]] {
				m.edgeByte = append(m.edgeByte, e.b)
				m.edgeNext = append(m.edgeNext, rank[e.to])
			}
		}
	}
	m.edgeStart[n] = int32(len(m.edgeByte))
	return m
}

func childOf(edges []trieEdge, b byte) int32 {
	for _, e := range edges {
		if e.b == b {
			return e.to
		}
	}
	return -1
}

// slowStep is the transition from a sparse state.
func (m *matcher) slowStep(s int32, b byte) int32 {
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

// find returns the leftmost-longest match in src[from:]: of the matches that
// start first, the longest. Matching is always restarted at the end of the
// previous match, so matches do not overlap.
//
// If there is no match it returns start = -1 and hold, the offset from which
// text must be kept: a match could still begin there once more text arrives.
// With final set, no more text will come, so hold is len(src). Without it, a
// match is returned only when no more text could change it.
func find[T string | []byte](m *matcher, src T, from int, final bool) (start, end int, pat int32, hold int) {
	var (
		s       int32 // the current state, outside the fast loop
		off     int   // the current state's row offset, inside it
		best    = -1
		bestEnd int
		bestPat int32
		dense   = m.dense
		classes = &m.classes
		n       = len(src)
		i       = from
	)
scan:
	for {
		// The fast loop: plain states only, which is where text that holds
		// no value spends its time.
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
			s = int32(off / m.nc)
			break
		}
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
					return best, bestEnd, bestPat, 0
				}
			} else if s < m.nDense && m.out[s] == 0 {
				off = int(s) * m.nc
				continue scan
			}
			if i >= n {
				break scan
			}
			s = m.slowStep(s, src[i])
			i++
		}
	}
	if final {
		if best >= 0 {
			return best, bestEnd, bestPat, 0
		}
		return -1, 0, 0, n
	}
	return -1, 0, 0, n - int(m.ext[s])
}

// redact appends src to dst with every match replaced by repl, and returns
// how much of src it consumed: all of it when final, otherwise all but the
// tail that might still be the start of a match (at most maxLen-1 bytes).
// matched reports whether anything was replaced.
func redact[T string | []byte](m *matcher, dst []byte, src T, final bool, repl string) (_ []byte, consumed int, matched bool) {
	last := 0
	for {
		st, en, _, hold := find(m, src, last, final)
		if st < 0 {
			return append(dst, src[last:hold]...), hold, matched
		}
		dst = append(dst, src[last:st]...)
		dst = append(dst, repl...)
		last, matched = en, true
	}
}
