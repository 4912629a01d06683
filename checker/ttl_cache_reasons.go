package checker

// The ttl-cache's checks, judged from the driver's report and the
// requests the proxy recorded.

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// unreported says why the checks on phases cannot be judged when the
// driver did not print their lines.
func (r *run) unreported(lines driverLines, p proc, phases ...string) string {
	for _, phase := range phases {
		if !lines.has(phase) {
			return fmt.Sprintf("not checked: the driver stopped before it reported its %q reads: %s", phase, r.driverError(p))
		}
	}
	return ""
}

// valuesReason checks that every read of the hot and long names returned
// a value that secret had, and says what went wrong, with the program's
// error.
func (r *run) valuesReason(lines driverLines, names, values map[string]string, hot *hotValues) string {
	for _, k := range []string{"hot-a", "hot-b", "long-a", "long-b"} {
		phase := strings.SplitN(k, "-", 2)[0]
		n := names[k]
		reads, errs := lines.field(phase, n, "reads"), lines.field(phase, n, "errors")
		want := []string{fingerprint(values[k])}
		if phase == "hot" {
			want = hot.fingerprints(n)
		}
		switch got := lines.field(phase, n, "values"); {
		case reads == "":
			return fmt.Sprintf("the driver did not report its reads of %s: see the program's output", n)
		case errs != "0":
			return fmt.Sprintf("%s of %s reads of %s returned an error: %s", errs, reads, n, r.learnerPaths(scrub(r.known, lines.field(phase, n, "error"))))
		case got == "none" || slices.ContainsFunc(strings.Split(got, ","), func(fp string) bool { return !slices.Contains(want, fp) }):
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

// upperReason bounds the calls per TTL: for the hot names, no value
// fetched sooner than a TTL after the one before, and one call per TTL
// window (see ttlGapLimit); for the long names, whose TTL outlasts their
// reads (read in turn, so a cache that remembers only the last name
// fetches on every read), exactly one each.
func (r *run) upperReason(lines driverLines, reqs []Request, names map[string]string, hot *hotValues) string {
	for _, k := range []string{"hot-a", "hot-b", "long-a", "long-b"} {
		phase, ttl := "hot", cacheTTL
		long := strings.HasPrefix(k, "long")
		if long {
			phase, ttl = "long", cacheTTLLong
		}
		calls, elapsed, ok := callsFor(lines, reqs, phase, names[k])
		if !ok {
			return "not checked: the driver did not report how long it read"
		}
		limit := int(elapsed/ttl) + 1 + ttlSpareCalls
		if long {
			limit = 1
		}
		if calls == 0 {
			return fmt.Sprintf(r.say("Get")+" made no GetSecretValue call for %s at all: fetch the value on a miss", names[k])
		}
		if calls > limit {
			advice := "keep the value and reuse it until the TTL has passed since it was fetched"
			if long {
				advice = "keep one entry per name, for as long as the TTL " + r.say("NewCache") + " is given (not a fixed one)"
			} else if calls > int(elapsed/(10*time.Millisecond)) {
				advice = "it fetched on nearly every read: keep one entry per name (a map), not only the last one"
			}
			return fmt.Sprintf("%d GetSecretValue calls for %s in %s with a TTL of %s; expected at most %d: %s", calls, names[k], elapsed.Round(time.Millisecond), ttl, limit, advice)
		}
		if long {
			continue
		}
		served, order := lines.served(names[k]), hot.fingerprints(names[k])
		for i := 1; i < len(order); i++ {
			before, ok1 := served[order[i-1]]
			after, ok2 := served[order[i]]
			if gap := after.returned - before.asked; ok1 && ok2 && gap < ttlGapLimit {
				return fmt.Sprintf("%s fetched %s again %s after a read began that got the value fetched before, with a TTL of %s (at least %s expected): an entry is fresh until the whole TTL has passed since it was fetched; fetch again only then",
					r.say("Get"), names[k], gap.Round(time.Millisecond), cacheTTL, ttlGapLimit)
			}
		}
	}
	return ""
}

// lowerReason wants a name read all the time to be fetched again as its
// entries expire: a quarter of one call per TTL window (see
// ttlLowFactor), so that a busy machine still passes while sliding expiry
// (each hit extending the entry) or a fixed long TTL does not. (The hard
// bound on refreshing is freshReason's: no value served past its TTL.)
func (r *run) lowerReason(lines driverLines, reqs []Request, names map[string]string) string {
	for _, k := range []string{"hot-a", "hot-b"} {
		calls, elapsed, ok := callsFor(lines, reqs, "hot", names[k])
		if !ok {
			return "not checked: the driver did not report how long it read"
		}
		if low := int(ttlLowFactor * float64(elapsed) / float64(cacheTTL)); calls < low {
			return fmt.Sprintf("only %d GetSecretValue call(s) for %s, read without pause for %s with a TTL of %s; expected at least %d: an entry expires a TTL after it was fetched, however often it is read (a hit must not extend it), and the TTL is the one %s is given", calls, names[k], elapsed.Round(time.Millisecond), cacheTTL, low, r.say("NewCache"))
		}
	}
	return ""
}

// freshReason wants no value served longer than the TTL, the changed
// secret's new value and the secret created after a failed read once the
// TTL has passed.
func (r *run) freshReason(lines driverLines, names map[string]string, hot *hotValues, freshNew, lateV string) string {
	for _, k := range []string{"hot-a", "hot-b"} {
		served := lines.served(names[k])
		if len(served) == 0 {
			return "not checked: the driver did not report when it was served each value"
		}
		var kept time.Duration
		for _, fp := range hot.judged(names[k]) {
			if sv, ok := served[fp]; ok {
				kept = max(kept, sv.last-sv.returned)
			}
		}
		if kept > ttlKeptLimit {
			return fmt.Sprintf("%s got a new value each time it was fetched, yet %s returned one of them to a read that began %s after the value was first returned, with a TTL of %s (at most %s allowed): an entry is fresh only while less than the TTL %s is given has passed since it was fetched; check its age on every read, and never add to the TTL (no jitter upward, no sweep that removes expired entries later)",
				names[k], r.say("Get"), kept.Round(time.Millisecond), cacheTTL, ttlKeptLimit, r.say("NewCache"))
		}
	}
	if !lines.has("fresh-after") {
		return "not checked: the driver stopped before it read the changed secret again"
	}
	switch after := lines.field("fresh-after", "", "value"); {
	case after == "error":
		return "reading the changed secret again after the TTL returned an error"
	case after != fingerprint(freshNew):
		return fmt.Sprintf("after the secret changed and the TTL (%s) passed, %s still did not return the new value: refetch an entry older than the TTL, and measure its age from when it was fetched, not from when it was last read", cacheTTL, r.say("Get"))
	case lines.field("fresh-after", "", "late") != fingerprint(lateV):
		return "a secret that did not exist on the first read was still an error after it was created and the TTL passed: do not keep a failed read"
	}
	return ""
}

// failedCalls counts the GetSecretValue calls for id that failed.
func failedCalls(reqs []Request, id string) int {
	n := 0
	for _, q := range reqs {
		if q.Operation == "GetSecretValue" && q.SecretID == id && q.Status != http.StatusOK {
			n++
		}
	}
	return n
}

// notKeptReason wants a read right after a failed one to call again: the
// driver reads a secret that does not exist twice in a row, then again as
// soon as the checker has created it.
func (r *run) notKeptReason(lines driverLines, p proc, reqs []Request, late, lateV string) string {
	if why := r.unreported(lines, p, "fresh-before", "fresh-cached"); why != "" {
		return why
	}
	switch failed := failedCalls(reqs, late); {
	case failed == 0:
		return fmt.Sprintf("%s was read twice while it did not exist, and neither read called GetSecretValue: fetch the value on a miss", late)
	case failed < 2:
		return fmt.Sprintf("%s did not exist yet, and the driver read it twice in a row; the second read made no GetSecretValue call (%d failed call(s) in all) but %s: do not keep a failed read, not even for the TTL; the next read must try again, since the secret may exist by then",
			late, failed, r.inLang("returned the first one's error", "raised the first one's exception again"))
	case lines.field("fresh-cached", "", "late") != fingerprint(lateV):
		return fmt.Sprintf("%s was created right after two reads of it failed, and the next read, well within the TTL, still did not return its value: do not keep a failed read; the next read must try again", late)
	}
	return ""
}

// refreshErrReason wants the error once a cached secret is deleted and its
// entry expires: never the expired value, however long ago it was fetched.
func (r *run) refreshErrReason(lines driverLines, p proc, gone, goneV string) string {
	if why := r.unreported(lines, p, "fresh-before", "fresh-after"); why != "" {
		return why
	}
	if lines.field("fresh-before", "", "gone") != fingerprint(goneV) {
		return fmt.Sprintf("not checked: the first read of %s did not return its value", gone)
	}
	if lines.field("fresh-after", "", "gone") != "error" {
		return fmt.Sprintf("%s was deleted after it was read, and once the TTL (%s) had passed %s returned its old value instead of %s: when the fetch of an expired entry fails, %s; never serve a value past its TTL",
			gone, cacheTTL, r.say("Get"), r.inLang("the error GetSecretValue returned", "raising the ClientError get_secret_value raised"), r.inLang("return that error", "let that exception propagate"))
	}
	return ""
}

// coldReason wants one call for 16 concurrent misses of one name, and the
// value for each of them.
func (r *run) coldReason(lines driverLines, p proc, reqs []Request, cold, coldV string) string {
	if why := r.unreported(lines, p, "cold"); why != "" {
		return why
	}
	c := count(reqs, "GetSecretValue", cold)
	switch {
	case lines.field("cold", "", "errors") != "0":
		return fmt.Sprintf("%s of %d concurrent reads of a name not cached yet returned an error: %s", lines.field("cold", "", "errors"), cacheConcurrency, r.learnerPaths(scrub(r.known, lines.field("cold", "", "error"))))
	case lines.field("cold", "", "values") != fingerprint(coldV):
		return "concurrent reads of a name not cached yet returned a wrong value"
	case c != 1:
		return fmt.Sprintf("%d %s reading a name not cached yet made %d GetSecretValue calls; expected 1: let one %s fetch while the others wait", cacheConcurrency, r.goroutines(), c, strings.TrimSuffix(r.goroutines(), "s"))
	}
	return ""
}

// missingReason wants each of 16 concurrent reads of a secret that does
// not exist to get GetSecretValue's error: a reader that waited for
// another's fetch gets its error too, not an empty value.
func (r *run) missingReason(lines driverLines, p proc) string {
	if why := r.unreported(lines, p, "missing"); why != "" {
		return why
	}
	reads, _ := strconv.Atoi(lines.field("missing", "", "reads"))
	errs, _ := strconv.Atoi(lines.field("missing", "", "errors"))
	notFound, _ := strconv.Atoi(lines.field("missing", "", "notfound"))
	switch {
	case errs < reads:
		return fmt.Sprintf("%d %s read a secret that does not exist at once, and %d of them %s: %s",
			reads, r.goroutines(), reads-errs,
			r.inLang(`got no error but a value ("" or another)`, "raised nothing but returned a value (None or another)"),
			r.inLang("when the fetch a goroutine waits for fails, return that fetch's error to every goroutine that waited for it",
				"when the fetch a thread waits for raises, raise that exception in every thread that waited for it"))
	case notFound < errs:
		return fmt.Sprintf("%d %s read a secret that does not exist at once, and %d of them %s (the first: %s): %s",
			reads, r.goroutines(), errs-notFound,
			r.inLang("got an error other than the ResourceNotFoundException GetSecretValue returned", "raised something other than the ClientError (ResourceNotFoundException) get_secret_value raised"),
			r.learnerPaths(scrub(r.known, lines.field("missing", "", "error"))),
			r.inLang("return the error GetSecretValue returned (wrap it with %w if you add words), to every goroutine that waited for it",
				"let that ClientError propagate, and raise it in every thread that waited for it"))
	}
	return ""
}

// expiredReason wants one call for 16 concurrent reads of a name whose
// entry has expired, as for a miss.
func (r *run) expiredReason(lines driverLines, p proc, reqs []Request, name, value string) string {
	if why := r.unreported(lines, p, "expired"); why != "" {
		return why
	}
	c := count(reqs, "GetSecretValue", name) - 1 // the first read's
	switch {
	case lines.field("expired", "", "errors") != "0":
		return fmt.Sprintf("%s of %d concurrent reads of an expired name returned an error: %s", lines.field("expired", "", "errors"), cacheConcurrency, r.learnerPaths(scrub(r.known, lines.field("expired", "", "error"))))
	case lines.field("expired", "", "values") != fingerprint(value):
		return "concurrent reads of an expired name returned a wrong value"
	case c < 1:
		return fmt.Sprintf("%d %s read a name whose entry was older than the TTL, and none of them fetched it again: an entry expires a TTL after it was fetched", cacheConcurrency, r.goroutines())
	case c > 1:
		return fmt.Sprintf("%d %s reading a name whose entry had expired made %d GetSecretValue calls; expected 1: an expired entry is a miss like any other, so let one %s fetch while the others wait, then find the new entry",
			cacheConcurrency, r.goroutines(), c, strings.TrimSuffix(r.goroutines(), "s"))
	}
	return ""
}
