package emulator

import (
	"context"
	"encoding/base64"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// journal makes a change durable; memStore calls it with its write lock
// held, after applying the change and before returning.
type journal interface {
	// record writes the full state of s, or (s nil) the removal of name.
	record(account, region, name string, s *secret) error
	// access writes the first read of a version on a day (read lock held).
	access(account, region, name, versionID string, day int64) error
	// durable returns name as the file holds it (nil: absent).
	durable(account, region, name string) (*secret, error)
}

// memStore is the in-memory Store of one account and region.
type memStore struct {
	account, region, partition string
	now                        func() time.Time
	newID                      func() string
	jr                         journal // nil: not durable

	mu        sync.RWMutex
	secrets   map[string]*secret // by name
	scheduled map[string]*secret // the subset scheduled for deletion
	pending   []*secret          // primaries changed since the last replica sync
	pendingN  atomic.Int32       // len(pending), readable without the lock
	lists     listCache          // sorted listings until the next write
}

var _ Store = (*memStore)(nil)

func newMemStore(account, region string, now func() time.Time, newID func() string, jr journal) *memStore {
	return &memStore{
		account: account, region: region, partition: partitionOf(region),
		now: now, newID: newID, jr: jr,
		secrets:   make(map[string]*secret),
		scheduled: make(map[string]*secret),
	}
}

func partitionOf(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}

const suffixChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// arnFor mints the ARN of a new secret: a fresh 6-character suffix, so a
// re-created name never answers to its old ARN.
func (m *memStore) arnFor(name string) string {
	h := fnv.New64a()
	h.Write([]byte(m.newID()))
	h.Write([]byte(name))
	x := h.Sum64()
	var suf [6]byte
	for i := range suf {
		suf[i] = suffixChars[x%uint64(len(suffixChars))]
		x /= uint64(len(suffixChars))
	}
	return m.arnPrefix() + name + "-" + string(suf[:])
}

func (m *memStore) arnPrefix() string {
	return "arn:" + m.partition + ":secretsmanager:" + m.region + ":" + m.account + ":secret:"
}

// save journals s (nil s: the removal of name).
// Write lock held. A changed primary with replicas is also queued for
// copying to its replica regions (Server.syncReplicas, after the lock).
// A failed write rolls memory back to what the file holds, so nothing the
// caller was told failed is served afterwards.
func (m *memStore) save(name string, s *secret) error {
	m.lists.invalidate()
	if m.jr != nil {
		if err := m.jr.record(m.account, m.region, name, s); err != nil {
			m.rollback(name)
			return err
		}
	}
	if s != nil && len(s.Replicas) > 0 && s.PrimaryRegion == m.region {
		m.pending = append(m.pending, cloneSecret(s))
		m.pendingN.Store(int32(len(m.pending)))
	}
	return nil
}

// rollback replaces the in-memory state of name by the durable one. Write
// lock held. Callers return right after a failed save, so no one keeps
// using the replaced pointer.
func (m *memStore) rollback(name string) {
	d, err := m.jr.durable(m.account, m.region, name)
	cur := m.secrets[name]
	if err != nil {
		return // the file's own line cannot be re-read: keep memory as it is
	}
	delete(m.scheduled, name)
	if d == nil {
		delete(m.secrets, name)
		return
	}
	if cur != nil {
		d.rotating = cur.rotating
	}
	m.secrets[name] = d
	if d.scheduled() {
		m.scheduled[name] = d
	}
}

// takePending returns and clears the queued replica copies.
func (m *memStore) takePending() []*secret {
	if m.pendingN.Load() == 0 {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	p := m.pending
	m.pending = nil
	m.pendingN.Store(0)
	return p
}

// purgeDue removes secrets whose deletion date has passed. Write lock held.
func (m *memStore) purgeDue(now time.Time) error {
	for name, s := range m.scheduled {
		if !now.Before(s.DeletionDate) {
			delete(m.scheduled, name)
			delete(m.secrets, name)
			if err := m.save(name, nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// lock takes the write lock and purges due deletions first.
func (m *memStore) lock() (time.Time, error) {
	m.mu.Lock()
	now := m.now()
	if len(m.scheduled) > 0 {
		if err := m.purgeDue(now); err != nil {
			m.mu.Unlock()
			return now, err
		}
	}
	return now, nil
}

// lockSecret takes the write lock and finds the secret id names, refusing
// one scheduled for deletion with deletedMsg (when not empty) and, when
// primaryOnly, a replica. On success the caller holds the lock and must
// Unlock it; on failure the lock is already released.
func (m *memStore) lockSecret(id, deletedMsg string, primaryOnly bool) (*secret, time.Time, error) {
	now, err := m.lock()
	if err != nil {
		return nil, now, err
	}
	s, err := m.find(id, now, deletedMsg)
	if err == nil && primaryOnly {
		err = m.notReplica(s)
	}
	if err != nil {
		m.mu.Unlock()
		return nil, now, err
	}
	return s, now, nil
}

// rlockSecret is lockSecret for readers: it takes the read lock (no purge:
// resolve already treats a due secret as gone). On success the caller holds
// the read lock and must RUnlock it; on failure it is already released.
func (m *memStore) rlockSecret(id, deletedMsg string, primaryOnly bool) (*secret, time.Time, error) {
	m.mu.RLock()
	now := m.now()
	s, err := m.find(id, now, deletedMsg)
	if err == nil && primaryOnly {
		err = m.notReplica(s)
	}
	if err != nil {
		m.mu.RUnlock()
		return nil, now, err
	}
	return s, now, nil
}

// resolve finds a secret by name, full ARN or partial ARN. A secret whose
// purge is due counts as gone. Read or write lock held.
func (m *memStore) resolve(id string, now time.Time) *secret {
	s := m.lookup(id)
	if s != nil && s.scheduled() && !now.Before(s.DeletionDate) {
		return nil
	}
	return s
}

func (m *memStore) lookup(id string) *secret {
	if !strings.HasPrefix(id, "arn:") {
		return m.secrets[id]
	}
	prefix := m.arnPrefix()
	if !strings.HasPrefix(id, prefix) {
		return nil
	}
	rest := id[len(prefix):]
	// A trailing "-XXXXXX" is taken as the random suffix: full ARN only
	// (AWS did not resolve a partial ARN whose name ends like a suffix).
	if n := len(rest); n > 7 && rest[n-7] == '-' && isAlnum(rest[n-6:]) {
		if s := m.secrets[rest[:n-7]]; s != nil && s.ARN == id {
			return s
		}
		return nil
	}
	return m.secrets[rest]
}

func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// find resolves an id, rejecting a secret scheduled for deletion with
// deletedMsg when that is not empty. Read or write lock held.
func (m *memStore) find(id string, now time.Time, deletedMsg string) (*secret, error) {
	s := m.resolve(id, now)
	if s == nil {
		return nil, errNotFound()
	}
	if deletedMsg != "" && s.scheduled() {
		return nil, &Error{Code: ErrInvalidRequest, Message: deletedMsg}
	}
	return s, nil
}

func (m *memStore) notReplica(s *secret) error {
	if s.PrimaryRegion != "" && s.PrimaryRegion != m.region {
		return apiErr(ErrInvalidParameter, msgReplica)
	}
	return nil
}

// ---- CreateSecret ----

func (m *memStore) CreateSecret(_ context.Context, in *CreateSecretInput) (*CreateSecretOutput, error) {
	if err := firstErr(checkName(in.Name), checkToken(in.ClientRequestToken), checkValue(in.SecretString, in.SecretBinary),
		checkDescription(in.Description), checkKms(in.KmsKeyId), checkTags(in.Tags)); err != nil {
		return nil, err
	}
	hasValue := in.SecretString != nil || in.SecretBinary != nil
	if hasValue && in.ClientRequestToken == nil {
		return nil, apiErr(ErrInvalidRequest, msgNoToken)
	}
	for _, r := range in.AddReplicaRegions {
		if str(r.Region) == m.region {
			return nil, apiErr(ErrInvalidParameter, "Invalid replica region.")
		}
	}
	now, err := m.lock()
	if err != nil {
		return nil, err
	}
	defer m.mu.Unlock()
	name := *in.Name
	if s := m.secrets[name]; s != nil {
		if s.scheduled() {
			return nil, apiErr(ErrInvalidRequest, msgScheduledName)
		}
		if in.ClientRequestToken != nil {
			if v := s.byID[*in.ClientRequestToken]; v != nil {
				if v.sameValue(in.SecretString, in.SecretBinary) {
					return &CreateSecretOutput{ARN: s.ARN, Name: s.Name, VersionId: v.ID}, nil
				}
				return nil, errTokenInUse(v.ID, s.ARN)
			}
		}
		return nil, apiErr(ErrResourceExists, "The operation failed because the secret %s already exists.", name)
	}
	s := &secret{ARN: m.arnFor(name), Name: name, Description: in.Description, KmsKeyID: str(in.KmsKeyId), Type: str(in.Type),
		Created: now, Changed: now}
	s.index()
	if len(in.Tags) > 0 {
		s.Tags = cloneTags(in.Tags)
		s.TagsTouched = true
	}
	out := &CreateSecretOutput{ARN: s.ARN, Name: s.Name}
	if hasValue {
		v := &version{ID: *in.ClientRequestToken, String: in.SecretString, Binary: slices.Clone(in.SecretBinary), Created: now}
		s.addVersion(v)
		s.stageNew(v, nil)
		out.VersionId = v.ID
	}
	m.secrets[name] = s
	if err := m.save(name, s); err != nil {
		delete(m.secrets, name)
		return nil, err
	}
	return out, nil
}

func cloneTags(tags []Tag) []Tag {
	out := make([]Tag, 0, len(tags))
	for _, t := range tags {
		k, v := str(t.Key), str(t.Value)
		out = append(out, Tag{Key: &k, Value: &v})
	}
	return out
}

func firstErr(errs ...*Error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// ---- GetSecretValue ----

func (m *memStore) GetSecretValue(_ context.Context, in *GetSecretValueInput) (*GetSecretValueOutput, error) {
	if err := firstErr(checkSecretID(in.SecretId), checkVersionID("versionId", in.VersionId)); err != nil {
		return nil, err
	}
	if in.VersionStage != nil {
		if err := checkStage("versionStage", *in.VersionStage); err != nil {
			return nil, err
		}
	}
	s, now, err := m.rlockSecret(*in.SecretId, "", false)
	if err != nil {
		return nil, err
	}
	defer m.mu.RUnlock()
	return m.getValue(s, in.VersionId, in.VersionStage, now)
}

// getValue reads one version's value and records the access. Read lock held.
func (m *memStore) getValue(s *secret, versionID, stage *string, now time.Time) (*GetSecretValueOutput, error) {
	if s.scheduled() {
		return nil, apiErr(ErrInvalidRequest, msgMarkedForDeletion)
	}
	var v *version
	if versionID != nil {
		v = s.byID[*versionID]
		if v == nil || !v.hasValue() {
			return nil, apiErr(ErrResourceNotFound, "Secrets Manager can't find the specified secret value for VersionId: %s", *versionID)
		}
		if stage != nil && !v.hasStage(*stage) {
			return nil, apiErr(ErrInvalidRequest, msgStageMismatch)
		}
	} else {
		st := StageCurrent
		if stage != nil {
			st = *stage
		}
		v = s.labels[st]
		if v == nil || !v.hasValue() {
			return nil, apiErr(ErrResourceNotFound, "Secrets Manager can't find the specified secret value for staging label: %s", st)
		}
	}
	a := s.Accessed.touch(now)
	b := v.Accessed.touch(now)
	if a {
		m.lists.invalidate() // the last-accessed-date order may change
	}
	if (a || b) && m.jr != nil {
		// Access dates are state too; losing one is harmless, so a failed
		// write does not fail the read. Only the day is journaled, never the
		// secret: other readers may be touching its dates.
		_ = m.jr.access(m.account, m.region, s.Name, v.ID, v.Accessed.Load())
	}
	out := &GetSecretValueOutput{ARN: s.ARN, Name: s.Name, VersionId: v.ID, SecretString: v.String,
		SecretBinary: v.Binary, VersionStages: slices.Clone(v.Stages), CreatedDate: epoch(v.Created)}
	return out, nil
}

// ---- BatchGetSecretValue ----

func (m *memStore) BatchGetSecretValue(ctx context.Context, in *BatchGetSecretValueInput) (*BatchGetSecretValueOutput, error) {
	if in.SecretIdList != nil && in.Filters != nil {
		return nil, apiErr(ErrInvalidParameter, "Either 'SecretIdList' or 'Filters' must be provided, but not both.")
	}
	if in.SecretIdList == nil && in.Filters == nil {
		return nil, apiErr(ErrInvalidParameter, "Either 'SecretIdList' or 'Filters' must be provided.")
	}
	if in.MaxResults != nil && in.Filters == nil {
		return nil, apiErr(ErrInvalidParameter, "'Filters' not specified. 'Filters' must also be specified when 'MaxResults' is provided.")
	}
	if err := checkMaxResults(in.MaxResults, 20); err != nil {
		return nil, err
	}
	if n := len(in.SecretIdList); in.SecretIdList != nil && (n < 1 || n > 20) {
		return nil, validationErr(strconv.Itoa(n), "secretIdList", "Member must have length less than or equal to 20")
	}
	out := &BatchGetSecretValueOutput{SecretValues: []SecretValueEntry{}, Errors: []APIErrorType{}}
	m.mu.RLock()
	defer m.mu.RUnlock()
	now := m.now()
	allowed := secretCheckFrom(ctx)
	if in.SecretIdList != nil {
		for _, id := range in.SecretIdList {
			v, err := m.batchValue(id, now, allowed)
			if err != nil {
				out.Errors = append(out.Errors, batchError(id, err))
				continue
			}
			out.SecretValues = append(out.SecretValues, *v)
		}
		return out, nil
	}
	flt, err := compileFilters(in.Filters)
	if err != nil {
		return nil, err
	}
	list := m.sortedSecrets(flt, false, "created-date", "asc", now)
	page, next, err := paginate(list, in.NextToken, in.MaxResults, 20)
	if err != nil {
		return nil, err
	}
	for _, s := range page {
		var v *GetSecretValueOutput
		err := allowed.check(s)
		if err == nil {
			v, err = m.getValue(s, nil, nil, now)
		}
		if err != nil {
			out.Errors = append(out.Errors, batchError(s.ARN, err))
			continue
		}
		out.SecretValues = append(out.SecretValues, *v)
	}
	out.NextToken = next
	return out, nil
}

// batchValue is GetSecretValue of one SecretIdList entry. Read lock held.
// allowed (nil: everything) authorizes reading the secret.
func (m *memStore) batchValue(id string, now time.Time, allowed secretCheck) (*GetSecretValueOutput, error) {
	if err := checkSecretID(&id); err != nil {
		return nil, err
	}
	s := m.resolve(id, now)
	if s == nil {
		return nil, errNotFound()
	}
	if err := allowed.check(s); err != nil {
		return nil, err
	}
	return m.getValue(s, nil, nil, now)
}

// batchError is the Errors entry of BatchGetSecretValue for one secret.
func batchError(id string, err error) APIErrorType {
	e := asAPIError(err)
	return APIErrorType{SecretId: id, ErrorCode: string(e.Code), Message: e.Message}
}

// paginate cuts one page out of items with an opaque offset token.
func paginate[T any](items []T, token *string, max *int32, def int) ([]T, string, error) {
	start := 0
	if token != nil {
		raw, err := base64.RawURLEncoding.DecodeString(*token)
		n, err2 := strconv.Atoi(strings.TrimPrefix(string(raw), "o:"))
		if err != nil || err2 != nil || !strings.HasPrefix(string(raw), "o:") || n < 0 || n > len(items) {
			return nil, "", apiErr(ErrInvalidNextToken, "The NextToken value is invalid.")
		}
		start = n
	}
	size := def
	if max != nil {
		size = int(*max)
	}
	end := min(start+size, len(items))
	next := ""
	if end < len(items) {
		next = base64.RawURLEncoding.EncodeToString([]byte("o:" + strconv.Itoa(end)))
	}
	return items[start:end], next, nil
}

// ---- PutSecretValue ----

func (m *memStore) PutSecretValue(_ context.Context, in *PutSecretValueInput) (*PutSecretValueOutput, error) {
	if err := firstErr(checkSecretID(in.SecretId), checkToken(in.ClientRequestToken), checkValue(in.SecretString, in.SecretBinary)); err != nil {
		return nil, err
	}
	if in.SecretString == nil && in.SecretBinary == nil {
		return nil, apiErr(ErrInvalidRequest, msgNoValue)
	}
	if in.ClientRequestToken == nil {
		return nil, apiErr(ErrInvalidRequest, msgNoToken)
	}
	if in.VersionStages != nil {
		if n := len(in.VersionStages); n < 1 || n > 20 {
			return nil, validationErr("", "versionStages", "Member must have length less than or equal to 20")
		}
		for _, st := range in.VersionStages {
			if err := checkStage("versionStages.member", st); err != nil {
				return nil, err
			}
		}
	}
	s, now, err := m.lockSecret(*in.SecretId, msgMarkedForDeletion, true)
	if err != nil {
		return nil, err
	}
	defer m.mu.Unlock()
	v, created, err := m.newValue(s, *in.ClientRequestToken, in.SecretString, in.SecretBinary, in.VersionStages, now)
	if err != nil {
		return nil, err
	}
	out := &PutSecretValueOutput{ARN: s.ARN, Name: s.Name, VersionId: v.ID, VersionStages: slices.Clone(v.Stages)}
	if created {
		if err := m.save(s.Name, s); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// newValue adds a version (or fills the value-less rotation placeholder
// with that id) and moves labels; an existing version with the same value
// is returned unchanged (token idempotency). Write lock held.
func (m *memStore) newValue(s *secret, token string, sv *string, bv []byte, stages []string, now time.Time) (*version, bool, error) {
	if v := s.byID[token]; v != nil {
		if v.hasValue() {
			if v.sameValue(sv, bv) {
				return v, false, nil
			}
			return nil, false, errTokenInUse(token, s.ARN)
		}
		v.String, v.Binary = sv, slices.Clone(bv)
		s.stageNew(v, stages)
		s.Changed = now
		return v, true, nil
	}
	s.purgeDeprecated(now)
	if s.deprecatedFull(now) {
		return nil, false, apiErr(ErrLimitExceeded, "You have exceeded the maximum number of versions allowed for this secret (100 unlabeled versions created in the last 24 hours). Wait and try again.")
	}
	v := &version{ID: token, String: sv, Binary: slices.Clone(bv), Created: now}
	s.addVersion(v)
	s.stageNew(v, stages)
	s.purgeDeprecated(now)
	s.Changed = now
	return v, true, nil
}

// ---- UpdateSecret ----

func (m *memStore) UpdateSecret(_ context.Context, in *UpdateSecretInput) (*SecretRef, error) {
	if err := firstErr(checkSecretID(in.SecretId), checkToken(in.ClientRequestToken), checkValue(in.SecretString, in.SecretBinary),
		checkDescription(in.Description), checkKms(in.KmsKeyId)); err != nil {
		return nil, err
	}
	hasValue := in.SecretString != nil || in.SecretBinary != nil
	if hasValue && in.ClientRequestToken == nil {
		return nil, apiErr(ErrInvalidRequest, msgNoToken)
	}
	s, now, err := m.lockSecret(*in.SecretId, msgMarkedForDeletion, true)
	if err != nil {
		return nil, err
	}
	defer m.mu.Unlock()
	out := &SecretRef{ARN: s.ARN, Name: s.Name}
	changed := false
	if hasValue {
		v, created, err := m.newValue(s, *in.ClientRequestToken, in.SecretString, in.SecretBinary, nil, now)
		if err != nil {
			return nil, err
		}
		out.VersionId = v.ID
		changed = created
	}
	if in.Description != nil {
		s.Description = in.Description
		changed = true
	}
	if in.KmsKeyId != nil {
		// Re-encryption only: no version (reference 2.4). "" is the default key.
		s.KmsKeyID = *in.KmsKeyId
		changed = true
	}
	if in.Type != nil {
		s.Type = *in.Type
		changed = true
	}
	if changed {
		s.Changed = now
		if err := m.save(s.Name, s); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ---- DescribeSecret / ListSecrets ----

func (m *memStore) DescribeSecret(_ context.Context, in *SecretIdInput) (*DescribeSecretOutput, error) {
	if err := checkSecretID(in.SecretId); err != nil {
		return nil, err
	}
	s, _, err := m.rlockSecret(*in.SecretId, "", false)
	if err != nil {
		return nil, err
	}
	defer m.mu.RUnlock()
	d := describe(s)
	d.VersionIdsToStages = stagesMap(s)
	d.ReplicationStatus = slices.Clone(s.Replicas)
	return d, nil
}

func describe(s *secret) *DescribeSecretOutput {
	d := &DescribeSecretOutput{ARN: s.ARN, Name: s.Name, Type: s.Type, KmsKeyId: s.KmsKeyID,
		RotationLambdaARN: s.RotationLambda, ExternalSecretRotationRoleArn: s.ExtRole,
		LastRotatedDate: epoch(s.LastRotated), LastChangedDate: epoch(s.Changed), LastAccessedDate: epoch(s.Accessed.time()),
		DeletedDate: epoch(s.DeletedAt), CreatedDate: epoch(s.Created), PrimaryRegion: s.PrimaryRegion}
	if s.Description != nil {
		d.Description = *s.Description
	}
	if s.RotationOn != nil {
		b := *s.RotationOn
		d.RotationEnabled = &b
		if b {
			d.NextRotationDate = epoch(s.NextRotation)
		}
	}
	if s.RotationRules != nil {
		r := *s.RotationRules
		d.RotationRules = &r
	}
	if len(s.ExtMeta) > 0 {
		d.ExternalSecretRotationMetadata = slices.Clone(s.ExtMeta)
	}
	if s.TagsTouched {
		d.Tags = cloneTags(s.Tags)
	}
	return d
}

// stagesMap lists the labeled versions only (deprecated ones are hidden).
func stagesMap(s *secret) map[string][]string {
	var m map[string][]string
	for _, v := range s.Versions {
		if len(v.Stages) > 0 {
			if m == nil {
				m = make(map[string][]string, 3)
			}
			m[v.ID] = slices.Clone(v.Stages)
		}
	}
	return m
}

func (m *memStore) ListSecrets(_ context.Context, in *ListSecretsInput) (*ListSecretsOutput, error) {
	if err := checkMaxResults(in.MaxResults, 100); err != nil {
		return nil, err
	}
	sortBy, order := "created-date", "asc"
	if in.SortBy != nil {
		switch *in.SortBy {
		case "created-date", "last-accessed-date", "last-changed-date", "name":
			sortBy = *in.SortBy
		default:
			return nil, validationErr(*in.SortBy, "sortBy", "Member must satisfy enum value set: [created-date, last-accessed-date, last-changed-date, name]")
		}
	}
	if in.SortOrder != nil {
		switch *in.SortOrder {
		case "asc", "desc":
			order = *in.SortOrder
		default:
			return nil, validationErr(*in.SortOrder, "sortOrder", "Member must satisfy enum value set: [asc, desc]")
		}
	}
	flt, err := compileFilters(in.Filters)
	if err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	now := m.now()
	list := m.sortedSecrets(flt, isTrue(in.IncludePlannedDeletion), sortBy, order, now)
	page, next, err := paginate(list, in.NextToken, in.MaxResults, 100)
	if err != nil {
		return nil, err
	}
	out := &ListSecretsOutput{SecretList: make([]DescribeSecretOutput, 0, len(page)), NextToken: next}
	for _, s := range page {
		d := describe(s)
		d.SecretVersionsToStages = stagesMap(s)
		out.SecretList = append(out.SecretList, *d)
	}
	return out, nil
}

// ---- ListSecretVersionIds ----

func (m *memStore) ListSecretVersionIds(_ context.Context, in *ListSecretVersionIdsInput) (*ListSecretVersionIdsOutput, error) {
	if err := firstErr(checkSecretID(in.SecretId), checkMaxResults(in.MaxResults, 100)); err != nil {
		return nil, err
	}
	s, _, err := m.rlockSecret(*in.SecretId, "", false)
	if err != nil {
		return nil, err
	}
	defer m.mu.RUnlock()
	kms := "DefaultEncryptionKey"
	if s.KmsKeyID != "" {
		kms = s.KmsKeyID
	}
	var all []SecretVersionsListEntry
	for i := len(s.Versions) - 1; i >= 0; i-- { // newest first
		v := s.Versions[i]
		if len(v.Stages) == 0 && !isTrue(in.IncludeDeprecated) {
			continue
		}
		all = append(all, SecretVersionsListEntry{VersionId: v.ID, VersionStages: slices.Clone(v.Stages),
			LastAccessedDate: epoch(v.Accessed.time()), CreatedDate: epoch(v.Created), KmsKeyIds: []string{kms}})
	}
	page, next, err := paginate(all, in.NextToken, in.MaxResults, 100)
	if err != nil {
		return nil, err
	}
	if page == nil {
		page = []SecretVersionsListEntry{}
	}
	return &ListSecretVersionIdsOutput{Versions: page, NextToken: next, ARN: s.ARN, Name: s.Name}, nil
}

// ---- UpdateSecretVersionStage ----

func (m *memStore) UpdateSecretVersionStage(_ context.Context, in *UpdateSecretVersionStageInput) (*SecretRef, error) {
	if err := firstErr(checkSecretID(in.SecretId), required("versionStage", in.VersionStage),
		checkVersionID("removeFromVersionId", in.RemoveFromVersionId), checkVersionID("moveToVersionId", in.MoveToVersionId)); err != nil {
		return nil, err
	}
	if err := checkStage("versionStage", *in.VersionStage); err != nil {
		return nil, err
	}
	s, now, err := m.lockSecret(*in.SecretId, msgMarkedForDeletion, true)
	if err != nil {
		return nil, err
	}
	defer m.mu.Unlock()
	label := *in.VersionStage
	holder := s.labels[label]
	var from, to *version
	if in.RemoveFromVersionId != nil {
		from = s.byID[*in.RemoveFromVersionId]
		if from == nil {
			return nil, apiErr(ErrInvalidParameter, "Not a valid version: %s", *in.RemoveFromVersionId)
		}
		if holder != from {
			return nil, apiErr(ErrInvalidParameter, "Version stage %s not found in version %s", label, from.ID)
		}
	}
	if in.MoveToVersionId != nil {
		to = s.byID[*in.MoveToVersionId]
		if to == nil {
			return nil, apiErr(ErrInvalidParameter, "Not a valid version: %s", *in.MoveToVersionId)
		}
		if holder != nil && holder != to && from == nil {
			return nil, apiErr(ErrInvalidParameter, "The parameter RemoveFromVersionId can't be empty. Staging label %s is currently attached to version %s, so you must explicitly reference that version in RemoveFromVersionId.", label, holder.ID)
		}
	}
	out := &SecretRef{ARN: s.ARN, Name: s.Name}
	switch {
	case to != nil && holder == to:
		return out, nil // already there
	case to != nil && label == StageCurrent:
		// The new current keeps its other labels (AWSPENDING included); the
		// old one becomes AWSPREVIOUS (reference 3.2 rule 6).
		s.moveCurrent(to, false)
	case to != nil:
		s.detach(label)
		s.attach(label, to)
	case from != nil:
		s.detach(label)
	default:
		return out, nil
	}
	s.Changed = now
	s.purgeDeprecated(now)
	if err := m.save(s.Name, s); err != nil {
		return nil, err
	}
	return out, nil
}

// ---- DeleteSecret / RestoreSecret ----

func (m *memStore) DeleteSecret(_ context.Context, in *DeleteSecretInput) (*DeleteSecretOutput, error) {
	if err := checkSecretID(in.SecretId); err != nil {
		return nil, err
	}
	force := isTrue(in.ForceDeleteWithoutRecovery)
	if force && in.RecoveryWindowInDays != nil {
		return nil, apiErr(ErrInvalidParameter, "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.")
	}
	days := int64(30)
	if in.RecoveryWindowInDays != nil {
		days = *in.RecoveryWindowInDays
		if days < 7 || days > 30 {
			return nil, apiErr(ErrInvalidParameter, "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).")
		}
	}
	now, err := m.lock()
	if err != nil {
		return nil, err
	}
	defer m.mu.Unlock()
	s := m.resolve(*in.SecretId, now)
	if s == nil {
		if force {
			// AWS answers 200 for a forced delete of a missing secret.
			name := *in.SecretId
			arn := name
			if !strings.HasPrefix(name, "arn:") {
				arn = m.arnFor(name)
			} else if i := strings.LastIndex(name, ":secret:"); i >= 0 {
				name = name[i+len(":secret:"):]
			}
			return &DeleteSecretOutput{ARN: arn, Name: name, DeletionDate: epoch(now)}, nil
		}
		return nil, errNotFound()
	}
	if len(s.Replicas) > 0 {
		regions := make([]string, 0, len(s.Replicas))
		for _, r := range s.Replicas {
			regions = append(regions, r.Region)
		}
		return nil, apiErr(ErrInvalidParameter, "You can't delete secret %s that still has replica regions [%s]", *in.SecretId, strings.Join(regions, ", "))
	}
	if force {
		delete(m.secrets, s.Name)
		delete(m.scheduled, s.Name)
		if err := m.save(s.Name, nil); err != nil {
			return nil, err
		}
		return &DeleteSecretOutput{ARN: s.ARN, Name: s.Name, DeletionDate: epoch(now)}, nil
	}
	if s.scheduled() {
		return nil, apiErr(ErrInvalidRequest, msgCurrentlyDeleted)
	}
	s.DeletedAt = now
	s.DeletionDate = now.Add(time.Duration(days) * 24 * time.Hour)
	s.Changed = now
	m.scheduled[s.Name] = s
	if err := m.save(s.Name, s); err != nil {
		return nil, err
	}
	return &DeleteSecretOutput{ARN: s.ARN, Name: s.Name, DeletionDate: epoch(s.DeletionDate)}, nil
}

func (m *memStore) RestoreSecret(_ context.Context, in *SecretIdInput) (*SecretRef, error) {
	if err := checkSecretID(in.SecretId); err != nil {
		return nil, err
	}
	s, now, err := m.lockSecret(*in.SecretId, "", false)
	if err != nil {
		return nil, err
	}
	defer m.mu.Unlock()
	if s.scheduled() {
		s.DeletedAt, s.DeletionDate = time.Time{}, time.Time{}
		s.Changed = now
		delete(m.scheduled, s.Name)
		if err := m.save(s.Name, s); err != nil {
			return nil, err
		}
	}
	return &SecretRef{ARN: s.ARN, Name: s.Name}, nil
}

// ---- Tags ----

func (m *memStore) TagResource(_ context.Context, in *TagResourceInput) error {
	if err := firstErr(checkSecretID(in.SecretId), checkTags(in.Tags)); err != nil {
		return err
	}
	if in.Tags == nil {
		return required("tags", nil)
	}
	s, now, err := m.lockSecret(*in.SecretId, msgMarkedForDeletion, true)
	if err != nil {
		return err
	}
	defer m.mu.Unlock()
	n := len(s.Tags)
	for _, t := range in.Tags {
		if !slices.ContainsFunc(s.Tags, func(x Tag) bool { return *x.Key == *t.Key }) {
			n++
		}
	}
	if n > maxTags {
		return errTooManyTags()
	}
	for _, t := range cloneTags(in.Tags) {
		i := slices.IndexFunc(s.Tags, func(x Tag) bool { return *x.Key == *t.Key })
		if i >= 0 {
			s.Tags[i] = t
		} else {
			s.Tags = append(s.Tags, t)
		}
	}
	s.TagsTouched = true
	s.Changed = now
	return m.save(s.Name, s)
}

func (m *memStore) UntagResource(_ context.Context, in *UntagResourceInput) error {
	if err := checkSecretID(in.SecretId); err != nil {
		return err
	}
	if in.TagKeys == nil {
		return required("tagKeys", nil)
	}
	s, now, err := m.lockSecret(*in.SecretId, msgMarkedForDeletion, true)
	if err != nil {
		return err
	}
	defer m.mu.Unlock()
	s.Tags = slices.DeleteFunc(s.Tags, func(t Tag) bool { return slices.Contains(in.TagKeys, *t.Key) })
	s.TagsTouched = true
	s.Changed = now
	return m.save(s.Name, s)
}

// ---- Resource policies ----

func (m *memStore) PutResourcePolicy(_ context.Context, in *PutResourcePolicyInput) (*SecretRef, error) {
	if err := firstErr(checkSecretID(in.SecretId), required("resourcePolicy", in.ResourcePolicy)); err != nil {
		return nil, err
	}
	if err := lenErr("resourcePolicy", *in.ResourcePolicy, 1, 20480, false); err != nil {
		return nil, err
	}
	pol, err := parsePolicy(*in.ResourcePolicy)
	if err != nil {
		return nil, err
	}
	if isTrue(in.BlockPublicPolicy) && pol.public() {
		return nil, apiErr(ErrPublicPolicy, "BlockPublicPolicy is set and the resource policy grants broad access to the secret.")
	}
	s, now, err := m.lockSecret(*in.SecretId, msgMarkedForDeletion, false)
	if err != nil {
		return nil, err
	}
	defer m.mu.Unlock()
	s.Policy = *in.ResourcePolicy
	s.Changed = now
	if err := m.save(s.Name, s); err != nil {
		return nil, err
	}
	return &SecretRef{ARN: s.ARN, Name: s.Name}, nil
}

func (m *memStore) GetResourcePolicy(_ context.Context, in *SecretIdInput) (*GetResourcePolicyOutput, error) {
	if err := checkSecretID(in.SecretId); err != nil {
		return nil, err
	}
	s, _, err := m.rlockSecret(*in.SecretId, "", false)
	if err != nil {
		return nil, err
	}
	defer m.mu.RUnlock()
	return &GetResourcePolicyOutput{ARN: s.ARN, Name: s.Name, ResourcePolicy: s.Policy}, nil
}

func (m *memStore) DeleteResourcePolicy(_ context.Context, in *SecretIdInput) (*SecretRef, error) {
	if err := checkSecretID(in.SecretId); err != nil {
		return nil, err
	}
	s, now, err := m.lockSecret(*in.SecretId, msgMarkedForDeletion, false)
	if err != nil {
		return nil, err
	}
	defer m.mu.Unlock()
	if s.Policy != "" {
		s.Policy = ""
		s.Changed = now
		if err := m.save(s.Name, s); err != nil {
			return nil, err
		}
	}
	return &SecretRef{ARN: s.ARN, Name: s.Name}, nil
}

func (m *memStore) ValidateResourcePolicy(_ context.Context, in *ValidateResourcePolicyInput) (*ValidateResourcePolicyOutput, error) {
	if err := required("resourcePolicy", in.ResourcePolicy); err != nil {
		return nil, err
	}
	if err := lenErr("resourcePolicy", *in.ResourcePolicy, 1, 20480, false); err != nil {
		return nil, err
	}
	resource := m.arnPrefix() + "*"
	if in.SecretId != nil {
		if err := checkSecretID(in.SecretId); err != nil {
			return nil, err
		}
		m.mu.RLock()
		s := m.resolve(*in.SecretId, m.now())
		m.mu.RUnlock()
		if s == nil {
			return nil, errNotFound()
		}
		resource = s.ARN
	}
	return validatePolicy(*in.ResourcePolicy, m.account, resource), nil
}
