package checker

// Events the checker sends the handler itself, outside a rotation, as
// AWS's rotation template must handle them.

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"secretlings/aws/emulator"
	"secretlings/aws/rotation"
)

// staleEvent is an event the checker sends itself, outside a rotation,
// and what the handler must do with it.
type staleEvent struct {
	step string
	// version is the version the event names: staleCurrent, stalePrevious,
	// or a token that is no version yet.
	version int
	// about names the version for a reason.
	about string
	// succeed: the right outcome is success (a step for the AWSCURRENT
	// version has nothing to do); else failure.
	succeed bool
	// disabled: rotation is turned off, and the checker stores an
	// AWSPENDING version with the token, before the event is sent.
	disabled bool
}

const (
	staleNew = iota
	staleCurrent
	stalePrevious
)

// staleEvents are the events sendStaleEvents sends, in order.
var staleEvents = []staleEvent{
	{step: rotation.StepCreateSecret, version: staleCurrent, about: "the version that is already AWSCURRENT (as Secrets Manager re-sends a step of a rotation that finished)", succeed: true},
	{step: rotation.StepFinishSecret, version: stalePrevious, about: "the AWSPREVIOUS version, which is not AWSPENDING (a late retry of an earlier rotation)"},
	{step: rotation.StepCreateSecret, version: staleNew, about: "a token that is no version of the secret"},
	{step: rotation.StepSetSecret, version: staleNew, about: "the AWSPENDING version of a secret whose rotation was turned off", disabled: true},
}

// sendStaleEvents sends staleEvents, as a late retry or a confused caller
// would, after the third rotation, and returns their runs, one per event;
// nil when preparing them failed (fatal).
func (g *rotationGrading) sendStaleEvents(ctx context.Context, first, third *rotationResult) []stepRun {
	g.mu.Lock()
	g.runs = nil
	g.mu.Unlock()
	for _, e := range staleEvents {
		token := newToken()
		switch e.version {
		case staleCurrent:
			token = third.version
		case stalePrevious:
			token = first.version
		}
		if e.disabled {
			if err := g.pendWithoutRotation(ctx, token); err != nil {
				g.r.fatal = err
				return nil
			}
		}
		sr, _ := g.invoke(ctx, emulator.RotationEvent{Step: e.step, SecretId: g.secretARN, ClientRequestToken: token, RotationToken: newToken()}, 1)
		g.record(sr)
	}
	d := g.r.describeOrFail(ctx, g.name)
	if g.r.fatal != nil {
		return nil
	}
	g.r.learnValues(ctx, d)
	g.protectKeys(ctx, d)
	g.mu.Lock()
	runs := slices.Clone(g.runs)
	g.mu.Unlock()
	for i := range runs {
		runs[i].err = scrub(g.r.known, runs[i].err)
	}
	return runs
}

// pendWithoutRotation turns rotation off and stores an AWSPENDING version
// with a fresh key, as a rotation cancelled midway leaves it.
func (g *rotationGrading) pendWithoutRotation(ctx context.Context, token string) error {
	if _, err := g.r.client.CancelRotateSecret(ctx, &secretsmanager.CancelRotateSecretInput{SecretId: awssdk.String(g.name)}); err != nil {
		return fmt.Errorf("turning rotation off: %s", explain(err))
	}
	key, err := rotation.NewAPIKey()
	if err != nil {
		return err
	}
	g.r.protect(key)
	_, err = g.r.client.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{
		SecretId: awssdk.String(g.name), ClientRequestToken: awssdk.String(token),
		SecretString:  awssdk.String(rotation.APIKeySecret{Username: g.user, APIKey: key}.JSON()),
		VersionStages: []string{"AWSPENDING"},
	})
	if err != nil {
		return fmt.Errorf("storing a pending version: %s", explain(err))
	}
	return nil
}

// newToken returns a random version id shaped as the SDKs make them.
func newToken() string {
	s := randHex(16)
	return s[0:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:32]
}

// sameStages reports whether two VersionIdsToStages are equal, label order
// aside.
func sameStages(a, b map[string][]string) bool {
	return maps.EqualFunc(a, b, func(x, y []string) bool {
		x, y = slices.Clone(x), slices.Clone(y)
		slices.Sort(x)
		slices.Sort(y)
		return slices.Equal(x, y)
	})
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
