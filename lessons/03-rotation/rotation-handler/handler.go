package main

import (
	"context"
	"errors"

	"secretlings/aws/rotation"
	"secretlings/aws/rotation/demoservice"
)

// handler rotates the API key of the demo service's user named in the
// secret. Each method is one step of the rotation protocol and must be
// idempotent: Secrets Manager may run it again.
type handler struct {
	svc *demoservice.Client
}

// CreateSecret stores the same user with a new key as the AWSPENDING version.
func (h handler) CreateSecret(ctx context.Context, s *rotation.Step) error {
	return errors.New("createSecret: not implemented yet (see README.md)")
}

// SetSecret registers the pending key with the demo service.
func (h handler) SetSecret(ctx context.Context, s *rotation.Step) error {
	return errors.New("setSecret: not implemented yet (see README.md)")
}

// TestSecret proves the pending key works.
func (h handler) TestSecret(ctx context.Context, s *rotation.Step) error {
	return errors.New("testSecret: not implemented yet (see README.md)")
}

// FinishSecret makes the pending version AWSCURRENT and revokes the old key.
func (h handler) FinishSecret(ctx context.Context, s *rotation.Step) error {
	return errors.New("finishSecret: not implemented yet (see README.md)")
}
