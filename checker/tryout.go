package checker

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"secretlings/aws/emulator"
)

// A scenario is what an exercise's program meets: the secrets seeded
// before it runs, the variables its README names, what changes while it
// runs. Each code exercise defines its scenario once (the seed… functions
// beside its grader), and both its grader and its Tryout seed it through
// a seeder, so a run by hand meets what a grading does.

// seeder seeds a scenario: a grading (*run) or a Tryout.
type seeder interface {
	// create seeds a secret named prefix()+suffix with value (and version
	// id token, when given), to be deleted afterwards, and returns its
	// name. Its value is masked, whole, in what the program prints.
	create(ctx context.Context, suffix, value, token string) (string, error)
	// seedName names a secret the scenario creates later, for cleanup.
	seedName(suffix string) string
	// protect registers values the program must never reveal, in any form.
	protect(values ...string)
	// prefix is the namespace the scenario's secrets are named under.
	prefix() string
}

func (r *run) prefix() string { return r.ns }

// Tryout is a code exercise's scenario seeded for a run by hand
// (`secretlings run`): what the learner's program gets, and what the run
// shows and masks. Nothing is graded. Close deletes what it seeded.
type Tryout struct {
	// Env are the variables the exercise's README names.
	Env map[string]string
	// Seeded are the secrets created for it, in order, to show with their
	// Secrets masked.
	Seeded []SeededSecret
	// Values are the seeded values, whole, and Secrets the values the
	// program must never reveal (a password inside a seeded JSON value):
	// both masked in what the program prints, and Secrets in what the run
	// shows of the values and variables too.
	Values, Secrets []string
	// Trigger, when set, is a line prefix of the program's stdout at which
	// Act runs, after which a newline goes to the program's stdin (the
	// ttl-cache driver waits there for the secrets to change).
	Trigger string
	Act     func(context.Context) error
	// Rotation, when set, runs the program as the rotation function of a
	// seeded secret instead of once.
	Rotation *Rotation
	// Versions names a secret whose versions are worth showing after the
	// run.
	Versions string

	b       Backend
	ns      string
	names   []string
	closers []func()
}

// SeededSecret is a secret a Tryout created and its value.
type SeededSecret struct{ Name, Value string }

// NewTryout seeds ex's scenario under the namespace ns (which must start
// with secretlings/) on b, as its grader seeds it, for a run by hand.
func NewTryout(ctx context.Context, b Backend, ex *Exercise, ns string) (*Tryout, error) {
	if ex.tryout == nil {
		return nil, fmt.Errorf("%s has no program to run by hand", ex.ID)
	}
	t := &Tryout{Env: map[string]string{}, b: b, ns: ns}
	if err := ex.tryout(ctx, t); err != nil {
		t.Close()
		return nil, err
	}
	return t, nil
}

func (t *Tryout) create(ctx context.Context, suffix, value, token string) (string, error) {
	name := t.seedName(suffix)
	in := createInput(name, value)
	if token != "" {
		in.ClientRequestToken = awssdk.String(token)
	}
	if _, err := t.b.Client.CreateSecret(ctx, in); err != nil {
		return "", fmt.Errorf("creating %s: %s", name, explain(err))
	}
	t.Seeded = append(t.Seeded, SeededSecret{name, value})
	t.Values = append(t.Values, value)
	return name, nil
}

func (t *Tryout) seedName(suffix string) string {
	t.names = append(t.names, t.ns+suffix)
	return t.ns + suffix
}

func (t *Tryout) protect(values ...string) { t.Secrets = append(t.Secrets, values...) }

func (t *Tryout) prefix() string { return t.ns }

// onClose runs f when the Tryout closes, before its secrets are deleted.
func (t *Tryout) onClose(f func()) { t.closers = append(t.closers, f) }

// Close stops what the scenario started and deletes every secret under
// its namespace.
func (t *Tryout) Close() {
	for _, f := range slices.Backward(t.closers) {
		f()
	}
	t.closers = nil
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	r := New(t.b, "").newRun(nil, t.ns)
	r.names = t.names
	_ = r.deleteNamespace(ctx)
}

// Rotation rotates a Tryout's secret once with the learner's program as
// its rotation function, as Secrets Manager would on a schedule. Only the
// embedded Secrets Manager runs a local program as one.
type Rotation struct {
	// Secret is the secret rotated.
	Secret string
	emu    *emulator.Server
	client *secretsmanager.Client
	region string
}

// Rotate registers fn as the secret's rotation function and rotates the
// secret once, returning the version rotated in and whether it is
// AWSCURRENT now. An error means the rotation could not start.
func (r *Rotation) Rotate(ctx context.Context, fn emulator.RotationFunc) (version string, current bool, err error) {
	arn := rotationFunctionARN(r.region)
	r.emu.RegisterRotationFunction(arn, fn)
	out, err := r.client.RotateSecret(ctx, &secretsmanager.RotateSecretInput{SecretId: awssdk.String(r.Secret), RotationLambdaARN: awssdk.String(arn)})
	if err != nil {
		return "", false, err
	}
	version = awssdk.ToString(out.VersionId)
	d, err := r.client.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: awssdk.String(r.Secret)})
	return version, err == nil && slices.Contains(stagesOf(d, version), "AWSCURRENT"), nil
}

// errNeedsEmbedded is why rotation-handler cannot be tried on another
// backend: only the embedded one invokes a local program as a Lambda.
var errNeedsEmbedded = errors.New("rotation-handler runs as the rotation function of the embedded Secrets Manager: run it without --backend and --endpoint-url")
