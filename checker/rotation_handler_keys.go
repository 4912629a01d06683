package checker

// The checks on the keys a rotation leaves: the new one accepted and
// random, the old ones revoked.

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
