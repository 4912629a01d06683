package checker

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
)

const (
	cacheTTL         = 300 * time.Millisecond
	cacheSteadyFor   = time.Second
	cacheMaxSteady   = int(cacheSteadyFor/cacheTTL) + 2 // one per TTL, plus the first read and a margin
	cacheConcurrency = 16
)

func fingerprint(v string) string {
	sum := sha256.Sum256([]byte(v))
	return hex.EncodeToString(sum[:6])
}

func gradeTTLCache(ctx context.Context, r *run) {
	steadyV, freshV, coldV, freshNew := "steady-"+randHex(12), "fresh-"+randHex(12), "cold-"+randHex(12), "fresh-changed-"+randHex(12)
	r.known.Add(freshNew)
	// create seeds one secret, unless an earlier one failed.
	create := func(suffix, value string) (name string) {
		if r.fatal == nil {
			name, r.fatal = r.create(ctx, suffix, value, "")
		}
		return name
	}
	steady, fresh, cold := create("cache/steady", steadyV), create("cache/fresh", freshV), create("cache/cold", coldV)
	if r.fatal != nil {
		return
	}

	env := map[string]string{"SECRET_STEADY": steady, "SECRET_FRESH": fresh, "SECRET_COLD": cold, "CACHE_TTL": cacheTTL.String()}
	lines, p, changeErr := r.converse(ctx, env, "fresh before=", func() error { return r.put(ctx, fresh, freshNew, "") })
	if changeErr != nil {
		r.fatal = changeErr
		return
	}
	// field finds key=value in the first line starting with prefix that
	// has it.
	field := func(prefix, key string) string {
		for _, l := range lines {
			rest, ok := strings.CutPrefix(l, prefix)
			if !ok {
				continue
			}
			for _, kv := range strings.Fields(rest) {
				if k, v, ok := strings.Cut(kv, "="); ok && k == key {
					return v
				}
			}
		}
		return ""
	}
	done := slices.Contains(lines, "done")
	r.check("the driver runs to the end", 1, failIf(!done || p.Code != 0, p.summary(r.known)))

	why := ""
	if e := field("steady ", "errors"); e != "0" {
		why = fmt.Sprintf("%s of the steady reads returned an error", orNone(e))
	} else if v := field("steady ", "values"); v != fingerprint(steadyV) {
		why = "Get returned something other than the secret's value"
	}
	r.check("Get returns the secret's AWSCURRENT value", 1, why)

	reqs := r.proxy.Requests()
	reads := field("steady ", "reads")
	n := count(reqs, "GetSecretValue", steady)
	r.check("at most one GetSecretValue per TTL", 2, failIf(n > cacheMaxSteady || n == 0,
		fmt.Sprintf("%d GetSecretValue calls for %s reads in %s with a TTL of %s; expected at most %d: keep the value and reuse it until the TTL has passed", n, orNone(reads), cacheSteadyFor, cacheTTL, cacheMaxSteady)))

	after := field("fresh ", "after")
	r.check("fresh values after expiry", 2, failIf(after != fingerprint(freshNew),
		fmt.Sprintf("after the secret changed and the TTL (%s) passed, Get still did not return the new value: refetch an entry older than the TTL", cacheTTL)))

	c := count(reqs, "GetSecretValue", cold)
	why = ""
	switch {
	case field("cold ", "errors") != "0":
		why = "some concurrent reads of a key not cached yet returned an error"
	case field("cold ", "values") != fingerprint(coldV):
		why = "concurrent reads of a key not cached yet returned a wrong value"
	case c != 1:
		why = fmt.Sprintf("%d goroutines reading a key not cached yet made %d GetSecretValue calls; expected 1: let one goroutine fetch while the others wait", cacheConcurrency, c)
	}
	r.check("concurrent reads of a cold key make one call", 3, why)
}
