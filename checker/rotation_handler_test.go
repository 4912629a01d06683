package checker

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"slices"
	"strings"
	"testing"

	"secretlings/aws/rotation"
	"secretlings/aws/rotation/demoservice"
)

// testSecretUse tells apart the ways testSecret can fail to prove the
// pending key, from the keys its runs presented.
func TestTestSecretUse(t *testing.T) {
	const pending, current, other = "sha256:pending", "sha256:current", "sha256:other"
	run := func(err string, as ...demoservice.Access) stepRun {
		return stepRun{step: "testSecret", err: err, accesses: as}
	}
	ok := func(fp string) demoservice.Access { return demoservice.Access{Key: fp, Accepted: true} }
	no := func(fp string) demoservice.Access { return demoservice.Access{Key: fp} }
	tests := []struct {
		name string
		runs []stepRun
		want string // a phrase of the reason; "" passes
	}{
		{"the pending key", []stepRun{run("", ok(pending)), run("", ok(pending))}, ""},
		{"both keys", []stepRun{run("", ok(current), ok(pending))}, ""},
		{"the pending key refused, and the step failed", []stepRun{run("exit 1", no(pending))}, ""},
		{"the pending key refused, the error swallowed", []stepRun{run("", no(pending))}, "yet testSecret returned no error"},
		{"the current key", []stepRun{run("", ok(current)), run("", ok(current))}, "logged in with the current key"},
		{"another key", []stepRun{run("", no(other))}, "none of them the pending version's"},
		{"no key", []stepRun{run(""), run("")}, "never logged in"},
	}
	for _, tc := range tests {
		got := testSecretUse(tc.runs, pending, current)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%s: reason %q, want %q", tc.name, got, tc.want)
		}
	}
}

// A step run's added and removed keys come from the service's key log, so
// a key revoked and registered again within the run counts as both.
func TestStepRunKeysLogged(t *testing.T) {
	s := stepRun{events: []demoservice.KeyEvent{
		{Seq: 1, Added: true, Key: "c"}, {Seq: 2, Key: "a"}, {Seq: 3, Key: "b"},
		{Seq: 4, Added: true, Key: "b"}, {Seq: 5, Added: true, Key: "c"},
	}}
	if got := s.added(); !slices.Equal(got, []string{"b", "c"}) {
		t.Errorf("added %v, want [b c]", got)
	}
	if got := s.removed(); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("removed %v, want [a b]", got)
	}
}

// A key computed from the token, the user or an old key, by the usual
// digests and encodings, is told from a random one.
func TestDerivedFrom(t *testing.T) {
	const token = "3f2a9c1e-7b4d-4e8f-9a0b-1c2d3e4f5a6b"
	inputs := []derivationInput{{"the token", token}, {"the user", "svc-abc123"}, {"the old key", "sk_0123456789abcdefghijklmnopqrstuv"}}
	sum := sha256.Sum256([]byte(token))
	md := md5.Sum([]byte(strings.ReplaceAll(token, "-", "")))
	for _, tc := range []struct{ key, want string }{
		{"sk_" + hex.EncodeToString(sum[:]), "the token"},
		{"sk_" + hex.EncodeToString(sum[:])[10:42], "the token"},
		{"sk_" + base64.URLEncoding.EncodeToString(sum[:]), "the token"},
		{"SK-" + strings.ToUpper(hex.EncodeToString(md[:])), "the token"},
		{"sk_" + strings.ReplaceAll(token, "-", ""), "the token"},
		{"sk_" + token, "the token"},
		{"sk_0123456789abcdefghijklmnopqrstuw", "the old key"},
	} {
		if got := derivedFrom(tc.key, inputs); got != tc.want {
			t.Errorf("derivedFrom(%q) = %q, want %q", tc.key, got, tc.want)
		}
	}
	for range 200 {
		key, err := rotation.NewAPIKey()
		if err != nil {
			t.Fatal(err)
		}
		if got := derivedFrom(key, inputs); got != "" {
			t.Fatalf("a random key counted as derived from %s", got)
		}
	}
}

// Labels compare as sets per version; a version added or relabelled is a
// change.
func TestSameStages(t *testing.T) {
	a := map[string][]string{"v1": {"AWSPREVIOUS"}, "v2": {"AWSCURRENT", "AWSPENDING"}}
	if !sameStages(a, map[string][]string{"v1": {"AWSPREVIOUS"}, "v2": {"AWSPENDING", "AWSCURRENT"}}) {
		t.Error("the same labels in another order count as a change")
	}
	for _, b := range []map[string][]string{
		{"v1": {"AWSPREVIOUS"}, "v2": {"AWSCURRENT"}},
		{"v1": {"AWSPREVIOUS"}, "v2": {"AWSCURRENT", "AWSPENDING"}, "v3": {"AWSPENDING"}},
		{"v1": {"AWSCURRENT"}, "v2": {"AWSPREVIOUS", "AWSPENDING"}},
	} {
		if sameStages(a, b) {
			t.Errorf("%v and %v count as the same", a, b)
		}
	}
}

// A Python handler that cannot be imported is reported as that, with
// main.py's words, not as a failed step.
func TestLoadFailure(t *testing.T) {
	s := stepRun{step: "createSecret", attempt: 1, loadErr: true,
		err: "it exited with status 1: rotation-handler: handler.py could not be loaded (NameError, handler.py line 3): name 'x' is not defined"}
	got := s.failure()
	if !strings.HasPrefix(got, "handler.py could not be loaded (NameError, handler.py line 3): name 'x' is not defined.") || strings.Contains(got, "createSecret") {
		t.Errorf("failure() = %q", got)
	}
	if c := s.cause(); c != "handler.py could not be loaded" {
		t.Errorf("cause() = %q", c)
	}
}
