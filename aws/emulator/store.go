package emulator

import "context"

// Store is the Secrets Manager state of one account in one region. It knows
// nothing of HTTP: the handler decodes a request, picks the Store for the
// request's account and region, calls one method and encodes the answer.
//
// The contract every implementation MUST keep:
//
//   - Each method MUST be safe for concurrent use and MUST apply its change
//     atomically: a concurrent reader sees the state before or after, never
//     a half-moved staging label.
//   - A staging label MUST be attached to at most one version of a secret;
//     AWSCURRENT MUST be on exactly one version once a secret has a value.
//   - Errors MUST be *Error values carrying the AWS code and exact message
//     (docs/secrets-manager.md, Appendix A); any other error is reported to
//     the caller as InternalServiceError.
//   - A method that changes state MUST make the change durable (when the
//     store is durable) before it returns nil: the handler acknowledges the
//     request as soon as the method returns. When the write fails, the
//     method MUST return the error and leave the state as it was.
//   - SecretId arguments MUST resolve by name, full ARN and partial ARN; a
//     full ARN with a stale 6-character suffix MUST NOT resolve.
//   - A secret scheduled for deletion MUST be purged once the clock passes
//     its deletion date, before any method observes it.
//   - Idempotent calls (same ClientRequestToken, same value) MUST NOT change
//     labels, versions or LastChangedDate.
//   - Methods MUST NOT block on anything but the store's own locks and its
//     durability writes; in particular they MUST NOT call rotation functions.
//   - Returned values MUST NOT alias store memory the caller could mutate.
type Store interface {
	CreateSecret(ctx context.Context, in *CreateSecretInput) (*CreateSecretOutput, error)
	GetSecretValue(ctx context.Context, in *GetSecretValueInput) (*GetSecretValueOutput, error)
	// BatchGetSecretValue MUST report per-secret failures in Errors and
	// fail as a whole only for invalid input.
	BatchGetSecretValue(ctx context.Context, in *BatchGetSecretValueInput) (*BatchGetSecretValueOutput, error)
	PutSecretValue(ctx context.Context, in *PutSecretValueInput) (*PutSecretValueOutput, error)
	// UpdateSecret MUST create a version only when a value is given.
	UpdateSecret(ctx context.Context, in *UpdateSecretInput) (*SecretRef, error)
	DescribeSecret(ctx context.Context, in *SecretIdInput) (*DescribeSecretOutput, error)
	ListSecrets(ctx context.Context, in *ListSecretsInput) (*ListSecretsOutput, error)
	ListSecretVersionIds(ctx context.Context, in *ListSecretVersionIdsInput) (*ListSecretVersionIdsOutput, error)
	UpdateSecretVersionStage(ctx context.Context, in *UpdateSecretVersionStageInput) (*SecretRef, error)
	DeleteSecret(ctx context.Context, in *DeleteSecretInput) (*DeleteSecretOutput, error)
	RestoreSecret(ctx context.Context, in *SecretIdInput) (*SecretRef, error)
	// StartRotation MUST validate, store the rotation configuration and
	// create the value-less AWSPENDING placeholder, and return what the
	// caller needs to invoke the rotation function outside any store lock.
	// invokable reports whether a rotation function exists for an ARN.
	StartRotation(ctx context.Context, in *RotateSecretInput, invokable func(lambdaARN string) bool) (*RotationPlan, error)
	// FinishRotation MUST record the outcome of a rotation started by
	// StartRotation (LastRotatedDate on success; removal of the temporary
	// placeholder for a test-only run) and release the in-progress mark.
	FinishRotation(ctx context.Context, plan *RotationPlan, ok bool) error
	CancelRotateSecret(ctx context.Context, in *SecretIdInput) (*SecretRef, error)
	TagResource(ctx context.Context, in *TagResourceInput) error
	UntagResource(ctx context.Context, in *UntagResourceInput) error
	PutResourcePolicy(ctx context.Context, in *PutResourcePolicyInput) (*SecretRef, error)
	GetResourcePolicy(ctx context.Context, in *SecretIdInput) (*GetResourcePolicyOutput, error)
	DeleteResourcePolicy(ctx context.Context, in *SecretIdInput) (*SecretRef, error)
	ValidateResourcePolicy(ctx context.Context, in *ValidateResourcePolicyInput) (*ValidateResourcePolicyOutput, error)
}

// RotationPlan is what StartRotation hands to the rotation runner.
type RotationPlan struct {
	ARN       string // the secret's ARN, sent as SecretId in each event
	Name      string
	LambdaARN string
	Token     string // the AWSPENDING version id, ClientRequestToken in events
	// TestOnly is set for RotateImmediately=false: only testSecret runs,
	// against a temporary placeholder that FinishRotation removes.
	TestOnly bool
}
