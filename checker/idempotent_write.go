package checker

import (
	"context"
	"fmt"
	"slices"
	"strings"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// The checks of idempotent-write that the corpus names: a run without
// REQUEST_TOKEN and a retry that reuses it with another value must fail,
// and change nothing.
const (
	checkIdemPrints       = "prints both releases"
	checkIdemNoTokenFails = "without REQUEST_TOKEN it exits non-zero and names the variable"
	checkIdemNoTokenWrite = "without REQUEST_TOKEN it writes nothing"
	checkIdemReuseFails   = "a retry with the same token and another value exits non-zero and says why"
	checkIdemReuseWrite   = "a retry with the same token and another value changes nothing"
)

// idemFailHint is the hint on when the program must fail.
const idemFailHint = 4

func gradeIdempotentWrite(ctx context.Context, r *run) {
	sc, err := seedIdempotentWrite(ctx, r)
	if err != nil {
		r.fatal = err
		return
	}
	name, token, newValue := sc.name, sc.token, sc.newValue()
	oldRelease, newRelease := sc.oldRelease, sc.newRelease
	env := sc.env(token, newValue)

	first := r.exec(ctx, env, nil)
	r.check("the first run exits with status 0", 1, failIf(first.Code != 0, first.summary(r.known)))
	second := r.exec(ctx, env, nil)
	r.check("a second run with the same token exits with status 0", 1, failIf(second.Code != 0, second.summary(r.known)))

	reqs := r.requests()
	puts, bad := 0, 0
	for _, q := range reqs {
		if q.Operation == "PutSecretValue" && q.SecretID == name {
			puts++
			if q.ClientRequestToken != token {
				bad++
			}
		}
	}
	why := ""
	switch {
	case puts == 0:
		why = "it never called PutSecretValue on " + name
	case bad > 0:
		why = fmt.Sprintf("%d of %d PutSecretValue calls did not pass REQUEST_TOKEN as ClientRequestToken", bad, puts)
	}
	r.check("PutSecretValue passes REQUEST_TOKEN as ClientRequestToken", 1, why)

	vs, err := r.versions(ctx, name)
	if err != nil {
		r.fatal = fmt.Errorf("listing the versions of %s: %s", name, explain(err))
		return
	}
	versions := fmt.Sprintf("%d versions", len(vs))
	if len(vs) == 1 {
		versions = "1 version"
	}
	r.check("two runs made exactly one new version", 1, failIf(len(vs) != 2, "the secret has "+versions+" after two runs; it should have 2 (the seeded one and yours)"))

	d, _ := r.describe(ctx, name)
	if r.fatal != nil {
		return
	}
	v, err := r.value(ctx, name, "", token)
	written := err == nil && v == newValue
	why = ""
	if !slices.Contains(stagesOf(d, token), "AWSCURRENT") {
		why = "no version with id REQUEST_TOKEN is AWSCURRENT"
	} else if !written {
		why = "the new version's value is not NEW_VALUE"
	}
	r.check("the new version is AWSCURRENT and holds NEW_VALUE", 1, why)

	byStage, byID := false, false
	for _, q := range reqs {
		if q.Operation == "GetSecretValue" && q.SecretID == name && q.Status == 200 {
			byStage = byStage || q.VersionStage == "AWSPREVIOUS"
			byID = byID || q.VersionID == token
		}
	}
	r.check("reads AWSPREVIOUS by staging label", 2, failIf(!byStage, "no GetSecretValue with VersionStage AWSPREVIOUS succeeded"))
	r.check("reads the new version by version id", 2, failIf(!byID, "no GetSecretValue with VersionId set to the token succeeded"))
	// A retry changes nothing, so it prints what the first run printed:
	// the second run is judged too once the first is right (a program that
	// took the "previous" release from AWSCURRENT before its write prints
	// the new one there on a retry).
	why = r.releasesWrong("first", first.Stdout, oldRelease, newRelease)
	if why == "" && second.Code == 0 {
		why = r.releasesWrong("second", second.Stdout, oldRelease, newRelease)
	}
	r.check(checkIdemPrints, 3, why)

	r.gradeIdemFailures(ctx, sc, first, written, vs)
}

// releasesWrong says what is wrong with one run's output, if anything:
// both lines are there, and every line that starts like one of them gives
// its release.
func (r *run) releasesWrong(which, out, oldRelease, newRelease string) string {
	var lacks []string
	for _, l := range []struct{ prefix, want, fix string }{
		{"previous release:", oldRelease, "AWSPREVIOUS is the version that was current before the first run, on a retry too: read it by its label after the write"},
		{"new release:", newRelease, "read the version whose id is REQUEST_TOKEN"},
	} {
		found := false
		for _, line := range strings.Split(out, "\n") {
			rest, ok := strings.CutPrefix(strings.TrimSpace(line), l.prefix)
			if !ok {
				continue
			}
			found = true
			if got := strings.TrimSpace(rest); got != l.want {
				shown := truncate(scrub(r.known, l.prefix+" "+got), 120)
				return fmt.Sprintf("the %s run prints %q where it should print %q: %s", which, shown, l.prefix+" "+l.want, l.fix)
			}
		}
		if !found {
			lacks = append(lacks, l.prefix+" "+l.want)
		}
	}
	if len(lacks) > 0 {
		return fmt.Sprintf("the %s run's output lacks the line(s) %s", which, strings.Join(quoteAll(lacks), " and "))
	}
	return ""
}

// gradeIdemFailures runs the program twice more, where it must fail: once
// without REQUEST_TOKEN (no token, no idempotent write: a made-up one
// makes a version per retry), and once with the token of the version it
// wrote but another value (Secrets Manager answers ResourceExistsException:
// a version never changes). Both times it must exit non-zero with a
// message that says why, and change nothing.
func (r *run) gradeIdemFailures(ctx context.Context, sc *idemScenario, first proc, written bool, before []types.SecretVersionsListEntry) {
	name, token := sc.name, sc.token
	if first.Code != 0 {
		r.skip("the first run did not succeed", idemFailHint, checkIdemNoTokenFails, checkIdemNoTokenWrite, checkIdemReuseFails, checkIdemReuseWrite)
		return
	}

	mark := len(r.proxy.Requests())
	p := r.exec(ctx, sc.env("", sc.newValue()), nil)
	why := ""
	switch {
	case p.Code == 0 || p.TimedOut || p.Err != nil:
		why = "run without REQUEST_TOKEN, " + r.failedHow(p) + ": with no token a write cannot be repeated safely (a made-up one, or the SDK's own default, makes a new version on every retry), so check REQUEST_TOKEN before any call and exit non-zero (os.Exit(1)) with a message that names it"
	case !strings.Contains(p.Stderr, "REQUEST_TOKEN"):
		why = fmt.Sprintf("run without REQUEST_TOKEN, it exited with status %d but its message on stderr does not name REQUEST_TOKEN: say which variable is missing, so whoever runs the pipeline knows what to set", p.Code)
	}
	r.check(checkIdemNoTokenFails, idemFailHint, why)
	after, ok := r.idemChanges(ctx, name, before, mark, "run without REQUEST_TOKEN", "",
		"exit before any write when REQUEST_TOKEN is not set; never make up a token")
	if !ok {
		if r.fatal == nil {
			r.skip("the secret cannot be read after the run without REQUEST_TOKEN", idemFailHint, checkIdemReuseFails, checkIdemReuseWrite)
		}
		return
	}

	if !written {
		r.skip("no version with id REQUEST_TOKEN holds NEW_VALUE, so reusing the token with another value is no conflict", idemFailHint, checkIdemReuseFails, checkIdemReuseWrite)
		return
	}
	mark = len(r.proxy.Requests())
	p = r.exec(ctx, sc.env(token, releaseValue(sc.otherRelease, 5)), nil)
	const reuse = "run again with the same REQUEST_TOKEN and another NEW_VALUE (PutSecretValue answers ResourceExistsException: a version never changes)"
	why = ""
	switch {
	case p.Code == 0 || p.TimedOut || p.Err != nil:
		why = reuse + ", " + r.failedHow(p) + ": the pipeline must see that this write failed, so exit non-zero (os.Exit(1)) with a message that says the token was used for another value"
	case !saysTokenReused(p.Stderr, token):
		why = fmt.Sprintf("%s, it exited with status %d but its message on stderr does not say why: print the error (ResourceExistsException) or say that REQUEST_TOKEN was already used for another value", reuse, p.Code)
	}
	r.check(checkIdemReuseFails, idemFailHint, why)
	r.idemChanges(ctx, name, after, mark, reuse, token,
		"report the error and exit non-zero; never write again with another token (that is the very duplicate the token guards against)")
}

// failedHow says how a run that should have failed ended: an exit status
// 0 needs no stderr to explain it; a timeout or a failure to start does.
func (r *run) failedHow(p proc) string {
	if p.Code == 0 {
		return "it exited with status 0"
	}
	return p.summary(r.known)
}

// idemChanges records the check that one failing run changed nothing: no
// write it sent succeeded (requests from mark on), and the secret's
// versions and labels are those of before. It returns the versions after
// the run, and false when there is no secret left to go on with (or the
// backend failed: r.fatal).
func (r *run) idemChanges(ctx context.Context, name string, before []types.SecretVersionsListEntry, mark int, run, token, fix string) ([]types.SecretVersionsListEntry, bool) {
	check := checkIdemNoTokenWrite
	if token != "" {
		check = checkIdemReuseWrite
	}
	var writes []string
	for _, q := range r.requests()[mark:] {
		if q.Status != 200 || readOnly[q.Operation] {
			continue
		}
		w := q.Operation
		switch {
		case token != "" && q.Operation == "PutSecretValue" && q.ClientRequestToken != token:
			w += " with another ClientRequestToken"
		case token == "" && q.ClientRequestToken != "":
			w += " with a token made up by the program or the SDK"
		}
		if !slices.Contains(writes, w) {
			writes = append(writes, w)
		}
	}
	after, err := r.versions(ctx, name)
	// A secret the run deleted cannot be listed: that is the run's doing,
	// not the backend's.
	gone := err != nil && (isNotFound(err) || len(writes) > 0)
	if err != nil && !gone {
		r.fatal = fmt.Errorf("listing the versions of %s: %s", name, explain(err))
		return nil, false
	}
	why := ""
	switch {
	case len(writes) > 0:
		why = fmt.Sprintf("%s, it called %s, and that succeeded: %s", run, strings.Join(writes, " and "), fix)
	case gone:
		why = fmt.Sprintf("%s, the secret %s is gone: %s", run, name, fix)
	case !sameVersions(before, after):
		why = fmt.Sprintf("%s, the secret's versions or labels changed (%d versions before, %d after): %s", run, len(before), len(after), fix)
	}
	r.check(check, idemFailHint, why)
	return after, !gone
}

// readOnly are the operations that change nothing.
var readOnly = map[string]bool{
	"GetSecretValue": true, "BatchGetSecretValue": true, "DescribeSecret": true,
	"ListSecrets": true, "ListSecretVersionIds": true, "GetResourcePolicy": true,
	"ValidateResourcePolicy": true, "GetRandomPassword": true,
}

// saysTokenReused reports whether a message on stderr says why a write
// with a reused token failed: the error's name, the token, or words for
// it, however worded ("the request token was used before", "idempotency
// conflict", "version … holds a different value"). A message that says
// nothing of the token, the version or the conflict ("write failed")
// does not.
func saysTokenReused(stderr, token string) bool {
	stderr = strings.ToLower(stderr)
	for _, s := range []string{"resourceexists", "clientrequesttoken", "request_token", strings.ToLower(token), "already",
		"token", "conflict", "idempotency", "reuse", "re-use", "used before", "different value", "other value"} {
		if strings.Contains(stderr, s) {
			return true
		}
	}
	return false
}

// sameVersions reports whether two listings hold the same versions with
// the same labels.
func sameVersions(a, b []types.SecretVersionsListEntry) bool {
	labels := func(vs []types.SecretVersionsListEntry) map[string]string {
		m := map[string]string{}
		for _, v := range vs {
			st := slices.Clone(v.VersionStages)
			slices.Sort(st)
			m[awssdk.ToString(v.VersionId)] = strings.Join(st, ",")
		}
		return m
	}
	la, lb := labels(a), labels(b)
	if len(la) != len(lb) {
		return false
	}
	for id, st := range la {
		if s, ok := lb[id]; !ok || s != st {
			return false
		}
	}
	return true
}
