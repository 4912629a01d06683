package demoservice

import "slices"

// MaxKeyEvents is how many key events the log keeps; older ones are
// dropped.
const MaxKeyEvents = 1024

// KeyEvent is one change to the service's keys: a key registered (that was
// not registered before) or revoked (that was registered). Registering a
// key again, or revoking an unknown one, changes nothing and logs nothing.
// It names the key by its Fingerprint, never by the key itself.
type KeyEvent struct {
	// Seq numbers events from 1 in the order they happened, and keeps
	// counting when old ones are dropped: compare it to find the events
	// between two moments.
	Seq uint64
	// Added is true for a key registered, false for one revoked.
	Added bool
	Key   string // Fingerprint
	User  string
}

// logKey records a key event; the caller holds mu.
func (s *Service) logKey(added bool, d digest, user string) {
	s.keySeq++
	if len(s.keyEvents) == MaxKeyEvents {
		s.keyEvents = slices.Delete(s.keyEvents, 0, 1)
	}
	s.keyEvents = append(s.keyEvents, KeyEvent{Seq: s.keySeq, Added: added, Key: d.fingerprint(), User: user})
}

// KeyEvents returns the key log, oldest first (at most MaxKeyEvents), so a
// test sees every key a step registered or revoked, also one it revoked
// and registered again, which a comparison of Keys before and after the
// step cannot see.
func (s *Service) KeyEvents() []KeyEvent {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return slices.Clone(s.keyEvents)
}
