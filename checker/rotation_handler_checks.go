package checker

import (
	"context"
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
