// Package rotation is a kit for writing Secrets Manager rotation functions in
// Go: the four-step protocol (createSecret, setSecret, testSecret,
// finishSecret) with the preamble every step shares, entry points for AWS
// Lambda, for a command that reads the event on stdin, and for driving one
// rotation directly against any Secrets Manager endpoint, plus single-user and
// alternating-users strategies for API keys.
//
// A rotation function only writes the work of each step:
//
//	type myHandler struct{}
//	func (myHandler) CreateSecret(ctx context.Context, s *rotation.Step) error { … }
//	…
//	lambda.Start(rotation.LambdaHandler(client, myHandler{}))
//
// Run does what AWS's own rotation templates do before each step
// (aws-samples/aws-secrets-manager-rotation-lambdas,
// SecretsManagerRotationTemplate): describe the secret, require rotation to be
// enabled, require the event's token to name a version of the secret, return
// at once if that version is already AWSCURRENT, and require it to be
// AWSPENDING. Each step must be idempotent, because Secrets Manager retries
// failed rotations; the helpers on Step are.
//
// Entry points, one per way a rotation is started:
//
//   - LambdaHandler, for lambda.Start in a function deployed to AWS or
//     LocalStack.
//   - A function registered with the embedded emulator; the event types
//     convert directly:
//     emu.RegisterRotationFunction(arn, func(ctx context.Context, ev emulator.RotationEvent) error {
//     return rotation.Run(ctx, client, h, rotation.Event(ev)) })
//   - ServeStdin, the body of a command that the emulator's
//     CommandRotationFunc runs with the event on stdin.
//   - Drive, which plays Secrets Manager's part itself, so any endpoint
//     (moto_server, LocalStack, AWS) can rotate a secret with no function
//     deployed. Wait polls for rotations that RotateSecret runs in the
//     background.
//
// The package needs only the standard library and the aws-sdk-go-v2 Secrets
// Manager client (aws-lambda-go only in the program that calls
// lambda.Start), so any Go program can use it.
package rotation

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// Step names, as Secrets Manager sends them in Event.Step.
const (
	StepCreateSecret = "createSecret"
	StepSetSecret    = "setSecret"
	StepTestSecret   = "testSecret"
	StepFinishSecret = "finishSecret"
)

// Steps lists the four steps in the order Secrets Manager invokes them.
// Drive uses its own copy, so changing this slice does not change Drive.
var Steps = []string{StepCreateSecret, StepSetSecret, StepTestSecret, StepFinishSecret}

var stepOrder = [...]string{StepCreateSecret, StepSetSecret, StepTestSecret, StepFinishSecret}

// Staging labels that rotation moves.
const (
	StageCurrent  = "AWSCURRENT"
	StagePending  = "AWSPENDING"
	StagePrevious = "AWSPREVIOUS"
)

// Event is what Secrets Manager sends a rotation function for each step.
// SecretId is the secret's ARN; ClientRequestToken is the id of the version
// being rotated in; RotationToken, when present, must be passed back on
// PutSecretValue (Step.PutPending does). The fields match
// emulator.RotationEvent, so one converts to the other with a type
// conversion.
type Event struct {
	Step               string `json:"Step"`               // createSecret | setSecret | testSecret | finishSecret
	SecretId           string `json:"SecretId"`           // the secret's ARN
	ClientRequestToken string `json:"ClientRequestToken"` // the new version's id
	RotationToken      string `json:"RotationToken,omitempty"`
}

// API is the part of the Secrets Manager client that rotation uses.
// *secretsmanager.Client satisfies it; tests may wrap it to count or fail
// calls.
type API interface {
	DescribeSecret(ctx context.Context, in *secretsmanager.DescribeSecretInput, optFns ...func(*secretsmanager.Options)) (*secretsmanager.DescribeSecretOutput, error)
	GetSecretValue(ctx context.Context, in *secretsmanager.GetSecretValueInput, optFns ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error)
	PutSecretValue(ctx context.Context, in *secretsmanager.PutSecretValueInput, optFns ...func(*secretsmanager.Options)) (*secretsmanager.PutSecretValueOutput, error)
	UpdateSecretVersionStage(ctx context.Context, in *secretsmanager.UpdateSecretVersionStageInput, optFns ...func(*secretsmanager.Options)) (*secretsmanager.UpdateSecretVersionStageOutput, error)
}

// Handler is the work of the four rotation steps. Run calls a method only
// after the preamble has passed, so a method may assume that rotation is
// enabled and that the event's version is AWSPENDING and not yet AWSCURRENT.
// Every method must be idempotent: running it twice must leave the same state
// as running it once.
type Handler interface {
	// CreateSecret stores the new secret value as the AWSPENDING version
	// with the event's token, unless that version already has a value.
	CreateSecret(ctx context.Context, s *Step) error
	// SetSecret makes the pending credentials known to the system they
	// unlock (registers the key, changes the password).
	SetSecret(ctx context.Context, s *Step) error
	// TestSecret proves that the pending credentials work.
	TestSecret(ctx context.Context, s *Step) error
	// FinishSecret moves AWSCURRENT to the pending version and does any
	// clean-up the strategy needs.
	FinishSecret(ctx context.Context, s *Step) error
}

// Errors from the preamble. Run wraps them with the secret and version, so
// test with errors.Is.
var (
	// ErrBadEvent: the event lacks SecretId or ClientRequestToken, or names
	// an unknown step.
	ErrBadEvent = errors.New("invalid rotation event")
	// ErrRotationNotEnabled: DescribeSecret shows RotationEnabled false or
	// absent.
	ErrRotationNotEnabled = errors.New("rotation is not enabled for the secret")
	// ErrUnknownVersion: the token is not a version of the secret.
	ErrUnknownVersion = errors.New("the rotation token is not a version of the secret")
	// ErrNotPending: the token's version is neither AWSCURRENT nor
	// AWSPENDING, so it belongs to a rotation that was replaced.
	ErrNotPending = errors.New("the rotation version is not AWSPENDING")
)

// StepError reports that a handler's step failed. Err is the handler's error.
type StepError struct {
	Step     string // the step that failed, e.g. "testSecret"
	SecretID string // the secret, as the event named it
	Token    string // the version being rotated in
	Err      error
}

func (e *StepError) Error() string {
	return fmt.Sprintf("rotation step %s for secret %s (version %s) failed: %v", e.Step, e.SecretID, e.Token, e.Err)
}

// Unwrap returns the handler's error.
func (e *StepError) Unwrap() error { return e.Err }

// Option configures Run and the entry points built on it.
type Option func(*config)

type config struct {
	logger *slog.Logger
	// driven relaxes the preamble for Drive, which is itself the rotation
	// service: it does not require RotationEnabled, and it lets createSecret
	// run before any version with the token exists (a placeholder that the
	// public API cannot create).
	driven bool
}

// WithLogger sends Run's progress lines to l. They name the secret, the step
// and the version id, never a value. The default discards them.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) { c.logger = l }
}

func newConfig(opts []Option) config {
	c := config{logger: slog.New(slog.DiscardHandler)}
	for _, o := range opts {
		o(&c)
	}
	return c
}

// Run handles one rotation event: the preamble, then the handler's method
// for ev.Step. It returns nil without calling the handler when the event's
// version is already AWSCURRENT (a retry after success). Handler failures
// come back as *StepError.
func Run(ctx context.Context, client API, h Handler, ev Event, opts ...Option) error {
	return run(ctx, newConfig(opts), client, h, ev)
}

func run(ctx context.Context, cfg config, client API, h Handler, ev Event) error {
	log := cfg.logger.With("secret", ev.SecretId, "step", ev.Step, "version", ev.ClientRequestToken)
	method, err := dispatch(h, ev)
	if err != nil {
		return err
	}
	desc, err := client.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(ev.SecretId)})
	if err != nil {
		return fmt.Errorf("rotation %s: describing secret %s: %w", ev.Step, ev.SecretId, err)
	}
	if !cfg.driven && !aws.ToBool(desc.RotationEnabled) {
		return fmt.Errorf("%w: secret %s (turn rotation on with RotateSecret and a rotation function, or rotate it with rotation.Drive)", ErrRotationNotEnabled, ev.SecretId)
	}
	stages, ok := desc.VersionIdsToStages[ev.ClientRequestToken]
	switch {
	case !ok && cfg.driven && ev.Step == StepCreateSecret:
		// Drive's placeholder: createSecret will store the version.
	case !ok:
		return fmt.Errorf("%w: secret %s has no version %s (the event belongs to another rotation; start a new one with RotateSecret)", ErrUnknownVersion, ev.SecretId, ev.ClientRequestToken)
	case slices.Contains(stages, StageCurrent):
		log.InfoContext(ctx, "version is already AWSCURRENT; nothing to do")
		return nil
	case !slices.Contains(stages, StagePending):
		return fmt.Errorf("%w: version %s of secret %s has labels %v (a newer rotation replaced it; let that rotation finish)", ErrNotPending, ev.ClientRequestToken, ev.SecretId, stages)
	}
	s := &Step{Client: client, Event: ev, Secret: desc, Logger: log}
	log.InfoContext(ctx, "running rotation step")
	if err := method(ctx, s); err != nil {
		return &StepError{Step: ev.Step, SecretID: ev.SecretId, Token: ev.ClientRequestToken, Err: err}
	}
	log.InfoContext(ctx, "rotation step done")
	return nil
}

func dispatch(h Handler, ev Event) (func(context.Context, *Step) error, error) {
	if ev.SecretId == "" || ev.ClientRequestToken == "" {
		return nil, fmt.Errorf("%w: SecretId and ClientRequestToken are required (got SecretId %q, ClientRequestToken %q)", ErrBadEvent, ev.SecretId, ev.ClientRequestToken)
	}
	switch ev.Step {
	case StepCreateSecret:
		return h.CreateSecret, nil
	case StepSetSecret:
		return h.SetSecret, nil
	case StepTestSecret:
		return h.TestSecret, nil
	case StepFinishSecret:
		return h.FinishSecret, nil
	}
	return nil, fmt.Errorf("%w: unknown Step %q (it must be createSecret, setSecret, testSecret or finishSecret)", ErrBadEvent, ev.Step)
}
