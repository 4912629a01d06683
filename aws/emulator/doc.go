// Package emulator is the embedded Secrets Manager: an http.Handler that
// speaks the awsJson1_1 protocol of AWS Secrets Manager, so the official
// SDKs, the aws CLI and boto3 talk to it exactly as they talk to AWS.
//
// Use it for: tutorials, tests and local development without Docker or an
// AWS account. Not for: production secrets (values are kept in memory and,
// with WithStateFile, in a 0600 file in plain text, whatever KMS key a
// secret names; only the tutorial cast's signatures are verified, and their
// keys are public).
//
//	srv, _ := emulator.New(emulator.WithSyncRotation())
//	defer srv.Close()
//	hs := httptest.NewServer(srv) // or any net/http server
//	client := secretsmanager.New(secretsmanager.Options{BaseEndpoint: aws.String(hs.URL), ...})
//
// # Layout
//
// Server (server.go) decodes a request, picks the Store of the request's
// account and region (from the SigV4 credential scope; a 12-digit access
// key id is the account, as in LocalStack) and calls one method. The Store
// (store.go, contract in MUST sentences; memStore is the implementation)
// knows nothing of HTTP. Behaviour follows docs/secrets-manager.md; where
// moto or LocalStack differ from AWS, this package follows AWS.
//
// # Identities and policies
//
// identify (identity.go) attributes each request to a Principal by its
// SigV4 access key. The cast (cast.go: role/app, role/deployer,
// user/auditor, user/intern, and role/partner in OtherAccountID) have fixed
// keys; their signatures are recomputed and checked. Any other key is the
// root of an account (a 12-digit key names the account) and is not
// verified. Before a Secrets Manager operation runs, authorize (authz.go)
// maps it to its action and resource and evaluates the caller's identity
// policy and the secret's resource policy with AWS's logic (iameval.go):
// explicit Deny wins, within an account either policy's Allow grants,
// across accounts both must. A full ARN of another account's secret routes
// the request to that account's store, so cross-account access works.
// Policies are parsed once and cached by their text (iampolicy.go);
// condition keys are looked up only when a condition asks (iamkeys.go,
// iamcond.go), so the root's GetSecretValue does no policy work at all.
// BatchGetSecretValue authorizes each secret separately and reports a
// refused one in Errors. WithIAMEnforcement(false) allows everything.
// STS GetCallerIdentity (sts.go) answers on the same endpoint: query
// protocol requests carry no X-Amz-Target and a form body.
//
// # Rotation
//
// RotateSecret validates, stores the configuration and creates the
// value-less AWSPENDING placeholder under the store lock, then invokes the
// RotationFunc registered for the rotation Lambda ARN (a Go function, or a
// local program, one process per step with the event on stdin, through
// Command, CommandRotationFunc or StdinRotationFunc) through createSecret,
// setSecret, testSecret and finishSecret with the Lambda event shape, with
// no lock held: the function calls back into the emulator over HTTP. As on
// AWS the steps run after RotateSecret has answered; WithSyncRotation runs
// them before it answers, for deterministic lessons and tests. A failed
// step ends the rotation (AWS would retry it later) and leaves AWSPENDING
// where it is, so the next RotateSecret reports a rotation in progress.
// RotateImmediately=false runs testSecret alone against a temporary
// placeholder holding the current value. RotateDue starts the rotations
// whose NextRotationDate has passed. Close waits for running rotations.
//
// # Persistence
//
// WithStateFile keeps a write-ahead log of checksummed JSON lines (CRC-32C),
// each the complete new state of one secret, its removal, or a version's
// first read of a day (a few bytes), written and fsynced under the store
// lock before the request is answered: a kill -9 loses no acknowledged
// write. A failed write rolls memory back to what the file holds and cuts
// the file back to its last good line; after a failed fsync writes are
// refused until the file syncs again, reads go on (journal.go). On start
// only a torn final line (no newline, never acknowledged) is cut off; any
// other damage, including a record that breaks the label rules, stops New
// with a *StateDamageError, unless WithStateRepair, which keeps a copy of
// the file before cutting it (journal_load.go). Compaction writes the live
// lines to a temporary file, fsyncs it and renames it over the log, so the
// file on disk is always readable; a failed compaction leaves the longer
// log in place.
//
// # KMS and the audit trail
//
// The same endpoint answers a tiny KMS (X-Amz-Target TrentService.*, kms.go):
// symmetric keys with a description, tags and a key policy (the default one
// lets the account root, and so the account's IAM policies, use the key),
// aliases, enable, disable, scheduled deletion (7 to 30 days, then the key is
// gone) and its cancellation, per account and region; the AWS managed key
// alias/aws/secretsmanager appears on first use. It encrypts nothing: it
// decides. A secret's KmsKeyId must name a key; reading a value under a
// disabled or pending-deletion key is DecryptionFailure, writing one is
// EncryptionFailure, and the key policy must allow the caller kms:Decrypt
// (reads) or kms:GenerateDataKey (writes), else AccessDeniedException
// "Access to KMS is not allowed" (kms_secrets.go cites where each answer
// comes from). Values stay plain text in memory and in the state file.
//
// Every request of every service (Secrets Manager, KMS, STS, CloudTrail),
// allowed or denied, becomes a CloudTrail-shaped AuditEvent (audit.go):
// request parameters without any secret member (audit_redact.go), null
// response elements for reads, the error code and message of a failure, the
// resources touched. Each account keeps its newest events in a ring
// (DefaultAuditCapacity), served newest first by CloudTrail's LookupEvents
// (cloudtrail.go). With WithStateFile the KMS lives in STATE.kms (one
// checksummed snapshot line, replaced atomically) and the trail in
// STATE.trail (one checksummed line per event, fsynced before the request is
// answered, compacted to what the rings hold); damage to either stops New
// like damage to the state file (trail.go, kms_persist.go).
package emulator
