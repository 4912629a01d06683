// Package cache is an in-process, read-through cache of AWS Secrets Manager
// secret values, usable by any Go program with an aws-sdk-go-v2 Secrets Manager
// client.
//
// It does what aws-secretsmanager-caching-go does (that module is not served by
// the module proxy here) and what the Secrets Manager Agent adds, and more:
//
//   - reads by name or ARN, by staging label (default AWSCURRENT) or version
//     id, as a string, as bytes, or decoded from JSON into a Go value;
//   - a TTL with jitter, a bounded number of entries with least-recently-read
//     eviction, explicit invalidation and RefreshNow;
//   - concurrent misses for one entry become one API call (single flight);
//   - optional stale-if-error: a transient backend failure serves the last
//     value for a bounded time, and the read says so (Secret.Stale);
//   - counters for hits, misses, API calls, evictions, errors and stale reads,
//     cheap enough to poll every frame;
//   - hooks around storing and reading a value (e.g. to keep it encrypted);
//   - an injectable clock (ManualClock) so tests and lessons can drive expiry.
//
// An entry is keyed by the secret id exactly as the caller wrote it plus the
// requested stage or version id, as in the Secrets Manager Agent: a name and an
// ARN for the same secret are separate entries, and Invalidate takes the same
// spelling the reads used.
//
// A hit takes no lock and allocates nothing (for GetString without a Get hook):
// it is one sync.Map load, one clock read and a few atomic operations. Misses
// serialize only their bookkeeping on one mutex; the API call runs outside it.
//
// Values never appear in the output of fmt or slog for a Cache, a Stats or a
// Secret, nor in the cache's error messages.
//
// # Stale values
//
// GetString, GetBinary and GetJSON keep Go's contract that a non-nil error
// means "do not use the result": a value served stale under WithStaleIfError
// comes back with a nil error, because serving it instead of failing is what
// the option asks for. Staleness is reported as data by Get, whose Secret
// carries Stale, StaleCause and FetchedAt, and counted in Stats.StaleServed.
// A value plus a non-nil ErrStale was rejected: every plain `if err != nil`
// caller would turn the outage back into a failure.
//
// # Refreshing
//
// An expired entry is refreshed with one GetSecretValue. WithVersionCheck
// switches to the Agent's and caching-go's scheme (DescribeSecret first, the
// value only if the version moved); see it for when that pays. Either way a
// rotation is seen at the next expiry, at once after Invalidate or RefreshNow.
//
// # Eviction
//
// When full, the entry read least recently goes. Recency is recorded to the
// millisecond, so hits do not all write shared memory; the victim is found by a
// scan of the entries, paid only when a miss inserts into a full cache.
package cache

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// API is the part of the Secrets Manager client the cache calls. A
// *secretsmanager.Client satisfies it.
type API interface {
	GetSecretValue(ctx context.Context, in *secretsmanager.GetSecretValueInput, optFns ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error)
}

// DescribeAPI is the API WithVersionCheck needs. A *secretsmanager.Client
// satisfies it.
type DescribeAPI interface {
	API
	DescribeSecret(ctx context.Context, in *secretsmanager.DescribeSecretInput, optFns ...func(*secretsmanager.Options)) (*secretsmanager.DescribeSecretOutput, error)
}

// touchEvery is the resolution of the recency used for eviction. Recording
// every hit would make every read write shared memory, which stops reads from
// scaling across cores; an eviction order finer than a millisecond buys nothing
// for secrets.
const touchEvery = int64(time.Millisecond)

// Back-off between refresh attempts while a stale value is being served.
const (
	retryBase = time.Second
	retryMax  = time.Minute
)

// Cache is a concurrency-safe cache of secret values. Build it with New; the
// zero value is not usable.
type Cache struct {
	api        API
	describer  DescribeAPI // nil unless WithVersionCheck
	clock      func() time.Time
	epoch      time.Time // clock reading at New; entry times are offsets from it
	jitter     float64
	maxEntries int
	staleFor   int64 // ns
	hooks      Hooks
	random     func() float64 // [0,1); replaced in tests

	ttl   atomic.Int64 // ns; read on every hit, written by SetTTL
	index sync.Map     // entry key (see selector.key) → *entry; lock-free reads

	mu      sync.Mutex      // serializes index writes, flights and count
	flights map[any]*flight // in-progress fetches by entry key
	born    uint64          // insertion counter, breaks recency ties
	seq     atomic.Uint64   // fetch start order; a later fetch wins
	count   atomic.Int64    // entries in index; written under mu

	ctr counters
}

// selector is the version a read asks for.
type selector struct {
	stage     string
	versionID string
}

var defaultSelector = selector{stage: DefaultStage}

// entryKey is the index key of a read that names a stage or version id.
type entryKey struct {
	id  string
	sel selector
}

// key is the index key: the bare id for the default stage, whose string hash
// is the cheapest, and an entryKey otherwise. Hits build the key at the call
// site (see lookup) so that it stays on the stack.
func (s selector) key(id string) any {
	if s == defaultSelector {
		return id
	}
	return entryKey{id, s}
}

// lookup is the hit path's index read.
func (c *Cache) lookup(id string, sel selector) *entry {
	var v any
	var ok bool
	if sel == defaultSelector {
		v, ok = c.index.Load(id)
	} else {
		v, ok = c.index.Load(entryKey{id, sel})
	}
	if !ok {
		return nil
	}
	return v.(*entry)
}

// String names the selector in error messages.
func (s selector) String() string {
	switch {
	case s.versionID != "" && s.stage != "":
		return "version " + s.versionID + " with stage " + s.stage
	case s.versionID != "":
		return "version " + s.versionID
	default:
		return "stage " + s.stage
	}
}

// resolve folds a read's options into a selector; later options win, and
// naming neither a stage nor a version means DefaultStage, as in the API.
func resolve(opts []GetOption) selector {
	var s selector
	for _, o := range opts {
		if o.stage != "" {
			s.stage = o.stage
		}
		if o.versionID != "" {
			s.versionID = o.versionID
		}
	}
	if s.stage == "" && s.versionID == "" {
		s.stage = DefaultStage
	}
	return s
}

// state is one immutable snapshot of an entry; a refresh replaces it whole, so
// a hit reads it without a lock.
type state struct {
	value     string // plaintext, or what the Put hook returned
	binary    bool   // the version holds SecretBinary
	versionID string
	fetched   int64   // ns since epoch when the backend last vouched for value
	factor    float64 // jitter: the entry lives ttl×factor
	seq       uint64

	// Set only on a state kept after a failed refresh.
	failures int
	retryAt  int64 // ns since epoch
	cause    error
}

// entry is one cached (secret id, selector); its state pointer is swapped on
// refresh, so the entry itself lives until evicted or invalidated.
type entry struct {
	secretID string
	key      any
	born     uint64
	used     atomic.Int64 // ns since epoch of the last read, to touchEvery
	st       atomic.Pointer[state]
}

// flight is one fetch that concurrent readers of an entry wait on together.
type flight struct {
	done     chan struct{}
	cancel   context.CancelFunc
	secretID string
	waiters  int // guarded by Cache.mu
	st       *state
	stale    bool
	err      error
}

// New returns a Cache reading through api, typically a *secretsmanager.Client.
// It panics if an option is invalid, or if WithVersionCheck is given and api
// lacks DescribeSecret.
func New(api API, opts ...Option) *Cache {
	if api == nil {
		panic("cache: New(nil): pass a Secrets Manager client such as *secretsmanager.Client")
	}
	cfg := config{ttl: DefaultTTL, jitter: DefaultJitter, maxEntries: DefaultMaxEntries}
	for _, o := range opts {
		o(&cfg)
	}
	c := &Cache{
		api:        api,
		clock:      cfg.clock,
		jitter:     cfg.jitter,
		maxEntries: cfg.maxEntries,
		staleFor:   int64(cfg.staleFor),
		hooks:      cfg.hooks,
		random:     rand.Float64,
		flights:    make(map[any]*flight),
	}
	if cfg.versionCheck {
		d, ok := api.(DescribeAPI)
		if !ok {
			panic(fmt.Sprintf("cache: WithVersionCheck needs an API with DescribeSecret, and %T has none; pass a *secretsmanager.Client or drop the option", api))
		}
		c.describer = d
	}
	if c.clock != nil {
		c.epoch = c.clock()
	} else {
		c.epoch = time.Now()
	}
	c.ttl.Store(int64(cfg.ttl))
	return c
}

// now is the clock as nanoseconds since epoch. With the default clock this
// reads only the monotonic clock, which costs half of time.Now.
func (c *Cache) now() int64 {
	if c.clock == nil {
		return int64(time.Since(c.epoch))
	}
	return int64(c.clock().Sub(c.epoch))
}

// SetTTL changes the TTL for every entry, including those already cached: an
// entry's expiry is computed on each read from when it was fetched. It panics
// on a negative TTL.
func (c *Cache) SetTTL(d time.Duration) {
	if d < 0 {
		panic(fmt.Sprintf("cache: SetTTL(%v): the TTL must be zero or positive", d))
	}
	c.ttl.Store(int64(d))
}

// TTL returns the current TTL.
func (c *Cache) TTL() time.Duration { return time.Duration(c.ttl.Load()) }

// GetString returns the secret's SecretString. A version holding SecretBinary
// gives an error wrapping ErrNotString.
//
// With WithStaleIfError, a value served stale comes back with a nil error, as
// the option asks; use Get to learn that it was stale.
func (c *Cache) GetString(ctx context.Context, secretID string, opts ...GetOption) (string, error) {
	st, _, err := c.read(ctx, secretID, opts)
	if err != nil {
		return "", err
	}
	if st.binary {
		return "", kindError(secretID, st.versionID, ErrNotString)
	}
	return c.open(secretID, st)
}

// GetBinary returns a copy of the secret's SecretBinary. A version holding
// SecretString gives an error wrapping ErrNotBinary.
func (c *Cache) GetBinary(ctx context.Context, secretID string, opts ...GetOption) ([]byte, error) {
	st, _, err := c.read(ctx, secretID, opts)
	if err != nil {
		return nil, err
	}
	if !st.binary {
		return nil, kindError(secretID, st.versionID, ErrNotBinary)
	}
	v, err := c.open(secretID, st)
	if err != nil {
		return nil, err
	}
	return []byte(v), nil
}

// GetJSON decodes the secret's value (SecretString, or SecretBinary holding
// JSON) into v, as json.Unmarshal does. A value that is not valid JSON or does
// not fit v gives an error wrapping ErrInvalidJSON that names the secret, the
// field and the kinds involved, but never quotes the value.
func (c *Cache) GetJSON(ctx context.Context, secretID string, v any, opts ...GetOption) error {
	st, _, err := c.read(ctx, secretID, opts)
	if err != nil {
		return err
	}
	data, err := c.open(secretID, st)
	if err != nil {
		return err
	}
	return decodeJSON(secretID, st.versionID, data, v)
}

// Get returns the secret with its version id, when it was fetched and whether
// it is being served stale. It is the read to use with WithStaleIfError.
func (c *Cache) Get(ctx context.Context, secretID string, opts ...GetOption) (Secret, error) {
	st, stale, err := c.read(ctx, secretID, opts)
	if err != nil {
		return Secret{}, err
	}
	data, err := c.open(secretID, st)
	if err != nil {
		return Secret{}, err
	}
	s := Secret{
		SecretID:  secretID,
		VersionID: st.versionID,
		FetchedAt: c.epoch.Add(time.Duration(st.fetched)),
		Stale:     stale,
		data:      data,
		binary:    st.binary,
	}
	if stale {
		s.StaleCause = st.cause
	}
	return s, nil
}

// verdict is what a cached state is good for at a given time.
type verdict int

const (
	expired   verdict = iota // go to the backend
	fresh                    // serve it
	staleWait                // serve it stale: the backend failed and the retry is not due
)

func (c *Cache) judge(st *state, now int64) verdict {
	expiry := st.fetched + int64(float64(c.ttl.Load())*st.factor)
	if now < expiry {
		return fresh
	}
	if st.cause != nil && now < st.retryAt && now < expiry+c.staleFor {
		return staleWait
	}
	return expired
}

// read is the path every Get method shares: a lock-free hit, or the slow path.
func (c *Cache) read(ctx context.Context, id string, opts []GetOption) (*state, bool, error) {
	if id == "" {
		return nil, false, errors.New("cache: empty secret id; pass the secret's name or ARN")
	}
	sel := defaultSelector
	if len(opts) > 0 {
		sel = resolve(opts)
	}
	if e := c.lookup(id, sel); e != nil {
		now := c.now()
		st := e.st.Load()
		switch c.judge(st, now) {
		case fresh:
			c.touch(e, now)
			c.ctr.hits.Add(1)
			return st, false, nil
		case staleWait:
			c.touch(e, now)
			c.ctr.hits.Add(1)
			c.ctr.staleServed.Add(1)
			return st, true, nil
		}
	}
	st, stale, err := c.slow(ctx, id, sel)
	if err != nil {
		return nil, false, fmt.Errorf("cache: reading secret %q (%s): %w", id, sel, err)
	}
	if stale {
		c.ctr.staleServed.Add(1)
	}
	return st, stale, nil
}

func (c *Cache) touch(e *entry, now int64) {
	if now-e.used.Load() >= touchEvery {
		e.used.Store(now)
	}
}

// slow joins or starts the fetch for key and waits for it or for ctx.
func (c *Cache) slow(ctx context.Context, id string, sel selector) (*state, bool, error) {
	key := sel.key(id)
	c.mu.Lock()
	var prev *state
	if e := c.lookup(id, sel); e != nil {
		// Re-check under the lock: a fetch may have finished since the hit path
		// looked, and this read must not start a second one.
		prev = e.st.Load()
		now := c.now()
		if verdict := c.judge(prev, now); verdict != expired {
			c.mu.Unlock()
			c.touch(e, now)
			c.ctr.hits.Add(1)
			return prev, verdict == staleWait, nil
		}
	}
	c.ctr.misses.Add(1)
	f := c.flights[key]
	if f == nil {
		// The fetch outlives the caller that started it if others wait on it,
		// so it keeps ctx's values but not its cancellation; it is cancelled
		// when the last waiter gives up.
		fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		f = &flight{done: make(chan struct{}), cancel: cancel, secretID: id}
		c.flights[key] = f
		go c.run(fctx, f, id, sel, key, prev)
	}
	f.waiters++
	c.mu.Unlock()

	select {
	case <-f.done:
		return f.st, f.stale, f.err
	case <-ctx.Done():
		c.mu.Lock()
		f.waiters--
		if f.waiters == 0 {
			f.cancel()
			if c.flights[key] == f {
				delete(c.flights, key)
			}
		}
		c.mu.Unlock()
		return nil, false, ctx.Err()
	}
}

// run performs a flight's fetch and publishes its outcome.
func (c *Cache) run(ctx context.Context, f *flight, id string, sel selector, key any, prev *state) {
	defer f.cancel()
	st, err := c.fetch(ctx, id, sel, prev, true)
	now := c.now()

	c.mu.Lock()
	// A flight that Invalidate or its abandoning waiters removed still answers
	// whoever waits on it, but must not write the cache.
	owned := c.flights[key] == f
	if owned {
		delete(c.flights, key)
	}
	switch {
	case err == nil:
		f.st = st
		if owned {
			c.storeLocked(key, id, st, now)
		}
	case prev != nil && c.mayServeStale(prev, err, now):
		s := *prev
		s.failures++
		s.cause = err
		s.retryAt = now + int64(backoff(s.failures))
		f.st, f.stale = &s, true
		if owned {
			c.storeLocked(key, id, &s, now)
		}
	default:
		f.err = err
		if owned && prev != nil && !transient(err) {
			// The secret is gone or no longer readable: stop serving it.
			c.removeLocked(key)
		}
	}
	c.mu.Unlock()
	close(f.done)
}

func (c *Cache) mayServeStale(prev *state, err error, now int64) bool {
	if c.staleFor == 0 || !transient(err) {
		return false
	}
	expiry := prev.fetched + int64(float64(c.ttl.Load())*prev.factor)
	return now < expiry+c.staleFor
}

func backoff(failures int) time.Duration {
	d := retryBase
	for i := 1; i < failures && d < retryMax; i++ {
		d *= 2
	}
	return min(d, retryMax)
}

// fetch asks the backend for the value; with revalidate and a version check, it
// first asks DescribeSecret whether prev is still the requested version.
func (c *Cache) fetch(ctx context.Context, id string, sel selector, prev *state, revalidate bool) (*state, error) {
	seq := c.seq.Add(1)
	started := c.now()
	if revalidate && c.describer != nil && prev != nil && prev.versionID != "" {
		c.ctr.apiCalls.Add(1)
		c.ctr.describeCalls.Add(1)
		out, err := c.describer.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: &id})
		if err != nil {
			c.ctr.errors.Add(1)
			return nil, err
		}
		if out.DeletedDate == nil && stillSelected(out.VersionIdsToStages, prev.versionID, sel) {
			s := *prev
			s.fetched, s.factor, s.seq = started, c.draw(), seq
			s.failures, s.retryAt, s.cause = 0, 0, nil
			c.ctr.revalidated.Add(1)
			return &s, nil
		}
	}

	in := &secretsmanager.GetSecretValueInput{SecretId: &id}
	if sel.stage != "" {
		in.VersionStage = &sel.stage
	}
	if sel.versionID != "" {
		in.VersionId = &sel.versionID
	}
	c.ctr.apiCalls.Add(1)
	out, err := c.api.GetSecretValue(ctx, in)
	if err != nil {
		c.ctr.errors.Add(1)
		return nil, err
	}
	st := &state{fetched: started, factor: c.draw(), seq: seq}
	if out.VersionId != nil {
		st.versionID = *out.VersionId
	}
	switch {
	case out.SecretString != nil:
		st.value = *out.SecretString
	case out.SecretBinary != nil:
		st.value, st.binary = string(out.SecretBinary), true
	default:
		return nil, fmt.Errorf("version %s came back with neither SecretString nor SecretBinary; check that the endpoint is Secrets Manager", st.versionID)
	}
	if c.hooks.Put != nil {
		sealed, err := c.hooks.Put(id, st.versionID, []byte(st.value))
		if err != nil {
			return nil, fmt.Errorf("Put hook: %w", err)
		}
		st.value = string(sealed)
	}
	return st, nil
}

// stillSelected reports whether DescribeSecret's version map still gives
// versionID for sel.
func stillSelected(versions map[string][]string, versionID string, sel selector) bool {
	stages, ok := versions[versionID]
	if !ok {
		return false
	}
	if sel.versionID != "" && sel.versionID != versionID {
		return false
	}
	if sel.stage == "" {
		return true
	}
	for _, s := range stages {
		if s == sel.stage {
			return true
		}
	}
	return false
}

// draw returns the jitter factor for a new expiry, in (1−jitter, 1].
func (c *Cache) draw() float64 { return 1 - c.jitter*c.random() }

// storeLocked publishes st for key unless a later fetch already did; it
// inserts a new entry, evicting the least recently read one if full.
func (c *Cache) storeLocked(key any, id string, st *state, now int64) {
	if v, ok := c.index.Load(key); ok {
		e := v.(*entry)
		if old := e.st.Load(); old.seq > st.seq {
			return
		}
		e.st.Store(st)
		return
	}
	for c.count.Load() >= int64(c.maxEntries) {
		c.evictLocked()
	}
	c.born++
	e := &entry{secretID: id, key: key, born: c.born}
	e.used.Store(now)
	e.st.Store(st)
	c.index.Store(key, e)
	c.count.Add(1)
}

// evictLocked removes the least recently read entry. It scans every entry,
// which is cheap next to the API call that made room necessary.
func (c *Cache) evictLocked() {
	var victim *entry
	c.index.Range(func(_, v any) bool {
		e := v.(*entry)
		if victim == nil || older(e, victim) {
			victim = e
		}
		return true
	})
	if victim == nil {
		return
	}
	c.removeLocked(victim.key)
	c.ctr.evictions.Add(1)
}

func older(a, b *entry) bool {
	au, bu := a.used.Load(), b.used.Load()
	if au != bu {
		return au < bu
	}
	return a.born < b.born
}

func (c *Cache) removeLocked(key any) {
	if _, loaded := c.index.LoadAndDelete(key); loaded {
		c.count.Add(-1)
	}
}

// Invalidate drops every cached version of secretID (all stages and version
// ids read under that exact id), so the next read fetches it again. A fetch in
// progress for it still answers its waiters but is not cached.
func (c *Cache) Invalidate(secretID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.index.Range(func(k, v any) bool {
		if e := v.(*entry); e.secretID == secretID {
			c.removeLocked(e.key)
		}
		return true
	})
	for key, f := range c.flights {
		if f.secretID == secretID {
			delete(c.flights, key)
		}
	}
}

// InvalidateAll empties the cache. Counters are kept.
func (c *Cache) InvalidateAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.index.Range(func(k, _ any) bool {
		c.removeLocked(k)
		return true
	})
	clear(c.flights)
}

// RefreshNow fetches the secret from Secrets Manager now, bypassing the TTL
// and the version check, and caches the result, like the Agent's refreshNow. On
// a transient failure it returns the error and leaves the cached value alone;
// on an error saying the secret is gone or unreadable it also drops the entry.
func (c *Cache) RefreshNow(ctx context.Context, secretID string, opts ...GetOption) error {
	if secretID == "" {
		return errors.New("cache: empty secret id; pass the secret's name or ARN")
	}
	sel := resolve(opts)
	key := sel.key(secretID)
	st, err := c.fetch(ctx, secretID, sel, nil, false)
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		if !transient(err) {
			c.removeLocked(key)
		}
		return fmt.Errorf("cache: refreshing secret %q (%s): %w", secretID, sel, err)
	}
	c.storeLocked(key, secretID, st, c.now())
	return nil
}

// open returns the plaintext of st, running the Get hook if there is one.
func (c *Cache) open(id string, st *state) (string, error) {
	if c.hooks.Get == nil {
		return st.value, nil
	}
	b, err := c.hooks.Get(id, st.versionID, []byte(st.value))
	if err != nil {
		return "", fmt.Errorf("cache: Get hook for secret %q version %s: %w", id, st.versionID, err)
	}
	return string(b), nil
}

// Format prints a summary (entries, TTL, counters) for every verb, so that
// printing a Cache can never reveal a cached value.
func (c *Cache) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "cache.Cache{entries: %d, ttl: %v, hits: %d, misses: %d, api calls: %d}",
		c.count.Load(), c.TTL(), c.ctr.hits.Load(), c.ctr.misses.Load(), c.ctr.apiCalls.Load())
}

// String is the same summary as Format.
func (c *Cache) String() string { return fmt.Sprint(c) }
