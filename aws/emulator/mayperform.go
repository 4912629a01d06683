package emulator

import (
	"context"
	"encoding/json"
	"errors"
)

// MayPerform reports whether the cast member named member may run the
// Secrets Manager operation op (e.g. "GetSecretValue") on the secret
// secretID (a full ARN for another account's secret) in region, as the
// policies, the secret's key and enforcement stand now. When not, reason is
// AWS's answer ("User: … is not authorized to perform: …", "Access to KMS is
// not allowed", …). It changes nothing and records no audit event: it is
// the browser's "who may read it", asked without reading anything.
func (s *Server) MayPerform(member, op, secretID, region string) (ok bool, reason string) {
	m, found := CastMemberNamed(member)
	if !found {
		return false, "no cast member is named " + truncateForMsg(member)
	}
	if region == "" {
		region = s.region
	}
	p := castByKey(m.AccessKeyID).principal()
	body, _ := json.Marshal(struct{ SecretId string }{secretID})
	st := s.targetStore(s.store(p.Account, region), op, body)
	err := s.authorize(context.Background(), p, op, st, body)
	if err == nil {
		err = s.kmsGate(p, op, st, body)
	}
	if err == nil {
		return true, ""
	}
	var e *Error
	if errors.As(err, &e) {
		return false, e.Message
	}
	return false, err.Error()
}
