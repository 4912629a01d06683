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
