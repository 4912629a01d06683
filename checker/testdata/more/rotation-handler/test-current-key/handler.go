package main

import (
	"context"
	"errors"
	"fmt"

	"secretlings/aws/rotation"
	"secretlings/aws/rotation/demoservice"
)

// handler rotates the API key of the demo service's user named in the
// secret (the single-user strategy). Each step is idempotent.
type handler struct {
	svc *demoservice.Client
}

// CreateSecret stores the same user with a new key as the AWSPENDING version.
// The key is made only when the pending version has no value yet, so a retry
// keeps the first key.
func (h handler) CreateSecret(ctx context.Context, s *rotation.Step) error {
	return s.CreatePendingIfAbsent(ctx, func(current string) (string, error) {
		v, err := rotation.ParseAPIKeySecret(current)
		if err != nil {
			return "", err
		}
		if v.APIKey, err = rotation.NewAPIKey(); err != nil {
			return "", err
		}
		return v.JSON(), nil
	})
}

// SetSecret registers the pending key with the demo service (a no-op the
// second time).
func (h handler) SetSecret(ctx context.Context, s *rotation.Step) error {
	v, err := h.pending(ctx, s)
	if err != nil {
		return err
	}
	return h.svc.AddKey(ctx, v.Username, v.APIKey)
}

// TestSecret is deliberately wrong: it logs in with the current key, which
// says nothing about the new one.
func (h handler) TestSecret(ctx context.Context, s *rotation.Step) error {
	current, err := s.CurrentValue(ctx)
	if err != nil {
		return err
	}
	v, err := rotation.ParseAPIKeySecret(current)
	if err != nil {
		return err
	}
	user, err := h.svc.WhoAmI(ctx, v.APIKey)
	if err != nil {
		return fmt.Errorf("the key does not work: %w", err)
	}
	if user != v.Username {
		return fmt.Errorf("the key belongs to %q, not %q", user, v.Username)
	}
	return nil
}

// FinishSecret makes the pending version AWSCURRENT, then revokes every
// other key of the user.
func (h handler) FinishSecret(ctx context.Context, s *rotation.Step) error {
	v, err := h.pending(ctx, s)
	if err != nil {
		return err
	}
	if _, err := s.PromotePending(ctx); err != nil {
		return err
	}
	return h.svc.RevokeOtherKeys(ctx, v.Username, v.APIKey)
}

// pending reads the value being rotated in, by version id.
func (h handler) pending(ctx context.Context, s *rotation.Step) (rotation.APIKeySecret, error) {
	value, ok, err := s.PendingValue(ctx)
	if err != nil {
		return rotation.APIKeySecret{}, err
	}
	if !ok {
		return rotation.APIKeySecret{}, errors.New("the pending version has no value: createSecret has not run")
	}
	return rotation.ParseAPIKeySecret(value)
}
