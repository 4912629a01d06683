// Package emulator is the embedded Secrets Manager: an http.Handler that
// speaks the awsJson1_1 protocol of AWS Secrets Manager, so the official
// SDKs, the aws CLI and boto3 talk to it exactly as they talk to AWS.
//
// Use it for: tutorials, tests and local development without Docker or an
// AWS account. Not for: production secrets (values are kept in memory and,
// with WithStateFile, in a 0600 file in plain text; signatures are not
// verified; IAM policies are stored, not enforced).
//
// Layout: Server (server.go) decodes a request, picks the Store of the
// request's account and region (from the SigV4 credential scope) and calls
// one method; the Store (store.go, contract in MUST sentences; memStore is
// the implementation) knows nothing of HTTP. Behaviour follows
// docs/secrets-manager.md; where moto or LocalStack differ from AWS, this
// package follows AWS.
//
// Rotation: RotateSecret invokes the RotationFunc registered for the
// secret's rotation Lambda ARN (a Go function, or a local command through
// CommandRotationFunc) through the four steps with the Lambda event shape.
// As on AWS the steps run after RotateSecret has answered; WithSyncRotation
// runs them before it answers, for deterministic lessons and tests. Close
// waits for background rotations.
package emulator
