package main

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"secretlings/aws/rotation"
	"secretlings/aws/rotation/demoservice"
	"secretlings/mask"
)

// This file is the rotation function: the part you would deploy as a Lambda.
// Secrets Manager calls it four times per rotation, once per step; the
// rotation package runs the checks every step shares (rotation enabled, the
// version is AWSPENDING, …) and calls the strategy's method for the step.

// demoKeys is the admin client of the demo service whose keys we rotate. Like
// any Lambda, the function reads its configuration from the environment.
func demoKeys() (*demoservice.Client, error) {
	url, token := os.Getenv("DEMO_SERVICE_URL"), os.Getenv("DEMO_SERVICE_ADMIN_TOKEN")
	if url == "" || token == "" {
		return nil, errors.New("DEMO_SERVICE_URL and DEMO_SERVICE_ADMIN_TOKEN are not set: run `secretlings example 3`, which starts the demo service")
	}
	return &demoservice.Client{BaseURL: url, AdminToken: token}, nil
}

// newHandler picks the strategy: single user (the default: the old key stops
// working when the rotation finishes) or, with ROTATION_STRATEGY=alternating,
// two users taking turns (the old key keeps working until the next rotation).
func newHandler(keys *demoservice.Client) rotation.Handler {
	var h rotation.Handler = rotation.SingleUser{Service: keys}
	if os.Getenv("ROTATION_STRATEGY") == "alternating" {
		h = rotation.AlternatingUsers{Service: keys, Users: [2]string{"app-a", "app-b"}}
	}
	return narrated{next: h, keys: keys}
}

// serveRotation is the function's entry point when a local rotation service
// (the embedded emulator) runs this program with one event as JSON on stdin,
// as Lambda would deliver it. It returns the exit code.
func serveRotation(ctx context.Context, client *secretsmanager.Client) int {
	keys, err := demoKeys()
	if err == nil {
		err = rotation.ServeStdin(ctx, client, newHandler(keys), os.Stdin)
	}
	if err != nil {
		// The step's error names the step and the version, never a value.
		fmt.Fprintf(os.Stderr, "rotation function: %v\n", err)
		return 1
	}
	return 0
}

// narrated wraps a strategy and prints what each step did and which keys
// the demo service accepts afterwards. Only the printing is added: the work
// is the strategy's.
type narrated struct {
	next rotation.Handler
	keys *demoservice.Client
}

func (n narrated) CreateSecret(ctx context.Context, s *rotation.Step) error {
	if err := n.next.CreateSecret(ctx, s); err != nil {
		return err
	}
	pending, _, err := s.PendingValue(ctx)
	if err != nil {
		return err
	}
	say(s, "stored %s as AWSPENDING version %s", describe(pending), short(s.Token()))
	return nil
}

func (n narrated) SetSecret(ctx context.Context, s *rotation.Step) error {
	if err := n.next.SetSecret(ctx, s); err != nil {
		return err
	}
	pending, _, err := s.PendingValue(ctx)
	if err != nil {
		return err
	}
	say(s, "registered the new key with the demo service: %s", n.accepts(ctx, pending))
	return nil
}

func (n narrated) TestSecret(ctx context.Context, s *rotation.Step) error {
	if err := n.next.TestSecret(ctx, s); err != nil {
		return err
	}
	say(s, "logged in with the new key: it works")
	return nil
}

func (n narrated) FinishSecret(ctx context.Context, s *rotation.Step) error {
	if err := n.next.FinishSecret(ctx, s); err != nil {
		return err
	}
	msg := fmt.Sprintf("AWSCURRENT is now version %s", short(s.Token()))
	if old, ok, err := s.PreviousValue(ctx); err == nil && ok {
		msg += "; the previous key is " + n.accepts(ctx, old)
	}
	say(s, "%s", msg)
	return nil
}

// accepts asks the demo service whether the key in a secret value works.
func (n narrated) accepts(ctx context.Context, value string) string {
	v, err := rotation.ParseAPIKeySecret(value)
	if err != nil {
		return "unreadable"
	}
	return accepted(ctx, n.keys, v.APIKey)
}

// say prints one line of the function's log. Lambda sends stdout to
// CloudWatch Logs; here it ends up on your terminal.
func say(s *rotation.Step, format string, args ...any) {
	fmt.Printf("   λ %-14s %s\n", s.Event.Step+":", fmt.Sprintf(format, args...))
}

// describe shows an API-key secret with its key masked and a fingerprint (the
// start of its SHA-256): enough to tell two keys apart, nothing of the key.
func describe(value string) string {
	v, err := rotation.ParseAPIKeySecret(value)
	if err != nil {
		return mask.Mask(value)
	}
	sum := sha256.Sum256([]byte(v.APIKey))
	return fmt.Sprintf("user %s, key %s (fingerprint %x)", v.Username, mask.Mask(v.APIKey), sum[:3])
}

func short(id string) string {
	if len(id) > 8 {
		return id[:8] + "…"
	}
	return id
}
