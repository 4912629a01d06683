package checker

import (
	"slices"
	"strings"
	"testing"

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

// A step run's added and removed keys are the differences of the service's
// keys around it.
func TestStepRunKeyDiff(t *testing.T) {
	s := stepRun{
		before: map[string]string{"a": "u", "b": "u"},
		after:  map[string]string{"b": "u", "c": "u", "d": "v"},
	}
	if got := s.added(); !slices.Equal(got, []string{"c", "d"}) {
		t.Errorf("added %v, want [c d]", got)
	}
	if got := s.removed(); !slices.Equal(got, []string{"a"}) {
		t.Errorf("removed %v, want [a]", got)
	}
}
