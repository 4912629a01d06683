// Package demoservice is a small HTTP service with real API-key
// authentication, whose keys the rotation lesson rotates. It listens on
// loopback only. Clients call GET /whoami with the header X-Api-Key and get
// 200 with their user name, or 401. An admin API, protected by a bearer
// token, registers and revokes keys per user; that is what a rotation
// function's setSecret and finishSecret call.
//
// Keys are stored as SHA-256 digests, never in plain text, and never appear
// in a log line or an error; logs name a key by its Fingerprint.
//
// For tests of rotation functions the service keeps an audit log of every
// request that authenticated with a key (Accesses: which key, whose, let in
// or not), lists its keys by fingerprint (Keys), logs every key registered
// or revoked (KeyEvents), and can be told to turn away one key's requests
// (RefuseKeyOnce, RefuseKey), or to answer them with a 503 or another
// user's name (Misbehave), while other keys work.
//
// HTTP API (JSON bodies; admin calls need "Authorization: Bearer <admin token>"):
//
//	GET  /whoami                              X-Api-Key: <key>  → 200 {"user":"app-a"} | 401 (| 503 under Misbehave)
//	POST /admin/keys                          {"user":"app-a","key":"…"} → 204 | 409 (key of another user)
//	POST /admin/keys/revoke                   {"key":"…"} → 204 (also when unknown)
//	POST /admin/users/{user}/revoke-others    {"keep":["…"]} → 200 {"revoked":1}
//	GET  /admin/users/{user}                  → 200 {"user":"app-a","keys":2}
package demoservice

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"slices"
	"sync"
	"time"
)

// Errors from the programmatic API; the HTTP API maps them to status codes.
var (
	// ErrKeyInUse: the key is registered to another user (409).
	ErrKeyInUse = errors.New("the API key is already registered to another user")
	// ErrBadUser: the user name is not 1–64 of [A-Za-z0-9._-] (400).
	ErrBadUser = errors.New("invalid user name: use 1-64 letters, digits, '.', '_' or '-'")
	// ErrBadKey: the key is shorter than MinKeyLen or longer than MaxKeyLen (400).
	ErrBadKey = errors.New("invalid API key: it must be 16-256 characters")
	// ErrUnauthorized: the API key or admin token was missing or wrong (401).
	ErrUnauthorized = errors.New("unauthorized")
)

// Key length limits.
const (
	MinKeyLen = 16
	MaxKeyLen = 256
)

var userRE = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

type digest [sha256.Size]byte

// Service is the key store and its HTTP handler. The zero value is not
// usable; call New. It is safe for concurrent use.
type Service struct {
	adminToken string
	log        *slog.Logger

	mu    sync.RWMutex
	owner map[digest]string // key digest → user

	// The access log and the keys to refuse once (audit.go).
	amu      sync.Mutex
	accesses []Access
	seq      uint64
	refuse   map[digest]int          // refusals left, by key
	held     map[digest][]*heldFault // faults in force until stopped, by key

	// The key log (keylog.go), under mu.
	keyEvents []KeyEvent
	keySeq    uint64
}

// Option configures a Service.
type Option func(*Service)

// WithLogger logs authentication results and admin changes (user names and
// counts, never keys). The default discards them.
func WithLogger(l *slog.Logger) Option { return func(s *Service) { s.log = l } }

// New returns an empty Service whose admin API accepts adminToken.
func New(adminToken string, opts ...Option) *Service {
	s := &Service{adminToken: adminToken, log: slog.New(slog.DiscardHandler), owner: map[digest]string{}}
	for _, o := range opts {
		o(s)
	}
	return s
}

func hash(key string) digest { return sha256.Sum256([]byte(key)) }

// AddKey registers key for user. Registering a key the user already has is
// a no-op, so it is safe to retry.
func (s *Service) AddKey(user, key string) error {
	if !userRE.MatchString(user) {
		return ErrBadUser
	}
	if len(key) < MinKeyLen || len(key) > MaxKeyLen {
		return ErrBadKey
	}
	d := hash(key)
	s.mu.Lock()
	defer s.mu.Unlock()
	if u, ok := s.owner[d]; ok && u != user {
		return ErrKeyInUse
	}
	if _, ok := s.owner[d]; !ok {
		s.logKey(true, d, user)
	}
	s.owner[d] = user
	s.log.Info("api key registered", "user", user)
	return nil
}

// RevokeKey removes key, and reports whether it was registered.
func (s *Service) RevokeKey(key string) bool {
	d := hash(key)
	s.mu.Lock()
	defer s.mu.Unlock()
	user, ok := s.owner[d]
	if ok {
		delete(s.owner, d)
		s.logKey(false, d, user)
		s.log.Info("api key revoked", "user", user)
	}
	return ok
}

// RevokeOtherKeys removes every key of user except those in keep, and
// returns how many it removed. It is how a rotation retires old keys, and it
// is idempotent.
func (s *Service) RevokeOtherKeys(user string, keep ...string) int {
	kept := make([]digest, len(keep))
	for i, k := range keep {
		kept[i] = hash(k)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for d, u := range s.owner {
		if u == user && !slices.Contains(kept, d) {
			delete(s.owner, d)
			s.logKey(false, d, user)
			n++
		}
	}
	if n > 0 {
		s.log.Info("api keys revoked", "user", user, "count", n)
	}
	return n
}

// Authenticate returns the user that key belongs to.
func (s *Service) Authenticate(key string) (user string, ok bool) {
	if key == "" {
		return "", false
	}
	// A map lookup by digest leaks nothing useful through timing: an
	// attacker learns at most about digests, not about keys.
	d := hash(key)
	s.mu.RLock()
	defer s.mu.RUnlock()
	user, ok = s.owner[d]
	return user, ok
}

// KeyCount returns how many keys user has.
func (s *Service) KeyCount(user string) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	n := 0
	for _, u := range s.owner {
		if u == user {
			n++
		}
	}
	return n
}

// ServeHTTP serves the API described in the package documentation.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux().ServeHTTP(w, r)
}

func (s *Service) mux() *http.ServeMux {
	m := http.NewServeMux()
	m.HandleFunc("GET /whoami", s.whoami)
	m.HandleFunc("POST /admin/keys", s.admin(s.addKey))
	m.HandleFunc("POST /admin/keys/revoke", s.admin(s.revokeKey))
	m.HandleFunc("POST /admin/users/{user}/revoke-others", s.admin(s.revokeOthers))
	m.HandleFunc("GET /admin/users/{user}", s.admin(s.userInfo))
	return m
}

type errorBody struct {
	Error string `json:"error"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, errorBody{Error: msg})
}

func (s *Service) whoami(w http.ResponseWriter, r *http.Request) {
	key := r.Header.Get("X-Api-Key")
	user, ok := s.Authenticate(key)
	a := s.record(r.URL.Path, key, user, ok)
	switch {
	case a.Fault == Unavailable:
		s.log.Info("api key request failed on purpose", "key", a.Key)
		writeError(w, http.StatusServiceUnavailable, "the service is unavailable: try again later")
	case a.Accepted && a.Fault == OtherUser:
		s.log.Info("api key answered for another user on purpose", "key", a.Key)
		writeJSON(w, http.StatusOK, map[string]string{"user": OtherUserName})
	case a.Accepted:
		s.log.Info("api key accepted", "user", user, "key", a.Key)
		writeJSON(w, http.StatusOK, map[string]string{"user": user})
	default:
		// A refused key gets the answer an unknown key gets, so the caller
		// cannot tell a test's refusal from a key that does not work.
		s.log.Info("api key rejected", "key", a.Key, "refused_on_request", a.Refused)
		writeError(w, http.StatusUnauthorized, "invalid or missing API key: send a registered key in the X-Api-Key header")
	}
}

// admin wraps an admin endpoint with the bearer-token check.
func (s *Service) admin(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		const prefix = "Bearer "
		got := r.Header.Get("Authorization")
		if s.adminToken == "" || len(got) <= len(prefix) || got[:len(prefix)] != prefix ||
			subtle.ConstantTimeCompare([]byte(got[len(prefix):]), []byte(s.adminToken)) != 1 {
			writeError(w, http.StatusUnauthorized, "admin API: send the admin token as 'Authorization: Bearer <token>'")
			return
		}
		next(w, r)
	}
}

// decode reads a small JSON body into v.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		// The decoder's message may quote body bytes, i.e. a key: keep it out.
		writeError(w, http.StatusBadRequest, "the request body must be a JSON object with the documented fields")
		return false
	}
	return true
}

type keyRequest struct {
	User string `json:"user"`
	Key  string `json:"key"`
}

func (s *Service) addKey(w http.ResponseWriter, r *http.Request) {
	var req keyRequest
	if !decode(w, r, &req) {
		return
	}
	switch err := s.AddKey(req.User, req.Key); {
	case errors.Is(err, ErrKeyInUse):
		writeError(w, http.StatusConflict, err.Error())
	case err != nil:
		writeError(w, http.StatusBadRequest, err.Error())
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

func (s *Service) revokeKey(w http.ResponseWriter, r *http.Request) {
	var req keyRequest
	if !decode(w, r, &req) {
		return
	}
	s.RevokeKey(req.Key)
	w.WriteHeader(http.StatusNoContent)
}

type revokeOthersRequest struct {
	Keep []string `json:"keep"`
}

func (s *Service) revokeOthers(w http.ResponseWriter, r *http.Request) {
	user := r.PathValue("user")
	if !userRE.MatchString(user) {
		writeError(w, http.StatusBadRequest, ErrBadUser.Error())
		return
	}
	var req revokeOthersRequest
	if !decode(w, r, &req) {
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"revoked": s.RevokeOtherKeys(user, req.Keep...)})
}

func (s *Service) userInfo(w http.ResponseWriter, r *http.Request) {
	user := r.PathValue("user")
	if !userRE.MatchString(user) {
		writeError(w, http.StatusBadRequest, ErrBadUser.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"user": user, "keys": s.KeyCount(user)})
}

// Server is a Service listening on a loopback address.
type Server struct {
	// URL is the base URL, e.g. http://127.0.0.1:40123.
	URL     string
	Service *Service
	srv     *http.Server
}

// Start serves s on addr, which must be a loopback address such as
// "127.0.0.1:0" (port 0 picks a free port). Close stops it.
func (s *Service) Start(addr string) (*Server, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("demoservice: address %q: %w (use host:port, e.g. 127.0.0.1:0)", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("demoservice: refusing to listen on %q: it serves on loopback only (use 127.0.0.1:0)", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("demoservice: %w", err)
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return &Server{URL: "http://" + ln.Addr().String(), Service: s, srv: srv}, nil
}

// Close stops the server, waiting up to five seconds for requests in flight.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return s.srv.Shutdown(ctx)
}
