package checker

// One run of the learner's rotation handler for one step, and what it did
// to the demo service and the labels.

import (
	"fmt"
	"slices"
	"strings"

	"secretlings/aws/rotation"
	"secretlings/aws/rotation/demoservice"
)

// stepRun is one invocation of the learner's handler for one step.
type stepRun struct {
	step    string
	attempt int    // 1, 2, … within the step
	version string // the event's token
	err     string // how it failed, raw: scrub it before showing it
	// loadErr: the handler could not be loaded (a Python handler.py that
	// failed at import), so no step ran.
	loadErr bool
	// fault is how the demo service answered the pending key meanwhile.
	fault demoservice.Fault
	// injected: the proxy failed this run's move of AWSCURRENT.
	injected bool
	// before and after are the service's keys (fingerprint → user) when
	// the process started and when it ended; events the keys it registered
	// and revoked meanwhile, in order.
	before, after map[string]string
	events        []demoservice.KeyEvent
	// accesses are the requests that authenticated with a key meanwhile.
	accesses []demoservice.Access
	// stagesBefore and stagesAfter are the secret's VersionIdsToStages.
	stagesBefore, stagesAfter map[string][]string
	// broken says why the demo service did not accept the key AWSCURRENT
	// named when the run ended; "" when it did.
	broken string
}

// added and removed list the key fingerprints the run registered and
// revoked, from the service's key log.
func (s stepRun) added() []string   { return s.keysLogged(true) }
func (s stepRun) removed() []string { return s.keysLogged(false) }

func (s stepRun) keysLogged(added bool) []string {
	var out []string
	for _, e := range s.events {
		if e.Added == added && !slices.Contains(out, e.Key) {
			out = append(out, e.Key)
		}
	}
	slices.Sort(out)
	return out
}

// failure says how the run failed, naming the step, or the handler that
// could not be loaded.
func (s *stepRun) failure() string {
	switch {
	case s.loadErr:
		return loadFailure(s.err)
	case s.attempt == 2 && s.fault == 0:
		return fmt.Sprintf("step %s failed when run again: %s", s.step, s.err)
	}
	return fmt.Sprintf("step %s failed: %s", s.step, s.err)
}

// cause is failure in a few words.
func (s *stepRun) cause() string {
	if s.loadErr {
		return "handler.py could not be loaded"
	}
	return "step " + s.step + " failed"
}

// loadMarker is what the provided main.py prints when handler.py cannot be
// imported.
const loadMarker = "handler.py could not be loaded"

func loadFailure(err string) string {
	i := strings.Index(err, loadMarker)
	return err[i:] + ". No step could run: fix the code that runs when handler.py is imported (its imports and top-level statements)"
}

// stepHint is the hint for a mistake made in step: one hint per step.
func stepHint(step string) int {
	switch step {
	case rotation.StepSetSecret:
		return 2
	case rotation.StepFinishSecret:
		return 3
	case rotation.StepTestSecret:
		return 4
	}
	return 1
}
