package checker

import (
	"context"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha3"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"secretlings/aws/rotation"
	"secretlings/aws/rotation/demoservice"
)

// Names of the rotation handler's checks, in the order they are reported.
const (
	checkRotationCompletes = "a rotation completes: the new version is AWSCURRENT, the old one AWSPREVIOUS"
	checkStepsIdempotent   = "every step can run twice (idempotent)"
	checkOnlySetRegisters  = "only setSecret registers a key"
	checkSetBeforeTest     = "setSecret registers the pending key before testSecret"
	checkCurrentKeyKept    = "the current key works until finishSecret"
	checkTestUsesPending   = "testSecret logs in with the pending key"
	checkNewKeyAccepted    = "the demo service accepts the new key"
	checkKeyRandom         = "the new key is random, not derived from the token or the old key"
	checkOldKeyRevoked     = "the old keys are revoked, a failed rotation's too"
	checkCurrentWorks      = "AWSCURRENT's key works after every step, even when finishSecret fails"
	checkFailingTest       = "a failing testSecret (401, 503, another user) leaves AWSCURRENT untouched"
	checkStaleEvents       = "a step for a version that is not AWSPENDING changes nothing"
)

// staleHint is the hint on the checks every step does first (hint 6).
const staleHint = 6

// report records the checks on the three rotations and the stale events;
// second and third are nil when the first rotation did not complete, stale
// when the third did not.
func (g *rotationGrading) report(ctx context.Context, first, second, third *rotationResult, stale []stepRun) {
	g.checkCompletes(first, third)
	g.checkIdempotent(first)
	g.checkOnlySetRegisters(first, second, third)
	g.checkSetBeforeTest(first)
	g.checkCurrentKeyKept(first)
	g.checkTestUsesPending(first)
	g.checkNewKey(ctx, first)
	g.checkKeyRandom(first, second, third)
	g.checkOldKeysRevoked(first, third)
	g.checkCurrentWorks(first, second, third)
	g.checkFailingTest(first, second)
	g.checkStale(stale, third)
}

// earlyCurrentWhy says that step made the new version current before it
// was tested: PutSecretValue without VersionStages does that.
func (g *rotationGrading) earlyCurrentWhy(step string) string {
	return fmt.Sprintf("%s made the new version AWSCURRENT at once, before setSecret registered its key and testSecret proved it (PutSecretValue without VersionStages makes the version it stores current, and the steps after it then find nothing to do): store it as AWSPENDING, with %s",
		step, g.r.say("s.PutPending"))
}

// unjudged says why a check on res cannot be judged ("not checked: …"),
// or "" when res completed.
func (res *rotationResult) unjudged() string {
	switch {
	case res.earlyCurrent != "":
		return "not checked: " + res.earlyCurrent + " made the new version AWSCURRENT at once (see the first check)"
	case res.firstFail != nil:
		return "not checked: the rotation did not complete (" + res.firstFail.cause() + ")"
	case !res.completed():
		return "not checked: the rotation did not complete"
	}
	return ""
}

// stoppedBefore explains a check that could not be judged because the
// rotation never ran step.
func (res *rotationResult) stoppedBefore(step string) string {
	if res.earlyCurrent != "" {
		return res.unjudged()
	}
	if ff := res.firstFail; ff != nil {
		return fmt.Sprintf("not checked: the rotation stopped before %s (%s)", step, ff.cause())
	}
	return "not checked: the rotation never ran " + step
}

// hintFor is the hint for the first failure of res.
func (res *rotationResult) hintFor() int {
	if ff := res.firstFail; ff != nil {
		return stepHint(ff.step)
	}
	return 1
}

// labels shows a version's labels for a reason.
func labels(stages []string) string {
	if len(stages) == 0 {
		return "no label"
	}
	return strings.Join(stages, ", ")
}

func (g *rotationGrading) checkCompletes(first, third *rotationResult) {
	previousWhy := func(res *rotationResult, old string) string {
		return fmt.Sprintf("after the rotation the old version has %s, not AWSPREVIOUS: Secrets Manager puts AWSPREVIOUS on the old version by itself when AWSCURRENT moves from it, and apps fall back to it; remove no label but AWSPENDING",
			labels(stagesOf(res.d, old)))
	}
	why, hint := "", 1
	switch {
	case first.earlyCurrent != "":
		why, hint = g.earlyCurrentWhy(first.earlyCurrent), stepHint(first.earlyCurrent)
	case first.firstFail != nil && !first.completed():
		why, hint = first.firstFail.failure(), first.hintFor()
	case !first.completed():
		why = "AWSCURRENT did not move to the new version"
	case !slices.Contains(stagesOf(first.d, g.seedVersion), "AWSPREVIOUS"):
		why, hint = previousWhy(first, g.seedVersion), 3
	case third == nil:
	case third.earlyCurrent != "":
		why, hint = "in a later rotation, "+g.earlyCurrentWhy(third.earlyCurrent), stepHint(third.earlyCurrent)
	case !third.completed():
		why, hint = "a rotation after a failed one (with a new token, once the failed version's AWSPENDING was removed) did not complete", third.hintFor()
		if ff := third.firstFail; ff != nil {
			why += ": " + ff.failure()
		}
	case !slices.Contains(stagesOf(third.d, first.version), "AWSPREVIOUS"):
		why, hint = previousWhy(third, first.version), 3
	}
	g.r.check(checkRotationCompletes, hint, why)
}

func (g *rotationGrading) checkIdempotent(res *rotationResult) {
	for i, s := range res.runs {
		if s.attempt != 2 || s.err == "" {
			continue
		}
		why := fmt.Sprintf("step %s worked once but failed when run again: %s", s.step, s.err)
		switch {
		case i > 0 && res.runs[i-1].injected:
			why = fmt.Sprintf("finishSecret failed when run again after its first run could not move AWSCURRENT (the checker made that call fail, as a throttled or interrupted call would): %s. The retry must finish the job: move AWSCURRENT, then revoke the other keys", s.err)
		case s.step == rotation.StepCreateSecret:
			why += " (make the new key only while the pending version has no value)"
		}
		g.r.check(checkStepsIdempotent, stepHint(s.step), why)
		return
	}
	why := ""
	switch {
	case res.earlyCurrent != "":
		why = res.unjudged()
	case res.firstFail != nil:
		why = "not checked: " + res.firstFail.cause() + " on its first run"
		if res.firstFail.loadErr {
			why = "not checked: " + res.firstFail.cause()
		}
	}
	g.r.check(checkStepsIdempotent, res.hintFor(), why)
}

// checkOnlySetRegisters wants createSecret, testSecret and finishSecret to
// register no key, in any rotation: a key registered anywhere but setSecret
// is either never tested or live before its version exists. The key log
// shows a key revoked and registered again within one step, which the
// keys before and after it would hide.
func (g *rotationGrading) checkOnlySetRegisters(results ...*rotationResult) {
	for _, res := range results {
		if res == nil {
			continue
		}
		for _, s := range res.runs {
			added := s.added()
			if s.step == rotation.StepSetSecret || len(added) == 0 {
				continue
			}
			why := map[string]string{
				rotation.StepCreateSecret: "createSecret registered a key with the demo service: it must only store the new key as the pending version; setSecret registers it",
				rotation.StepTestSecret:   "testSecret registered a key with the demo service: it must only prove that the key setSecret registered works",
				rotation.StepFinishSecret: "finishSecret registered a key, after testSecret ran: register the pending key in setSecret, so testSecret proves it before AWSCURRENT moves",
			}[s.step]
			if s.step == rotation.StepFinishSecret && slices.ContainsFunc(added, func(fp string) bool { return slices.Contains(s.removed(), fp) }) {
				why = "finishSecret revoked the new key and registered it again: meanwhile the user had no working key (an outage), and the key it registered was never tested. Revoke every key but the new one (RevokeOtherKeys keeping it) after PromotePending, and register nothing"
			}
			g.r.check(checkOnlySetRegisters, stepHint(s.step), why)
			return
		}
	}
	g.r.check(checkOnlySetRegisters, 1, results[0].unjudged())
}

// checkSetBeforeTest wants the pending key valid, for the secret's user,
// when testSecret starts, and setSecret to have registered nothing else.
func (g *rotationGrading) checkSetBeforeTest(res *rotationResult) {
	sets := res.ran(rotation.StepSetSecret)
	why := ""
	switch {
	case res.earlyCurrent != "":
		why = res.unjudged()
	case len(sets) == 0:
		why = res.stoppedBefore("setSecret")
	case res.pending == "":
		why = "not checked: the new version has no {\"username\":…,\"api_key\":…} value"
	default:
		keys := sets[len(sets)-1].after
		if tests := res.ran(rotation.StepTestSecret); len(tests) > 0 {
			keys = tests[0].before
		}
		owner, ok := keys[res.pendingFP]
		switch {
		case !ok:
			why = "when testSecret started, the demo service did not know the pending key: setSecret must register it (AddKey with the key from s.PendingValue), so testSecret can prove it"
		case owner != g.user:
			why = fmt.Sprintf("setSecret registered the pending key for user %q; register it for %q, the user in the secret", owner, g.user)
		}
		for _, s := range sets {
			if why == "" && slices.ContainsFunc(s.added(), func(fp string) bool { return fp != res.pendingFP }) {
				why = "setSecret registered a key that is not the pending version's: register the key read with s.PendingValue"
			}
		}
	}
	g.r.check(checkSetBeforeTest, 2, why)
}

// checkCurrentKeyKept wants the current key valid until finishSecret: apps
// use it until AWSCURRENT moves, and a failed test must leave it working.
func (g *rotationGrading) checkCurrentKeyKept(res *rotationResult) {
	oldFP := demoservice.Fingerprint(g.oldKey)
	for _, s := range res.runs {
		if s.step != rotation.StepFinishSecret && slices.Contains(s.removed(), oldFP) {
			g.r.check(checkCurrentKeyKept, stepHint(s.step), fmt.Sprintf(
				"%s revoked the current key while it was still AWSCURRENT: apps use it until finishSecret moves the label, and a failed test must leave it working; revoke old keys only in finishSecret, after PromotePending", s.step))
			return
		}
	}
	why := ""
	switch {
	case res.earlyCurrent != "":
		why = res.unjudged()
	case len(res.ran(rotation.StepTestSecret)) == 0:
		why = res.stoppedBefore("testSecret")
	}
	g.r.check(checkCurrentKeyKept, 3, why)
}

// checkTestUsesPending wants testSecret to present the pending key to the
// service: testing any other key proves nothing about the new one.
func (g *rotationGrading) checkTestUsesPending(res *rotationResult) {
	tests := res.ran(rotation.StepTestSecret)
	why := ""
	switch {
	case res.earlyCurrent != "":
		why = res.unjudged()
	case len(tests) == 0:
		why = res.stoppedBefore("testSecret")
	case res.pending == "":
		why = "not checked: the new version has no {\"username\":…,\"api_key\":…} value"
	default:
		why = testSecretUse(tests, res.pendingFP, demoservice.Fingerprint(g.oldKey))
	}
	g.r.check(checkTestUsesPending, 4, why)
}

// testSecretUse judges the keys testSecret's runs presented.
func testSecretUse(tests []stepRun, pendingFP, currentFP string) string {
	var presented []demoservice.Access
	for _, s := range tests {
		presented = append(presented, s.accesses...)
	}
	for _, s := range tests {
		for _, a := range s.accesses {
			if a.Key == pendingFP && !a.Accepted && s.err == "" {
				return "the demo service refused the pending key during testSecret, yet testSecret returned no error: return WhoAmI's error"
			}
		}
	}
	switch {
	case slices.ContainsFunc(presented, func(a demoservice.Access) bool { return a.Key == pendingFP }):
		return ""
	case slices.ContainsFunc(presented, func(a demoservice.Access) bool { return a.Key == currentFP }):
		return "testSecret logged in with the current key (AWSCURRENT), not the pending one, which proves nothing about the new key: log in with the key read with s.PendingValue"
	case len(presented) > 0:
		return fmt.Sprintf("testSecret presented %d key(s) to the demo service, none of them the pending version's: log in with the key read with s.PendingValue", len(presented))
	}
	return "testSecret never logged in to the demo service: call WhoAmI with the pending key, and return its error, to prove the key works before AWSCURRENT moves"
}

// checkNewKey checks that the service takes the new key, for the user.
func (g *rotationGrading) checkNewKey(ctx context.Context, res *rotationResult) {
	r := g.r
	why := res.unjudged()
	if why == "" {
		if v, err := r.value(ctx, g.name, "", res.version); err != nil {
			why = "reading the new version failed: " + explain(err)
		} else if s, err := rotation.ParseAPIKeySecret(v); err != nil {
			why = "the new version is not {\"username\":…,\"api_key\":…} JSON"
		} else {
			owner, ok := res.keysAfter()[demoservice.Fingerprint(s.APIKey)]
			switch {
			case s.Username != g.user:
				why = fmt.Sprintf("the new version is for user %q; keep the user %q", s.Username, g.user)
			case s.APIKey == g.oldKey:
				why = "the new version holds the old key: createSecret must make a new one"
			case !ok || owner != g.user:
				why = "the demo service does not accept the new key: setSecret must register it with AddKey"
			}
		}
	}
	r.check(checkNewKeyAccepted, 2, why)
}

// keysAfter are the service's keys when the rotation's last run ended.
func (res *rotationResult) keysAfter() map[string]string {
	if len(res.runs) == 0 {
		return nil
	}
	return res.runs[len(res.runs)-1].after
}

// userKeys counts the keys of user in keys.
func userKeys(keys map[string]string, user string) int {
	n := 0
	for _, u := range keys {
		if u == user {
			n++
		}
	}
	return n
}

// checkKeyRandom wants every new key unpredictable: not computed from
// what the secret's metadata shows (the token is the version id), from the
// user, or from an earlier key, and never one an earlier version had. A
// key drawn from a weak random source (Python's random module) cannot be
// told apart by what it does; the hints name the right sources.
func (g *rotationGrading) checkKeyRandom(results ...*rotationResult) {
	why := ""
	seen := []string{g.oldKey}
	for _, res := range results {
		if res == nil || res.pending == "" || why != "" {
			continue
		}
		inputs := []derivationInput{
			{"the rotation's token (the new version's id, which anyone who may describe the secret sees)", res.version},
			{"the secret's ARN", g.secretARN},
			{"the user name", g.user},
		}
		for _, k := range seen {
			inputs = append(inputs, derivationInput{"the old key", k})
		}
		if src := derivedFrom(res.pending, inputs); src != "" {
			why = fmt.Sprintf("the new key is computed from %s, so whoever knows that can compute the key: draw it from a cryptographically secure random source, as rotation.NewAPIKey() does", src)
		} else if slices.Contains(seen, res.pending) {
			why = "createSecret stored a key that an earlier version already had, for a new version: make a new random key whenever the pending version has no value yet (rotation.NewAPIKey())"
		}
		seen = append(seen, res.pending)
	}
	if why == "" && results[0].pending == "" {
		why = "not checked: the new version has no {\"username\":…,\"api_key\":…} value"
		if u := results[0].unjudged(); u != "" {
			why = u
		}
	}
	g.r.check(checkKeyRandom, 1, why)
}

// derivationInput is a value a key might be computed from, and its name
// for a reason.
type derivationInput struct{ name, value string }

// derivationWindow is how many characters of a derived form a key must
// contain to count as computed from it: a random key shares no run that
// long with any of them (the odds are below 2^-60).
const derivationWindow = 16

// derivedFrom names the input key was computed from by a common
// derivation (the input itself, or its MD5, SHA-1, SHA-2 or SHA-3 digest,
// in hex or base64), judged by a run of derivationWindow characters the
// key shares with one of them; "" when none.
func derivedFrom(key string, inputs []derivationInput) string {
	hashes := []func([]byte) []byte{
		func(b []byte) []byte { s := md5.Sum(b); return s[:] },
		func(b []byte) []byte { s := sha1.Sum(b); return s[:] },
		func(b []byte) []byte { s := sha256.Sum224(b); return s[:] },
		func(b []byte) []byte { s := sha256.Sum256(b); return s[:] },
		func(b []byte) []byte { s := sha512.Sum384(b); return s[:] },
		func(b []byte) []byte { s := sha512.Sum512(b); return s[:] },
		func(b []byte) []byte { s := sha3.Sum256(b); return s[:] },
		func(b []byte) []byte { s := sha3.Sum512(b); return s[:] },
	}
	encode := func(b []byte) []string {
		h := hex.EncodeToString(b)
		return []string{h, strings.ToUpper(h), base64.StdEncoding.EncodeToString(b), base64.URLEncoding.EncodeToString(b)}
	}
	lower := strings.ToLower(key)
	shares := func(form string) bool {
		for i := 0; i+derivationWindow <= len(form); i++ {
			if strings.Contains(key, form[i:i+derivationWindow]) || strings.Contains(lower, strings.ToLower(form[i:i+derivationWindow])) {
				return true
			}
		}
		return false
	}
	for _, in := range inputs {
		if in.value == "" {
			continue
		}
		for _, v := range []string{in.value, strings.ReplaceAll(in.value, "-", "")} {
			forms := append([]string{v}, encode([]byte(v))...)
			for _, h := range hashes {
				forms = append(forms, encode(h([]byte(v)))...)
			}
			if slices.ContainsFunc(forms, shares) {
				return in.name
			}
		}
	}
	return ""
}

// checkOldKeysRevoked wants the user left with the new key alone after a
// rotation: after the first, the seeded key revoked; after the one that
// follows the failed rotation, that rotation's key (registered by its
// setSecret) revoked too.
func (g *rotationGrading) checkOldKeysRevoked(first, third *rotationResult) {
	why := first.unjudged()
	switch {
	case why != "":
	case first.pending == "":
		why = "not checked: the new version has no {\"username\":…,\"api_key\":…} value"
	default:
		keys := first.keysAfter()
		if _, oldWorks := keys[demoservice.Fingerprint(g.oldKey)]; oldWorks {
			why = "the old key still works after finishSecret: revoke it (RevokeOtherKeys keeping the new key) after PromotePending"
		} else if n := userKeys(keys, g.user); n != 1 {
			why = fmt.Sprintf("the user still has %d keys after finishSecret: revoke all but the new one with RevokeOtherKeys", n)
		}
	}
	if why == "" && third != nil {
		keys := third.keysAfter()
		switch {
		case third.unjudged() != "":
			why = "not checked: the rotation after the failed one did not complete"
		case userKeys(keys, g.user) != 1:
			why = fmt.Sprintf("after the rotation that followed a failed one, the user still has %d keys: the failed rotation's key, which its setSecret registered, still works, and no version holds it any more. Revoke every key of the user but the new one (RevokeOtherKeys keeping it), not only the key that was AWSCURRENT", userKeys(keys, g.user))
		}
	}
	g.r.check(checkOldKeyRevoked, 3, why)
}

// checkCurrentWorks wants the demo service to accept the key AWSCURRENT
// names after every step run of every rotation: that is the key every app
// reads. In the first rotation the checker fails finishSecret's first move
// of AWSCURRENT, so a finishSecret that revokes before it moves the label
// leaves AWSCURRENT naming a revoked key.
func (g *rotationGrading) checkCurrentWorks(results ...*rotationResult) {
	which := []string{"the first rotation", "the failing rotation", "the rotation after it"}
	for i, res := range results {
		if res == nil {
			continue
		}
		if res.earlyCurrent != "" {
			g.r.check(checkCurrentWorks, stepHint(res.earlyCurrent), res.unjudged())
			return
		}
		for _, s := range res.runs {
			why := ""
			switch {
			case s.injected && s.err == "":
				why = "finishSecret returned success although moving AWSCURRENT failed (the checker made that UpdateSecretVersionStage fail): return the error, so that Secrets Manager runs the step again; a rotation reported done must have moved AWSCURRENT"
			case s.broken == "":
			case s.injected:
				why = "finishSecret revoked keys before moving AWSCURRENT, and the move failed (the checker made it fail, as a throttled or interrupted call would): " + s.broken + ", an outage until someone repairs it. Revoke old keys only after PromotePending has succeeded"
			case s.step == rotation.StepFinishSecret:
				why = fmt.Sprintf("after finishSecret in %s, %s: every app reading the secret then gets a key that does not work. Revoke old keys only after PromotePending has succeeded, and never the new key", which[i], s.broken)
			default:
				why = fmt.Sprintf("after %s in %s, %s: every app reading the secret then gets a key that does not work. Only finishSecret may revoke keys, once AWSCURRENT names the new one", s.step, which[i], s.broken)
			}
			if why != "" {
				g.r.check(checkCurrentWorks, stepHint(s.step), why)
				return
			}
		}
	}
	g.r.check(checkCurrentWorks, 3, results[0].unjudged())
}

// checkFailingTest judges the second rotation, whose testSecret ran once
// per fault of the demo service (the pending key refused, the service
// failing, the key answered for another user): every run must fail,
// AWSCURRENT stay, and the current key keep working.
func (g *rotationGrading) checkFailingTest(first, second *rotationResult) {
	if second == nil {
		why := first.unjudged()
		if why == "" {
			why = "not checked: the first rotation did not complete"
		}
		g.r.check(checkFailingTest, first.hintFor(), why)
		return
	}
	tests := second.ran(rotation.StepTestSecret)
	why, hint := "", 4
	switch {
	case second.earlyCurrent != "":
		why, hint = "in the second rotation, "+g.earlyCurrentWhy(second.earlyCurrent), stepHint(second.earlyCurrent)
	case len(tests) == 0 && second.firstFail != nil:
		why, hint = "the second rotation stopped before testSecret: "+second.firstFail.failure(), stepHint(second.firstFail.step)
	case len(tests) == 0:
		why = "the second rotation stopped before testSecret"
	}
	for _, s := range tests {
		if why != "" || s.err != "" {
			continue
		}
		presented := slices.ContainsFunc(s.accesses, func(a demoservice.Access) bool { return a.Key == second.pendingFP })
		switch {
		case second.pending == "":
			why = "testSecret returned success although the new version holds no key"
		case !presented:
			why = fmt.Sprintf("testSecret returned success without presenting the pending key, which the demo service was answering with %s: AWSCURRENT would move to a key nobody tested. Log in with the key read with s.PendingValue", s.fault)
		case s.fault == demoservice.Refuse:
			why = "the demo service refused the pending key (401), yet testSecret returned success: return WhoAmI's error, so AWSCURRENT stays on the key that works"
		case s.fault == demoservice.Unavailable:
			why = "the demo service answered 503 (unavailable) for the pending key, yet testSecret returned success: an error of any kind (a 5xx, no connection) proves nothing about the key, so return it; Secrets Manager retries the rotation later"
		case s.fault == demoservice.OtherUser:
			why = fmt.Sprintf("the demo service said the pending key belongs to another user (%q), yet testSecret returned success: compare the user WhoAmI answers with the username in the secret", demoservice.OtherUserName)
		}
	}
	if why == "" {
		switch cur := versionWith(second.d, "AWSCURRENT"); {
		case cur != first.version:
			why = "AWSCURRENT moved during the rotation whose testSecret failed: only finishSecret may move it"
		default:
			if owner, ok := second.keysAfter()[first.pendingFP]; !ok || owner != g.user {
				why, hint = "after the failed rotation the current key no longer works: only finishSecret may revoke keys", 3
			}
		}
	}
	g.r.check(checkFailingTest, hint, why)
}

// checkStale judges the events sent after the third rotation: each must
// have the outcome AWS's rotation template gives it (a step for the
// AWSCURRENT version returns at once; a token that is no version, a version
// that is not AWSPENDING, or a secret whose rotation is off fails) and
// change nothing: no label, no version, no key.
func (g *rotationGrading) checkStale(stale []stepRun, third *rotationResult) {
	if stale == nil {
		why := "not checked: the first rotation did not complete"
		if third != nil {
			why = "not checked: the rotation after the failed one did not complete"
		}
		g.r.check(checkStaleEvents, staleHint, why)
		return
	}
	for i, s := range stale {
		e := staleEvents[i]
		var did []string
		switch {
		case e.succeed && s.err != "":
			did = append(did, "failed ("+s.err+")")
		case !e.succeed && s.err == "":
			did = append(did, "returned success")
		}
		if !sameStages(s.stagesBefore, s.stagesAfter) {
			did = append(did, "changed the secret's versions or labels")
		}
		if len(s.added()) > 0 {
			did = append(did, "registered a key")
		}
		if len(s.removed()) > 0 {
			did = append(did, "revoked a key")
		}
		if len(did) == 0 {
			continue
		}
		fix := "before every step, describe the secret (DescribeSecret) and return at once when the token's version is AWSCURRENT; fail when rotation is not enabled, when the token is not in VersionIdsToStages, or when its version is not AWSPENDING, as AWS's rotation template does"
		if s.loadErr {
			fix = "handler.py could not be loaded"
		}
		g.r.check(checkStaleEvents, staleHint, fmt.Sprintf("a %s event for %s %s: %s", s.step, e.about, joinAnd(did), fix))
		return
	}
	g.r.check(checkStaleEvents, staleHint, "")
}

// joinAnd joins phrases as a sentence does: "a, b and c".
func joinAnd(ss []string) string {
	if len(ss) < 2 {
		return strings.Join(ss, "")
	}
	return strings.Join(ss[:len(ss)-1], ", ") + " and " + ss[len(ss)-1]
}
