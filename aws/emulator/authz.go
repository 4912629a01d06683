package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
)

// resourceOps are the operations on one secret, named by SecretId; every
// other operation is on "*" (ListSecrets, GetRandomPassword,
// BatchGetSecretValue) or names a secret that does not exist yet
// (CreateSecret).
var resourceOps = map[string]bool{
	"GetSecretValue": true, "PutSecretValue": true, "UpdateSecret": true, "DescribeSecret": true,
	"ListSecretVersionIds": true, "UpdateSecretVersionStage": true, "DeleteSecret": true,
	"RestoreSecret": true, "RotateSecret": true, "CancelRotateSecret": true, "TagResource": true,
	"UntagResource": true, "PutResourcePolicy": true, "GetResourcePolicy": true,
	"DeleteResourcePolicy": true, "ReplicateSecretToRegions": true,
	"RemoveRegionsFromReplication": true, "StopReplicationToReplica": true,
	"ValidateResourcePolicy": true, // SecretId is optional there
}

// authInput is what authorization reads from a request body.
type authInput struct {
	SecretId     *string         `json:"SecretId"`
	Name         *string         `json:"Name"`
	VersionId    *string         `json:"VersionId"`
	VersionStage *string         `json:"VersionStage"`
	Filters      json.RawMessage `json:"Filters"`
}

func decodeAuthInput(op string, body []byte) (authInput, bool) {
	var in authInput
	if op == "GetSecretValue" {
		var g GetSecretValueInput
		if decodeGetSecretValue(body, &g) {
			return authInput{SecretId: g.SecretId, VersionId: g.VersionId, VersionStage: g.VersionStage}, true
		}
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return in, true
	}
	return in, json.Unmarshal(body, &in) == nil
}

// targetStore is the store a request acts on: the caller's own, unless it
// names a secret by the full ARN of another account (cross-account access).
func (s *Server) targetStore(st *memStore, op string, body []byte) *memStore {
	if !resourceOps[op] || !bytes.Contains(body, []byte(":secretsmanager:")) {
		return st
	}
	in, ok := decodeAuthInput(op, body)
	if !ok || in.SecretId == nil {
		return st
	}
	parts := strings.SplitN(*in.SecretId, ":", 7)
	if len(parts) < 7 || parts[0] != "arn" || parts[2] != "secretsmanager" || parts[5] != "secret" {
		return st
	}
	if parts[4] == st.account || !isAccountID(parts[4]) || parts[3] == "" {
		return st
	}
	return s.store(parts[4], parts[3])
}

// authorize decides whether p may run op on the store st, with AWS's
// evaluation logic (iameval.go). The root of the store's own account may do
// everything, as before; with enforcement off, everyone may.
func (s *Server) authorize(_ context.Context, p Principal, op string, st *memStore, body []byte) error {
	if s.iam.off || p.Root && p.Account == st.account {
		return nil
	}
	in, ok := decodeAuthInput(op, body)
	if !ok {
		return nil // a body that does not decode is the operation's error to report
	}
	identity, err := s.identityPolicy(p)
	if err != nil {
		return err
	}
	if op == "BatchGetSecretValue" && len(in.Filters) > 0 && string(in.Filters) != "null" {
		// "If you use filters, you must also have secretsmanager:ListSecrets."
		if err := s.check(identity, "", s.starRequest(p, "ListSecrets", st)); err != nil {
			return err
		}
	}
	if !resourceOps[op] || in.SecretId == nil {
		req := s.starRequest(p, op, st)
		if op == "CreateSecret" && in.Name != nil {
			req.resource = st.arnPrefix() + *in.Name
			req.keys.name = *in.Name
		}
		return s.check(identity, "", req)
	}
	// Evaluate under the read lock: the request reads the secret's tags
	// and policy in place, without copying them.
	st.mu.RLock()
	defer st.mu.RUnlock()
	sec := st.resolve(*in.SecretId, st.now())
	req, resPolicy := s.secretRequest(p, op, st, sec, *in.SecretId, in.VersionId, in.VersionStage)
	return s.check(identity, resPolicy, req)
}

// check evaluates the identity and resource policies for one request.
func (s *Server) check(identity *policy, resPolicyDoc string, req *authRequest) error {
	var v verdict
	v.evaluate(identity, identityPolicy, req)
	if resPolicyDoc != "" {
		rp, err := s.iam.policies.get(resPolicyDoc, true)
		if err == nil { // a stored policy always parsed once; a failure here allows nothing
			v.evaluate(rp, resourcePolicy, req)
		}
	}
	if ok, reason := v.decide(req, req.p.Root); !ok {
		return accessDenied(req, reason)
	}
	return nil
}

// identityPolicy is the parsed identity policy of a cast member; a root
// user has none (it may do everything in its own account).
func (s *Server) identityPolicy(p Principal) (*policy, error) {
	c := castByKey(p.AccessKeyID)
	if p.Root || c == nil {
		return nil, nil
	}
	return s.iam.policies.get(c.IdentityPolicy, false)
}

func (s *Server) starRequest(p Principal, op string, st *memStore) *authRequest {
	return newAuthRequest(p, "secretsmanager:"+op, "*", st.account)
}

// secretRequest builds the request for an operation on one secret (nil:
// not found, then the resource is the ARN the id would have) and returns
// the secret's resource policy text. Read lock held until evaluated.
func (s *Server) secretRequest(p Principal, op string, st *memStore, sec *secret, id string, versionID, stage *string) (*authRequest, string) {
	req := newAuthRequest(p, "secretsmanager:"+op, "", st.account)
	keys := &req.keys
	if sec == nil {
		req.resource = id
		if !strings.HasPrefix(id, "arn:") {
			req.resource = st.arnPrefix() + id
		}
		keys.secretID = req.resource
		return req, ""
	}
	req.resource = sec.ARN
	keys.secretID, keys.name, keys.tags = sec.ARN, sec.Name, sec.Tags
	if versionID != nil {
		keys.versionID = *versionID
	}
	keys.stages = requestStages(op, sec, versionID, stage)
	return req, sec.Policy
}

// requestStages is secretsmanager:VersionStage: for GetSecretValue the
// stage asked for (AWSCURRENT by default) or, with a VersionId alone, the
// stages of that version; for UpdateSecretVersionStage the stage moved.
func requestStages(op string, sec *secret, versionID, stage *string) []string {
	switch {
	case stage != nil:
		return []string{*stage}
	case op != "GetSecretValue":
		return nil
	case versionID != nil:
		if v := sec.byID[*versionID]; v != nil {
			return append([]string(nil), v.Stages...)
		}
		return nil
	}
	return []string{StageCurrent}
}

// secretCheck authorizes GetSecretValue on each secret of a
// BatchGetSecretValue; the store calls it under its read lock.
type secretCheck func(sec *secret) error

// check runs the check; a nil secretCheck allows everything.
func (f secretCheck) check(sec *secret) error {
	if f == nil {
		return nil
	}
	return f(sec)
}

type secretCheckKey struct{}

func secretCheckFrom(ctx context.Context) secretCheck {
	f, _ := ctx.Value(secretCheckKey{}).(secretCheck)
	return f
}

// withBatchChecks makes BatchGetSecretValue authorize every secret
// separately, as AWS does: a refused one goes into Errors.
func (s *Server) withBatchChecks(ctx context.Context, p Principal, op string, st *memStore) context.Context {
	if op != "BatchGetSecretValue" || s.iam.off || p.Root && p.Account == st.account {
		return ctx
	}
	identity, err := s.identityPolicy(p)
	if err != nil {
		return ctx
	}
	f := secretCheck(func(sec *secret) error {
		req, pol := s.secretRequest(p, "GetSecretValue", st, sec, sec.ARN, nil, nil)
		return s.check(identity, pol, req)
	})
	return context.WithValue(ctx, secretCheckKey{}, f)
}
