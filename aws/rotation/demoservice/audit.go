package demoservice

import (
	"encoding/hex"
	"slices"
	"sync"
)

// MaxAccesses is how many accesses the log keeps; older ones are dropped,
// so a long-running service does not grow without end.
const MaxAccesses = 1024

// UnknownUser is Access.User for a key that belongs to nobody.
const UnknownUser = "unknown"

// Access is one request that presented an API key (or none) to
// authenticate, as the service's audit log records it. It names the key by
// its Fingerprint, never by the key itself.
type Access struct {
	// Seq numbers accesses from 1, in the order the service saw them, and
	// keeps counting when old entries are dropped: compare it to find the
	// accesses between two moments.
	Seq  uint64
	Path string
	// User is the user the key belongs to (also when it was refused), or
	// UnknownUser.
	User string
	// Key is the Fingerprint of the key presented; "" when none was.
	Key string
	// Accepted reports whether the request was let in (also when Misbehave
	// made the service name another user).
	Accepted bool
	// Refused reports that the request was turned away because of
	// RefuseKeyOnce (which it used up), RefuseKey or Misbehave with Refuse.
	Refused bool
	// Fault is how Misbehave made the service answer, if it did.
	Fault Fault
}

// Fault is a way the service can be told to misanswer the requests that
// present one key (Misbehave), as the failures a rotation's testSecret must
// not take for success.
type Fault int

// The faults Misbehave can hold.
const (
	// Refuse answers 401, as for a key that does not work.
	Refuse Fault = iota + 1
	// Unavailable answers 503, as a service that is down or overloaded.
	Unavailable
	// OtherUser answers 200 naming OtherUserName: the key works, but for
	// somebody else.
	OtherUser
)

// OtherUserName is the user the service names when Misbehave holds
// OtherUser.
const OtherUserName = "someone-else"

func (f Fault) String() string {
	switch f {
	case Refuse:
		return "401 (key refused)"
	case Unavailable:
		return "503 (service unavailable)"
	case OtherUser:
		return "200 naming another user"
	}
	return "no fault"
}

// Fingerprint names key without revealing it: "sha256:" and the first 12
// hex digits of its SHA-256 digest. Logs, the access log and Keys use it.
func Fingerprint(key string) string { return hash(key).fingerprint() }

func (d digest) fingerprint() string { return "sha256:" + hex.EncodeToString(d[:6]) }

// RefuseKeyOnce makes the service turn away the next request that presents
// key, as if the key did not work, even when it is registered; requests
// with other keys are not affected. Calling it n times refuses the next n
// such requests. It is how a test makes one rotation's new key fail
// testSecret. Authenticate is not affected.
func (s *Service) RefuseKeyOnce(key string) {
	s.amu.Lock()
	defer s.amu.Unlock()
	if s.refuse == nil {
		s.refuse = map[digest]int{}
	}
	s.refuse[hash(key)]++
}

// RefuseKey makes the service turn away every request that presents key,
// as if the key did not work, until stop is called; requests with other
// keys are not affected. A test holds it over a whole step, so a step that
// tries the key again still sees it fail. Authenticate is not affected.
func (s *Service) RefuseKey(key string) (stop func()) { return s.Misbehave(key, Refuse) }

// Misbehave makes the service answer every request that presents key as f
// says, until stop is called; requests with other keys are not affected.
// The latest fault held for a key wins. A test holds it over a step, so a
// step that tries the key again still sees the fault. Authenticate is not
// affected.
func (s *Service) Misbehave(key string, f Fault) (stop func()) {
	d := hash(key)
	h := &heldFault{f}
	s.amu.Lock()
	defer s.amu.Unlock()
	if s.held == nil {
		s.held = map[digest][]*heldFault{}
	}
	s.held[d] = append(s.held[d], h)
	var once sync.Once
	return func() {
		once.Do(func() {
			s.amu.Lock()
			defer s.amu.Unlock()
			s.held[d] = slices.DeleteFunc(s.held[d], func(x *heldFault) bool { return x == h })
			if len(s.held[d]) == 0 {
				delete(s.held, d)
			}
		})
	}
}

// heldFault is one Misbehave in force (a pointer, so stop removes its own).
type heldFault struct{ fault Fault }

// record logs one access and uses up a pending refusal of its key.
func (s *Service) record(path, key, user string, ok bool) Access {
	a := Access{Path: path, User: user, Accepted: ok}
	if !ok {
		a.User = UnknownUser
	}
	s.amu.Lock()
	defer s.amu.Unlock()
	if key != "" {
		d := hash(key)
		a.Key = d.fingerprint()
		if h := s.held[d]; len(h) > 0 {
			switch a.Fault = h[len(h)-1].fault; a.Fault {
			case Refuse:
				a.Accepted, a.Refused = false, true
			case Unavailable:
				a.Accepted = false
			}
		} else if n := s.refuse[d]; n > 0 {
			if n == 1 {
				delete(s.refuse, d)
			} else {
				s.refuse[d] = n - 1
			}
			a.Accepted, a.Refused = false, true
		}
	}
	s.seq++
	a.Seq = s.seq
	if len(s.accesses) == MaxAccesses {
		s.accesses = slices.Delete(s.accesses, 0, 1)
	}
	s.accesses = append(s.accesses, a)
	return a
}

// Accesses returns the access log, oldest first (at most MaxAccesses).
func (s *Service) Accesses() []Access {
	s.amu.Lock()
	defer s.amu.Unlock()
	return slices.Clone(s.accesses)
}

// Keys returns every registered key as Fingerprint → user, so a test can
// see which keys appeared or went away between two moments without
// handling a key.
func (s *Service) Keys() map[string]string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make(map[string]string, len(s.owner))
	for d, u := range s.owner {
		out[d.fingerprint()] = u
	}
	return out
}
