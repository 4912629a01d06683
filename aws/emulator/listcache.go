package emulator

import (
	"slices"
	"strings"
	"sync"
	"time"
)

// listCache keeps the sorted, filtered order of a listing until the next
// write, so paging through N secrets sorts them once, not once a page.
// Writers (store write lock held) and access-date updates (read lock held)
// bump gen; a reader stores its result only if gen did not move while it
// built it. A cached list is also dropped once a scheduled deletion falls
// due, since that changes what a listing shows without a write.
type listCache struct {
	mu      sync.Mutex
	gen     uint64
	entries map[string]cachedList
}

type cachedList struct {
	list  []*secret
	until time.Time // zero: no scheduled deletion can change it
}

const maxCachedLists = 32

func (c *listCache) invalidate() {
	c.mu.Lock()
	c.gen++
	c.entries = nil
	c.mu.Unlock()
}

func (c *listCache) get(key string, now time.Time) ([]*secret, uint64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if ok && !e.until.IsZero() && !now.Before(e.until) {
		ok = false
	}
	return e.list, c.gen, ok
}

func (c *listCache) put(key string, gen uint64, e cachedList) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.entries == nil || len(c.entries) >= maxCachedLists {
		c.entries = make(map[string]cachedList, 4)
	}
	c.entries[key] = e
}

// listKey identifies a listing by everything that decides its order.
func listKey(flt filters, planned bool, sortBy, order string) string {
	var b strings.Builder
	b.WriteString(sortBy)
	b.WriteByte(0)
	b.WriteString(order)
	if planned {
		b.WriteString("\x00planned")
	}
	for _, f := range flt {
		b.WriteString("\x01")
		b.WriteString(f.key)
		for i, v := range f.values {
			b.WriteByte(0)
			if f.neg[i] {
				b.WriteByte('!')
			}
			b.WriteString(v)
		}
	}
	return b.String()
}

// sortedSecrets returns the matching secrets in order; the slice is shared
// and must not be changed. Read lock held.
func (m *memStore) sortedSecrets(flt filters, planned bool, sortBy, order string, now time.Time) []*secret {
	key := listKey(flt, planned, sortBy, order)
	list, gen, ok := m.lists.get(key, now)
	if ok {
		return list
	}
	list = make([]*secret, 0, len(m.secrets))
	var until time.Time
	for _, s := range m.secrets {
		if s.scheduled() {
			if until.IsZero() || s.DeletionDate.Before(until) {
				until = s.DeletionDate
			}
			if !planned || !now.Before(s.DeletionDate) {
				continue
			}
		}
		if flt.match(s) {
			list = append(list, s)
		}
	}
	sortSecrets(list, sortBy, order)
	m.lists.put(key, gen, cachedList{list: list, until: until})
	return list
}

func sortSecrets(list []*secret, sortBy, order string) {
	key := func(s *secret) time.Time {
		switch sortBy {
		case "last-accessed-date":
			return s.Accessed.time()
		case "last-changed-date":
			return s.Changed
		}
		return s.Created
	}
	slices.SortFunc(list, func(a, b *secret) int {
		c := 0
		if sortBy == "name" {
			c = strings.Compare(a.Name, b.Name)
		} else {
			c = key(a).Compare(key(b))
		}
		if c == 0 {
			c = strings.Compare(a.Name, b.Name)
		}
		if order == "desc" {
			c = -c
		}
		return c
	})
}
