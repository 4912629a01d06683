package emulator

import (
	"encoding/json"
	"fmt"
	"strings"
)

// KMS error codes, as KMS puts them in "__type".
const (
	ErrKMSNotFound        ErrorCode = "NotFoundException"
	ErrKMSInvalidState    ErrorCode = "KMSInvalidStateException"
	ErrKMSAlreadyExists   ErrorCode = "AlreadyExistsException"
	ErrKMSNotAuthorized   ErrorCode = "NotAuthorizedException"
	ErrKMSMalformedPolicy ErrorCode = "MalformedPolicyDocumentException"
	ErrKMSInvalidMarker   ErrorCode = "InvalidMarkerException"
	ErrKMSTag             ErrorCode = "TagException"
	ErrKMSUnsupported     ErrorCode = "UnsupportedOperationException"
	ErrDecryptionFailure  ErrorCode = "DecryptionFailure"
	ErrEncryptionFailure  ErrorCode = "EncryptionFailure"
)

// KMSTag is a KMS key tag (KMS spells its members TagKey and TagValue).
type KMSTag struct {
	TagKey   string `json:"TagKey"`
	TagValue string `json:"TagValue"`
}

// KeyMetadata is KMS's description of a key.
type KeyMetadata struct {
	AWSAccountId          string   `json:"AWSAccountId"`
	KeyId                 string   `json:"KeyId"`
	Arn                   string   `json:"Arn"`
	CreationDate          Epoch    `json:"CreationDate"`
	Enabled               bool     `json:"Enabled"`
	Description           string   `json:"Description"`
	KeyUsage              string   `json:"KeyUsage"`
	KeyState              string   `json:"KeyState"`
	DeletionDate          Epoch    `json:"DeletionDate,omitzero"`
	PendingDeletionWindow *int     `json:"PendingDeletionWindowInDays,omitempty"`
	Origin                string   `json:"Origin"`
	KeyManager            string   `json:"KeyManager"`
	CustomerMasterKeySpec string   `json:"CustomerMasterKeySpec"`
	KeySpec               string   `json:"KeySpec"`
	EncryptionAlgorithms  []string `json:"EncryptionAlgorithms"`
	MultiRegion           bool     `json:"MultiRegion"`
}

func (k *kmsKey) metadata() *KeyMetadata {
	m := &KeyMetadata{AWSAccountId: k.Account, KeyId: k.ID, Arn: k.ARN, CreationDate: epoch(k.Created),
		Enabled: k.State == keyEnabled, Description: k.Description, KeyUsage: "ENCRYPT_DECRYPT", KeyState: k.State,
		Origin: "AWS_KMS", KeyManager: "CUSTOMER", CustomerMasterKeySpec: "SYMMETRIC_DEFAULT", KeySpec: "SYMMETRIC_DEFAULT",
		EncryptionAlgorithms: []string{"SYMMETRIC_DEFAULT"}}
	if k.Managed {
		m.KeyManager = "AWS"
	}
	if k.State == keyPendingDeletion {
		m.DeletionDate = epoch(k.DeletionDate)
	}
	return m
}

// KMS request and response shapes (the members this KMS reads).
type (
	kmsKeyIDInput struct {
		KeyId *string `json:"KeyId"`
	}
	kmsCreateKeyInput struct {
		Description           *string  `json:"Description"`
		Policy                *string  `json:"Policy"`
		Tags                  []KMSTag `json:"Tags"`
		KeyUsage              *string  `json:"KeyUsage"`
		KeySpec               *string  `json:"KeySpec"`
		CustomerMasterKeySpec *string  `json:"CustomerMasterKeySpec"`
		Origin                *string  `json:"Origin"`
		MultiRegion           bool     `json:"MultiRegion"`
	}
	kmsKeyMetadataOutput struct {
		KeyMetadata *KeyMetadata `json:"KeyMetadata"`
	}
	kmsListInput struct {
		KeyId  *string `json:"KeyId"`
		Limit  *int    `json:"Limit"`
		Marker *string `json:"Marker"`
	}
	kmsKeyListEntry struct {
		KeyId  string `json:"KeyId"`
		KeyArn string `json:"KeyArn"`
	}
	kmsListKeysOutput struct {
		Keys       []kmsKeyListEntry `json:"Keys"`
		Truncated  bool              `json:"Truncated"`
		NextMarker string            `json:"NextMarker,omitempty"`
	}
	kmsAliasEntry struct {
		AliasName       string `json:"AliasName"`
		AliasArn        string `json:"AliasArn"`
		TargetKeyId     string `json:"TargetKeyId,omitempty"`
		CreationDate    Epoch  `json:"CreationDate,omitzero"`
		LastUpdatedDate Epoch  `json:"LastUpdatedDate,omitzero"`
	}
	kmsListAliasesOutput struct {
		Aliases    []kmsAliasEntry `json:"Aliases"`
		Truncated  bool            `json:"Truncated"`
		NextMarker string          `json:"NextMarker,omitempty"`
	}
	kmsCreateAliasInput struct {
		AliasName   *string `json:"AliasName"`
		TargetKeyId *string `json:"TargetKeyId"`
	}
	kmsScheduleDeletionInput struct {
		KeyId               *string `json:"KeyId"`
		PendingWindowInDays *int    `json:"PendingWindowInDays"`
	}
	kmsScheduleDeletionOutput struct {
		KeyId               string `json:"KeyId"`
		DeletionDate        Epoch  `json:"DeletionDate"`
		KeyState            string `json:"KeyState"`
		PendingWindowInDays int    `json:"PendingWindowInDays"`
	}
	kmsKeyIDOutput struct {
		KeyId string `json:"KeyId"`
	}
	kmsKeyPolicyInput struct {
		KeyId      *string `json:"KeyId"`
		PolicyName *string `json:"PolicyName"`
		Policy     *string `json:"Policy"`
	}
	kmsKeyPolicyOutput struct {
		Policy     string `json:"Policy"`
		PolicyName string `json:"PolicyName"`
	}
)

// kmsCall is the context of one KMS request.
type kmsCall struct {
	s               *Server
	p               Principal
	account, region string
}

type kmsOp func(c *kmsCall, body []byte) (any, error)

func kmsHandle[I any](f func(c *kmsCall, in *I) (any, error)) kmsOp {
	return func(c *kmsCall, body []byte) (any, error) {
		in := new(I)
		if err := decode(body, in); err != nil {
			return nil, err
		}
		return f(c, in)
	}
}

var kmsOps map[string]kmsOp

func init() {
	kmsOps = map[string]kmsOp{
		"CreateKey":           kmsHandle((*kmsCall).createKey),
		"DescribeKey":         kmsHandle((*kmsCall).describeKey),
		"ListKeys":            kmsHandle((*kmsCall).listKeys),
		"CreateAlias":         kmsHandle((*kmsCall).createAlias),
		"ListAliases":         kmsHandle((*kmsCall).listAliases),
		"EnableKey":           kmsHandle((*kmsCall).enableKey),
		"DisableKey":          kmsHandle((*kmsCall).disableKey),
		"ScheduleKeyDeletion": kmsHandle((*kmsCall).scheduleKeyDeletion),
		"CancelKeyDeletion":   kmsHandle((*kmsCall).cancelKeyDeletion),
		"GetKeyPolicy":        kmsHandle((*kmsCall).getKeyPolicy),
		"PutKeyPolicy":        kmsHandle((*kmsCall).putKeyPolicy),
	}
}

// serveKMS runs one TrentService operation as p.
func (s *Server) serveKMS(p Principal, op, account, region string, body []byte) (any, error) {
	f := kmsOps[op]
	if f == nil {
		return nil, apiErr(ErrUnknownOperation, "Unknown operation %q. This emulator's KMS answers TrentService.CreateKey, DescribeKey, ListKeys, CreateAlias, ListAliases, EnableKey, DisableKey, ScheduleKeyDeletion, CancelKeyDeletion, GetKeyPolicy and PutKeyPolicy.", truncateForMsg(op))
	}
	return f(&kmsCall{s: s, p: p, account: account, region: region}, body)
}

func kmsRequired(member string) *Error {
	return apiErr(ErrValidation, "1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", member)
}

// key resolves a KeyId parameter and checks that the caller's key policy
// allows action on it; k.mu held.
func (c *kmsCall) key(id *string, action string) (*kmsKey, error) {
	if id == nil || *id == "" {
		return nil, kmsRequired("keyId")
	}
	ref, ok := parseKeyRef(*id, c.account, c.region)
	if !ok {
		return nil, apiErr(ErrKMSNotFound, "Invalid keyId %s", truncateForMsg(*id))
	}
	k := &c.s.kms
	kr := k.region(ref.account, ref.region)
	kr.purgeDue(c.s.now())
	if ref.alias == managedSecretsAlias && ref.account == c.account {
		// DescribeKey on a predefined AWS alias creates its key, as KMS does.
		if err := c.s.ensureManagedLocked(kr); err != nil {
			return nil, err
		}
	}
	key, err := k.findKey(ref)
	if err != nil {
		return nil, err
	}
	if !c.s.keyAllows(c.p, action, key, nil) {
		return nil, apiErr(ErrAccessDenied, "User: %s is not authorized to perform: %s on resource: %s because no resource-based policy allows the %s action",
			c.p.ARN, action, key.ARN, action)
	}
	return key, nil
}

// keyAllows reports whether key's policy lets p perform action. The root of
// the key's account may always use a customer key (the default policy's
// "Enable IAM User Permissions"); the AWS managed key allows what its
// fixed policy allows, to everyone alike.
func (s *Server) keyAllows(p Principal, action string, key *kmsKey, conds map[string][]string) bool {
	if key.Managed {
		if p.Account != key.Account {
			return false
		}
		verb := strings.TrimPrefix(action, "kms:")
		return strings.HasPrefix(verb, "Describe") || strings.HasPrefix(verb, "Get") || strings.HasPrefix(verb, "List") ||
			conds["kms:ViaService"] != nil
	}
	if p.Root && p.Account == key.Account {
		return true
	}
	return s.policyAllows(p, action, key.ARN, key.Policy, conds)
}

func validKeyPolicy(policy *string) error {
	if policy == nil {
		return nil
	}
	if len(*policy) == 0 || len(*policy) > 32768 {
		return apiErr(ErrValidation, "1 validation error detected: Value at 'policy' failed to satisfy constraint: Member must have length less than or equal to 32768 and greater than or equal to 1")
	}
	var doc map[string]any
	if json.Unmarshal([]byte(*policy), &doc) != nil {
		return apiErr(ErrKMSMalformedPolicy, "The key policy is not valid JSON. Write it as a JSON object with Version and Statement, as in the default key policy.")
	}
	if _, ok := doc["Statement"]; !ok {
		return apiErr(ErrKMSMalformedPolicy, "The key policy has no Statement. Add at least one statement, for example the default \"Enable IAM User Permissions\" one.")
	}
	return nil
}

func validKMSTags(tags []KMSTag) error {
	for _, t := range tags {
		if len(t.TagKey) < 1 || len(t.TagKey) > 128 || len(t.TagValue) > 256 {
			return apiErr(ErrKMSTag, "Tag keys must be 1 to 128 characters and tag values at most 256 characters.")
		}
		if strings.HasPrefix(t.TagKey, "aws:") {
			return apiErr(ErrKMSTag, "Tags beginning with aws: are reserved.")
		}
	}
	return nil
}

func (c *kmsCall) createKey(in *kmsCreateKeyInput) (any, error) {
	for member, v := range map[string]*string{"KeyUsage": in.KeyUsage, "KeySpec": in.KeySpec, "CustomerMasterKeySpec": in.CustomerMasterKeySpec, "Origin": in.Origin} {
		if v != nil && *v != "ENCRYPT_DECRYPT" && *v != "SYMMETRIC_DEFAULT" && *v != "AWS_KMS" {
			return nil, apiErr(ErrKMSUnsupported, "%s %s is not supported here: this emulator's KMS makes symmetric encryption keys only (KeySpec SYMMETRIC_DEFAULT, KeyUsage ENCRYPT_DECRYPT, Origin AWS_KMS), which is what Secrets Manager uses.", member, truncateForMsg(*v))
		}
	}
	if in.MultiRegion {
		return nil, apiErr(ErrKMSUnsupported, "Multi-Region keys are not supported by this emulator's KMS; create a key in each region instead.")
	}
	if in.Description != nil && len(*in.Description) > 8192 {
		return nil, apiErr(ErrValidation, "1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 8192")
	}
	if err := validKeyPolicy(in.Policy); err != nil {
		return nil, err
	}
	if err := validKMSTags(in.Tags); err != nil {
		return nil, err
	}
	k := &c.s.kms
	k.mu.Lock()
	defer k.mu.Unlock()
	kr := k.region(c.account, c.region)
	key := kr.newKey(c.s.newID(), c.s.now(), str(in.Description), str(in.Policy), in.Tags)
	k.customerKeys.Add(1)
	if err := c.s.saveKMS(); err != nil {
		delete(kr.Keys, key.ID)
		kr.Order = kr.Order[:len(kr.Order)-1]
		return nil, err
	}
	return &kmsKeyMetadataOutput{KeyMetadata: key.metadata()}, nil
}

func (c *kmsCall) describeKey(in *kmsKeyIDInput) (any, error) {
	c.s.kms.mu.Lock()
	defer c.s.kms.mu.Unlock()
	key, err := c.key(in.KeyId, "kms:DescribeKey")
	if err != nil {
		return nil, err
	}
	return &kmsKeyMetadataOutput{KeyMetadata: key.metadata()}, nil
}

// setState changes a key's state (and deletion date) and persists it,
// putting both back when the snapshot cannot be written. k.mu held.
func (c *kmsCall) setState(key *kmsKey, state string, deletion Epoch) error {
	oldState, oldDate := key.State, key.DeletionDate
	key.State, key.DeletionDate = state, deletion.Time
	if err := c.s.saveKMS(); err != nil {
		key.State, key.DeletionDate = oldState, oldDate
		return err
	}
	return nil
}

func errPendingDeletion(key *kmsKey) error {
	return apiErr(ErrKMSInvalidState, "%s is pending deletion.", key.ARN)
}

func (c *kmsCall) enableKey(in *kmsKeyIDInput) (any, error) {
	c.s.kms.mu.Lock()
	defer c.s.kms.mu.Unlock()
	key, err := c.key(in.KeyId, "kms:EnableKey")
	if err != nil {
		return nil, err
	}
	if key.State == keyPendingDeletion {
		return nil, errPendingDeletion(key)
	}
	return &Empty{}, c.setState(key, keyEnabled, Epoch{})
}

func (c *kmsCall) disableKey(in *kmsKeyIDInput) (any, error) {
	c.s.kms.mu.Lock()
	defer c.s.kms.mu.Unlock()
	key, err := c.key(in.KeyId, "kms:DisableKey")
	if err != nil {
		return nil, err
	}
	if key.State == keyPendingDeletion {
		return nil, errPendingDeletion(key)
	}
	return &Empty{}, c.setState(key, keyDisabled, Epoch{})
}

func (c *kmsCall) scheduleKeyDeletion(in *kmsScheduleDeletionInput) (any, error) {
	days := 30
	if in.PendingWindowInDays != nil {
		days = *in.PendingWindowInDays
	}
	if days < 7 || days > 30 {
		bound := "greater than or equal to 7"
		if days > 30 {
			bound = "less than or equal to 30"
		}
		return nil, apiErr(ErrValidation, "1 validation error detected: Value '%d' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value %s", days, bound)
	}
	c.s.kms.mu.Lock()
	defer c.s.kms.mu.Unlock()
	key, err := c.key(in.KeyId, "kms:ScheduleKeyDeletion")
	if err != nil {
		return nil, err
	}
	if key.State == keyPendingDeletion {
		return nil, errPendingDeletion(key)
	}
	when := epoch(c.s.now().AddDate(0, 0, days))
	if err := c.setState(key, keyPendingDeletion, when); err != nil {
		return nil, err
	}
	return &kmsScheduleDeletionOutput{KeyId: key.ARN, DeletionDate: when, KeyState: keyPendingDeletion, PendingWindowInDays: days}, nil
}

// cancelKeyDeletion leaves the key Disabled, as KMS does: enable it again
// with EnableKey.
func (c *kmsCall) cancelKeyDeletion(in *kmsKeyIDInput) (any, error) {
	c.s.kms.mu.Lock()
	defer c.s.kms.mu.Unlock()
	key, err := c.key(in.KeyId, "kms:CancelKeyDeletion")
	if err != nil {
		return nil, err
	}
	if key.State != keyPendingDeletion {
		return nil, apiErr(ErrKMSInvalidState, "%s is not pending deletion.", key.ARN)
	}
	if err := c.setState(key, keyDisabled, Epoch{}); err != nil {
		return nil, err
	}
	return &kmsKeyIDOutput{KeyId: key.ARN}, nil
}

func (c *kmsCall) getKeyPolicy(in *kmsKeyPolicyInput) (any, error) {
	c.s.kms.mu.Lock()
	defer c.s.kms.mu.Unlock()
	key, err := c.key(in.KeyId, "kms:GetKeyPolicy")
	if err != nil {
		return nil, err
	}
	if in.PolicyName != nil && *in.PolicyName != "default" {
		return nil, apiErr(ErrKMSNotFound, "Policy %s is not found. A key has one policy, named default.", truncateForMsg(*in.PolicyName))
	}
	return &kmsKeyPolicyOutput{Policy: key.Policy, PolicyName: "default"}, nil
}

func (c *kmsCall) putKeyPolicy(in *kmsKeyPolicyInput) (any, error) {
	if in.Policy == nil {
		return nil, kmsRequired("policy")
	}
	if err := validKeyPolicy(in.Policy); err != nil {
		return nil, err
	}
	c.s.kms.mu.Lock()
	defer c.s.kms.mu.Unlock()
	key, err := c.key(in.KeyId, "kms:PutKeyPolicy")
	if err != nil {
		return nil, err
	}
	old := key.Policy
	key.Policy = *in.Policy
	if err := c.s.saveKMS(); err != nil {
		key.Policy = old
		return nil, err
	}
	return &Empty{}, nil
}

// page cuts a listing at Marker (an index written by a previous page) and
// Limit (1 to 1000, default 100).
func page(n int, limit *int, marker *string) (from, to int, next string, err error) {
	size := 100
	if limit != nil {
		if *limit < 1 || *limit > 1000 {
			return 0, 0, "", apiErr(ErrValidation, "1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value between 1 and 1000", *limit)
		}
		size = *limit
	}
	if marker != nil {
		if _, e := fmt.Sscanf(*marker, "m%d", &from); e != nil || from < 0 || from > n {
			return 0, 0, "", apiErr(ErrKMSInvalidMarker, "Invalid marker: pass the NextMarker of the previous page unchanged.")
		}
	}
	to = min(from+size, n)
	if to < n {
		next = fmt.Sprintf("m%d", to)
	}
	return from, to, next, nil
}

func (c *kmsCall) listKeys(in *kmsListInput) (any, error) {
	k := &c.s.kms
	k.mu.Lock()
	defer k.mu.Unlock()
	kr := k.region(c.account, c.region)
	kr.purgeDue(c.s.now())
	from, to, next, err := page(len(kr.Order), in.Limit, in.Marker)
	if err != nil {
		return nil, err
	}
	out := &kmsListKeysOutput{Keys: []kmsKeyListEntry{}, Truncated: next != "", NextMarker: next}
	for _, id := range kr.Order[from:to] {
		out.Keys = append(out.Keys, kmsKeyListEntry{KeyId: id, KeyArn: kr.Keys[id].ARN})
	}
	return out, nil
}
