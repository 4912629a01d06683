package cache

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/aws/smithy-go"
)

var t0 = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// errOutage is a transient failure: an unmodelled server fault.
var errOutage = &smithy.GenericAPIError{Code: "InternalFailure", Message: "service unavailable", Fault: smithy.FaultServer}

// newTestCache returns a cache over f on a manual clock, with exact expiry
// unless opts set a jitter.
func newTestCache(t *testing.T, f *fakeAPI, opts ...Option) (*Cache, *ManualClock) {
	t.Helper()
	clk := NewManualClock(t0)
	all := append([]Option{WithClock(clk.Now), WithJitter(0)}, opts...)
	return New(f, all...), clk
}

func mustString(t *testing.T, c *Cache, id string, opts ...GetOption) string {
	t.Helper()
	v, err := c.GetString(context.Background(), id, opts...)
	if err != nil {
		t.Fatalf("GetString(%q): %v", id, err)
	}
	return v
}

func TestTTLExpiry(t *testing.T) {
	tests := []struct {
		name      string
		ttl       time.Duration
		readAfter []time.Duration // offsets from t0 of the reads after the first
		wantGets  int64
	}{
		{"within ttl", time.Minute, []time.Duration{0, 30 * time.Second, 59 * time.Second}, 1},
		{"at expiry", time.Minute, []time.Duration{time.Minute}, 2},
		{"after expiry then cached again", time.Minute, []time.Duration{61 * time.Second, 90 * time.Second, 121 * time.Second}, 3},
		{"zero ttl caches nothing", 0, []time.Duration{0, 0}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake()
			f.put("db", "s3cret")
			c, clk := newTestCache(t, f, WithTTL(tt.ttl))
			mustString(t, c, "db")
			for _, at := range tt.readAfter {
				clk.Set(t0.Add(at))
				if got := mustString(t, c, "db"); got != "s3cret" {
					t.Fatalf("value at +%v = %q", at, got)
				}
			}
			if got := f.gets.Load(); got != tt.wantGets {
				t.Errorf("GetSecretValue calls = %d, want %d", got, tt.wantGets)
			}
			s := c.Stats()
			if s.Hits+s.Misses != uint64(len(tt.readAfter)+1) || s.Misses != uint64(tt.wantGets) || s.APICalls != uint64(tt.wantGets) {
				t.Errorf("stats = %+v, want %d reads of which %d misses", s, len(tt.readAfter)+1, tt.wantGets)
			}
		})
	}
}

func TestJitterShortensTTL(t *testing.T) {
	tests := []struct {
		jitter, random float64
		wantExpiry     time.Duration
	}{
		{0, 0.7, 100 * time.Second},
		{0.5, 0, 100 * time.Second},
		{0.5, 0.5, 75 * time.Second},
		{0.2, 0.999, 80*time.Second + 20*time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("jitter %v random %v", tt.jitter, tt.random), func(t *testing.T) {
			f := newFake()
			f.put("db", "x")
			c, clk := newTestCache(t, f, WithTTL(100*time.Second), WithJitter(tt.jitter))
			c.random = func() float64 { return tt.random }
			mustString(t, c, "db")
			clk.Set(t0.Add(tt.wantExpiry - time.Millisecond))
			mustString(t, c, "db")
			if got := f.gets.Load(); got != 1 {
				t.Fatalf("refetched %v before the expected expiry", tt.wantExpiry)
			}
			clk.Set(t0.Add(tt.wantExpiry))
			mustString(t, c, "db")
			if got := f.gets.Load(); got != 2 {
				t.Fatalf("not refetched at the expected expiry %v", tt.wantExpiry)
			}
		})
	}
}

func TestJitterStaysWithinBounds(t *testing.T) {
	const ttl, jitter = 60 * time.Minute, 0.5
	c := New(newFake(), WithTTL(ttl), WithJitter(jitter))
	lo, hi := 1.0, 0.0
	for range 10000 {
		f := c.draw()
		lo, hi = min(lo, f), max(hi, f)
		if f <= 1-jitter || f > 1 {
			t.Fatalf("jitter factor %v outside (%v, 1]", f, 1-jitter)
		}
	}
	// 10,000 uniform draws land near both ends; a factor stuck at 1 would not.
	if lo > 0.51 || hi < 0.99 {
		t.Errorf("factors span [%v, %v], want close to (0.5, 1]", lo, hi)
	}
}

func TestSetTTLAppliesToCachedEntries(t *testing.T) {
	f := newFake()
	f.put("db", "x")
	c, clk := newTestCache(t, f, WithTTL(time.Hour))
	mustString(t, c, "db")
	clk.Advance(2 * time.Minute)
	mustString(t, c, "db")
	if f.gets.Load() != 1 {
		t.Fatal("refetched within the hour TTL")
	}
	c.SetTTL(time.Minute)
	if c.TTL() != time.Minute {
		t.Fatalf("TTL() = %v after SetTTL(1m)", c.TTL())
	}
	mustString(t, c, "db")
	if f.gets.Load() != 2 {
		t.Error("a 2-minute-old entry was served after the TTL dropped to 1 minute")
	}
}

func TestLRUEviction(t *testing.T) {
	tests := []struct {
		name string
		max  int
		ops  string // letters are reads, one per second
		want string // entries left, sorted
	}{
		{"oldest insert goes first", 2, "abc", "bc"},
		{"a read protects an entry", 2, "abac", "ac"},
		{"reads reorder", 3, "abcbad", "abd"},
		{"one slot", 1, "aba", "a"},
		{"no eviction below the bound", 3, "abab", "ab"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake()
			for _, r := range "abcd" {
				f.put(string(r), "value-"+string(r))
			}
			c, clk := newTestCache(t, f, WithMaxEntries(tt.max), WithTTL(time.Hour))
			for _, r := range tt.ops {
				clk.Advance(time.Second)
				mustString(t, c, string(r))
			}
			var left []string
			for _, r := range "abcd" {
				if _, ok := c.index.Load(string(r)); ok {
					left = append(left, string(r))
				}
			}
			if got := strings.Join(left, ""); got != tt.want {
				t.Errorf("entries after %q = %q, want %q", tt.ops, got, tt.want)
			}
			s := c.Stats()
			if s.Entries != len(tt.want) {
				t.Errorf("Stats.Entries = %d, want %d", s.Entries, len(tt.want))
			}
			if want := s.Misses - uint64(len(tt.want)); s.Evictions != want {
				t.Errorf("Stats.Evictions = %d, want %d (every miss inserts)", s.Evictions, want)
			}
		})
	}
}

func TestInvalidate(t *testing.T) {
	f := newFake()
	f.put("db", "one")
	f.put("db", "two")
	f.put("api", "key")
	c, _ := newTestCache(t, f)
	mustString(t, c, "db")
	mustString(t, c, "db", VersionStage("AWSPREVIOUS"))
	mustString(t, c, "api")
	if got := c.Stats().Entries; got != 3 {
		t.Fatalf("Entries = %d, want 3", got)
	}
	c.Invalidate("db")
	if got := c.Stats().Entries; got != 1 {
		t.Fatalf("Entries after Invalidate(db) = %d, want 1", got)
	}
	before := f.gets.Load()
	mustString(t, c, "api")
	if f.gets.Load() != before {
		t.Error("Invalidate(db) dropped api too")
	}
	f.put("db", "three")
	if got := mustString(t, c, "db"); got != "three" {
		t.Errorf("after Invalidate, db = %q, want the new version", got)
	}
	c.InvalidateAll()
	if got := c.Stats().Entries; got != 0 {
		t.Errorf("Entries after InvalidateAll = %d", got)
	}
}

func TestRefreshNow(t *testing.T) {
	f := newFake()
	f.put("db", "old")
	c, _ := newTestCache(t, f, WithTTL(time.Hour))
	ctx := context.Background()
	mustString(t, c, "db")
	f.put("db", "new")
	if got := mustString(t, c, "db"); got != "old" {
		t.Fatalf("before RefreshNow got %q, want the cached old value", got)
	}
	if err := c.RefreshNow(ctx, "db"); err != nil {
		t.Fatal(err)
	}
	if got := mustString(t, c, "db"); got != "new" {
		t.Fatalf("after RefreshNow got %q, want new", got)
	}

	// A transient failure leaves the cached value alone.
	f.setFail(errOutage)
	if err := c.RefreshNow(ctx, "db"); err == nil {
		t.Fatal("RefreshNow during an outage returned nil")
	}
	if got := mustString(t, c, "db"); got != "new" {
		t.Fatalf("a failed RefreshNow changed the cache: %q", got)
	}
	f.setFail(nil)

	// A definitive one (the secret is gone) drops it.
	f.remove("db")
	err := c.RefreshNow(ctx, "db")
	var invalid *types.InvalidRequestException
	if !errors.As(err, &invalid) {
		t.Fatalf("RefreshNow on a deleted secret = %v, want InvalidRequestException", err)
	}
	if _, err := c.GetString(ctx, "db"); err == nil {
		t.Error("a deleted secret is still served after RefreshNow saw it gone")
	}
}

func TestStaleIfError(t *testing.T) {
	const ttl, window = time.Minute, 10 * time.Minute
	tests := []struct {
		name      string
		opts      []Option
		failWith  error
		readAt    time.Duration
		wantStale bool
		wantErr   bool
		wantKept  bool // entry still cached afterwards
	}{
		{"outage inside the window serves stale", []Option{WithStaleIfError(window)}, errOutage, ttl + time.Second, true, false, true},
		{"outage at the window's end fails", []Option{WithStaleIfError(window)}, errOutage, ttl + window, false, true, true},
		{"network error serves stale", []Option{WithStaleIfError(window)}, errors.New("dial tcp: connection refused"), ttl + time.Minute, true, false, true},
		{"throttling serves stale", []Option{WithStaleIfError(window)}, &smithy.GenericAPIError{Code: "ThrottlingException", Message: "Rate exceeded"}, 2 * ttl, true, false, true},
		{"deleted secret never serves stale", []Option{WithStaleIfError(window)}, &types.ResourceNotFoundException{Message: ptr("gone")}, ttl + time.Second, false, true, false},
		{"access denied never serves stale", []Option{WithStaleIfError(window)}, &smithy.GenericAPIError{Code: "AccessDeniedException", Message: "no"}, ttl + time.Second, false, true, false},
		{"disabled by default", nil, errOutage, ttl + time.Second, false, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake()
			f.put("db", "s3cret")
			c, clk := newTestCache(t, f, append([]Option{WithTTL(ttl)}, tt.opts...)...)
			ctx := context.Background()
			mustString(t, c, "db")
			f.setFail(tt.failWith)
			clk.Set(t0.Add(tt.readAt))
			s, err := c.Get(ctx, "db")
			if tt.wantErr != (err != nil) {
				t.Fatalf("Get error = %v, want error: %t", err, tt.wantErr)
			}
			if err != nil && !errors.Is(err, tt.failWith) {
				t.Errorf("error %v does not wrap the backend error", err)
			}
			if err != nil && strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error quotes the value: %v", err)
			}
			if s.Stale != tt.wantStale {
				t.Errorf("Stale = %t, want %t", s.Stale, tt.wantStale)
			}
			if tt.wantStale {
				if v, _ := s.SecretString(); v != "s3cret" {
					t.Errorf("stale value = %q", v)
				}
				if !errors.Is(s.StaleCause, tt.failWith) {
					t.Errorf("StaleCause = %v, want the backend error", s.StaleCause)
				}
				if !s.FetchedAt.Equal(t0) {
					t.Errorf("FetchedAt = %v, want %v", s.FetchedAt, t0)
				}
				if got := c.Stats().StaleServed; got != 1 {
					t.Errorf("StaleServed = %d, want 1", got)
				}
			}
			if _, kept := c.index.Load("db"); kept != tt.wantKept {
				t.Errorf("entry kept = %t, want %t", kept, tt.wantKept)
			}
		})
	}
}

func TestStaleBacksOffThenRecovers(t *testing.T) {
	f := newFake()
	f.put("db", "old")
	c, clk := newTestCache(t, f, WithTTL(time.Minute), WithStaleIfError(time.Hour))
	ctx := context.Background()
	mustString(t, c, "db")
	f.setFail(errOutage)
	clk.Advance(2 * time.Minute)

	// Each step: advance, read; the API is called only when the back-off
	// (1 s, 2 s, 4 s…) has run out.
	steps := []struct {
		advance  time.Duration
		wantCall bool
	}{
		{0, true},                       // first failure, retry in 1 s
		{500 * time.Millisecond, false}, // within back-off: stale from memory
		{600 * time.Millisecond, true},  // 1.1 s: retry, fails, next in 2 s
		{1900 * time.Millisecond, false},
		{200 * time.Millisecond, true}, // 2.1 s: retry, next in 4 s
		{3 * time.Second, false},
	}
	for i, st := range steps {
		clk.Advance(st.advance)
		before := f.gets.Load()
		s, err := c.Get(ctx, "db")
		if err != nil || !s.Stale {
			t.Fatalf("step %d: Get = %v, %v; want a stale value", i, s, err)
		}
		if called := f.gets.Load() > before; called != st.wantCall {
			t.Fatalf("step %d: API called = %t, want %t", i, called, st.wantCall)
		}
	}
	f.setFail(nil)
	f.put("db", "new")
	clk.Advance(2 * time.Second)
	s, err := c.Get(ctx, "db")
	if err != nil || s.Stale {
		t.Fatalf("after recovery Get = %v, %v; want fresh", s, err)
	}
	if v, _ := s.SecretString(); v != "new" {
		t.Errorf("after recovery value = %q, want new", v)
	}
	if got, want := c.Stats().StaleServed, uint64(len(steps)); got != want {
		t.Errorf("StaleServed = %d, want %d", got, want)
	}
	if got := c.Stats().Errors; got != 3 {
		t.Errorf("Errors = %d, want 3 failed calls", got)
	}
}

func TestHooks(t *testing.T) {
	f := newFake()
	vid := f.put("db", "plain")
	var puts, gets int
	var seenIDs []string
	xor := func(b []byte) []byte {
		for i := range b {
			b[i] ^= 0x5a
		}
		return b
	}
	c, _ := newTestCache(t, f, WithHooks(Hooks{
		Put: func(id, version string, p []byte) ([]byte, error) {
			puts++
			seenIDs = append(seenIDs, id+"@"+version)
			return xor(p), nil
		},
		Get: func(id, version string, s []byte) ([]byte, error) {
			gets++
			return xor(s), nil
		},
	}))
	for range 3 {
		if got := mustString(t, c, "db"); got != "plain" {
			t.Fatalf("GetString = %q, want the plaintext back", got)
		}
	}
	if puts != 1 || gets != 3 {
		t.Errorf("Put ran %d times, Get %d; want 1 and 3", puts, gets)
	}
	if want := "db@" + vid; len(seenIDs) != 1 || seenIDs[0] != want {
		t.Errorf("Put saw %v, want [%s]", seenIDs, want)
	}
	v, _ := c.index.Load("db")
	if stored := v.(*entry).st.Load().value; stored == "plain" || stored != string(xor([]byte("plain"))) {
		t.Errorf("memory holds %q, want what Put returned", stored)
	}
	// Reusing the slice must not corrupt the cache: the hooks modify theirs.
	if got := mustString(t, c, "db"); got != "plain" {
		t.Errorf("after in-place hooks, GetString = %q", got)
	}
}

func TestHookErrors(t *testing.T) {
	boom := errors.New("key unavailable")
	tests := []struct {
		name  string
		hooks Hooks
	}{
		{"put", Hooks{Put: func(_, _ string, _ []byte) ([]byte, error) { return nil, boom }}},
		{"get", Hooks{Get: func(_, _ string, _ []byte) ([]byte, error) { return nil, boom }}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake()
			f.put("db", "s3cret")
			c, _ := newTestCache(t, f, WithHooks(tt.hooks))
			_, err := c.GetString(context.Background(), "db")
			if !errors.Is(err, boom) {
				t.Fatalf("error = %v, want the hook's error wrapped", err)
			}
			if !strings.Contains(err.Error(), `"db"`) || strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error %q should name the secret and not quote it", err)
			}
		})
	}
}

func TestVersionSelectors(t *testing.T) {
	f := newFake()
	v1 := f.put("db", "one")
	v2 := f.put("db", "two")
	c, _ := newTestCache(t, f)
	tests := []struct {
		name string
		opts []GetOption
		want string
	}{
		{"default is AWSCURRENT", nil, "two"},
		{"explicit AWSCURRENT", []GetOption{VersionStage("AWSCURRENT")}, "two"},
		{"AWSPREVIOUS", []GetOption{VersionStage("AWSPREVIOUS")}, "one"},
		{"version id", []GetOption{VersionID(v1)}, "one"},
		{"version id and matching stage", []GetOption{VersionID(v2), VersionStage("AWSCURRENT")}, "two"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mustString(t, c, "db", tt.opts...); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	// Distinct entries: default (shared with explicit AWSCURRENT), AWSPREVIOUS,
	// v1, v2+AWSCURRENT.
	if got := c.Stats().Entries; got != 4 {
		t.Errorf("Entries = %d, want 4", got)
	}
	_, err := c.GetString(context.Background(), "db", VersionStage("AWSPENDING"))
	var nf *types.ResourceNotFoundException
	if !errors.As(err, &nf) || !strings.Contains(err.Error(), "stage AWSPENDING") {
		t.Errorf("missing stage error = %v, want ResourceNotFoundException naming the stage", err)
	}
	if _, err := c.GetString(context.Background(), ""); err == nil || !strings.Contains(err.Error(), "name or ARN") {
		t.Errorf("empty id error = %v", err)
	}
}

func TestStringAndBinary(t *testing.T) {
	f := newFake()
	f.put("text", "hello")
	f.putBinary("blob", []byte{0, 1, 2})
	c, _ := newTestCache(t, f)
	ctx := context.Background()

	b, err := c.GetBinary(ctx, "blob")
	if err != nil || !bytes.Equal(b, []byte{0, 1, 2}) {
		t.Fatalf("GetBinary = %v, %v", b, err)
	}
	b[0] = 9 // the caller owns its copy
	if b2, _ := c.GetBinary(ctx, "blob"); b2[0] != 0 {
		t.Error("modifying a returned slice changed the cache")
	}
	if _, err := c.GetString(ctx, "blob"); !errors.Is(err, ErrNotString) {
		t.Errorf("GetString on binary = %v, want ErrNotString", err)
	}
	if _, err := c.GetBinary(ctx, "text"); !errors.Is(err, ErrNotBinary) {
		t.Errorf("GetBinary on string = %v, want ErrNotBinary", err)
	}
	s, err := c.Get(ctx, "blob")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SecretString(); !errors.Is(err, ErrNotString) {
		t.Errorf("Secret.SecretString on binary = %v", err)
	}
}

func TestGetJSON(t *testing.T) {
	type creds struct {
		User string `json:"user"`
		Port int    `json:"port"`
	}
	tests := []struct {
		name     string
		value    string
		wantErr  string // substring; empty for success
		secretIn string // a fragment of the value that must not leak
	}{
		{"ok", `{"user":"admin","port":5432}`, "", ""},
		{"syntax error", `{"user":"admin","port":hunter2}`, "syntax error at byte 24 of 31", "hunter2"},
		{"not json at all", `hunter2-plain`, "syntax error at byte 1 of 13", "hunter2"},
		{"truncated", `{"user":"adm`, "syntax error at byte 12 of 12", "adm"},
		{"wrong type", `{"user":"admin","port":"p@ss5432"}`, "field port is a JSON string but *cache.creds wants int", "p@ss5432"},
		{"number into string", `{"user":424242,"port":1}`, "field user is a JSON number but *cache.creds wants string", "424242"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake()
			f.put("db", tt.value)
			c, _ := newTestCache(t, f)
			var got creds
			err := c.GetJSON(context.Background(), "db", &got)
			if tt.wantErr == "" {
				if err != nil || got != (creds{"admin", 5432}) {
					t.Fatalf("GetJSON = %+v, %v", got, err)
				}
				return
			}
			if !errors.Is(err, ErrInvalidJSON) {
				t.Fatalf("error = %v, want ErrInvalidJSON", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.wantErr) || !strings.Contains(msg, `"db"`) {
				t.Errorf("error %q should contain %q and name the secret", msg, tt.wantErr)
			}
			if strings.Contains(msg, tt.secretIn) {
				t.Errorf("error %q quotes the value", msg)
			}
		})
	}
	t.Run("non-pointer", func(t *testing.T) {
		f := newFake()
		f.put("db", `{}`)
		c, _ := newTestCache(t, f)
		err := c.GetJSON(context.Background(), "db", creds{})
		if err == nil || errors.Is(err, ErrInvalidJSON) {
			t.Errorf("non-pointer error = %v, want json.InvalidUnmarshalError", err)
		}
	})
}

func TestVersionCheck(t *testing.T) {
	f := newFake()
	f.put("db", "one")
	c, clk := newTestCache(t, f, WithTTL(time.Minute), WithVersionCheck())
	ctx := context.Background()
	mustString(t, c, "db")
	if f.gets.Load() != 1 || f.describes.Load() != 0 {
		t.Fatalf("cold read made %d gets, %d describes; want 1, 0", f.gets.Load(), f.describes.Load())
	}

	clk.Advance(time.Minute)
	if got := mustString(t, c, "db"); got != "one" {
		t.Fatal(got)
	}
	if f.gets.Load() != 1 || f.describes.Load() != 1 {
		t.Fatalf("unchanged refresh made %d gets, %d describes; want 1, 1", f.gets.Load(), f.describes.Load())
	}
	if s := c.Stats(); s.Revalidated != 1 || s.DescribeCalls != 1 || s.APICalls != 2 {
		t.Errorf("stats = %+v", s)
	}
	clk.Advance(59 * time.Second)
	mustString(t, c, "db")
	if f.describes.Load() != 1 {
		t.Fatal("a revalidated entry did not get a new TTL")
	}

	f.put("db", "two")
	clk.Advance(time.Second)
	if got := mustString(t, c, "db"); got != "two" {
		t.Fatalf("after rotation got %q", got)
	}
	if f.gets.Load() != 2 || f.describes.Load() != 2 {
		t.Fatalf("changed refresh made %d gets, %d describes; want 2, 2", f.gets.Load(), f.describes.Load())
	}

	// A scheduled deletion keeps DescribeSecret working; it must not keep the
	// value alive.
	f.remove("db")
	clk.Advance(time.Minute)
	if _, err := c.GetString(ctx, "db"); err == nil {
		t.Error("a secret scheduled for deletion was revalidated")
	}

	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "DescribeSecret") {
			t.Errorf("New with WithVersionCheck on a get-only API: panic %v", r)
		}
	}()
	New(getOnly{f}, WithVersionCheck())
}

func TestNothingPrintsTheValue(t *testing.T) {
	const value = "hunter2-TOPSECRET"
	f := newFake()
	f.put("db", value)
	c, _ := newTestCache(t, f, WithStaleIfError(time.Minute))
	s, err := c.Get(context.Background(), "db")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		out = append(out, fmt.Sprintf(verb, c), fmt.Sprintf(verb, s), fmt.Sprintf(verb, c.Stats()), fmt.Sprintf(verb, []any{s, c}))
	}
	out = append(out, c.String())
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("read", "secret", s)
	out = append(out, logged.String())
	for _, o := range out {
		if strings.Contains(o, value) || strings.Contains(o, fmt.Sprintf("%x", value)) {
			t.Errorf("printed the value: %s", o)
		}
	}
	if !strings.Contains(logged.String(), `"secret_id":"db"`) {
		t.Errorf("slog output lacks the metadata: %s", logged.String())
	}
}

func TestOptionsPanicOnInvalidValues(t *testing.T) {
	tests := []struct {
		name string
		opt  Option
		want string
	}{
		{"negative ttl", WithTTL(-time.Second), "WithTTL"},
		{"jitter 1", WithJitter(1), "[0, 1)"},
		{"negative jitter", WithJitter(-0.1), "WithJitter"},
		{"zero entries", WithMaxEntries(0), "at least one"},
		{"negative stale", WithStaleIfError(-1), "WithStaleIfError"},
		{"nil clock", WithClock(nil), "time.Now"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), tt.want) {
					t.Errorf("panic = %v, want one mentioning %q", r, tt.want)
				}
			}()
			New(newFake(), tt.opt)
		})
	}
}

func TestBackoff(t *testing.T) {
	tests := []struct {
		failures int
		want     time.Duration
	}{{1, time.Second}, {2, 2 * time.Second}, {3, 4 * time.Second}, {6, 32 * time.Second}, {7, time.Minute}, {100, time.Minute}}
	for _, tt := range tests {
		if got := backoff(tt.failures); got != tt.want {
			t.Errorf("backoff(%d) = %v, want %v", tt.failures, got, tt.want)
		}
	}
}
