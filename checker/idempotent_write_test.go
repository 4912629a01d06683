package checker

import "testing"

// A retry that reuses the token with another value must say why it
// failed, in whatever words; a message that says nothing of it does not.
func TestSaysTokenReused(t *testing.T) {
	const token = "ns-3f2a9c1e"
	for msg, want := range map[string]bool{
		"idempotent-write: REQUEST_TOKEN ns-3f2a9c1e was already used for another value":  true,
		"PutSecretValue: ResourceExistsException: a version with this token exists":       true,
		"version ns-3f2a9c1e holds another value":                                         true,
		"error: this request token was used before for a different value":                 true,
		"level=ERROR msg=\"conflict: this token was used before with a different value\"": true,
		"idempotency conflict: a version exists with a different value; nothing written":  true,
		"":                               false,
		"idempotent-write: write failed": false,
		"error: exit status 1":           false,
	} {
		if got := saysTokenReused(msg, token); got != want {
			t.Errorf("saysTokenReused(%q) = %v, want %v", msg, got, want)
		}
	}
}
