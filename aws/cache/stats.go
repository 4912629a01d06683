package cache

import "sync/atomic"

// Stats is a snapshot of a Cache's counters since New. Every read is counted
// once, as a hit or as a miss; StaleServed counts the reads, of either kind,
// that returned an expired value because the backend failed.
type Stats struct {
	// Hits are reads answered from memory without waiting for Secrets Manager.
	Hits uint64
	// Misses are reads that waited for Secrets Manager: the entry was absent or
	// expired. Concurrent misses on one entry share one call, so Misses can
	// exceed APICalls.
	Misses uint64
	// APICalls are requests sent to Secrets Manager, failed ones included:
	// GetSecretValue calls plus DescribeCalls.
	APICalls uint64
	// DescribeCalls are the DescribeSecret requests among APICalls (only with
	// WithVersionCheck).
	DescribeCalls uint64
	// Revalidated counts expired entries kept for another TTL because
	// DescribeSecret showed their version unchanged.
	Revalidated uint64
	// Errors are API calls that failed.
	Errors uint64
	// Evictions are entries dropped to make room (not invalidations).
	Evictions uint64
	// StaleServed are reads answered with an expired value under
	// WithStaleIfError.
	StaleServed uint64
	// Entries is the number of values cached now.
	Entries int
}

// counters are the live atomics behind Stats. hits is written on every hit;
// the padding keeps it off the cache line of the read-mostly fields before it,
// which every hit reads.
type counters struct {
	_             [64]byte
	hits          atomic.Uint64
	_             [56]byte
	misses        atomic.Uint64
	apiCalls      atomic.Uint64
	describeCalls atomic.Uint64
	revalidated   atomic.Uint64
	errors        atomic.Uint64
	evictions     atomic.Uint64
	staleServed   atomic.Uint64
}

// Stats returns the counters. It takes no lock and is cheap enough to call on
// every frame of a live display.
func (c *Cache) Stats() Stats {
	return Stats{
		Hits:          c.ctr.hits.Load(),
		Misses:        c.ctr.misses.Load(),
		APICalls:      c.ctr.apiCalls.Load(),
		DescribeCalls: c.ctr.describeCalls.Load(),
		Revalidated:   c.ctr.revalidated.Load(),
		Errors:        c.ctr.errors.Load(),
		Evictions:     c.ctr.evictions.Load(),
		StaleServed:   c.ctr.staleServed.Load(),
		Entries:       int(c.count.Load()),
	}
}
