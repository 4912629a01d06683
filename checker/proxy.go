package checker

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"secretlings/internal/pyfork"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Request is one Secrets Manager call the learner's program made, as the
// recording proxy saw it: like a CloudTrail entry, it names the operation and
// the identifiers, never a value.
type Request struct {
	Operation          string // e.g. "GetSecretValue", from X-Amz-Target
	SecretID           string // SecretId, or Name for CreateSecret
	ClientRequestToken string
	VersionID          string
	VersionStage       string
	Status             int    // HTTP status of the backend's answer
	ErrorType          string // the "__type" of an error answer, without its namespace
}

// proxy is a reverse proxy on loopback in front of the backend that records
// every request. Learner programs get its URL as their endpoint, so the
// checker sees their traffic on any backend.
type proxy struct {
	URL      string
	upstream string // the backend's base URL
	client   *http.Client
	// sign re-signs a forwarded request for backends that verify SigV4
	// (real AWS), since the program signed it for the proxy's host.
	sign func(r *http.Request, body []byte) error

	srv *http.Server
	ln  net.Listener

	mu  sync.Mutex
	log []Request
	// answered, when set, sees each recorded request after the backend
	// answered it and before the answer goes back to the program, so a
	// grader can change state between one of its calls and the next.
	answered func(Request)
	// foreign counts requests sent by a process the checker did not start
	// (a program that hands its work to another, such as `go run` of a
	// solution): they are refused.
	foreign int
	// fault, when set, answers the requests it matches itself, with an
	// error, instead of forwarding them (see failMatching).
	fault *proxyFault
}

// proxyFault is a failure the proxy injects.
type proxyFault struct {
	match  func(Request) bool
	status int
	body   []byte
	hits   int
}

// failMatching makes the proxy answer every request that match accepts
// (by its operation and identifiers) with status and a Secrets Manager
// error of type errType and message msg, without forwarding it, until stop
// is called; stop returns how many requests it failed. A grader uses it to
// see what a program does when a call fails; choose a status and type the
// SDKs do not retry (a 400), so the program sees the failure itself.
func (p *proxy) failMatching(match func(Request) bool, status int, errType, msg string) (stop func() int) {
	body, _ := json.Marshal(map[string]string{"__type": errType, "Message": msg})
	f := &proxyFault{match: match, status: status, body: body}
	p.mu.Lock()
	p.fault = f
	p.mu.Unlock()
	return func() int {
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.fault == f {
			p.fault = nil
		}
		return f.hits
	}
}

// injected answers rec with the fault in force, if it matches, and
// reports whether it did.
func (p *proxy) injected(w http.ResponseWriter, rec Request) bool {
	p.mu.Lock()
	f := p.fault
	if f == nil || !f.match(rec) {
		p.mu.Unlock()
		return false
	}
	f.hits++
	rec.Status = f.status
	var e struct {
		Type string `json:"__type"`
	}
	_ = json.Unmarshal(f.body, &e)
	rec.ErrorType = e.Type
	p.log = append(p.log, rec)
	p.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.WriteHeader(f.status)
	_, _ = w.Write(f.body)
	return true
}

// ownerKey is the context key of a connection's owning process.
type ownerKey struct{}

// Foreign is how many requests came from a process that is not the
// program being graded.
func (p *proxy) Foreign() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.foreign
}

// fromGraded reports whether the connection of r belongs to a program the
// checker started itself (its child, or a Python program it forked), or
// its owner cannot be told.
func (p *proxy) fromGraded(r *http.Request) bool {
	owner, ok := r.Context().Value(ownerKey{}).(int)
	if !ok || isChild(owner) || pyfork.Running(owner) {
		return true
	}
	p.mu.Lock()
	p.foreign++
	p.mu.Unlock()
	return false
}

// maxProxyBody bounds a request or answer body the proxy buffers; Secrets
// Manager's own limit for a request is far below it.
const maxProxyBody = 8 << 20

// startProxy listens on a free loopback port and forwards to upstream.
func startProxy(upstream string, sign func(*http.Request, []byte) error) (*proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &proxy{
		URL:      "http://" + ln.Addr().String(),
		upstream: strings.TrimRight(upstream, "/"),
		client:   &http.Client{Timeout: 60 * time.Second},
		sign:     sign,
		ln:       ln,
	}
	p.srv = &http.Server{Handler: p, ReadHeaderTimeout: 10 * time.Second,
		ConnContext: func(ctx context.Context, c net.Conn) context.Context {
			if pid, ok := connOwner(c); ok {
				return context.WithValue(ctx, ownerKey{}, pid)
			}
			return ctx
		},
	}
	go func() { _ = p.srv.Serve(ln) }()
	return p, nil
}

// Close stops the proxy.
func (p *proxy) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return p.srv.Shutdown(ctx)
}

// Requests returns a copy of what was recorded so far.
func (p *proxy) Requests() []Request {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Request(nil), p.log...)
}

// Reset forgets what was recorded, between phases of one grading.
func (p *proxy) Reset() {
	p.mu.Lock()
	p.log = nil
	p.mu.Unlock()
}

func (p *proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !p.fromGraded(r) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(http.StatusForbidden)
		_, _ = io.WriteString(w, `{"__type":"AccessDeniedException","Message":"the checker takes requests only from the program it is grading"}`)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxProxyBody))
	if err != nil {
		http.Error(w, "reading the request", http.StatusBadRequest)
		return
	}
	rec := Request{Operation: strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "secretsmanager.")}
	var ids struct {
		SecretId, Name, ClientRequestToken, VersionId, VersionStage string
	}
	// Only identifiers are decoded: the struct has no field for a value.
	if json.Unmarshal(body, &ids) == nil {
		rec.SecretID = ids.SecretId
		if rec.SecretID == "" {
			rec.SecretID = ids.Name
		}
		rec.ClientRequestToken, rec.VersionID, rec.VersionStage = ids.ClientRequestToken, ids.VersionId, ids.VersionStage
	}
	if p.injected(w, rec) {
		return
	}

	out, err := http.NewRequestWithContext(r.Context(), r.Method, p.upstream+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	for k, vs := range r.Header {
		if k == "Host" || k == "Content-Length" {
			continue
		}
		out.Header[k] = vs
	}
	if p.sign != nil {
		if err := p.sign(out, body); err != nil {
			http.Error(w, "signing for the backend failed", http.StatusBadGateway)
			return
		}
	}
	resp, err := p.client.Do(out)
	if err != nil {
		rec.Status = http.StatusBadGateway
		p.record(rec)
		http.Error(w, "the Secrets Manager backend did not answer", http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, maxProxyBody))
	rec.Status = resp.StatusCode
	if resp.StatusCode >= 300 {
		var e struct {
			Type string `json:"__type"`
		}
		if json.Unmarshal(answer, &e) == nil {
			rec.ErrorType = e.Type[strings.LastIndex(e.Type, "#")+1:]
		}
	}
	p.record(rec)
	for k, vs := range resp.Header {
		if k == "Content-Length" {
			continue
		}
		w.Header()[k] = vs
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(answer)
}

func (p *proxy) record(r Request) {
	p.mu.Lock()
	p.log = append(p.log, r)
	answered := p.answered
	p.mu.Unlock()
	if answered != nil {
		answered(r)
	}
}

// onAnswer sets the function that sees each request once the backend has
// answered it (nil for none); it runs in the request's own goroutine, and
// the program waits for it.
func (p *proxy) onAnswer(f func(Request)) {
	p.mu.Lock()
	p.answered = f
	p.mu.Unlock()
}

// sigV4Signer re-signs forwarded requests with creds for region, for
// backends that check signatures (real AWS).
func sigV4Signer(creds awssdk.CredentialsProvider, region string) func(*http.Request, []byte) error {
	signer := v4.NewSigner()
	return func(r *http.Request, body []byte) error {
		c, err := creds.Retrieve(r.Context())
		if err != nil {
			return err
		}
		for _, h := range []string{"Authorization", "X-Amz-Date", "X-Amz-Security-Token", "Amz-Sdk-Request", "Amz-Sdk-Invocation-Id"} {
			r.Header.Del(h)
		}
		sum := sha256.Sum256(body)
		return signer.SignHTTP(r.Context(), c, r, hex.EncodeToString(sum[:]), "secretsmanager", region, time.Now())
	}
}

// count returns how many recorded requests are op on secret id (any id when
// id is empty) and succeeded.
func count(reqs []Request, op, id string) int {
	n := 0
	for _, r := range reqs {
		if r.Operation == op && (id == "" || r.SecretID == id) && r.Status == http.StatusOK {
			n++
		}
	}
	return n
}
