package emulator

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// MaxBodyBytes caps a request body. The largest legal request (a 64 KiB
// binary secret, base64-encoded, or a 20 KiB policy) is far below it.
const MaxBodyBytes = 1 << 20

const contentType = "application/x-amz-json-1.1"

// DefaultAccountID and DefaultRegion are what a Server uses without
// WithAccountID and WithRegion.
const (
	DefaultAccountID = "123456789012"
	DefaultRegion    = "us-east-1"
)

// Server is the embedded Secrets Manager: an http.Handler speaking the
// awsJson1_1 protocol, with one Store per account and region.
type Server struct {
	now        func() time.Time
	newID      func() string
	account    string
	region     string
	log        *slog.Logger
	statePath  string
	repair     bool
	wrapState  func(*os.File) journalFile // test hook
	syncRotate bool
	stepTime   time.Duration

	fnMu sync.RWMutex
	fns  map[string]RotationFunc

	mu     sync.RWMutex
	stores map[storeKey]*memStore
	jr     *fileJournal

	kms   kmsState   // the tiny KMS (kms.go)
	trail auditTrail // the audit trail (audit.go, trail.go)

	rotMu     sync.Mutex // guards closing and rotations.Add against Close
	closing   bool
	rotations sync.WaitGroup
	closeOnce sync.Once

	iam iamState // identities and policy enforcement (identity.go)
}

type storeKey struct{ account, region string }

// Option configures a Server.
type Option func(*Server)

// WithClock sets the time source (default time.Now). Tests pass a fixed or
// stepping clock; deletion purges and schedules follow it.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// WithIDs sets the source of UUID-like ids: request ids, ARN suffix seeds,
// rotation tokens (default: random UUIDv4).
func WithIDs(next func() string) Option { return func(s *Server) { s.newID = next } }

// WithAccountID sets the account used in ARNs (default 123456789012). A
// request whose SigV4 access key id is 12 digits uses that account instead,
// as LocalStack does.
func WithAccountID(id string) Option { return func(s *Server) { s.account = id } }

// WithRegion sets the region for requests that carry no SigV4 credential
// scope (default us-east-1).
func WithRegion(region string) Option { return func(s *Server) { s.region = region } }

// WithLogger sets the logger (default: discard). Log lines carry the
// operation, status and secret ids, never a secret value.
func WithLogger(l *slog.Logger) Option { return func(s *Server) { s.log = l } }

// WithStateFile makes the server durable: state is loaded from path at New
// and every change is written and fsynced there before it is acknowledged.
func WithStateFile(path string) Option { return func(s *Server) { s.statePath = path } }

// WithStateRepair lets New start from a damaged state file: the original is
// copied to FILE.corrupt-<time>, then the records after the first bad one
// are cut off. Without it New refuses a damaged file (*StateDamageError).
func WithStateRepair() Option { return func(s *Server) { s.repair = true } }

// WithRotationFunction registers fn as the rotation function for lambdaARN.
func WithRotationFunction(lambdaARN string, fn RotationFunc) Option {
	return func(s *Server) { s.fns[lambdaARN] = fn }
}

// WithSyncRotation makes RotateSecret run all rotation steps before it
// answers. By default rotation runs in the background after the response,
// as on AWS (callers poll DescribeSecret); lessons and tests use this
// option for determinism.
func WithSyncRotation() Option { return func(s *Server) { s.syncRotate = true } }

// WithRotationStepTimeout bounds each rotation step (default 5 minutes;
// Lambda's own limit is 15).
func WithRotationStepTimeout(d time.Duration) Option { return func(s *Server) { s.stepTime = d } }

// New returns a Server. With WithStateFile it loads the saved state first
// and fails if the file cannot be read.
func New(opts ...Option) (*Server, error) {
	s := &Server{
		now: time.Now, newID: newUUIDSource(), account: DefaultAccountID, region: DefaultRegion,
		log:      slog.New(slog.DiscardHandler),
		fns:      map[string]RotationFunc{},
		stores:   map[storeKey]*memStore{},
		stepTime: 5 * time.Minute,
	}
	for _, o := range opts {
		o(s)
	}
	if s.statePath != "" {
		warn := func(msg string, args ...any) { s.log.Warn(msg, args...) }
		jr, recs, err := openJournal(s.statePath, s.repair, warn, s.wrapState)
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			st := s.store(rec.Account, rec.Region)
			sec := rec.Secret
			st.secrets[sec.Name] = sec
			if sec.scheduled() {
				st.scheduled[sec.Name] = sec
			}
		}
		s.jr = jr
		for _, st := range s.stores {
			st.jr = jr
		}
		if err := s.openSidecars(); err != nil {
			jr.close()
			return nil, err
		}
	}
	return s, nil
}

// Close waits for background rotations to finish and closes the state
// file. The handler must not be used afterwards.
func (s *Server) Close() error {
	var err error
	s.closeOnce.Do(func() {
		s.rotMu.Lock()
		s.closing = true
		s.rotMu.Unlock()
		s.rotations.Wait()
		if s.jr != nil {
			err = s.jr.close()
		}
		if terr := s.trail.close(); err == nil {
			err = terr
		}
	})
	return err
}

// RegisterRotationFunction registers (or replaces) the rotation function
// invoked for lambdaARN. Safe to call while serving.
func (s *Server) RegisterRotationFunction(lambdaARN string, fn RotationFunc) {
	s.fnMu.Lock()
	s.fns[lambdaARN] = fn
	s.fnMu.Unlock()
}

func (s *Server) rotationFunc(arn string) RotationFunc {
	s.fnMu.RLock()
	defer s.fnMu.RUnlock()
	return s.fns[arn]
}

func (s *Server) invokable(arn string) bool { return s.rotationFunc(arn) != nil }

// store returns (creating on first use) the store of an account and region.
func (s *Server) store(account, region string) *memStore {
	k := storeKey{account, region}
	s.mu.RLock()
	st := s.stores[k]
	s.mu.RUnlock()
	if st != nil {
		return st
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if st = s.stores[k]; st == nil {
		var jr journal
		if s.jr != nil {
			jr = s.jr
		}
		st = newMemStore(account, region, s.now, s.newID, jr)
		s.stores[k] = st
	}
	return st
}

// Store returns the Store for an account and region, for embedding
// programs and tests that want to inspect state without HTTP.
func (s *Server) Store(account, region string) Store { return s.store(account, region) }

// scope extracts the access key id and region from a SigV4 Authorization
// header: "AWS4-HMAC-SHA256 Credential=AKID/20261125/eu-west-1/secretsmanager/aws4_request, ...".
func scope(auth string) (akid, region string) {
	i := strings.Index(auth, "Credential=")
	if i < 0 {
		return "", ""
	}
	c := auth[i+len("Credential="):]
	if j := strings.IndexAny(c, ", "); j >= 0 {
		c = c[:j]
	}
	// AKID/date/region/service/aws4_request, split without allocating.
	var parts [5]string
	for n := 0; n < 4; n++ {
		j := strings.IndexByte(c, '/')
		if j < 0 {
			return "", ""
		}
		parts[n], c = c[:j], c[j+1:]
	}
	return parts[0], parts[2]
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < 12; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// reqState is the per-request scratch space, pooled.
type reqState struct {
	buf bytes.Buffer
	lr  io.LimitedReader
}

var statePool = sync.Pool{New: func() any { return new(reqState) }}

// contentTypeHeader is shared by every response; net/http only reads it.
var contentTypeHeader = []string{contentType}

// ServeHTTP answers one Secrets Manager request: POST / with
// X-Amz-Target: secretsmanager.<Operation> and a JSON body. Every answer,
// error or not, is JSON with an x-amzn-RequestId header.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	reqID := s.newID()
	h := w.Header()
	h["X-Amzn-Requestid"] = []string{reqID}
	h["Content-Type"] = contentTypeHeader

	rs := statePool.Get().(*reqState)
	buf := &rs.buf
	buf.Reset()
	defer func() {
		rs.lr.R = nil
		if buf.Cap() <= 256<<10 {
			statePool.Put(rs)
		}
	}()

	source, op := targetOf(r.Header.Get("X-Amz-Target"))
	var p Principal
	var body []byte
	var out any
	var err error
	switch {
	case r.Method != http.MethodPost:
		err = apiErr(ErrUnknownOperation, "Secrets Manager answers POST / with an X-Amz-Target header; got %s %s.", r.Method, r.URL.Path)
	default:
		rs.lr = io.LimitedReader{R: r.Body, N: MaxBodyBytes + 1}
		if _, rerr := buf.ReadFrom(&rs.lr); rerr != nil {
			err = apiErr(ErrSerialization, "Could not read the request body.")
			break
		}
		if buf.Len() > MaxBodyBytes {
			// Do not read the rest; close the connection after answering.
			h["Connection"] = []string{"close"}
			err = apiErr(ErrRequestTooLarge, "Request body is larger than the %d-byte limit. Secret values are at most 65,536 bytes.", MaxBodyBytes)
			break
		}
		body = buf.Bytes()
		p, err = s.identify(r, body)
		if isSTS(r) {
			s.serveSTS(w, p, err, reqID, body)
			return
		}
		if err != nil {
			break
		}
		_, region := scope(r.Header.Get("Authorization"))
		if region == "" {
			region = s.region
		}
		out, err = s.serveService(r.Context(), p, source, op, region, body)
	}
	s.audit(r, p, source, op, body, out, err)
	buf.Reset()
	status := http.StatusOK
	if err != nil {
		e := asAPIError(err)
		if e.Code == ErrInternalServiceError {
			s.log.Error("internal error", "op", op, "requestId", reqID, "err", err)
		}
		status = e.Code.Status()
		h["X-Amzn-Errortype"] = []string{string(e.Code)}
		writeError(buf, e)
	} else if err = encode(buf, out); err != nil {
		s.log.Error("encoding response", "op", op, "err", err)
		status = http.StatusInternalServerError
		buf.Reset()
		writeError(buf, asAPIError(err))
	}
	if s.log.Enabled(r.Context(), slog.LevelDebug) {
		s.log.Debug("request", "op", op, "status", status, "requestId", reqID)
	}
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func writeError(buf *bytes.Buffer, e *Error) {
	b := append(buf.AvailableBuffer(), `{"__type":`...)
	b = appendJSONString(b, string(e.Code))
	b = append(b, `,"Message":`...)
	b = appendJSONString(b, e.Message)
	buf.Write(append(b, '}'))
}

func encode(buf *bytes.Buffer, v any) error {
	if g, ok := v.(*GetSecretValueOutput); ok {
		buf.Write(appendGetSecretValue(buf.AvailableBuffer(), g))
		return nil
	}
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// decode reads a request body into in; an empty body counts as {}, but
// any other non-object (null, [], 5) is refused as AWS refuses it.
func decode(body []byte, in any) error {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil
	}
	if body[0] != '{' {
		return apiErr(ErrSerialization, "The request body must be a JSON object (got %s).", truncateForMsg(jsonKind(body)))
	}
	if err := json.Unmarshal(body, in); err != nil {
		var te *json.UnmarshalTypeError
		var be base64.CorruptInputError
		switch {
		case errors.As(err, &be):
			return apiErr(ErrSerialization, "SecretBinary is not valid base64 (bad data at byte %d of the value): send the bytes base64-encoded, as the SDKs do.", int64(be))
		case errors.As(err, &te):
			return apiErr(ErrSerialization, "Unexpected value type for member %s: expected %s.", te.Field, te.Type.String())
		}
		return apiErr(ErrSerialization, "The request body is not valid JSON.")
	}
	return nil
}

// jsonKind names the JSON type of a non-object body without echoing it.
func jsonKind(body []byte) string {
	switch c := body[0]; {
	case c == 'n':
		return "null"
	case c == '[':
		return "an array"
	case c == '"':
		return "a string"
	case c == 't' || c == 'f':
		return "a boolean"
	case c == '-' || c >= '0' && c <= '9':
		return "a number"
	}
	return "something that is not JSON"
}

type opFunc func(s *Server, ctx context.Context, st *memStore, body []byte) (any, error)

// handle adapts a typed operation to the dispatch table.
func handle[I any, O any](f func(s *Server, ctx context.Context, st *memStore, in *I) (O, error)) opFunc {
	return func(s *Server, ctx context.Context, st *memStore, body []byte) (any, error) {
		in := new(I)
		if err := decode(body, in); err != nil {
			return nil, err
		}
		return f(s, ctx, st, in)
	}
}

var ops map[string]opFunc

func init() {
	ops = map[string]opFunc{
		"CreateSecret": handle(func(s *Server, ctx context.Context, st *memStore, in *CreateSecretInput) (*CreateSecretOutput, error) {
			out, err := st.CreateSecret(ctx, in)
			if err == nil && len(in.AddReplicaRegions) > 0 {
				out.ReplicationStatus = s.replicate(st, out.ARN, in.AddReplicaRegions, in.ForceOverwriteReplicaSecret)
			}
			return out, err
		}),
		"GetSecretValue": func(_ *Server, ctx context.Context, st *memStore, body []byte) (any, error) {
			// The hot path: the usual flat body is parsed without reflection.
			var in GetSecretValueInput
			if !decodeGetSecretValue(body, &in) {
				if err := decode(body, &in); err != nil {
					return nil, err
				}
			}
			return st.GetSecretValue(ctx, &in)
		},
		"BatchGetSecretValue": handle(func(_ *Server, ctx context.Context, st *memStore, in *BatchGetSecretValueInput) (*BatchGetSecretValueOutput, error) {
			return st.BatchGetSecretValue(ctx, in)
		}),
		"PutSecretValue": handle(func(_ *Server, ctx context.Context, st *memStore, in *PutSecretValueInput) (*PutSecretValueOutput, error) {
			return st.PutSecretValue(ctx, in)
		}),
		"UpdateSecret": handle(func(_ *Server, ctx context.Context, st *memStore, in *UpdateSecretInput) (*SecretRef, error) {
			return st.UpdateSecret(ctx, in)
		}),
		"DescribeSecret": handle(func(_ *Server, ctx context.Context, st *memStore, in *SecretIdInput) (*DescribeSecretOutput, error) {
			return st.DescribeSecret(ctx, in)
		}),
		"ListSecrets": handle(func(_ *Server, ctx context.Context, st *memStore, in *ListSecretsInput) (*ListSecretsOutput, error) {
			return st.ListSecrets(ctx, in)
		}),
		"ListSecretVersionIds": handle(func(_ *Server, ctx context.Context, st *memStore, in *ListSecretVersionIdsInput) (*ListSecretVersionIdsOutput, error) {
			return st.ListSecretVersionIds(ctx, in)
		}),
		"UpdateSecretVersionStage": handle(func(_ *Server, ctx context.Context, st *memStore, in *UpdateSecretVersionStageInput) (*SecretRef, error) {
			return st.UpdateSecretVersionStage(ctx, in)
		}),
		"DeleteSecret": handle(func(_ *Server, ctx context.Context, st *memStore, in *DeleteSecretInput) (*DeleteSecretOutput, error) {
			return st.DeleteSecret(ctx, in)
		}),
		"RestoreSecret": handle(func(_ *Server, ctx context.Context, st *memStore, in *SecretIdInput) (*SecretRef, error) {
			return st.RestoreSecret(ctx, in)
		}),
		"RotateSecret": handle(func(s *Server, ctx context.Context, st *memStore, in *RotateSecretInput) (*SecretRef, error) {
			return s.rotateSecret(ctx, st, in)
		}),
		"CancelRotateSecret": handle(func(_ *Server, ctx context.Context, st *memStore, in *SecretIdInput) (*SecretRef, error) {
			return st.CancelRotateSecret(ctx, in)
		}),
		"TagResource": handle(func(_ *Server, ctx context.Context, st *memStore, in *TagResourceInput) (*Empty, error) {
			return &Empty{}, st.TagResource(ctx, in)
		}),
		"UntagResource": handle(func(_ *Server, ctx context.Context, st *memStore, in *UntagResourceInput) (*Empty, error) {
			return &Empty{}, st.UntagResource(ctx, in)
		}),
		"GetRandomPassword": handle(func(_ *Server, _ context.Context, _ *memStore, in *GetRandomPasswordInput) (*GetRandomPasswordOutput, error) {
			p, err := randomPassword(in)
			return &GetRandomPasswordOutput{RandomPassword: p}, err
		}),
		"PutResourcePolicy": handle(func(_ *Server, ctx context.Context, st *memStore, in *PutResourcePolicyInput) (*SecretRef, error) {
			return st.PutResourcePolicy(ctx, in)
		}),
		"GetResourcePolicy": handle(func(_ *Server, ctx context.Context, st *memStore, in *SecretIdInput) (*GetResourcePolicyOutput, error) {
			return st.GetResourcePolicy(ctx, in)
		}),
		"DeleteResourcePolicy": handle(func(_ *Server, ctx context.Context, st *memStore, in *SecretIdInput) (*SecretRef, error) {
			return st.DeleteResourcePolicy(ctx, in)
		}),
		"ValidateResourcePolicy": handle(func(_ *Server, ctx context.Context, st *memStore, in *ValidateResourcePolicyInput) (*ValidateResourcePolicyOutput, error) {
			return st.ValidateResourcePolicy(ctx, in)
		}),
		"ReplicateSecretToRegions": handle(func(s *Server, ctx context.Context, st *memStore, in *ReplicateSecretToRegionsInput) (*ReplicationOutput, error) {
			return s.replicateSecretToRegions(st, in)
		}),
		"RemoveRegionsFromReplication": handle(func(s *Server, ctx context.Context, st *memStore, in *RemoveRegionsFromReplicationInput) (*RemoveRegionsOutput, error) {
			return s.removeRegionsFromReplication(st, in)
		}),
		"StopReplicationToReplica": handle(func(s *Server, ctx context.Context, st *memStore, in *SecretIdInput) (*ReplicationOutput, error) {
			return s.stopReplicationToReplica(st, in)
		}),
	}
}

// dispatch runs one operation. A panic inside an operation becomes an
// InternalServiceError (logged without request data), never a crash.
func (s *Server) dispatch(ctx context.Context, p Principal, op, region string, body []byte) (out any, err error) {
	f := ops[op]
	if f == nil {
		return nil, apiErr(ErrUnknownOperation, "Unknown operation %q. Secrets Manager operations are sent as X-Amz-Target: secretsmanager.<Operation>.", truncateForMsg(op))
	}
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("operation panicked", "op", op)
			out, err = nil, fmt.Errorf("panic in %s", op)
		}
	}()
	st := s.targetStore(s.store(p.Account, region), op, body)
	if err := s.authorize(ctx, p, op, st, body); err != nil {
		return nil, err
	}
	if err := s.kmsGate(p, op, st, body); err != nil {
		return nil, err
	}
	out, err = f(s, s.withBatchChecks(ctx, p, op, st), st, body)
	if err == nil {
		s.kmsAfter(p, op, st, out)
	}
	s.syncReplicas(st)
	return out, err
}

// newUUIDSource returns a fast source of unique UUIDv4-shaped ids: a
// random 10-byte prefix drawn once and a 48-bit counter, so the hot path
// does not read the OS random source on every request. Ids are unique,
// not unpredictable (nothing secret depends on them).
func newUUIDSource() func() string {
	var seed [16]byte
	if _, err := io.ReadFull(rand.Reader, seed[:]); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	var n atomic.Uint64
	return func() string {
		b := seed
		c := n.Add(1)
		for i := 15; i >= 10; i-- {
			b[i] = byte(c)
			c >>= 8
		}
		return formatUUID(b)
	}
}

func formatUUID(b [16]byte) string {
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:], b[10:])
	return string(out[:])
}
