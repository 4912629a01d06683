package checker

import (
	"context"
	"fmt"
)

// idemScenario is idempotent-write's scenario: a secret holding one
// release, the token and the value of the write the program makes, and a
// third release for a retry that reuses the token. The releases are drawn
// apart, so one cannot be worked out from another.
type idemScenario struct {
	name, token                          string
	oldRelease, newRelease, otherRelease string
}

// seedIdempotentWrite seeds the secret with the old release.
func seedIdempotentWrite(ctx context.Context, s seeder) (*idemScenario, error) {
	sc := &idemScenario{
		token:        newToken(),
		oldRelease:   fmt.Sprintf("2025.%d.%d", 1+randInt(12), randInt(1000)),
		newRelease:   fmt.Sprintf("2026.%d.%d", 1+randInt(12), 1000+randInt(9000)),
		otherRelease: fmt.Sprintf("2027.%d.%d", 1+randInt(12), 10000+randInt(90000)),
	}
	var err error
	sc.name, err = s.create(ctx, "app/release-settings", releaseValue(sc.oldRelease, 3), "")
	if err != nil {
		return nil, err
	}
	return sc, nil
}

// releaseValue is the secret's JSON for a release.
func releaseValue(release string, replicas int) string {
	return fmt.Sprintf(`{"release":%q,"replicas":%d}`, release, replicas)
}

// newValue is the value the program writes.
func (sc *idemScenario) newValue() string { return releaseValue(sc.newRelease, 4) }

// env is the program's environment for a write of value with token; an
// empty token leaves REQUEST_TOKEN unset.
func (sc *idemScenario) env(token, value string) map[string]string {
	env := map[string]string{"SECRET_NAME": sc.name, "NEW_VALUE": value}
	if token != "" {
		env["REQUEST_TOKEN"] = token
	}
	return env
}

func tryIdempotentWrite(ctx context.Context, t *Tryout) error {
	sc, err := seedIdempotentWrite(ctx, t)
	if err != nil {
		return err
	}
	t.Env = sc.env(sc.token, sc.newValue())
	t.Versions = sc.name
	return nil
}
