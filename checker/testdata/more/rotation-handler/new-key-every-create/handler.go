package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"secretlings/aws/rotation"
	"secretlings/aws/rotation/demoservice"
)

// handler rotates the API key of the demo service's user named in the
// secret (the single-user strategy). Each step is idempotent.
type handler struct {
	svc *demoservice.Client
}

// CreateSecret is deliberately wrong: it makes a new key on every call,
// even when the pending version already has one, and stores it with
// PutSecretValue directly.
func (h handler) CreateSecret(ctx context.Context, s *rotation.Step) error {
	out, err := s.Client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{
		SecretId: aws.String(s.SecretID()), VersionStage: aws.String(rotation.StageCurrent),
	})
	if err != nil {
		return err
	}
	v, err := rotation.ParseAPIKeySecret(aws.ToString(out.SecretString))
	if err != nil {
		return err
	}
	if v.APIKey, err = rotation.NewAPIKey(); err != nil {
		return err
	}
	in := &secretsmanager.PutSecretValueInput{
		SecretId:           aws.String(s.SecretID()),
		ClientRequestToken: aws.String(s.Token()),
		SecretString:       aws.String(v.JSON()),
		VersionStages:      []string{rotation.StagePending},
	}
	if s.Event.RotationToken != "" {
		in.RotationToken = aws.String(s.Event.RotationToken)
	}
	_, err = s.Client.PutSecretValue(ctx, in)
	return err
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

// TestSecret logs in with the pending key; an error stops the rotation
// before AWSCURRENT moves.
func (h handler) TestSecret(ctx context.Context, s *rotation.Step) error {
	v, err := h.pending(ctx, s)
	if err != nil {
		return err
	}
	user, err := h.svc.WhoAmI(ctx, v.APIKey)
	if err != nil {
		return fmt.Errorf("the new key does not work: %w", err)
	}
	if user != v.Username {
		return fmt.Errorf("the new key belongs to %q, not %q", user, v.Username)
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
