package emulator

import (
	"context"
	"slices"
	"time"
)

// ---- RotateSecret (store half) / CancelRotateSecret ----

func (m *memStore) StartRotation(_ context.Context, in *RotateSecretInput, invokable func(string) bool) (*RotationPlan, error) {
	if err := checkSecretID(in.SecretId); err != nil {
		return nil, err
	}
	if in.ClientRequestToken == nil {
		return nil, apiErr(ErrInvalidParameter, msgNoToken)
	}
	if err := checkToken(in.ClientRequestToken); err != nil {
		return nil, err
	}
	if in.RotationLambdaARN != nil {
		if err := lenErr("rotationLambdaARN", *in.RotationLambdaARN, 0, 2048, false); err != nil {
			return nil, err
		}
	}
	var sched *schedule
	if r := in.RotationRules; r != nil {
		var err error
		if sched, err = parseRules(r); err != nil {
			return nil, err
		}
	}
	s, now, err := m.lockSecret(*in.SecretId, msgCurrentlyDeleted, true)
	if err != nil {
		return nil, err
	}
	defer m.mu.Unlock()
	lambda := s.RotationLambda
	if in.RotationLambdaARN != nil && *in.RotationLambdaARN != "" {
		lambda = *in.RotationLambdaARN
	}
	if lambda == "" {
		return nil, apiErr(ErrInvalidRequest, msgNoLambda)
	}
	if !invokable(lambda) {
		return nil, apiErr(ErrAccessDenied, msgLambdaDenied)
	}
	// Rotation is complete when AWSPENDING is on AWSCURRENT's version or on
	// no version; anything else (or a function still running) is in progress.
	if p := s.labels[StagePending]; s.rotating || (p != nil && p != s.labels[StageCurrent] && p.ID != *in.ClientRequestToken) {
		return nil, apiErr(ErrInvalidRequest, msgRotationPending)
	}
	cur := s.labels[StageCurrent]
	testOnly := in.RotateImmediately != nil && !*in.RotateImmediately
	if v := s.byID[*in.ClientRequestToken]; v != nil && !(v == s.labels[StagePending] && v != cur) {
		return nil, errTokenInUse(v.ID, s.ARN)
	}
	// Store the configuration (omitted members keep the stored ones).
	s.RotationLambda = lambda
	if in.RotationRules != nil {
		r := *in.RotationRules
		s.RotationRules = &r
	} else if s.RotationRules != nil {
		sched, _ = parseRules(s.RotationRules)
	}
	if in.ExternalSecretRotationMetadata != nil {
		s.ExtMeta = slices.Clone(in.ExternalSecretRotationMetadata)
	}
	if in.ExternalSecretRotationRoleArn != nil {
		s.ExtRole = *in.ExternalSecretRotationRoleArn
	}
	on := true
	s.RotationOn = &on
	if sched != nil {
		s.NextRotation = sched.next(now)
	}
	// The AWSPENDING placeholder: no value for a real rotation; a copy of the
	// current value for a test-only run (what AWS showed the function).
	token := *in.ClientRequestToken
	if v := s.byID[token]; v == nil {
		v = &version{ID: token, Created: now}
		if testOnly && cur != nil {
			v.String, v.Binary = cur.String, slices.Clone(cur.Binary)
		}
		s.addVersion(v)
		s.detach(StagePending)
		s.attach(StagePending, v)
	}
	s.Changed = now
	if err := m.save(s.Name, s); err != nil {
		return nil, err
	}
	s.rotating = true
	return &RotationPlan{ARN: s.ARN, Name: s.Name, LambdaARN: lambda, Token: token, TestOnly: testOnly}, nil
}

func (m *memStore) FinishRotation(_ context.Context, plan *RotationPlan, ok bool) error {
	now, err := m.lock()
	if err != nil {
		return err
	}
	defer m.mu.Unlock()
	s := m.secrets[plan.Name]
	if s == nil || s.ARN != plan.ARN {
		return nil // deleted meanwhile
	}
	s.rotating = false
	if plan.TestOnly {
		if v := s.byID[plan.Token]; v != nil && !v.hasStage(StageCurrent) {
			s.removeVersion(v)
		}
	} else if ok {
		s.LastRotated = now
		if s.RotationRules != nil {
			if sched, err := parseRules(s.RotationRules); err == nil {
				s.NextRotation = sched.next(now)
			}
		}
	}
	s.Changed = now
	return m.save(s.Name, s)
}

func (m *memStore) CancelRotateSecret(_ context.Context, in *SecretIdInput) (*SecretRef, error) {
	if err := checkSecretID(in.SecretId); err != nil {
		return nil, err
	}
	s, now, err := m.lockSecret(*in.SecretId, msgCurrentlyDeleted, false)
	if err != nil {
		return nil, err
	}
	defer m.mu.Unlock()
	out := &SecretRef{ARN: s.ARN, Name: s.Name}
	if p := s.labels[StagePending]; p != nil && p != s.labels[StageCurrent] {
		out.VersionId = p.ID
	}
	off := false
	s.RotationOn = &off
	s.NextRotation = time.Time{}
	s.Changed = now
	if err := m.save(s.Name, s); err != nil {
		return nil, err
	}
	return out, nil
}
