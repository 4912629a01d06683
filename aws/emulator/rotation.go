package emulator

import (
	"context"
	"errors"
)

// RotationEvent is the event a rotation Lambda receives, field for field.
type RotationEvent struct {
	Step               string `json:"Step"`
	SecretId           string `json:"SecretId"`
	ClientRequestToken string `json:"ClientRequestToken"`
	RotationToken      string `json:"RotationToken,omitempty"`
}

// RotationFunc is a rotation function: it is called once per step
// (createSecret, setSecret, testSecret, finishSecret) and typically calls
// back into the emulator through the SDK. A non-nil error fails the step.
type RotationFunc func(ctx context.Context, ev RotationEvent) error

// The four rotation steps, in order.
var rotationSteps = []string{"createSecret", "setSecret", "testSecret", "finishSecret"}

// rotateSecret is RotateSecret: the store validates, stores the
// configuration and creates the AWSPENDING placeholder; the steps then run
// with no store lock held (the function calls back over HTTP), in the
// background unless WithSyncRotation was given.
func (s *Server) rotateSecret(ctx context.Context, st *memStore, in *RotateSecretInput) (*SecretRef, error) {
	// Count the rotation before it starts so Close waits for it.
	s.rotMu.Lock()
	if s.closing {
		s.rotMu.Unlock()
		return nil, apiErr(ErrInternalServiceError, "The emulator is shutting down; try again after it restarts.")
	}
	s.rotations.Add(1)
	s.rotMu.Unlock()
	plan, err := st.StartRotation(ctx, in, s.invokable)
	if err != nil {
		s.rotations.Done()
		return nil, err
	}
	out := &SecretRef{ARN: plan.ARN, Name: plan.Name, VersionId: plan.Token}
	run := func() {
		ok := s.runSteps(plan)
		if err := st.FinishRotation(context.Background(), plan, ok); err != nil {
			s.log.Error("recording rotation result", "secret", plan.ARN, "err", err)
		}
		s.syncReplicas(st)
	}
	if s.syncRotate {
		run()
		s.rotations.Done()
		return out, nil
	}
	go func() {
		defer s.rotations.Done()
		run()
	}()
	return out, nil
}

// runSteps invokes the function for each step; it stops at the first
// failure (AWS would retry the rotation later; the emulator leaves the
// secret as a failed rotation does: AWSPENDING on a version that is not
// AWSCURRENT, so the next RotateSecret reports it in progress).
func (s *Server) runSteps(plan *RotationPlan) bool {
	fn := s.rotationFunc(plan.LambdaARN)
	if fn == nil {
		return false
	}
	steps := rotationSteps
	if plan.TestOnly {
		steps = []string{"testSecret"}
	}
	ev := RotationEvent{SecretId: plan.ARN, ClientRequestToken: plan.Token, RotationToken: s.newID()}
	for _, step := range steps {
		ev.Step = step
		if err := s.callStep(fn, ev); err != nil {
			s.log.Warn("rotation step failed", "secret", plan.ARN, "step", step, "lambda", plan.LambdaARN, "err", s.redactStepError(plan, err))
			return false
		}
		s.log.Debug("rotation step done", "secret", plan.ARN, "step", step)
	}
	return true
}

func (s *Server) callStep(fn RotationFunc, ev RotationEvent) (err error) {
	ctx, cancel := context.WithTimeout(context.Background(), s.stepTime)
	defer cancel()
	defer func() {
		if p := recover(); p != nil {
			err = errors.New("rotation function panicked")
		}
	}()
	return fn(ctx, ev)
}

// RotateDue starts a rotation for every secret whose rotation is enabled
// and whose NextRotationDate has passed on the server's clock, as the
// service's scheduler does, and returns how many it started. `secretlings
// serve` calls it every minute; embedding programs and tests call it after
// moving their clock. A secret whose last rotation is still incomplete is
// skipped (RotateSecret would answer that it is in progress).
func (s *Server) RotateDue(ctx context.Context) int {
	s.mu.RLock()
	stores := make([]*memStore, 0, len(s.stores))
	for _, st := range s.stores {
		stores = append(stores, st)
	}
	s.mu.RUnlock()
	started := 0
	for _, st := range stores {
		var due []string
		st.mu.RLock()
		now := st.now()
		for _, sec := range st.secrets {
			if sec.RotationOn != nil && *sec.RotationOn && !sec.NextRotation.IsZero() && !now.Before(sec.NextRotation) &&
				!sec.scheduled() && !sec.rotating && (sec.PrimaryRegion == "" || sec.PrimaryRegion == st.region) {
				due = append(due, sec.ARN)
			}
		}
		st.mu.RUnlock()
		for _, arn := range due {
			token := s.newID()
			if _, err := s.rotateSecret(ctx, st, &RotateSecretInput{SecretId: &arn, ClientRequestToken: &token}); err != nil {
				s.log.Warn("scheduled rotation not started", "secret", arn, "err", err)
				continue
			}
			started++
		}
	}
	return started
}
