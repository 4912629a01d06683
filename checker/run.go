package checker

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"time"

	"secretlings/mask"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// run is one grading in progress.
type run struct {
	c  *Checker
	ex *Exercise
	// client reads and seeds state, straight to the backend (not through
	// the proxy, so none of it counts as the learner's traffic).
	client *secretsmanager.Client
	ns     string
	proxy  *proxy
	bin    string
	prog   program // how the program starts: bin, or an interpreter and a file
	// known holds the values the run seeded or read (whole) and the
	// protected ones, for masking what the program printed; secret holds
	// only the values it must never reveal, in any form, anywhere.
	known, secret *mask.LeakScanner
	// outputJudged is set by a grader that checked the output for leaks
	// itself.
	outputJudged bool
	protected    []string // the values registered in secret
	box          sandbox
	// keyID and keySecret are the program's dummy credentials, new for
	// every grading (see env).
	keyID, keySecret string
	// schema is a test exercise's mutant schema, and schemaBin the test
	// binary built with it.
	schema    *schema
	schemaBin []byte
	// covered says the baseline was built with coverage.
	covered bool
	names   []string          // secrets to delete afterwards
	arns    map[string]string // ARN → name of the secrets the run seeded
	res     Result
	// fatal is set when grading itself failed (the backend is down).
	fatal error
	// output collects what the program printed, for the leak checks;
	// transcript the same, each run under a line saying which it was, with
	// paths as in the checkout, for Result.Output.
	output, transcript bytes.Buffer
	runs               int // the runs recorded in transcript
}

func (c *Checker) newRun(ex *Exercise, ns string) *run {
	r := &run{c: c, ex: ex, ns: ns, client: c.Backend.Client, known: mask.NewLeakScanner(), secret: mask.NewLeakScanner()}
	if ex != nil {
		r.res.Exercise = ex.ID
	}
	r.res.Namespace = ns
	return r
}

// start puts the recording proxy in front of the backend.
func (r *run) start() error {
	b := r.c.Backend
	upstream := b.Endpoint
	var sign func(*http.Request, []byte) error
	if upstream == "" {
		upstream = "https://secretsmanager." + b.Region + ".amazonaws.com"
	}
	if b.Client != nil {
		// The program signs with random dummy credentials (see env):
		// every backend, local or AWS, gets the request signed again with
		// the checker's own, as if the program had used them.
		sign = sigV4Signer(b.Client.Options().Credentials, b.Region)
	}
	p, err := startProxy(upstream, sign)
	if err != nil {
		return fmt.Errorf("starting the recording proxy: %w", err)
	}
	r.proxy = p
	return nil
}

func (r *run) stop() {
	if r.proxy != nil {
		_ = r.proxy.Close()
	}
	r.box.close()
	if r.prog.dir != "" {
		removeOwn(r.prog.dir)
	}
}

func (r *run) cleanup() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_ = r.deleteNamespace(ctx)
}

// check records one check: an empty reason means it passed.
func (r *run) check(name string, hint int, reason string) bool {
	if reason != "" && r.c.lang(r.ex) == Python {
		reason = pyIdentifiers.Replace(reason)
	}
	c := Check{Name: name, Passed: reason == "", Reason: reason}
	if !c.Passed {
		c.Hint = hint
	}
	r.res.Checks = append(r.res.Checks, c)
	return c.Passed
}

// pass records a passed check with what passed, such as which test caught
// a mutant.
func (r *run) pass(name, what string) {
	r.res.Checks = append(r.res.Checks, Check{Name: name, Passed: true, Reason: what})
}

// skip records checks that cannot be judged because an earlier one failed.
func (r *run) skip(why string, hint int, names ...string) {
	for _, n := range names {
		r.check(n, hint, "not checked: "+why)
	}
}

func (r *run) finish(start time.Time) *Result {
	r.sandboxChecks()
	res := r.res
	res.Passed = len(res.Checks) > 0
	for _, c := range res.Checks {
		if !c.Passed {
			res.Passed = false
		}
	}
	if f := res.FirstFailed(); f != nil && f.Hint > 0 && r.ex != nil {
		if hints, err := HintsIn(r.c.Root, r.ex, r.c.lang(r.ex)); err == nil && f.Hint <= len(hints) {
			res.NextHint = hints[f.Hint-1]
		}
	}
	shown := r.transcript.String()
	if shown == "" {
		shown = r.inCheckout(r.output.String()) // a test exercise's runs
	}
	res.Output = tailBytes(tail(scrub(r.known, shown), outputLines), outputBytes)
	if r.ex != nil && r.ex.Kind == Code {
		res.Lang = r.c.lang(r.ex).String()
	}
	res.secrets = r.protected
	res.Duration = time.Since(start)
	return &res
}

// seedName registers a secret the run creates, so cleanup deletes it.
func (r *run) seedName(suffix string) string {
	n := r.ns + suffix
	r.names = append(r.names, n)
	return n
}
