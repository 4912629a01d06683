package cache

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// waitFor polls cond until it holds; the test's own timeout bounds it.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for !cond() {
		if t.Context().Err() != nil {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestConcurrentMissesMakeOneCall(t *testing.T) {
	for _, tt := range []struct {
		name    string
		readers int
		prewarm bool // expired entry rather than cold key
	}{
		{"cold key", 64, false},
		{"expired entry", 64, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake()
			f.put("db", "s3cret")
			c, clk := newTestCache(t, f, WithTTL(time.Minute))
			if tt.prewarm {
				mustString(t, c, "db")
				clk.Advance(time.Minute)
			}
			base := c.Stats()
			gate := make(chan struct{})
			f.mu.Lock()
			f.gate = gate
			f.mu.Unlock()

			var wg sync.WaitGroup
			errs := make(chan error, tt.readers)
			for range tt.readers {
				wg.Go(func() {
					v, err := c.GetString(context.Background(), "db")
					if err == nil && v != "s3cret" {
						err = errors.New("wrong value " + v)
					}
					errs <- err
				})
			}
			// Release the backend only once every reader has missed and is
			// waiting, so none can arrive after the call has finished.
			waitFor(t, "all readers to miss", func() bool {
				return c.Stats().Misses-base.Misses == uint64(tt.readers)
			})
			close(gate)
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			if got := c.Stats().APICalls - base.APICalls; got != 1 {
				t.Errorf("%d concurrent misses made %d API calls, want 1", tt.readers, got)
			}
		})
	}
}

func TestAbandonedWaitersDoNotCancelOthers(t *testing.T) {
	f := newFake()
	f.put("db", "s3cret")
	c, _ := newTestCache(t, f)
	gate := make(chan struct{})
	f.gate = gate

	ctx, cancel := context.WithCancel(context.Background())
	first := make(chan error, 1)
	go func() {
		_, err := c.GetString(ctx, "db")
		first <- err
	}()
	waitFor(t, "the first reader to start the fetch", func() bool { return f.gets.Load() == 1 })
	second := make(chan error, 1)
	go func() {
		v, err := c.GetString(context.Background(), "db")
		if err == nil && v != "s3cret" {
			err = errors.New("wrong value")
		}
		second <- err
	}()
	waitFor(t, "the second reader to join", func() bool { return c.Stats().Misses == 2 })

	cancel() // the reader that started the fetch leaves
	if err := <-first; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled reader got %v", err)
	}
	close(gate)
	if err := <-second; err != nil {
		t.Fatalf("the remaining reader got %v; the leader's cancellation leaked into the shared fetch", err)
	}
	if f.gets.Load() != 1 {
		t.Errorf("API calls = %d, want 1", f.gets.Load())
	}
}

func TestLastWaiterLeavingCancelsTheFetch(t *testing.T) {
	f := newFake()
	f.put("db", "s3cret")
	c, _ := newTestCache(t, f)
	f.gate = make(chan struct{}) // never opens: only cancellation ends the call

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := c.GetString(ctx, "db"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want the caller's deadline", err)
	}
	// The fake returns once its context is cancelled, which counts an error.
	waitFor(t, "the abandoned fetch to end", func() bool { return c.Stats().Errors == 1 })
	if c.Stats().Entries != 0 {
		t.Error("an abandoned fetch filled the cache")
	}
	c.mu.Lock()
	n := len(c.flights)
	c.mu.Unlock()
	if n != 0 {
		t.Errorf("%d flights left registered", n)
	}
}

// gatedRead starts a GetString of id on a fresh fake whose fetch blocks
// until gate is closed, and returns once that fetch has started; done
// receives the value the read returns.
func gatedRead(t *testing.T, c *Cache, f *fakeAPI, id string) (gate chan struct{}, done <-chan string) {
	t.Helper()
	gate = make(chan struct{})
	f.gate = gate
	ch := make(chan string, 1)
	go func() {
		v, _ := c.GetString(context.Background(), id)
		ch <- v
	}()
	waitFor(t, "the fetch to start", func() bool { return f.gets.Load() == 1 })
	return gate, ch
}

func TestInvalidateDuringFetchIsNotUndone(t *testing.T) {
	f := newFake()
	f.put("db", "old")
	c, _ := newTestCache(t, f)
	gate, done := gatedRead(t, c, f, "db")
	c.Invalidate("db")
	close(gate)
	if v := <-done; v != "old" {
		t.Fatalf("waiter got %q", v)
	}
	if c.Stats().Entries != 0 {
		t.Error("a fetch started before Invalidate wrote its result into the cache")
	}
}

func TestSlowFetchDoesNotOverwriteRefreshNow(t *testing.T) {
	f := newFake()
	f.put("db", "old")
	c, _ := newTestCache(t, f)
	gate, done := gatedRead(t, c, f, "db")

	f.mu.Lock()
	f.gate = nil
	f.mu.Unlock()
	f.put("db", "new")
	if err := c.RefreshNow(context.Background(), "db"); err != nil {
		t.Fatal(err)
	}
	close(gate) // the slow fetch now answers with what it read before: old
	if v := <-done; v != "old" {
		t.Fatalf("the slow reader got %q, want what its call returned", v)
	}
	if got := mustString(t, c, "db"); got != "new" {
		t.Errorf("cache holds %q: a fetch started before RefreshNow overwrote its result", got)
	}
}

// TestMixedConcurrentUse runs reads, refreshes, invalidations, TTL changes and
// evictions together (run it with -race) and checks the invariants after.
func TestMixedConcurrentUse(t *testing.T) {
	const secrets, maxEntries, workers, ops = 12, 5, 8, 400
	f := newFake()
	names := make([]string, secrets)
	for i := range names {
		names[i] = "s" + string(rune('a'+i))
		f.put(names[i], "value-"+names[i])
	}
	c, clk := newTestCache(t, f, WithMaxEntries(maxEntries), WithTTL(time.Second), WithStaleIfError(time.Minute))
	ctx := context.Background()
	var reads sync.WaitGroup
	var readCount atomic.Uint64
	for w := range workers {
		reads.Go(func() {
			for i := range ops {
				name := names[(w*7+i*5)%secrets]
				switch i % 10 {
				case 0:
					_ = c.RefreshNow(ctx, name)
				case 1:
					c.Invalidate(name)
				case 2:
					clk.Advance(300 * time.Millisecond)
				case 3:
					c.SetTTL(time.Duration(i%3) * time.Second)
				default:
					opts := []GetOption{}
					if i%4 == 0 {
						opts = append(opts, VersionStage("AWSCURRENT"))
					}
					v, err := c.GetString(ctx, name, opts...)
					readCount.Add(1)
					if err != nil || v != "value-"+name {
						t.Errorf("read %s = %q, %v", name, v, err)
						return
					}
				}
			}
		})
	}
	reads.Wait()
	s := c.Stats()
	n := 0
	c.index.Range(func(_, _ any) bool { n++; return true })
	if s.Entries != n || n > maxEntries {
		t.Errorf("Stats.Entries = %d, index holds %d, bound %d", s.Entries, n, maxEntries)
	}
	if got := s.Hits + s.Misses; got != readCount.Load() {
		t.Errorf("hits+misses = %d, reads = %d", got, readCount.Load())
	}
	if s.Misses < s.APICalls-countRefreshes(workers, ops) {
		t.Errorf("more read-path API calls than misses: %+v", s)
	}
}

// countRefreshes is how many RefreshNow calls TestMixedConcurrentUse makes.
func countRefreshes(workers, ops int) uint64 { return uint64(workers * ((ops + 9) / 10)) }
