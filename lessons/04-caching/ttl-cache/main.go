// Command ttl-cache is the provided driver of lesson 4's exercise: it reads
// secrets through the cache you write in cache.go, the way a busy service
// would: two hot names read in turn from several goroutines (and a second
// cache with a much longer TTL meanwhile), secrets that change, appear and
// disappear, and sixteen goroutines at once on a name not cached yet, on
// one that does not exist and on one whose entry has expired. Do not edit
// this file: the checker builds the original (with the race detector on).
// Read README.md next to it.
package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// SecretCache is what the cache in cache.go provides.
type SecretCache interface {
	// Get returns the AWSCURRENT string value of the secret name, from the
	// cache while it is fresh.
	Get(ctx context.Context, name string) (string, error)
}

func main() {
	ctx := context.Background()
	short, long := duration("CACHE_TTL"), duration("CACHE_TTL_LONG")
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loading the AWS configuration:", err)
		os.Exit(2)
	}
	client := secretsmanager.NewFromConfig(cfg)
	c, slow := NewCache(client, short), NewCache(client, long)

	// A name read once now (which warms the client up), and by 16
	// goroutines at once at the end, once its entry has expired.
	expire := os.Getenv("SECRET_EXPIRE")
	fmt.Printf("expire-first value=%s\n", get(ctx, slow, expire))
	firstRead := time.Now()

	// Two hot names, read in turn by four goroutines for a second (the
	// checker gives a hot name a new value each time it is fetched, so
	// the driver sees how long each value is served); meanwhile the
	// second cache, whose TTL outlasts its reads, reads two other names in
	// turn.
	var (
		wg        sync.WaitGroup
		hot, cool *tally
	)
	wg.Go(func() {
		hot = readFor(ctx, c, []string{os.Getenv("SECRET_HOT_A"), os.Getenv("SECRET_HOT_B")}, 4, time.Second)
	})
	wg.Go(func() {
		cool = readFor(ctx, slow, []string{os.Getenv("SECRET_LONG_A"), os.Getenv("SECRET_LONG_B")}, 1, long/2)
	})
	wg.Wait()
	report("hot", hot)
	hot.reportServed("served")
	report("long", cool)

	// A secret that changes, one that does not exist yet (read twice) and
	// one that is deleted: read, let the checker change, create and
	// delete them, read again at once and after the TTL.
	fresh, late, gone := os.Getenv("SECRET_FRESH"), os.Getenv("SECRET_LATE"), os.Getenv("SECRET_GONE")
	fmt.Printf("fresh-before value=%s late=%s late-again=%s gone=%s\n", get(ctx, c, fresh), get(ctx, c, late), get(ctx, c, late), get(ctx, c, gone))
	if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil {
		fmt.Fprintln(os.Stderr, "waiting for the checker:", err)
		os.Exit(2)
	}
	fmt.Printf("fresh-cached value=%s late=%s\n", get(ctx, c, fresh), get(ctx, c, late))
	time.Sleep(short + short/2 + 50*time.Millisecond)
	fmt.Printf("fresh-after value=%s late=%s gone=%s\n", get(ctx, c, fresh), get(ctx, c, late), get(ctx, c, gone))

	// 16 goroutines at once on a name not cached yet, on a name that does
	// not exist, and on the name read first, once its entry has expired.
	report("cold", together(ctx, slow, os.Getenv("SECRET_COLD")))
	report("missing", together(ctx, slow, os.Getenv("SECRET_MISSING")))
	time.Sleep(time.Until(firstRead.Add(long + long/5)))
	report("expired", together(ctx, slow, expire))
	fmt.Println("done")
}

// duration reads a TTL from the environment.
func duration(name string) time.Duration {
	d, err := time.ParseDuration(os.Getenv(name))
	if err != nil || d <= 0 {
		fmt.Fprintf(os.Stderr, "%s must be a duration such as 300ms\n", name)
		os.Exit(2)
	}
	return d
}

// readFor reads names in turn, every 10 ms, from workers goroutines, for d
// (and each name once at least, however long that takes).
func readFor(ctx context.Context, c SecretCache, names []string, workers int, d time.Duration) *tally {
	t := newTally()
	start := t.start
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; time.Since(start) < d || i < len(names); i++ {
				name := names[i%len(names)]
				began := time.Now()
				v, err := c.Get(ctx, name)
				t.add(name, v, err, began)
				time.Sleep(10 * time.Millisecond)
			}
		})
	}
	wg.Wait()
	t.elapsed = time.Since(start)
	return t
}

// together reads name from 16 goroutines at the same moment.
func together(ctx context.Context, c SecretCache, name string) *tally {
	var (
		wg    sync.WaitGroup
		start = make(chan struct{})
		t     = newTally()
	)
	for range 16 {
		wg.Go(func() {
			<-start
			began := time.Now()
			v, err := c.Get(ctx, name)
			t.add(name, v, err, began)
		})
	}
	close(start)
	wg.Wait()
	return t
}

// tally counts reads per name: how many, how many failed (and the first
// error), how many of those were GetSecretValue's ResourceNotFoundException,
// and the fingerprints of the values returned, with when they were served.
type tally struct {
	mu       sync.Mutex
	names    []string
	reads    map[string]int
	errs     map[string]int
	notFound map[string]int
	first    map[string]string
	values   map[string]map[string]*served
	start    time.Time
	elapsed  time.Duration
}

// served is when the reads that returned a value began and ended: the
// first to begin, the first to end and the last to begin.
type served struct{ firstAsked, firstReturned, lastAsked time.Time }

func newTally() *tally {
	return &tally{reads: map[string]int{}, errs: map[string]int{}, notFound: map[string]int{}, first: map[string]string{}, values: map[string]map[string]*served{}, start: time.Now()}
}

func (t *tally) add(name, v string, err error, began time.Time) {
	returned := time.Now()
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.values[name] == nil {
		t.names = append(t.names, name)
		t.values[name] = map[string]*served{}
	}
	t.reads[name]++
	if err != nil {
		if t.errs[name] == 0 {
			t.first[name] = err.Error()
		}
		t.errs[name]++
		var nf *types.ResourceNotFoundException
		if errors.As(err, &nf) {
			t.notFound[name]++
		}
		return
	}
	fp := fingerprint(v)
	s := t.values[name][fp]
	if s == nil {
		s = &served{firstAsked: began, firstReturned: returned, lastAsked: began}
		t.values[name][fp] = s
	}
	if began.Before(s.firstAsked) {
		s.firstAsked = began
	}
	if returned.Before(s.firstReturned) {
		s.firstReturned = returned
	}
	if began.After(s.lastAsked) {
		s.lastAsked = began
	}
}

// report prints one line per name, for the checker to read.
func report(phase string, t *tally) {
	sort.Strings(t.names)
	for _, n := range t.names {
		fmt.Printf("%s name=%s elapsed=%s reads=%d errors=%d notfound=%d values=%s", phase, n, t.elapsed.Round(time.Millisecond), t.reads[n], t.errs[n], t.notFound[n], keys(t.values[n]))
		if e := t.first[n]; e != "" {
			fmt.Printf(" error=%q", e)
		}
		fmt.Println()
	}
}

// reportServed prints when each value was served, one line each, in
// milliseconds since the reads began: the first read that returned it
// began (asked), the first ended (returned), the last began (last).
func (t *tally) reportServed(phase string) {
	ms := func(at time.Time) string {
		return fmt.Sprintf("%.3fms", float64(at.Sub(t.start))/float64(time.Millisecond))
	}
	for _, n := range t.names {
		for _, fp := range strings.Split(keys(t.values[n]), ",") {
			if s := t.values[n][fp]; s != nil {
				fmt.Printf("%s name=%s value=%s asked=%s returned=%s last=%s\n", phase, n, fp, ms(s.firstAsked), ms(s.firstReturned), ms(s.lastAsked))
			}
		}
	}
}

// get reads name and returns its fingerprint, or "error".
func get(ctx context.Context, c SecretCache, name string) string {
	v, err := c.Get(ctx, name)
	if err != nil {
		return "error"
	}
	return fingerprint(v)
}

// fingerprint identifies a value without revealing it, so the checker can
// compare values while the output stays free of secrets.
func fingerprint(v string) string {
	sum := sha256.Sum256([]byte(v))
	return hex.EncodeToString(sum[:6])
}

func keys(m map[string]*served) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	if len(ks) == 0 {
		return "none"
	}
	return strings.Join(ks, ",")
}
