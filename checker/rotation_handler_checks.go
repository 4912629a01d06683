package checker

import (
	"context"
	"fmt"
	"slices"

	"secretlings/aws/rotation"
	"secretlings/aws/rotation/demoservice"
)

// Names of the rotation handler's checks, in the order they are reported.
const (
	checkRotationCompletes = "a rotation completes: the new version is AWSCURRENT"
	checkStepsIdempotent   = "every step can run twice (idempotent)"
	checkOnlySetRegisters  = "only setSecret registers a key"
	checkSetBeforeTest     = "setSecret registers the pending key before testSecret"
	checkCurrentKeyKept    = "the current key works until finishSecret"
	checkTestUsesPending   = "testSecret logs in with the pending key"
	checkNewKeyAccepted    = "the demo service accepts the new key"
	checkOldKeyRevoked     = "the old key is revoked"
	checkFailingTest       = "a failing testSecret leaves AWSCURRENT untouched"
)

// checkFirstRotation records the checks on the first rotation, and reports
// whether it completed.
func (g *rotationGrading) checkFirstRotation(ctx context.Context, res *rotationResult) bool {
	r := g.r
	completed := slices.Contains(stagesOf(res.d, res.version), "AWSCURRENT")
	why, hint := "", 1
	if ff := res.firstFail; ff != nil {
		hint = stepHint(ff.step)
	}
	if !completed {
		why = "AWSCURRENT did not move to the new version"
		if ff := res.firstFail; ff != nil {
			why = fmt.Sprintf("step %s failed: %s", ff.step, ff.err)
			if ff.attempt == 2 {
				why = fmt.Sprintf("step %s failed when run again: %s", ff.step, ff.err)
			}
		}
	}
	r.check(checkRotationCompletes, hint, why)
	g.checkIdempotent(res)
	g.checkOnlySetRegisters(res, completed)
	g.checkSetBeforeTest(res)
	g.checkCurrentKeyKept(res)
	g.checkTestUsesPending(res)
	g.checkNewKey(ctx, res, completed)
	return completed
}

// stoppedBefore explains a check that could not be judged because the
// rotation never ran step.
func (res *rotationResult) stoppedBefore(step string) string {
	if ff := res.firstFail; ff != nil {
		return fmt.Sprintf("not checked: the rotation stopped before %s (step %s failed)", step, ff.step)
	}
	return "not checked: the rotation never ran " + step
}

func (g *rotationGrading) checkIdempotent(res *rotationResult) {
	for _, s := range res.runs {
		if s.attempt == 2 && s.err != "" {
			why := fmt.Sprintf("step %s worked once but failed when run again: %s", s.step, s.err)
			if s.step == rotation.StepCreateSecret {
				why += " (make the new key only while the pending version has no value)"
			}
			g.r.check(checkStepsIdempotent, stepHint(s.step), why)
			return
		}
	}
	why, hint := "", 1
	if ff := res.firstFail; ff != nil {
		why, hint = "not checked: step "+ff.step+" failed on its first run", stepHint(ff.step)
	}
	g.r.check(checkStepsIdempotent, hint, why)
}

// checkOnlySetRegisters wants createSecret, testSecret and finishSecret to
// leave the service's keys alone: a key registered anywhere but setSecret
// is either never tested or live before its version exists.
func (g *rotationGrading) checkOnlySetRegisters(res *rotationResult, completed bool) {
	for _, s := range res.runs {
		if s.step == rotation.StepSetSecret || len(s.added()) == 0 {
			continue
		}
		why := map[string]string{
			rotation.StepCreateSecret: "createSecret registered a key with the demo service: it must only store the new key as the pending version; setSecret registers it",
			rotation.StepTestSecret:   "testSecret registered a key with the demo service: it must only prove that the key setSecret registered works",
			rotation.StepFinishSecret: "finishSecret registered a key, after testSecret ran: register the pending key in setSecret, so testSecret proves it before AWSCURRENT moves",
		}[s.step]
		g.r.check(checkOnlySetRegisters, stepHint(s.step), why)
		return
	}
	why := ""
	if !completed {
		why = "not checked: the rotation did not complete"
	}
	g.r.check(checkOnlySetRegisters, 1, why)
}

// checkSetBeforeTest wants the pending key valid, for the secret's user,
// when testSecret starts, and setSecret to have registered nothing else.
func (g *rotationGrading) checkSetBeforeTest(res *rotationResult) {
	sets := res.ran(rotation.StepSetSecret)
	why := ""
	switch {
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
	if len(res.ran(rotation.StepTestSecret)) == 0 {
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

// checkNewKey checks that the service takes the new key and no longer
// takes the old one.
func (g *rotationGrading) checkNewKey(ctx context.Context, res *rotationResult, completed bool) {
	r := g.r
	why := ""
	var newKey string
	if !completed {
		why = "not checked: the rotation did not complete"
	} else if v, err := r.value(ctx, g.name, "", res.version); err != nil {
		why = "reading the new version failed: " + explain(err)
	} else if s, err := rotation.ParseAPIKeySecret(v); err != nil {
		why = "the new version is not {\"username\":…,\"api_key\":…} JSON"
	} else {
		newKey = s.APIKey
		got, ok := g.svc.Authenticate(s.APIKey)
		switch {
		case s.Username != g.user:
			why = fmt.Sprintf("the new version is for user %q; keep the user %q", s.Username, g.user)
		case s.APIKey == g.oldKey:
			why = "the new version holds the old key: createSecret must make a new one"
		case !ok || got != g.user:
			why = "the demo service does not accept the new key: setSecret must register it with AddKey"
		}
	}
	r.check(checkNewKeyAccepted, 2, why)
	why = ""
	_, oldWorks := g.svc.Authenticate(g.oldKey)
	switch {
	case !completed || newKey == "":
		why = "not checked: the rotation did not complete"
	case oldWorks:
		why = "the old key still works after finishSecret: revoke it (RevokeOtherKeys keeping the new key) after PromotePending"
	case g.svc.KeyCount(g.user) != 1:
		why = fmt.Sprintf("the user still has %d keys after finishSecret: revoke all but the new one with RevokeOtherKeys", g.svc.KeyCount(g.user))
	}
	r.check(checkOldKeyRevoked, 3, why)
}

// checkFailingTest judges the second rotation, during whose testSecret the
// service refused the pending key: testSecret must fail and AWSCURRENT stay.
func (g *rotationGrading) checkFailingTest(first, second *rotationResult) {
	tests := second.ran(rotation.StepTestSecret)
	refusalUsed, testFailed := false, false
	for _, s := range tests {
		testFailed = testFailed || s.err != ""
		refusalUsed = refusalUsed || slices.ContainsFunc(s.accesses, func(a demoservice.Access) bool { return a.Refused })
	}
	why, hint := "", 4
	switch {
	case len(tests) == 0:
		why = "the second rotation stopped before testSecret"
		if ff := second.firstFail; ff != nil {
			why, hint = fmt.Sprintf("the second rotation stopped before testSecret: step %s failed: %s", ff.step, ff.err), stepHint(ff.step)
		}
	case versionWith(second.d, "AWSCURRENT") != first.version && !refusalUsed:
		why = "the demo service was told to refuse the pending key, but testSecret never presented it, and AWSCURRENT moved to a key nobody tested: log in with the pending key"
	case versionWith(second.d, "AWSCURRENT") != first.version:
		why = "the demo service refused the pending key during testSecret, yet AWSCURRENT moved: testSecret must return the error from WhoAmI"
	case !testFailed:
		why = "testSecret passed although the demo service refused the pending key: return WhoAmI's error"
	default:
		if u, ok := g.svc.Authenticate(first.pending); !ok || u != g.user {
			why, hint = "after the failed rotation the current key no longer works: only finishSecret may revoke keys", 3
		}
	}
	g.r.check(checkFailingTest, hint, why)
}
