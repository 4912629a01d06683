package emulator

import (
	"bytes"
	"slices"
	"sync/atomic"
	"time"
)

// Staging labels with a meaning to the service.
const (
	StageCurrent  = "AWSCURRENT"
	StagePrevious = "AWSPREVIOUS"
	StagePending  = "AWSPENDING"
)

// Version retention: deprecated (unlabeled) versions beyond maxDeprecated
// are purged once older than deprecatedMinAge (the AWS 100/24 h rule).
const (
	maxDeprecated    = 100
	deprecatedMinAge = 24 * time.Hour
)

// version is one immutable secret value with its staging labels. Fields are
// exported for the state file only.
type version struct {
	ID       string    `json:"id"`
	String   *string   `json:"s,omitempty"`
	Binary   []byte    `json:"b,omitempty"`
	Created  time.Time `json:"c"`
	Stages   []string  `json:"l,omitempty"`
	Accessed dayStamp  `json:"a,omitzero"`
}

func (v *version) hasValue() bool { return v.String != nil || v.Binary != nil }

func (v *version) sameValue(s *string, b []byte) bool {
	if (v.String == nil) != (s == nil) || (v.Binary == nil) != (b == nil) {
		return false
	}
	if s != nil && *s != *v.String {
		return false
	}
	return bytes.Equal(v.Binary, b)
}

func (v *version) hasStage(stage string) bool { return slices.Contains(v.Stages, stage) }

// dayStamp is a last-access date at day resolution (midnight UTC, Unix
// seconds), updated atomically so reads need only the store's read lock.
type dayStamp struct{ atomic.Int64 }

func (d *dayStamp) MarshalJSON() ([]byte, error) {
	return appendEpoch(nil, time.Unix(d.Load(), 0)), nil
}

// IsZero serves `omitzero` with an atomic load (reflection would read the
// field while a reader's touch writes it).
func (d *dayStamp) IsZero() bool { return d.Load() == 0 }

func (d *dayStamp) UnmarshalJSON(b []byte) error {
	var e Epoch
	if err := e.UnmarshalJSON(b); err != nil {
		return err
	}
	d.Store(e.Unix())
	return nil
}

// touch records an access on the day of now; it reports whether the stored
// day changed (so the state file needs a record).
func (d *dayStamp) touch(now time.Time) bool {
	day := now.UTC().Truncate(24 * time.Hour).Unix()
	for {
		old := d.Load()
		if old >= day {
			return false
		}
		if d.CompareAndSwap(old, day) {
			return true
		}
	}
}

func (d *dayStamp) time() time.Time {
	if v := d.Load(); v != 0 {
		return time.Unix(v, 0).UTC()
	}
	return time.Time{}
}

// secret is one secret with all its versions. Fields are exported for the
// state file only; the store's lock guards everything but the dayStamps.
type secret struct {
	ARN            string                               `json:"arn"`
	Name           string                               `json:"name"`
	Description    *string                              `json:"desc,omitempty"`
	KmsKeyID       string                               `json:"kms,omitempty"`
	Type           string                               `json:"type,omitempty"`
	Created        time.Time                            `json:"created"`
	Changed        time.Time                            `json:"changed"`
	Accessed       dayStamp                             `json:"accessed,omitzero"`
	DeletedAt      time.Time                            `json:"deletedAt,omitzero"`  // when DeleteSecret was called
	DeletionDate   time.Time                            `json:"deletionAt,omitzero"` // when the purge is due
	RotationOn     *bool                                `json:"rotOn,omitempty"`
	RotationLambda string                               `json:"rotLambda,omitempty"`
	RotationRules  *RotationRules                       `json:"rotRules,omitempty"`
	LastRotated    time.Time                            `json:"rotLast,omitzero"`
	NextRotation   time.Time                            `json:"rotNext,omitzero"`
	ExtMeta        []ExternalSecretRotationMetadataItem `json:"extMeta,omitempty"`
	ExtRole        string                               `json:"extRole,omitempty"`
	Tags           []Tag                                `json:"tags,omitempty"`
	TagsTouched    bool                                 `json:"tagsTouched,omitempty"`
	Policy         string                               `json:"policy,omitempty"`
	PrimaryRegion  string                               `json:"primary,omitempty"` // set on a replica
	Replicas       []ReplicationStatus                  `json:"replicas,omitempty"`
	Versions       []*version                           `json:"versions,omitempty"` // creation order

	byID     map[string]*version
	labels   map[string]*version
	rotating bool // a rotation function is running for this secret
}

func (s *secret) index() {
	s.byID = make(map[string]*version, len(s.Versions))
	s.labels = make(map[string]*version, 4)
	for _, v := range s.Versions {
		s.byID[v.ID] = v
		for _, l := range v.Stages {
			s.labels[l] = v
		}
	}
}

func (s *secret) scheduled() bool { return !s.DeletionDate.IsZero() }

func (s *secret) addVersion(v *version) {
	s.Versions = append(s.Versions, v)
	s.byID[v.ID] = v
}

func (s *secret) removeVersion(v *version) {
	for _, l := range v.Stages {
		if s.labels[l] == v {
			delete(s.labels, l)
		}
	}
	delete(s.byID, v.ID)
	s.Versions = slices.DeleteFunc(s.Versions, func(x *version) bool { return x == v })
}

// attach puts label on v; the caller has detached it from any other holder.
func (s *secret) attach(label string, v *version) {
	if !v.hasStage(label) {
		v.Stages = append(v.Stages, label)
	}
	s.labels[label] = v
}

// detach removes label from whichever version holds it and returns it.
func (s *secret) detach(label string) *version {
	v := s.labels[label]
	if v == nil {
		return nil
	}
	v.Stages = slices.DeleteFunc(v.Stages, func(x string) bool { return x == label })
	if len(v.Stages) == 0 {
		v.Stages = nil
	}
	delete(s.labels, label)
	return v
}

// moveCurrent makes v the AWSCURRENT version: the old holder becomes
// AWSPREVIOUS (the old AWSPREVIOUS holder loses it). dropPending also strips
// AWSPENDING from the old holder, which is what AWS does when AWSCURRENT
// moves through PutSecretValue/UpdateSecret (reference 3.2 rule 9).
func (s *secret) moveCurrent(v *version, dropPending bool) {
	old := s.labels[StageCurrent]
	if old == v {
		return
	}
	s.detach(StageCurrent)
	if old != nil {
		if dropPending && s.labels[StagePending] == old {
			s.detach(StagePending)
		}
		s.detach(StagePrevious)
		s.attach(StagePrevious, old)
	}
	s.attach(StageCurrent, v)
}

// stageNew applies the labels of a PutSecretValue/UpdateSecret/CreateSecret
// to the version v (new, or a placeholder being filled): stages nil means
// [AWSCURRENT]; the first value of a secret always gets AWSCURRENT.
func (s *secret) stageNew(v *version, stages []string) {
	if stages == nil {
		stages = []string{StageCurrent}
	}
	if s.labels[StageCurrent] == nil && !slices.Contains(stages, StageCurrent) {
		stages = append(slices.Clip(stages), StageCurrent)
	}
	for _, l := range stages {
		if l == StageCurrent {
			s.moveCurrent(v, true)
			continue
		}
		if h := s.labels[l]; h != v {
			s.detach(l)
			s.attach(l, v)
		}
	}
}

// purgeDeprecated drops the oldest unlabeled versions beyond maxDeprecated
// that are older than deprecatedMinAge.
func (s *secret) purgeDeprecated(now time.Time) {
	n := 0
	for _, v := range s.Versions {
		if len(v.Stages) == 0 {
			n++
		}
	}
	for i := 0; n > maxDeprecated && i < len(s.Versions); {
		v := s.Versions[i]
		if len(v.Stages) == 0 && now.Sub(v.Created) >= deprecatedMinAge {
			s.removeVersion(v)
			n--
			continue
		}
		i++
	}
}

// deprecatedFull reports whether adding one more version would break the
// version quota: more than maxDeprecated unlabeled versions none of which
// may be purged yet.
func (s *secret) deprecatedFull(now time.Time) bool {
	n, young := 0, 0
	for _, v := range s.Versions {
		if len(v.Stages) == 0 {
			n++
			if now.Sub(v.Created) < deprecatedMinAge {
				young++
			}
		}
	}
	return n >= maxDeprecated && young >= maxDeprecated
}
