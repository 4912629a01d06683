package cache

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// fakeAPI is an in-memory Secrets Manager with versions and staging labels
// that counts calls and can be made to fail or to block.
type fakeAPI struct {
	mu      sync.Mutex
	secrets map[string]*fakeSecret
	nextID  int
	fail    error         // returned by every call while set
	gate    chan struct{} // while set, GetSecretValue waits for it to close
	delay   time.Duration // latency added to GetSecretValue

	gets      atomic.Int64
	describes atomic.Int64
}

type fakeSecret struct {
	versions map[string]fakeVersion
	stages   map[string]string // stage → version id
	deleted  bool
}

type fakeVersion struct {
	str    *string
	binary []byte
}

func newFake() *fakeAPI { return &fakeAPI{secrets: map[string]*fakeSecret{}} }

// put stores a new string version of name and moves AWSCURRENT to it, as
// PutSecretValue does; it returns the version id.
func (f *fakeAPI) put(name, value string) string {
	return f.putVersion(name, fakeVersion{str: &value})
}

func (f *fakeAPI) putBinary(name string, value []byte) string {
	return f.putVersion(name, fakeVersion{binary: value})
}

func (f *fakeAPI) putVersion(name string, v fakeVersion) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.secrets[name]
	if s == nil {
		s = &fakeSecret{versions: map[string]fakeVersion{}, stages: map[string]string{}}
		f.secrets[name] = s
	}
	f.nextID++
	id := fmt.Sprintf("v%d", f.nextID)
	s.versions[id] = v
	if cur, ok := s.stages["AWSCURRENT"]; ok {
		s.stages["AWSPREVIOUS"] = cur
	}
	s.stages["AWSCURRENT"] = id
	return id
}

func (f *fakeAPI) setFail(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail = err
}

func (f *fakeAPI) remove(name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.secrets[name].deleted = true
}

// GetSecretValue answers from the state at the moment of the call, then
// waits out the delay and the gate: a slow response, as on the wire.
func (f *fakeAPI) GetSecretValue(ctx context.Context, in *secretsmanager.GetSecretValueInput, _ ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error) {
	f.gets.Add(1)
	f.mu.Lock()
	gate, delay := f.gate, f.delay
	out, err := f.answer(in)
	f.mu.Unlock()
	if delay > 0 {
		time.Sleep(delay)
	}
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return out, err
}

func (f *fakeAPI) answer(in *secretsmanager.GetSecretValueInput) (*secretsmanager.GetSecretValueOutput, error) {
	if f.fail != nil {
		return nil, f.fail
	}
	s := f.secrets[*in.SecretId]
	if s == nil {
		return nil, &types.ResourceNotFoundException{Message: ptr("Secrets Manager can't find the specified secret.")}
	}
	if s.deleted {
		return nil, &types.InvalidRequestException{Message: ptr("secret is marked for deletion")}
	}
	id := ""
	switch {
	case in.VersionId != nil:
		id = *in.VersionId
	case in.VersionStage != nil:
		id = s.stages[*in.VersionStage]
	default:
		id = s.stages["AWSCURRENT"]
	}
	v, ok := s.versions[id]
	if !ok {
		return nil, &types.ResourceNotFoundException{Message: ptr("Secrets Manager can't find the specified secret value.")}
	}
	return &secretsmanager.GetSecretValueOutput{Name: in.SecretId, VersionId: &id, SecretString: v.str, SecretBinary: v.binary}, nil
}

func (f *fakeAPI) DescribeSecret(_ context.Context, in *secretsmanager.DescribeSecretInput, _ ...func(*secretsmanager.Options)) (*secretsmanager.DescribeSecretOutput, error) {
	f.describes.Add(1)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return nil, f.fail
	}
	s := f.secrets[*in.SecretId]
	if s == nil {
		return nil, &types.ResourceNotFoundException{Message: ptr("Secrets Manager can't find the specified secret.")}
	}
	out := &secretsmanager.DescribeSecretOutput{Name: in.SecretId, VersionIdsToStages: map[string][]string{}}
	for id := range s.versions {
		out.VersionIdsToStages[id] = []string{}
	}
	for stage, id := range s.stages {
		out.VersionIdsToStages[id] = append(out.VersionIdsToStages[id], stage)
	}
	if s.deleted {
		out.DeletedDate = ptr(time.Unix(0, 0))
	}
	return out, nil
}

func ptr[T any](v T) *T { return &v }

// getOnly hides DescribeSecret, for the WithVersionCheck panic.
type getOnly struct{ API }
