package emulator

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"
)

// secretMembers are the members (lowercased) that carry a secret value or
// something as good as one; they never reach an event, at any depth.
// ClientRequestToken goes too: CloudTrail keeps it, but the tutorial's
// contract is that an event holds nothing a version could be fetched or
// forged with.
var secretMembers = map[string]bool{
	"secretstring": true, "secretbinary": true, "clientrequesttoken": true, "randompassword": true,
	"plaintext": true, "ciphertextblob": true, "password": true, "secretaccesskey": true, "sessiontoken": true,
}

// requestParameters is CloudTrail's requestParameters: the JSON body with
// lowerCamelCase member names and without secret members. A body that is
// not a JSON object (STS's form body, garbage) records as null.
func requestParameters(body []byte) map[string]any {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' {
		return nil
	}
	var raw map[string]any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if dec.Decode(&raw) != nil {
		return nil
	}
	m, _ := redact(raw).(map[string]any)
	return m
}

func putStr(m map[string]any, k string, v *string) {
	if v != nil {
		m[k] = *v
	}
}

// responseElements is CloudTrail's responseElements of a write: the
// answer, lowerCamelCase, without secret members; null when empty.
func responseElements(out any) map[string]any {
	if out == nil {
		return nil
	}
	if _, empty := out.(*Empty); empty {
		return nil
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil
	}
	var raw map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if dec.Decode(&raw) != nil || len(raw) == 0 {
		return nil
	}
	m, _ := redact(raw).(map[string]any)
	return m
}

// redact drops secret members and lowercases the first letter of every
// member name (SecretId becomes secretId, ARN becomes aRN, as CloudTrail
// writes them).
func redact(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			if secretMembers[strings.ToLower(k)] {
				continue
			}
			out[lowerFirst(k)] = redact(val)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = redact(val)
		}
		return out
	}
	return v
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError || unicode.IsLower(r) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// auditResources lists the resources of an event: the secret or key the
// request named, by ARN (from the answer, else resolved from the request).
func (s *Server) auditResources(p Principal, source, region string, ev *AuditEvent, out any) []AuditResource {
	const secretType = "AWS::SecretsManager::Secret"
	if g, ok := out.(*GetSecretValueOutput); ok && g != nil && g.ARN != "" { // the hot path
		return []AuditResource{{ARN: g.ARN, AccountID: arnAccount(g.ARN), Type: secretType}}
	}
	var arns []string
	typ := secretType
	switch source {
	case SourceSecretsManager:
		arns = secretARNs(out)
		if len(arns) == 0 {
			id, _ := ev.RequestParameters["secretId"].(string)
			if ev.lazyGet != nil {
				id = str(ev.lazyGet.SecretId)
			}
			if id != "" {
				arns = s.secretARNFor(p, region, id)
			}
		}
	case SourceKMS:
		typ = "AWS::KMS::Key"
		arns = s.keyARNs(p, region, ev.RequestParameters, out)
	}
	var res []AuditResource
	for _, a := range arns {
		res = append(res, AuditResource{ARN: a, AccountID: arnAccount(a), Type: typ})
	}
	return res
}

// secretARNs reads the ARN members of an answer.
func secretARNs(out any) []string {
	if b, ok := out.(*BatchGetSecretValueOutput); ok && b != nil {
		var arns []string
		for _, v := range b.SecretValues {
			arns = append(arns, v.ARN)
		}
		return arns
	}
	v := reflect.ValueOf(out)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return nil
	}
	f := v.Elem().FieldByName("ARN")
	if f.IsValid() && f.Kind() == reflect.String && f.String() != "" {
		return []string{f.String()}
	}
	return nil
}

// secretARNFor resolves a SecretId the answer did not name (a denied or
// failed call): an ARN stays as given, a name is looked up in the caller's
// account.
func (s *Server) secretARNFor(p Principal, region, id string) []string {
	if strings.HasPrefix(id, "arn:") {
		return []string{id}
	}
	account := p.Account
	if account == "" {
		account = s.account
	}
	if arn, _, ok := s.store(account, region).keyOfSecret(id); ok {
		return []string{arn}
	}
	return nil
}

func (s *Server) keyARNs(p Principal, region string, req map[string]any, out any) []string {
	switch o := out.(type) {
	case *kmsKeyMetadataOutput:
		if o != nil && o.KeyMetadata != nil {
			return []string{o.KeyMetadata.Arn}
		}
	case *kmsScheduleDeletionOutput:
		if o != nil {
			return []string{o.KeyId}
		}
	case *kmsKeyIDOutput:
		if o != nil {
			return []string{o.KeyId}
		}
	}
	id, _ := req["keyId"].(string)
	if id == "" {
		id, _ = req["targetKeyId"].(string)
	}
	ref, ok := parseKeyRef(id, p.Account, region)
	if id == "" || !ok {
		return nil
	}
	if ref.keyID != "" {
		return []string{ref.display}
	}
	s.kms.mu.RLock()
	defer s.kms.mu.RUnlock()
	if key, err := s.kms.findKey(ref); err == nil {
		return []string{key.ARN}
	}
	return nil
}

// arnAccount is the account field of an ARN ("" when there is none).
func arnAccount(arn string) string {
	for i := 0; i < 4; i++ {
		j := strings.IndexByte(arn, ':')
		if j < 0 {
			return ""
		}
		arn = arn[j+1:]
	}
	if j := strings.IndexByte(arn, ':'); j >= 0 {
		return arn[:j]
	}
	return ""
}
