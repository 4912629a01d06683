package rotation

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// Step is what a Handler method receives: the client, the event, the secret
// as the preamble described it, and helpers for the usual reads and writes.
// Secret is a snapshot taken before the step ran; helpers that depend on the
// latest labels (PromotePending) describe the secret again.
type Step struct {
	Client API
	Event  Event
	Secret *secretsmanager.DescribeSecretOutput
	// Logger carries the secret, step and version as attributes. Never log a
	// value through it.
	Logger *slog.Logger
}

// log returns the step's logger, or one that discards, for a Step built by
// hand rather than by Run.
func (s *Step) log() *slog.Logger {
	if s.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Logger
}

// Token returns the id of the version being rotated in (the event's
// ClientRequestToken).
func (s *Step) Token() string { return s.Event.ClientRequestToken }

// SecretID returns the secret as the event names it (its ARN when Secrets
// Manager sent the event).
func (s *Step) SecretID() string { return s.Event.SecretId }

// VersionWithStage returns the version that holds the staging label in the
// preamble's snapshot.
func (s *Step) VersionWithStage(stage string) (string, bool) {
	return versionWithStage(s.Secret.VersionIdsToStages, stage)
}

func versionWithStage(m map[string][]string, stage string) (string, bool) {
	for id, stages := range m {
		if slices.Contains(stages, stage) {
			return id, true
		}
	}
	return "", false
}

// CurrentValue returns the AWSCURRENT value. A secret without one cannot be
// rotated, so that is an error.
func (s *Step) CurrentValue(ctx context.Context) (string, error) {
	v, ok, err := s.value(ctx, "", StageCurrent)
	if err == nil && !ok {
		err = fmt.Errorf("secret %s has no AWSCURRENT value: store one with PutSecretValue before rotating", s.SecretID())
	}
	return v, err
}

// PreviousValue returns the AWSPREVIOUS value, and false when there is none
// (a secret that was never rotated or updated).
func (s *Step) PreviousValue(ctx context.Context) (string, bool, error) {
	return s.value(ctx, "", StagePrevious)
}

// PendingValue returns the value of the version being rotated in (the
// event's token), and false while it is still the value-less placeholder
// that RotateSecret creates. It reads by version id alone, not by the
// AWSPENDING label, so it still works in a repeated finishSecret after
// PromotePending has removed the label.
func (s *Step) PendingValue(ctx context.Context) (string, bool, error) {
	return s.value(ctx, s.Token(), "")
}

// value reads a string value; not found is (_, false, nil).
func (s *Step) value(ctx context.Context, versionID, stage string) (string, bool, error) {
	in := &secretsmanager.GetSecretValueInput{SecretId: aws.String(s.SecretID())}
	what := stage
	if stage != "" {
		in.VersionStage = aws.String(stage)
	}
	if versionID != "" {
		in.VersionId = aws.String(versionID)
		what = "version " + versionID
	}
	out, err := s.Client.GetSecretValue(ctx, in)
	var nf *types.ResourceNotFoundException
	if errors.As(err, &nf) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("reading the %s value of secret %s: %w", what, s.SecretID(), err)
	}
	if out.SecretString == nil {
		return "", false, fmt.Errorf("the %s value of secret %s is SecretBinary; these helpers rotate SecretString values only", what, s.SecretID())
	}
	return *out.SecretString, true, nil
}

// PutPending stores value as the version with the event's token, labelled
// AWSPENDING, passing the event's RotationToken back as Secrets Manager
// requires. Storing the same value again is a no-op (the token makes it
// idempotent); a different value for an existing version is an error from
// Secrets Manager (ResourceExistsException).
func (s *Step) PutPending(ctx context.Context, value string) error {
	in := &secretsmanager.PutSecretValueInput{
		SecretId:           aws.String(s.SecretID()),
		ClientRequestToken: aws.String(s.Token()),
		SecretString:       aws.String(value),
		VersionStages:      []string{StagePending},
	}
	if s.Event.RotationToken != "" {
		in.RotationToken = aws.String(s.Event.RotationToken)
	}
	if _, err := s.Client.PutSecretValue(ctx, in); err != nil {
		return fmt.Errorf("storing the pending version %s of secret %s: %w", s.Token(), s.SecretID(), err)
	}
	return nil
}

// CreatePendingIfAbsent is the createSecret step of AWS's template: it
// checks that an AWSCURRENT value exists, and if the pending version has no
// value yet, stores generate(current) as that value. It is idempotent: once
// the pending value exists, generate is not called again.
func (s *Step) CreatePendingIfAbsent(ctx context.Context, generate func(current string) (string, error)) error {
	current, err := s.CurrentValue(ctx)
	if err != nil {
		return err
	}
	if _, ok, err := s.PendingValue(ctx); err != nil || ok {
		if ok {
			s.log().InfoContext(ctx, "createSecret: the pending version already has a value")
		}
		return err
	}
	next, err := generate(current)
	if err != nil {
		return fmt.Errorf("generating the new value of secret %s: %w", s.SecretID(), err)
	}
	return s.PutPending(ctx, next)
}

// PromotePending is the finishSecret step of AWS's template: it moves
// AWSCURRENT to the event's version (Secrets Manager then labels the old
// current version AWSPREVIOUS) and removes AWSPENDING from it, so the next
// rotation can start. It returns the id of the version that was current
// before, or "" if the event's version was already current. It is
// idempotent.
func (s *Step) PromotePending(ctx context.Context) (previous string, err error) {
	desc, err := s.Client.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(s.SecretID())})
	if err != nil {
		return "", fmt.Errorf("describing secret %s: %w", s.SecretID(), err)
	}
	current, _ := versionWithStage(desc.VersionIdsToStages, StageCurrent)
	if current != s.Token() {
		in := &secretsmanager.UpdateSecretVersionStageInput{
			SecretId:        aws.String(s.SecretID()),
			VersionStage:    aws.String(StageCurrent),
			MoveToVersionId: aws.String(s.Token()),
		}
		if current != "" {
			in.RemoveFromVersionId = aws.String(current)
		}
		if _, err := s.Client.UpdateSecretVersionStage(ctx, in); err != nil {
			return "", fmt.Errorf("moving AWSCURRENT of secret %s to version %s: %w", s.SecretID(), s.Token(), err)
		}
		previous = current
	}
	if slices.Contains(desc.VersionIdsToStages[s.Token()], StagePending) {
		if _, err := s.Client.UpdateSecretVersionStage(ctx, &secretsmanager.UpdateSecretVersionStageInput{
			SecretId:            aws.String(s.SecretID()),
			VersionStage:        aws.String(StagePending),
			RemoveFromVersionId: aws.String(s.Token()),
		}); err != nil {
			return previous, fmt.Errorf("removing AWSPENDING from version %s of secret %s: %w", s.Token(), s.SecretID(), err)
		}
	}
	s.log().InfoContext(ctx, "finishSecret: version is now AWSCURRENT", "previous_version", previous)
	return previous, nil
}
