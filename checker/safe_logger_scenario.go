package checker

import (
	"context"
	"encoding/json"
)

// slScenario is safe-logger's scenario: a secret of partner credentials,
// whose password and API key the logger must never let through, and a
// request id for the records.
type slScenario struct {
	name, reqID string
	creds       map[string]string // host, username, password, api_key
}

// seedSafeLogger seeds the credentials and protects their secrets.
func seedSafeLogger(ctx context.Context, s seeder) (*slScenario, error) {
	sc := &slScenario{reqID: "req-" + randHex(6), creds: map[string]string{
		"host":     "partner-" + randHex(3) + ".example.com",
		"username": "svc_" + randHex(3),
		// Quotes and angle brackets make the JSON-escaped forms differ
		// from the plain one, and from each other (Go's encoder escapes
		// < > & as \u003c \u003e \u0026, Python's does not).
		"password": `Pw"` + randHex(8) + `<&>`,
		"api_key":  "sk_live_" + randHex(16),
	}}
	raw, _ := json.Marshal(sc.creds)
	var err error
	if sc.name, err = s.create(ctx, "app/partner-credentials", string(raw), ""); err != nil {
		return nil, err
	}
	s.protect(sc.creds["password"], sc.creds["api_key"])
	return sc, nil
}

func (sc *slScenario) env() map[string]string {
	return map[string]string{"SECRET_NAME": sc.name, "REQUEST_ID": sc.reqID}
}

func trySafeLogger(ctx context.Context, t *Tryout) error {
	sc, err := seedSafeLogger(ctx, t)
	if err != nil {
		return err
	}
	t.Env = sc.env()
	return nil
}
