package rotation

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// Outcome reports one rotation played by Drive.
type Outcome struct {
	// SecretARN is the rotated secret's ARN.
	SecretARN string
	// Token is the id of the version rotated in.
	Token string
	// PreviousVersion is the version that was AWSCURRENT when Drive started.
	PreviousVersion string
	// Resumed is true when Drive re-drove an incomplete earlier rotation
	// (an AWSPENDING version that is not AWSCURRENT) instead of starting one.
	Resumed bool
	// Completed lists the steps that succeeded, in order.
	Completed []string
	// FailedStep names the step that failed, or is "" on success.
	FailedStep string
	// Stages is VersionIdsToStages after the rotation (successful or not).
	Stages map[string][]string
}

// Succeeded reports whether the token's version ended up AWSCURRENT.
func (o *Outcome) Succeeded() bool {
	return o.FailedStep == "" && slices.Contains(o.Stages[o.Token], StageCurrent)
}

// DriveOption configures Drive.
type DriveOption func(*driveConfig)

type driveConfig struct {
	token        string
	pendingValue *string
	onStep       func(step string, err error)
	runOpts      []Option
}

// WithToken sets the new version's id (32–64 characters) instead of a random
// UUID, as RotateSecret's ClientRequestToken does.
func WithToken(token string) DriveOption {
	return func(c *driveConfig) { c.token = token }
}

// WithPendingValue makes Drive store value as the AWSPENDING version before
// createSecret runs, the way a caller of PutSecretValue stages a value; the
// handler's createSecret then finds it and keeps it. Without it, Drive
// leaves the version to createSecret, as RotateSecret's value-less
// placeholder does.
func WithPendingValue(value string) DriveOption {
	return func(c *driveConfig) { c.pendingValue = &value }
}

// OnStep calls f after each step with the step's error (nil on success), for
// showing progress.
func OnStep(f func(step string, err error)) DriveOption {
	return func(c *driveConfig) { c.onStep = f }
}

// WithRunOptions passes options (e.g. WithLogger) to each step's Run.
func WithRunOptions(opts ...Option) DriveOption {
	return func(c *driveConfig) { c.runOpts = append(c.runOpts, opts...) }
}

// ErrRotationInProgress: Drive was given a token while another rotation of
// the secret is incomplete.
var ErrRotationInProgress = errors.New("a previous rotation of the secret is not complete")

// Drive plays Secrets Manager's side of one rotation of secretID against any
// endpoint (the emulator, moto_server, LocalStack or AWS), without deploying
// a rotation function: it picks the version id, runs the four steps through
// the same preamble as Run, and reports which step failed. Because Drive is
// itself the rotation service, the preamble does not require RotationEnabled,
// and createSecret may run before the version exists (the public API cannot
// create RotateSecret's value-less placeholder, so createSecret's
// PutSecretValue creates the version).
//
// Like Secrets Manager, Drive resumes an incomplete rotation (a version that
// is AWSPENDING but not AWSCURRENT) rather than starting a second one, so a
// retry after a failed step completes that rotation.
//
// A failed step returns a *StepError (or a preamble error) together with an
// Outcome that names it; the secret is left as the step left it, AWSCURRENT
// untouched unless finishSecret moved it.
func Drive(ctx context.Context, client API, secretID string, h Handler, opts ...DriveOption) (*Outcome, error) {
	var dc driveConfig
	for _, o := range opts {
		o(&dc)
	}
	desc, err := client.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(secretID)})
	if err != nil {
		return nil, fmt.Errorf("rotating secret %s: %w", secretID, err)
	}
	out := &Outcome{SecretARN: aws.ToString(desc.ARN)}
	current, ok := versionWithStage(desc.VersionIdsToStages, StageCurrent)
	if !ok {
		return nil, fmt.Errorf("rotating secret %s: it has no AWSCURRENT version; store a value with PutSecretValue first", secretID)
	}
	out.PreviousVersion = current
	if pending, ok := versionWithStage(desc.VersionIdsToStages, StagePending); ok && pending != current {
		if dc.token != "" && dc.token != pending {
			return nil, fmt.Errorf("%w: secret %s has version %s pending; resume it by calling Drive without WithToken, or remove AWSPENDING from it with UpdateSecretVersionStage", ErrRotationInProgress, secretID, pending)
		}
		out.Token, out.Resumed = pending, true
	} else {
		out.Token = dc.token
		if out.Token == "" {
			out.Token = newUUID()
		}
	}

	id := out.SecretARN
	if id == "" {
		id = secretID
	}
	if dc.pendingValue != nil && !out.Resumed {
		if _, err := client.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{
			SecretId:           aws.String(id),
			ClientRequestToken: aws.String(out.Token),
			SecretString:       dc.pendingValue,
			VersionStages:      []string{StagePending},
		}); err != nil {
			return nil, fmt.Errorf("rotating secret %s: staging the pending version %s: %w", secretID, out.Token, err)
		}
	}

	cfg := newConfig(dc.runOpts)
	cfg.driven = true
	var stepErr error
	for _, step := range stepOrder {
		stepErr = run(ctx, cfg, client, h, Event{Step: step, SecretId: id, ClientRequestToken: out.Token})
		if stepErr == nil && step == StepCreateSecret {
			stepErr = checkCreated(ctx, client, id, out.Token)
		}
		if dc.onStep != nil {
			dc.onStep(step, stepErr)
		}
		if stepErr != nil {
			out.FailedStep = step
			break
		}
		out.Completed = append(out.Completed, step)
	}

	after, err := client.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(id)})
	if err != nil {
		return out, errors.Join(stepErr, fmt.Errorf("describing secret %s after rotating: %w", secretID, err))
	}
	out.Stages = maps.Clone(after.VersionIdsToStages)
	if stepErr != nil {
		return out, stepErr
	}
	if !slices.Contains(out.Stages[out.Token], StageCurrent) {
		out.FailedStep = StepFinishSecret
		return out, &StepError{Step: StepFinishSecret, SecretID: id, Token: out.Token,
			Err: errors.New("finishSecret returned without moving AWSCURRENT to the new version (call Step.PromotePending in FinishSecret)")}
	}
	return out, nil
}

// checkCreated reports a createSecret that left no AWSPENDING version with
// the token: without it every later step's preamble would fail with a
// message about a foreign event.
func checkCreated(ctx context.Context, client API, id, token string) error {
	desc, err := client.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(id)})
	if err != nil {
		return fmt.Errorf("describing secret %s after createSecret: %w", id, err)
	}
	if stages := desc.VersionIdsToStages[token]; !slices.Contains(stages, StagePending) && !slices.Contains(stages, StageCurrent) {
		return &StepError{Step: StepCreateSecret, SecretID: id, Token: token,
			Err: errors.New("createSecret did not store the new version labelled AWSPENDING (call Step.PutPending or Step.CreatePendingIfAbsent)")}
	}
	return nil
}

// newUUID returns a random version-4 UUID, the form Secrets Manager
// recommends for ClientRequestToken.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// Wait polls DescribeSecret every interval until versionID (RotateSecret's
// VersionId) is AWSCURRENT, for rotations that run after RotateSecret has
// answered, as on AWS. It returns ctx's error, naming the version's labels,
// if the rotation has not finished by ctx's deadline; a failed rotation
// looks the same (the version stays AWSPENDING), so bound ctx. Wait returns
// as soon as AWSCURRENT has moved; the function may still be finishing its
// clean-up (SingleUser revokes the old key just after).
func Wait(ctx context.Context, client API, secretID, versionID string, interval time.Duration) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		desc, err := client.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(secretID)})
		if err != nil {
			return fmt.Errorf("waiting for the rotation of secret %s: %w", secretID, err)
		}
		stages := desc.VersionIdsToStages[versionID]
		if slices.Contains(stages, StageCurrent) {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("rotation of secret %s to version %s not finished (labels %v; check the rotation function's logs): %w", secretID, versionID, stages, ctx.Err())
		case <-t.C:
		}
	}
}
