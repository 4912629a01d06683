package rotation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// LambdaHandler returns a function for aws-lambda-go's lambda.Start that
// runs h for each event Secrets Manager sends:
//
//	cfg, _ := config.LoadDefaultConfig(ctx)
//	lambda.Start(rotation.LambdaHandler(secretsmanager.NewFromConfig(cfg), handler))
//
// Deployed to AWS or LocalStack, the function needs permission to call
// DescribeSecret, GetSecretValue, PutSecretValue and UpdateSecretVersionStage
// on the secret, and a resource policy that lets secretsmanager.amazonaws.com
// invoke it.
func LambdaHandler(client API, h Handler, opts ...Option) func(context.Context, Event) error {
	cfg := newConfig(opts)
	return func(ctx context.Context, ev Event) error {
		return run(ctx, cfg, client, h, ev)
	}
}

// ServeStdin reads rotation events as JSON from r (one object, or several
// one after another) and runs h for each, stopping at the first failure. It
// is the body of a command that a rotation service (the embedded emulator's
// command rotation functions) starts with the event on stdin; the command
// should exit non-zero when it returns an error. Unknown fields are
// rejected, so a misspelt field fails loudly rather than as an empty value.
func ServeStdin(ctx context.Context, client API, h Handler, r io.Reader, opts ...Option) error {
	cfg := newConfig(opts)
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	n := 0
	for {
		var ev Event
		err := dec.Decode(&ev)
		if errors.Is(err, io.EOF) {
			if n == 0 {
				return fmt.Errorf("%w: no event on stdin (expected JSON like {\"Step\":\"createSecret\",\"SecretId\":\"…\",\"ClientRequestToken\":\"…\"})", ErrBadEvent)
			}
			return nil
		}
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			// The syntax error quotes input characters, which may belong to
			// the (sensitive) RotationToken: report the offset only.
			return fmt.Errorf("%w: the event on stdin is not valid JSON (at byte %d)", ErrBadEvent, syn.Offset)
		}
		if err != nil {
			return fmt.Errorf("%w: decoding the event on stdin: %v", ErrBadEvent, err)
		}
		n++
		if err := run(ctx, cfg, client, h, ev); err != nil {
			return err
		}
	}
}

// Funcs is a Handler built from functions, for handlers too small for a type
// of their own. A nil Create stores Generate's value with
// Step.CreatePendingIfAbsent; a nil Set or Test does nothing; a nil Finish
// calls Step.PromotePending.
type Funcs struct {
	// Generate makes the new value from the current one for the default
	// Create. It is required when Create is nil.
	Generate func(ctx context.Context, current string) (string, error)
	Create   func(ctx context.Context, s *Step) error
	Set      func(ctx context.Context, s *Step) error
	Test     func(ctx context.Context, s *Step) error
	Finish   func(ctx context.Context, s *Step) error
}

// CreateSecret runs f.Create, or stores f.Generate's value.
func (f Funcs) CreateSecret(ctx context.Context, s *Step) error {
	if f.Create != nil {
		return f.Create(ctx, s)
	}
	if f.Generate == nil {
		return errors.New("rotation.Funcs needs Create or Generate to make the new value")
	}
	return s.CreatePendingIfAbsent(ctx, func(current string) (string, error) { return f.Generate(ctx, current) })
}

// SetSecret runs f.Set if set.
func (f Funcs) SetSecret(ctx context.Context, s *Step) error {
	if f.Set == nil {
		return nil
	}
	return f.Set(ctx, s)
}

// TestSecret runs f.Test if set.
func (f Funcs) TestSecret(ctx context.Context, s *Step) error {
	if f.Test == nil {
		return nil
	}
	return f.Test(ctx, s)
}

// FinishSecret runs f.Finish, or promotes the pending version.
func (f Funcs) FinishSecret(ctx context.Context, s *Step) error {
	if f.Finish != nil {
		return f.Finish(ctx, s)
	}
	_, err := s.PromotePending(ctx)
	return err
}
