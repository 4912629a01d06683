package parity

import (
	"context"
	"net/http/httptest"
	"testing"

	"secretlings/aws/emulator"
)

// startEmulator serves a fresh emulator for one scenario, with rotations run
// synchronously (so each step's effect is visible to the next call) and
// rotationARN bound to the scenario's template rotation function.
func startEmulator(t *testing.T, r *run) string {
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
	t.Cleanup(func() {
		hs.Close()
		_ = srv.Close()
	})
	return hs.URL
}

// TestEmulatorMatchesAWS runs the suite against the embedded emulator, which
// must produce exactly the AWS lines of every scenario.
func TestEmulatorMatchesAWS(t *testing.T) {
	for _, sc := range suite() {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			got := execute(t, "emulator", "", sc, func(r *run) {
				r.endpoint = startEmulator(t, r)
				r.sm = r.client(region)
			})
			if d := diffLines(got, sc.aws); d != "" {
				t.Errorf("the emulator differs from AWS (%s):\n%s", sc.ref, d)
			}
		})
	}
}
