package checker

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// The driver reads two hot names for a second with the short TTL while a
// second cache reads two other names for half the long TTL, so a cache
// that ignores the TTL it is given cannot satisfy both.
const (
	cacheTTL         = 100 * time.Millisecond
	cacheTTLLong     = time.Second
	cacheConcurrency = 16
)

// The bounds on the hot names. The checker gives a hot name a new value
// each time it is fetched, so the values tell the fetches apart, and the
// driver times the reads that returned each. A right cache stamps each
// fetch no earlier than the read that made it began, and fetches again
// only once the TTL has passed since that stamp; so, whatever the load:
//
//   - a value is returned by no read that begins a TTL after it was first
//     returned (kept < TTL);
//   - a value is first returned no sooner than a TTL after the first read
//     that got the value before it began (gap >= TTL);
//   - the fetches, a TTL apart, fit in the reads (calls <= elapsed/TTL+1).
//
// Load only moves the figures away from these bounds, so the checks allow
// a tenth of a TTL and one call for clocks and rounding. Only the lower
// bound on the calls moves with load (fetches slow down): it has the
// margin the reference solutions needed under load (see ttlLowFactor).
const (
	ttlKeptLimit  = cacheTTL * 11 / 10
	ttlGapLimit   = cacheTTL * 9 / 10
	ttlSpareCalls = 1
	// ttlLowFactor is the share of one call per TTL a hot name must reach:
	// right caches made 0.45 to 1.0 of it, graded six at once on a loaded
	// two-core machine (the fetches then take tens of milliseconds).
	ttlLowFactor = 0.25
)

// The checks, by name.
const (
	ttlValues     = "Get returns the secret's AWSCURRENT value"
	ttlUpper      = "at most one GetSecretValue per TTL"
	ttlLower      = "refreshes a hot name once per TTL"
	ttlFresh      = "fresh values after expiry"
	ttlNotKept    = "a failed read is not kept"
	ttlRefreshErr = "a failed refresh returns the error, not the expired value"
	ttlCold       = "concurrent reads of a cold key make one call"
	ttlMissing    = "concurrent reads of a missing secret all get its error"
	ttlExpired    = "concurrent reads of an expired key make one call"
)

// The hints the checks point to (hints.md).
const (
	ttlHintBasics = 1
	ttlHintExpiry = 2
	ttlHintFlight = 3
	ttlHintErrors = 5
)

func fingerprint(v string) string {
	sum := sha256.Sum256([]byte(v))
	return hex.EncodeToString(sum[:6])
}

// driverLines is what the ttl-cache driver printed, one phase and name a
// line: "hot name=… elapsed=1s reads=98 errors=0 notfound=0 kept=95ms
// values=… error=…".
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

// servedValue is when the hot reads that returned one value were made,
// from the reads' start: the first to return it began (asked) and ended
// (returned), and the last began (last).
type servedValue struct{ asked, returned, last time.Duration }

// served reads the driver's "served" lines of name, by value fingerprint.
func (d driverLines) served(name string) map[string]servedValue {
	out := map[string]servedValue{}
	for _, l := range d {
		if !strings.HasPrefix(l, "served name="+name+" ") {
			continue
		}
		one := driverLines{l}
		var sv servedValue
		var errs [3]error
		sv.asked, errs[0] = time.ParseDuration(one.field("served", "", "asked"))
		sv.returned, errs[1] = time.ParseDuration(one.field("served", "", "returned"))
		sv.last, errs[2] = time.ParseDuration(one.field("served", "", "last"))
		if firstErr(errs[:]...) == nil {
			out[one.field("served", "", "value")] = sv
		}
	}
	return out
}

// has reports whether the driver printed a line of phase.
func (d driverLines) has(phase string) bool {
	return slices.ContainsFunc(d, func(l string) bool { return strings.HasPrefix(l, phase+" ") })
}

// The race check's name and reason; in Python, whose driver reports a
// thread that failed on shared state (a dict changed while another thread
// iterated it) with pyThreadFailure, they are said in Python's words.
const (
	checkNoRace     = "no data race (the driver runs under the race detector)"
	raceReason      = "the race detector saw two goroutines use the cache's map (or another field) at once, one of them writing: guard every access with a sync.Mutex"
	pyThreadFailure = "thread failure: "
)

// hotValues gives each hot name a new value each time the program fetches
// it, before the answer reaches the program, so every fetch returns a
// value of its own and the driver can time how long each was served.
type hotValues struct {
	mu     sync.Mutex
	values map[string][]string // name → every value it had, the first seeded
	err    error
}

// ttlMaxValues bounds the values a hot name gets (Secrets Manager keeps
// at most 100 versions without a label a day): a right cache fetches a
// dozen times, one that fetches on every read a hundred.
const ttlMaxValues = 40

// judged are the values of name whose serving can be judged: all, but the
// last once the name got no more new values.
func (h *hotValues) judged(name string) []string {
	fps := h.fingerprints(name)
	if len(fps) >= ttlMaxValues {
		fps = fps[:len(fps)-1]
	}
	return fps
}

func (h *hotValues) fingerprints(name string) []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var fps []string
	for _, v := range h.values[name] {
		fps = append(fps, fingerprint(v))
	}
	return fps
}

// failed is why a hot name could not get a new value, if it could not.
func (h *hotValues) failed() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.err
}

func (h *hotValues) all() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var all []string
	for _, vs := range h.values {
		all = append(all, vs[1:]...)
	}
	return all
}

// renew is the proxy's answered hook.
func (h *hotValues) renew(ctx context.Context, r *run) func(Request) {
	return func(q Request) {
		if q.Operation != "GetSecretValue" || q.Status != http.StatusOK {
			return
		}
		name := r.resolve(q.SecretID)
		h.mu.Lock()
		vs, hot := h.values[name]
		h.mu.Unlock()
		if !hot || len(vs) >= ttlMaxValues {
			return
		}
		v := ttlValue(strings.TrimPrefix(name, r.ns+"cache/"))
		_, err := r.client.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: awssdk.String(name), SecretString: awssdk.String(v)})
		h.mu.Lock()
		defer h.mu.Unlock()
		if err != nil {
			h.err = fmt.Errorf("changing %s: %s", name, explain(err))
			return
		}
		h.values[name] = append(h.values[name], v)
	}
}

func gradeTTLCache(ctx context.Context, r *run) {
	sc, err := seedTTLCache(ctx, r)
	if err != nil {
		r.fatal = err
		return
	}
	names, values := sc.names, sc.values
	hot := &hotValues{values: map[string][]string{names["hot-a"]: {values["hot-a"]}, names["hot-b"]: {values["hot-b"]}}}
	r.proxy.onAnswer(hot.renew(ctx, r))
	out, p, changeErr := r.converse(ctx, sc.env(), ttlTrigger, func() error { return sc.change(ctx, r.client) })
	r.proxy.onAnswer(nil)
	r.protect(hot.all()...)
	if err := firstErr(changeErr, hot.failed()); err != nil {
		r.fatal = fmt.Errorf("changing the secrets during the run: %s", explain(err))
		return
	}
	lines := driverLines(out)
	r.check("the driver runs to the end", 1, failIf(!slices.Contains(out, "done") || p.Code != 0, r.learnerPaths(p.summary(r.known))))
	if len(lines) == 0 {
		r.skip("the driver did not run: "+r.driverError(p), 1, r.say(checkNoRace), ttlValues, ttlUpper, ttlLower, ttlFresh, ttlNotKept, ttlRefreshErr, ttlCold, ttlMissing, ttlExpired)
		return
	}
	r.check(r.say(checkNoRace), 1, failIf(strings.Contains(p.Stderr, raceReport) || strings.Contains(p.Stderr, pyThreadFailure) || strings.Contains(p.Stderr, "Exception in thread"),
		r.say(raceReason)))

	reqs := r.requests()
	if why := r.unreported(lines, p, "hot", "long"); why != "" {
		r.skip(why, 1, ttlValues, ttlUpper, ttlLower, ttlFresh)
	} else if !r.check(ttlValues, ttlHintBasics, r.valuesReason(lines, names, values, hot)) {
		r.skip("Get did not return the values (see above)", ttlHintExpiry, ttlUpper, ttlLower, ttlFresh)
	} else {
		r.check(ttlUpper, ttlHintExpiry, r.upperReason(lines, reqs, names, hot))
		r.check(ttlLower, ttlHintExpiry, r.lowerReason(lines, reqs, names))
		r.check(ttlFresh, ttlHintExpiry, r.freshReason(lines, names, hot, sc.freshNew, sc.lateV))
	}
	r.check(ttlNotKept, ttlHintErrors, r.notKeptReason(lines, p, reqs, sc.late, sc.lateV))
	r.check(ttlRefreshErr, ttlHintErrors, r.refreshErrReason(lines, p, names["gone"], values["gone"]))
	r.check(ttlCold, ttlHintFlight, r.coldReason(lines, p, reqs, names["cold"], values["cold"]))
	r.check(ttlMissing, ttlHintErrors, r.missingReason(lines, p))
	r.check(ttlExpired, ttlHintFlight, r.expiredReason(lines, p, reqs, names["expire"], values["expire"]))
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// goroutines is what reads at once: goroutines in Go, threads in Python.
func (r *run) goroutines() string {
	if r.c.lang(r.ex) == Python {
		return "threads"
	}
	return "goroutines"
}

// inLang is goText in a Go run, pyText in a Python one: for advice whose
// words differ more than an identifier's (see say).
func (r *run) inLang(goText, pyText string) string {
	if r.c.lang(r.ex) == Python {
		return pyText
	}
	return goText
}

// learnerPaths names the learner's files in s as they are in the checkout
// (lessons/…/cache.py), not as the checker's temporary copy it ran.
func (r *run) learnerPaths(s string) string {
	if r.prog.dir == "" || r.ex == nil {
		return s
	}
	return strings.ReplaceAll(s, r.prog.dir+string(filepath.Separator), filepath.ToSlash(r.ex.Dir())+"/")
}

// driverError is what stopped the driver: the first line of the error it
// ended with (a Python exception's, not its traceback's), else how it
// ended.
func (r *run) driverError(p proc) string {
	line := ""
	if i := strings.LastIndex(p.Stderr, "Traceback (most recent call last):"); i >= 0 && !p.TimedOut {
		for _, l := range strings.Split(p.Stderr[i:], "\n")[1:] {
			if strings.TrimSpace(l) != "" && !strings.HasPrefix(l, " ") && !strings.HasPrefix(l, "\t") {
				line = strings.TrimSpace(l)
				break
			}
		}
	}
	if line == "" {
		return r.learnerPaths(p.summary(r.known))
	}
	return r.learnerPaths(truncate(scrub(r.known, line), 300))
}

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
