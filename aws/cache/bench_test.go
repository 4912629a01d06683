package cache

import (
	"context"
	"math/rand/v2"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// reportCPU adds the process CPU time per op since start (see cpuTime).
func reportCPU(b *testing.B, start time.Duration) {
	b.Helper()
	if used := cpuTime() - start; used > 0 {
		b.ReportMetric(float64(used.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

// The benchmarks use the default clock (time.Now's monotonic part), as
// programs do.

func BenchmarkGetStringHit(b *testing.B) {
	f := newFake()
	f.put("app/db", "s3cret")
	c := New(f, WithTTL(time.Hour))
	ctx := context.Background()
	if _, err := c.GetString(ctx, "app/db"); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		if _, err := c.GetString(ctx, "app/db"); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start)
	if s := c.Stats(); s.APICalls != 1 {
		b.Fatalf("hits reached the API: %+v", s)
	}
}

func BenchmarkGetStringHitStage(b *testing.B) {
	f := newFake()
	f.put("app/db", "one")
	f.put("app/db", "two")
	c := New(f, WithTTL(time.Hour))
	ctx := context.Background()
	prev := VersionStage("AWSPREVIOUS")
	if _, err := c.GetString(ctx, "app/db", prev); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.GetString(ctx, "app/db", prev); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetHit(b *testing.B) {
	f := newFake()
	f.put("app/db", "s3cret")
	c := New(f, WithTTL(time.Hour))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Get(ctx, "app/db"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParallelHits reads 1,000 cached keys from 16 goroutines; run it
// with -cpu 1,2 to see it scale with cores.
func BenchmarkParallelHits(b *testing.B) {
	const keys, goroutines = 1000, 16
	f := newFake()
	ids := make([]string, keys)
	for i := range ids {
		ids[i] = "app/secret-" + strconv.Itoa(i)
		f.put(ids[i], "value-"+strconv.Itoa(i))
	}
	c := New(f, WithTTL(time.Hour), WithMaxEntries(keys))
	ctx := context.Background()
	for _, id := range ids {
		if _, err := c.GetString(ctx, id); err != nil {
			b.Fatal(err)
		}
	}
	b.SetParallelism(max(1, goroutines/runtime.GOMAXPROCS(0)))
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			i = (i + 617) % keys // a stride co-prime with 1,000 visits every key
			if _, err := c.GetString(ctx, ids[i]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.StopTimer()
	reportCPU(b, start)
	if s := c.Stats(); s.APICalls != keys || s.Evictions != 0 {
		b.Fatalf("warm reads reached the API or evicted: %+v", s)
	}
}

// BenchmarkContendedMisses makes every read a miss (TTL 0) on 4 keys read at
// random by 16 goroutines, against a backend with 200 µs latency, and reports
// how many misses each API call answered: single flight at work. Without it,
// misses/call would be 1.
func BenchmarkContendedMisses(b *testing.B) {
	const keys, goroutines = 4, 16
	f := newFake()
	f.delay = 200 * time.Microsecond
	ids := make([]string, keys)
	for i := range ids {
		ids[i] = "app/hot-" + strconv.Itoa(i)
		f.put(ids[i], "v")
	}
	c := New(f, WithTTL(0))
	ctx := context.Background()
	b.SetParallelism(max(1, goroutines/runtime.GOMAXPROCS(0)))
	b.ResetTimer()
	var worker atomic.Uint64
	b.RunParallel(func(pb *testing.PB) {
		// Each goroutine picks keys at random, so they do not march in step.
		r := rand.New(rand.NewPCG(worker.Add(1), 0))
		for pb.Next() {
			if _, err := c.GetString(ctx, ids[r.IntN(keys)]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.StopTimer()
	s := c.Stats()
	b.ReportMetric(float64(s.Misses)/float64(s.APICalls), "misses/call")
	b.ReportMetric(float64(s.APICalls)/float64(b.N), "calls/op")
}
