package checker

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"secretlings/internal/pyenv"
	"secretlings/mask"
)

// The driver's error is named by its first line, with the learner's file
// as it is in the checkout rather than the checker's temporary copy.
func TestTTLCacheDriverError(t *testing.T) {
	ex, _ := Lookup("ttl-cache")
	tmp := filepath.Join(os.TempDir(), "secretlings-123", "py-ttl-cache-abcdef")
	r := &run{c: &Checker{Lang: Python}, ex: ex, known: mask.NewLeakScanner(), prog: program{dir: tmp}}
	for _, tc := range []struct {
		name string
		p    proc
		want string
	}{
		{"import error", proc{Code: 1, Stderr: "Traceback (most recent call last):\n  File \"" + tmp + "/main.py\", line 19, in <module>\n    from cache import SecretCache\nImportError: cannot import name 'SecretCache' from 'cache' (" + tmp + "/cache.py)\n"},
			"ImportError: cannot import name 'SecretCache' from 'cache' (lessons/04-caching/ttl-cache/cache.py)"},
		{"chained, several lines", proc{Code: 1, Stderr: "Traceback (most recent call last):\n  File \"x\", line 1\nKeyError: 'a'\n\nDuring handling of the above exception, another exception occurred:\n\nTraceback (most recent call last):\n  File \"" + tmp + "/cache.py\", line 3, in __init__\n    ^^^^\nTypeError: __init__() takes 2 positional arguments\nbut 3 were given\n"},
			"TypeError: __init__() takes 2 positional arguments"},
		{"no traceback", proc{Code: 2, Stderr: "CACHE_TTL must be a duration such as 300ms\n"},
			"it exited with status 2: CACHE_TTL must be a duration such as 300ms"},
		{"timed out", proc{Code: -1, TimedOut: true, Stderr: "Traceback (most recent call last):\nKeyboardInterrupt\n"},
			"it did not finish in time and was stopped: KeyboardInterrupt"},
	} {
		if got := r.driverError(tc.p); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

// The driver's "served" lines parse into when each value was served.
func TestTTLCacheServedLines(t *testing.T) {
	lines := driverLines{
		"hot name=ns/hot-a elapsed=1.001s reads=90 errors=0 notfound=0 values=aa,bb",
		"served name=ns/hot-a value=aa asked=0.250ms returned=3.5ms last=99.125ms",
		"served name=ns/hot-a value=bb asked=100.000ms returned=104.000ms last=199.000ms",
		"served name=ns/hot-ab value=cc asked=1ms returned=2ms last=3ms",
	}
	got := lines.served("ns/hot-a")
	want := map[string]servedValue{
		"aa": {250 * time.Microsecond, 3500 * time.Microsecond, 99125 * time.Microsecond},
		"bb": {100 * time.Millisecond, 104 * time.Millisecond, 199 * time.Millisecond},
	}
	if len(got) != len(want) || got["aa"] != want["aa"] || got["bb"] != want["bb"] {
		t.Errorf("served = %v, want %v", got, want)
	}
}

// A cache.py that cannot be imported fails every check of the driver's
// reads with the import error, named as the learner's file, not with
// "none" or a pass.
func TestTTLCacheDriverDidNotRun(t *testing.T) {
	t.Parallel()
	py, err := pyenv.Find("", os.Getenv)
	if err != nil {
		t.Skipf("the Python track is SKIPPED: %v", err)
	}
	b, stop, err := StartEmbedded("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	ex, _ := Lookup("ttl-cache")
	c := New(b, root(t))
	c.Source, c.Lang, c.Py = Solution, Python, py
	c.replace = map[string][]byte{"cache.py": []byte("class Cache:\n    pass\n")}
	t.Cleanup(func() { c.Close() })
	res := grade(t, c, ex, NewNamespace(ex.ID))
	const why = "the driver did not run: ImportError: cannot import name 'SecretCache' from 'cache' (lessons/04-caching/ttl-cache/cache.py)"
	judged := map[string]bool{}
	for _, ch := range res.Checks {
		judged[ch.Name] = true
		switch ch.Name {
		case "compiles", checkCheckout, "calls Secrets Manager itself, not through another program", "never prints a secret value", "writes no secret value into files":
			continue
		case "the driver runs to the end":
			if ch.Passed || !strings.HasSuffix(ch.Reason, why[len("the driver did not run: "):]) {
				t.Errorf("%s: %q; want it to end with the import error", ch.Name, ch.Reason)
			}
		default:
			if ch.Passed || ch.Reason != "not checked: "+why {
				t.Errorf("%s: passed %v, %q; want %q", ch.Name, ch.Passed, ch.Reason, "not checked: "+why)
			}
		}
		if strings.Contains(ch.Reason, "py-ttl-cache-") {
			t.Errorf("%s names the checker's copy of the file: %q", ch.Name, ch.Reason)
		}
	}
	for _, name := range []string{pythonNames[checkNoRace], ttlValues, ttlCold, ttlMissing, ttlExpired} {
		if !judged[name] {
			t.Errorf("no check %q:%s", name, describe(res))
		}
	}
}

// Other programs write into the temp dirs while a cache is graded: a
// concurrent `go test` builds and copies the checker (its source names the
// grader's values), a Go build writes importcfg files full of hex. Those
// files are not the cache's: a right cache passes "writes no secret value
// into files", and the grading removes none of them.
func TestTTLCacheBystanderFiles(t *testing.T) {
	t.Parallel()
	b, stop, err := StartEmbedded("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	// The grader's own source, which names every value's stem.
	var src []byte
	files, _ := filepath.Glob("ttl_cache*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src = append(src, data...)
	}
	var cfg strings.Builder
	for range 1000 {
		fmt.Fprintf(&cfg, "packagefile example.com/p%s=/root/.cache/go-build/%s-d\n", randHex(2), randHex(32))
	}
	var (
		mu      sync.Mutex
		written []string
		done    = make(chan struct{})
		wg      sync.WaitGroup
	)
	wg.Go(func() {
		for {
			dir, err := os.MkdirTemp("", "bystander-")
			if err != nil {
				t.Error(err)
				return
			}
			for name, data := range map[string][]byte{"ttl_cache.go": src, "importcfg.link": []byte(cfg.String())} {
				p := filepath.Join(dir, name)
				if err := os.WriteFile(p, data, 0o644); err != nil {
					t.Error(err)
				}
				mu.Lock()
				written = append(written, p)
				mu.Unlock()
			}
			select {
			case <-done:
				return
			case <-time.After(100 * time.Millisecond):
			}
		}
	})
	t.Cleanup(func() {
		for _, p := range written {
			_ = os.RemoveAll(filepath.Dir(p))
		}
	})
	ex, _ := Lookup("ttl-cache")
	c := New(b, root(t))
	c.Source = Solution
	t.Cleanup(func() { c.Close() })
	res := grade(t, c, ex, NewNamespace(ex.ID))
	close(done)
	wg.Wait()
	if ch := checkNamed(res, checkNoFileSecret); ch == nil || !ch.Passed {
		t.Errorf("the reference cache failed because of files another program wrote:%s", describe(res))
	}
	for _, p := range written {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("a file another program wrote is gone: %v", err)
		}
	}
}
