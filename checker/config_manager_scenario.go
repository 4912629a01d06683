package checker

import (
	"context"
	"encoding/json"
)

// cmScenario is config-manager's scenario: one secret of database
// settings (see seedDBConfig), named by DATABASE_SECRET_NAME.
type cmScenario struct {
	name string
	db   map[string]any
}

// seedConfigManager seeds the secret and protects its password.
func seedConfigManager(ctx context.Context, s seeder) (*cmScenario, error) {
	sc := &cmScenario{db: seedDBConfig()}
	raw, _ := json.Marshal(sc.db)
	name, err := s.create(ctx, "db/"+randHex(4), string(raw), "")
	if err != nil {
		return nil, err
	}
	sc.name = name
	s.protect(sc.password())
	return sc, nil
}

func (sc *cmScenario) password() string { return sc.db["password"].(string) }

// configManagerEnv is the program's environment for the secret name.
func configManagerEnv(name string) map[string]string {
	return map[string]string{"DATABASE_SECRET_NAME": name}
}

func tryConfigManager(ctx context.Context, t *Tryout) error {
	sc, err := seedConfigManager(ctx, t)
	if err != nil {
		return err
	}
	t.Env = configManagerEnv(sc.name)
	return nil
}
