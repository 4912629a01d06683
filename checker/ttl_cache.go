package checker

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The driver's two TTLs are far apart, so a cache that ignores the TTL it
// is given cannot satisfy both; it reads the hot names for a second and the
// long-TTL name for a third of that TTL.
const (
	cacheTTL         = 100 * time.Millisecond
	cacheTTLLong     = 3 * time.Second
	cacheConcurrency = 16
)

func fingerprint(v string) string {
	sum := sha256.Sum256([]byte(v))
	return hex.EncodeToString(sum[:6])
}

// driverLines is what the ttl-cache driver printed, one phase and name a
// line: "hot name=… elapsed=1s reads=98 errors=0 values=… error=…".
type driverLines []string

// field returns key's value in the first line of phase (and name, when
// given) that has it; a quoted value is unquoted.
func (d driverLines) field(phase, name, key string) string {
	for _, l := range d {
		rest, ok := strings.CutPrefix(l, phase+" ")
		if !ok || (name != "" && !strings.Contains(rest, "name="+name+" ")) {
			continue
		}
		if i := strings.Index(rest, " "+key+"="); i >= 0 || strings.HasPrefix(rest, key+"=") {
			v := rest[i+len(key)+2:]
			if strings.HasPrefix(v, `"`) {
				if q, err := strconv.QuotedPrefix(v); err == nil {
					u, _ := strconv.Unquote(q)
					return u
				}
			}
			v, _, _ = strings.Cut(v, " ")
			return v
		}
	}
	return ""
}

// The race check's name and reason; in Python, whose driver reports a
// thread that failed on shared state (a dict changed while another thread
// iterated it) with pyThreadFailure, they are said in Python's words.
const (
	checkNoRace     = "no data race (the driver runs under the race detector)"
	raceReason      = "the race detector saw two goroutines use the cache's map (or another field) at once, one of them writing: guard every access with a sync.Mutex"
	pyThreadFailure = "thread failure: "
)

func gradeTTLCache(ctx context.Context, r *run) {
	values := map[string]string{}
	names := map[string]string{}
	for _, k := range []string{"hot-a", "hot-b", "long-a", "long-b", "fresh", "cold"} {
		values[k] = k + "-" + randHex(12)
		if r.fatal == nil {
			names[k], r.fatal = r.create(ctx, "cache/"+k, values[k], "")
		}
	}
	if r.fatal != nil {
		return
	}
	freshNew, lateV := "fresh-changed-"+randHex(12), "late-"+randHex(12)
	late := r.seedName("cache/late")
	r.known.Add(freshNew, lateV)
	for _, v := range values {
		r.protect(v)
	}
	r.protect(freshNew, lateV)

	env := map[string]string{
		"SECRET_HOT_A": names["hot-a"], "SECRET_HOT_B": names["hot-b"], "SECRET_LONG_A": names["long-a"], "SECRET_LONG_B": names["long-b"],
		"SECRET_FRESH": names["fresh"], "SECRET_LATE": late, "SECRET_COLD": names["cold"],
		"CACHE_TTL": cacheTTL.String(), "CACHE_TTL_LONG": cacheTTLLong.String(),
	}
	out, p, changeErr := r.converse(ctx, env, "fresh-before ", func() error {
		if err := r.put(ctx, names["fresh"], freshNew, ""); err != nil {
			return err
		}
		_, err := r.client.CreateSecret(ctx, createInput(late, lateV))
		return err
	})
	if changeErr != nil {
		r.fatal = fmt.Errorf("changing the secrets during the run: %s", explain(changeErr))
		return
	}
	lines := driverLines(out)
	r.check("the driver runs to the end", 1, failIf(!slices.Contains(out, "done") || p.Code != 0, p.summary(r.known)))
	r.check(r.say(checkNoRace), 1, failIf(strings.Contains(p.Stderr, raceReport) || strings.Contains(p.Stderr, pyThreadFailure) || strings.Contains(p.Stderr, "Exception in thread"),
		r.say(raceReason)))

	reqs := r.requests()
	const (
		upper = "at most one GetSecretValue per TTL"
		lower = "refreshes a hot name once per TTL"
		fresh = "fresh values after expiry"
	)
	if !r.check("Get returns the secret's AWSCURRENT value", 1, r.valuesReason(lines, names, values)) {
		r.skip("Get did not return the values (see above)", 1, upper, lower, fresh)
	} else {
		r.check(upper, 2, r.upperReason(lines, reqs, names))
		r.check(lower, 2, r.lowerReason(lines, reqs, names))
		r.check(fresh, 2, freshReason(lines, freshNew, lateV))
	}

	c := count(reqs, "GetSecretValue", names["cold"])
	why := ""
	switch {
	case lines.field("cold", "", "errors") != "0":
		why = "concurrent reads of a name not cached yet returned an error: " + orNone(scrub(r.known, lines.field("cold", "", "error")))
	case lines.field("cold", "", "values") != fingerprint(values["cold"]):
		why = "concurrent reads of a name not cached yet returned a wrong value"
	case c != 1:
		why = fmt.Sprintf("%d goroutines reading a name not cached yet made %d GetSecretValue calls; expected 1: let one goroutine fetch while the others wait", cacheConcurrency, c)
	}
	r.check("concurrent reads of a cold key make one call", 3, why)
}

// valuesReason checks that every read of the hot and long names returned
// that secret's value, and says what went wrong, with the program's error.
func (r *run) valuesReason(lines driverLines, names, values map[string]string) string {
	for _, k := range []string{"hot-a", "hot-b", "long-a", "long-b"} {
		phase := strings.SplitN(k, "-", 2)[0]
		n := names[k]
		reads, errs := lines.field(phase, n, "reads"), lines.field(phase, n, "errors")
		switch {
		case reads == "":
			return "the driver did not report its reads: " + "see the program's output"
		case errs != "0":
			return fmt.Sprintf("%s of %s reads of %s returned an error: %s", errs, reads, n, scrub(r.known, lines.field(phase, n, "error")))
		case lines.field(phase, n, "values") != fingerprint(values[k]):
			return fmt.Sprintf(r.say("Get")+"(%s) returned something other than that secret's value: key the entries by name", n)
		}
	}
	return ""
}

// callsFor counts the successful GetSecretValue calls for one hot or long
// name, with the driver's own figures of how long it read.
func callsFor(lines driverLines, reqs []Request, phase, name string) (calls int, elapsed time.Duration, ok bool) {
	e, err := time.ParseDuration(lines.field(phase, name, "elapsed"))
	return count(reqs, "GetSecretValue", name), e, err == nil && e > 0
}

// upperReason bounds the calls per TTL: for the hot names, one per TTL
// window plus slack for early refreshes and jitter; for the long name,
// whose TTL outlasts their reads (read in turn, so a cache that remembers
// only the last name fetches on every read), exactly one each.
func (r *run) upperReason(lines driverLines, reqs []Request, names map[string]string) string {
	for _, k := range []string{"hot-a", "hot-b", "long-a", "long-b"} {
		phase, ttl := "hot", cacheTTL
		long := strings.HasPrefix(k, "long")
		if long {
			phase, ttl = "long", cacheTTLLong
		}
		calls, elapsed, ok := callsFor(lines, reqs, phase, names[k])
		if !ok {
			return "not checked: the driver did not report its reads"
		}
		limit := int(elapsed*3/(2*ttl)) + 2
		if long {
			limit = 1
		}
		if calls == 0 {
			return fmt.Sprintf("Get made no GetSecretValue call for %s at all: fetch the value on a miss", names[k])
		}
		if calls > limit {
			advice := "keep the value and reuse it until the TTL has passed"
			if long {
				advice = "keep one entry per name, for as long as the TTL " + r.say("NewCache") + " is given (not a fixed one)"
			} else if calls > int(elapsed/(10*time.Millisecond)) {
				advice = "it fetched on nearly every read: keep one entry per name (a map), not only the last one"
			}
			return fmt.Sprintf("%d GetSecretValue calls for %s in %s with a TTL of %s; expected at most %d: %s", calls, names[k], elapsed.Round(time.Millisecond), ttl, limit, advice)
		}
	}
	return ""
}

// lowerReason wants a name read all the time to be fetched again as its
// entries expire: a third of one call per TTL window, so that a busy
// machine still passes while sliding expiry (each hit extending the entry)
// or a fixed long TTL does not.
func (r *run) lowerReason(lines driverLines, reqs []Request, names map[string]string) string {
	for _, k := range []string{"hot-a", "hot-b"} {
		calls, elapsed, ok := callsFor(lines, reqs, "hot", names[k])
		if !ok {
			return "not checked: the driver did not report its reads"
		}
		if low := int(elapsed / (3 * cacheTTL)); calls < low {
			return fmt.Sprintf("only %d GetSecretValue call(s) for %s, read without pause for %s with a TTL of %s; expected at least %d: an entry expires a TTL after it was fetched, however often it is read (a hit must not extend it), and the TTL is the one %s is given", calls, names[k], elapsed.Round(time.Millisecond), cacheTTL, low, r.say("NewCache"))
		}
	}
	return ""
}

// freshReason wants the changed secret's new value, and the secret created
// after a failed read, once the TTL has passed.
func freshReason(lines driverLines, freshNew, lateV string) string {
	switch after := lines.field("fresh-after", "", "value"); {
	case after == "error":
		return "reading the changed secret again after the TTL returned an error"
	case after != fingerprint(freshNew):
		return fmt.Sprintf("after the secret changed and the TTL (%s) passed, Get still did not return the new value: refetch an entry older than the TTL, and measure its age from when it was fetched, not from when it was last read", cacheTTL)
	case lines.field("fresh-after", "", "late") != fingerprint(lateV):
		return "a secret that did not exist on the first read was still an error after it was created and the TTL passed: do not keep a failed read for longer than the TTL (or at all)"
	}
	return ""
}
