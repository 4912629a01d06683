package parity

import (
	"context"
	"net/http/httptest"
	"testing"

	"secretlings/aws/emulator"
)

// startEmulator serves a fresh emulator for one scenario, with rotations run
// synchronously (so each step's effect is visible to the next call) and
// rotationARN bound to the scenario's template rotation function. It points
// r at it and returns the function that shuts it down.
func startEmulator(t testing.TB, r *run) (stop func()) {
	t.Helper()
	srv, err := emulator.New(
		emulator.WithSyncRotation(),
		emulator.WithRotationFunction(rotationARN, func(ctx context.Context, ev emulator.RotationEvent) error {
			return r.templateRotation(ctx, ev.Step, ev.SecretId, ev.ClientRequestToken)
		}),
	)
	if err != nil {
		t.Fatalf("emulator.New: %v", err)
	}
	hs := httptest.NewServer(srv)
	r.endpoint = hs.URL
	r.sm = r.client(region)
	return func() {
		hs.Close()
		_ = srv.Close()
	}
}

// TestEmulatorMatchesAWS runs the suite against the embedded emulator, which
// must produce exactly the AWS lines of every scenario.
func TestEmulatorMatchesAWS(t *testing.T) {
	for _, sc := range suite() {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			got := execute(t, "emulator", "", sc, func(r *run) { t.Cleanup(startEmulator(t, r)) })
			if d := diffLines(got, sc.aws); d != "" {
				t.Errorf("the emulator differs from AWS (%s):\n%s", sc.ref, d)
			}
		})
	}
}
