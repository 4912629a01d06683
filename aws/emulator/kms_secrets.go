package emulator

import "encoding/json"

// How KmsKeyId acts on Secrets Manager. Secrets Manager encrypts each value
// with a data key from KMS (kms:GenerateDataKey) and decrypts it through KMS
// (kms:Decrypt) on every read, as the caller, so the key's state and policy
// decide reads and writes. The answers follow what AWS sends:
//
//   - A value cannot be written under a disabled, pending-deletion or
//     missing key: EncryptionFailure, whose reference text reads "Check that
//     the KMS key is available, enabled, and not in an invalid state"
//     (Secrets Manager API reference, Common Errors), with KMS's own reason
//     after "Secrets Manager can't encrypt the secret value: " as AWS words
//     it (hashicorp/terraform-provider-aws#30272 quotes "Secrets Manager
//     can't encrypt the secret value: Key 'arn:...' does not exist").
//   - A value cannot be read under a disabled or pending-deletion key:
//     DecryptionFailure, the error GetSecretValue models for "Secrets
//     Manager can't decrypt the protected secret text using the provided KMS
//     key" (GetSecretValue API reference), again followed by KMS's reason:
//     "arn:... is disabled." (DisabledException, quoted in fugue/credstash#86)
//     or "arn:... is pending deletion." (KMSInvalidStateException).
//   - A key policy that does not let the caller use the key:
//     AccessDeniedException "Access to KMS is not allowed" (aws/aws-cdk#7677
//     and the AWS re:Post article "secrets-manager-cross-account-key"). The
//     AWS managed key aws/secretsmanager is never usable from another account.
//   - CreateSecret or UpdateSecret naming a key that does not exist, without
//     a value to encrypt: InvalidParameterException "The operation failed
//     because of an invalid KMS key: ..." (quoted in
//     hashicorp/terraform-provider-aws#13303).

const msgKMSDenied = "Access to KMS is not allowed"

// kmsSecretUse is what a request asks of a secret's key.
type kmsSecretUse struct {
	keyID     string // as given or stored; "" is aws/secretsmanager
	secretARN string
	write     bool // a value is encrypted (else only decrypted or named)
	read      bool
}

// kmsGate runs before a Secrets Manager operation and refuses it when the
// secret's key does not allow it. It reads only what it needs of the body.
func (s *Server) kmsGate(p Principal, op string, st *memStore, body []byte) error {
	var in struct {
		SecretId     *string         `json:"SecretId"`
		KmsKeyId     *string         `json:"KmsKeyId"`
		SecretString *string         `json:"SecretString"`
		SecretBinary json.RawMessage `json:"SecretBinary"`
	}
	switch op {
	case "GetSecretValue", "CreateSecret", "UpdateSecret", "PutSecretValue":
	default:
		return nil
	}
	if op == "GetSecretValue" {
		if s.kms.customerKeys.Load() == 0 && p.Account == st.account {
			return nil // the hot path: only the managed key exists, and it serves the account
		}
		var g GetSecretValueInput
		if !decodeGetSecretValue(body, &g) && json.Unmarshal(body, &g) != nil {
			return nil // the operation reports the bad body
		}
		in.SecretId = g.SecretId
	} else if json.Unmarshal(body, &in) != nil {
		return nil
	}
	hasValue := in.SecretString != nil || (len(in.SecretBinary) > 0 && string(in.SecretBinary) != "null")
	use := kmsSecretUse{write: hasValue, read: op == "GetSecretValue"}
	switch {
	case op == "CreateSecret":
		use.keyID = str(in.KmsKeyId)
		if use.keyID == "" && !hasValue {
			return nil // no key is used until a value is stored
		}
	case op == "UpdateSecret" && in.KmsKeyId != nil:
		use.keyID = *in.KmsKeyId
		if in.SecretId != nil {
			use.secretARN, _, _ = st.keyOfSecret(*in.SecretId)
		}
	default:
		if in.SecretId == nil {
			return nil
		}
		arn, keyID, ok := st.keyOfSecret(*in.SecretId)
		if !ok || (!hasValue && !use.read) {
			return nil
		}
		use.keyID, use.secretARN = keyID, arn
	}
	return s.checkSecretKey(p, st, use)
}

// checkSecretKey resolves the key of use and checks its policy and state.
func (s *Server) checkSecretKey(p Principal, st *memStore, use kmsSecretUse) error {
	if use.keyID == "" {
		return s.checkManagedKey(p, st, use)
	}
	k := &s.kms
	ref, ok := parseKeyRef(use.keyID, st.account, st.region)
	if !ok {
		return apiErr(ErrInvalidParameter, "The operation failed because of an invalid KMS key: Invalid keyId %s", truncateForMsg(use.keyID))
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	kr := k.region(ref.account, ref.region)
	kr.purgeDue(s.now())
	if ref.alias == managedSecretsAlias {
		if err := s.ensureManagedLocked(kr); err != nil {
			return err
		}
	}
	key, kerr := k.findKey(ref)
	if kerr != nil {
		if use.read {
			return apiErr(ErrDecryptionFailure, "Secrets Manager can't decrypt the secret value: %s", kerr.Message)
		}
		if use.write {
			return apiErr(ErrEncryptionFailure, "Secrets Manager can't encrypt the secret value: %s", kerr.Message)
		}
		return apiErr(ErrInvalidParameter, "The operation failed because of an invalid KMS key: %s", kerr.Message)
	}
	action := "kms:DescribeKey"
	switch {
	case use.read:
		action = "kms:Decrypt"
	case use.write:
		action = "kms:GenerateDataKey"
	}
	conds := map[string][]string{
		"kms:ViaService":    {"secretsmanager." + st.region + ".amazonaws.com"},
		"kms:CallerAccount": {p.Account},
	}
	if use.secretARN != "" {
		conds["kms:EncryptionContext:SecretARN"] = []string{use.secretARN}
	}
	if !s.keyAllows(p, action, key, conds) {
		return apiErr(ErrAccessDenied, msgKMSDenied)
	}
	if key.State == keyEnabled || (!use.read && !use.write) {
		return nil
	}
	reason := key.ARN + " is disabled."
	if key.State == keyPendingDeletion {
		reason = key.ARN + " is pending deletion."
	}
	if use.read {
		return apiErr(ErrDecryptionFailure, "Secrets Manager can't decrypt the secret value: %s", reason)
	}
	return apiErr(ErrEncryptionFailure, "Secrets Manager can't encrypt the secret value: %s", reason)
}

// checkManagedKey checks a secret under the AWS managed key: always enabled,
// usable by the principals of its account through Secrets Manager, by no
// other account. The read path takes no lock: it is GetSecretValue's hot
// path. A first write creates the key.
func (s *Server) checkManagedKey(p Principal, st *memStore, use kmsSecretUse) error {
	if p.Account != st.account {
		return apiErr(ErrAccessDenied, msgKMSDenied)
	}
	if !use.write {
		return nil
	}
	k := &s.kms
	k.mu.RLock()
	kr := k.regions[storeKey{st.account, st.region}]
	exists := kr != nil && kr.Aliases[managedSecretsAlias] != nil
	k.mu.RUnlock()
	if exists {
		return nil
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	return s.ensureManagedLocked(k.region(st.account, st.region))
}

// ensureManagedLocked creates the aws/secretsmanager key of kr on first
// use and persists it; k.mu held.
func (s *Server) ensureManagedLocked(kr *kmsRegion) error {
	key, created := kr.ensureManaged(s.newID, s.now())
	if !created {
		return nil
	}
	if err := s.saveKMS(); err != nil {
		delete(kr.Keys, key.ID)
		kr.Order = kr.Order[:len(kr.Order)-1]
		delete(kr.Aliases, managedSecretsAlias)
		return err
	}
	return nil
}

// kmsFilterBatch moves the values of BatchGetSecretValue whose key refuses
// the caller into Errors, as AWS reports per-secret failures there.
func (s *Server) kmsFilterBatch(p Principal, st *memStore, out *BatchGetSecretValueOutput) {
	kept := out.SecretValues[:0]
	for _, v := range out.SecretValues {
		_, keyID, ok := st.keyOfSecret(v.ARN)
		if ok {
			if err := s.checkSecretKey(p, st, kmsSecretUse{keyID: keyID, secretARN: v.ARN, read: true}); err != nil {
				out.Errors = append(out.Errors, batchError(v.ARN, err))
				continue
			}
		}
		kept = append(kept, v)
	}
	out.SecretValues = kept
}

// keyOfSecret returns the ARN and KmsKeyId of the secret id names.
func (m *memStore) keyOfSecret(id string) (arn, kmsKeyID string, ok bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	sec := m.resolve(id, m.now())
	if sec == nil {
		return "", "", false
	}
	return sec.ARN, sec.KmsKeyID, true
}

// kmsAfter applies the KMS to an operation's answer (BatchGetSecretValue).
func (s *Server) kmsAfter(p Principal, op string, st *memStore, out any) {
	if b, ok := out.(*BatchGetSecretValueOutput); ok && op == "BatchGetSecretValue" && len(b.SecretValues) > 0 {
		s.kmsFilterBatch(p, st, b)
	}
}
