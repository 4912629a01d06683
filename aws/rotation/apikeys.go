package rotation

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
)

// KeyService is the system whose API keys the SingleUser and
// AlternatingUsers strategies rotate. *demoservice.Client satisfies it. Every
// method must be idempotent.
type KeyService interface {
	// AddKey registers key for user; registering it again is a no-op.
	AddKey(ctx context.Context, user, key string) error
	// RevokeOtherKeys revokes every key of user except those in keep.
	RevokeOtherKeys(ctx context.Context, user string, keep ...string) error
	// WhoAmI authenticates with key and returns its user.
	WhoAmI(ctx context.Context, key string) (user string, err error)
}

// APIKeySecret is the secret value the API-key strategies store, as JSON:
// {"username":"app-a","api_key":"…"}. Its String and GoString methods mask
// the key, so printing one with fmt does not leak it.
type APIKeySecret struct {
	Username string `json:"username"`
	APIKey   string `json:"api_key"`
}

// ParseAPIKeySecret decodes a secret value. The error never quotes the value.
func ParseAPIKeySecret(value string) (APIKeySecret, error) {
	var s APIKeySecret
	if err := json.Unmarshal([]byte(value), &s); err != nil || s.Username == "" || s.APIKey == "" {
		return APIKeySecret{}, fmt.Errorf(`the secret value is not the JSON {"username":"…","api_key":"…"} that API-key rotation expects: store that shape first`)
	}
	return s, nil
}

// JSON returns the value to store in Secrets Manager.
func (s APIKeySecret) JSON() string {
	b, _ := json.Marshal(s) // two strings always marshal
	return string(b)
}

// String masks the key.
func (s APIKeySecret) String() string {
	return fmt.Sprintf("{username: %s, api_key: ****}", s.Username)
}

// GoString masks the key in %#v too.
func (s APIKeySecret) GoString() string { return "rotation.APIKeySecret" + s.String() }

// NewAPIKey returns a fresh random API key: "sk_" and 43 URL-safe
// characters (256 bits from crypto/rand).
func NewAPIKey() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return "sk_" + base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// apiKeySteps holds what both strategies share.
type apiKeySteps struct {
	service KeyService
	newKey  func() (string, error)
}

func (a apiKeySteps) key() (string, error) {
	if a.newKey != nil {
		return a.newKey()
	}
	return NewAPIKey()
}

func (a apiKeySteps) check() error {
	if a.service == nil {
		return fmt.Errorf("the API-key strategy has no Service: set it to the KeyService whose keys it rotates")
	}
	return nil
}

// create stores {username: nextUser(current), api_key: new} as the pending
// version, unless it exists.
func (a apiKeySteps) create(ctx context.Context, s *Step, nextUser func(string) (string, error)) error {
	return s.CreatePendingIfAbsent(ctx, func(current string) (string, error) {
		cur, err := ParseAPIKeySecret(current)
		if err != nil {
			return "", fmt.Errorf("AWSCURRENT: %w", err)
		}
		user, err := nextUser(cur.Username)
		if err != nil {
			return "", err
		}
		key, err := a.key()
		if err != nil {
			return "", fmt.Errorf("making a new API key: %w", err)
		}
		return APIKeySecret{Username: user, APIKey: key}.JSON(), nil
	})
}

// pair reads and parses the current and pending values.
func pair(ctx context.Context, s *Step) (cur, pending APIKeySecret, err error) {
	cv, err := s.CurrentValue(ctx)
	if err != nil {
		return cur, pending, err
	}
	if cur, err = ParseAPIKeySecret(cv); err != nil {
		return cur, pending, fmt.Errorf("AWSCURRENT: %w", err)
	}
	pv, ok, err := s.PendingValue(ctx)
	if err != nil {
		return cur, pending, err
	}
	if !ok {
		return cur, pending, fmt.Errorf("version %s has no value yet: createSecret must store it before %s", s.Token(), s.Event.Step)
	}
	if pending, err = ParseAPIKeySecret(pv); err != nil {
		return cur, pending, fmt.Errorf("AWSPENDING: %w", err)
	}
	return cur, pending, nil
}

// test proves the pending key authenticates as its user.
func (a apiKeySteps) test(ctx context.Context, s *Step) error {
	if err := a.check(); err != nil {
		return err
	}
	_, pending, err := pair(ctx, s)
	if err != nil {
		return err
	}
	user, err := a.service.WhoAmI(ctx, pending.APIKey)
	if err != nil {
		return fmt.Errorf("the service rejected the pending key of user %s: %w", pending.Username, err)
	}
	if user != pending.Username {
		return fmt.Errorf("the pending key authenticates as user %s, not %s: it was registered to the wrong user", user, pending.Username)
	}
	return nil
}

// SingleUser rotates the key of one user: setSecret registers the new key
// beside the old one, testSecret logs in with it, and finishSecret makes it
// AWSCURRENT and then revokes every other key of the user, so the old key
// stops working once the rotation finishes. Clients holding the old key
// fail until they read the new one: the usual single-user trade-off.
type SingleUser struct {
	// Service is where the keys are registered.
	Service KeyService
	// NewKey makes a key; nil means NewAPIKey.
	NewKey func() (string, error)
}

func (h SingleUser) steps() apiKeySteps { return apiKeySteps{service: h.Service, newKey: h.NewKey} }

// CreateSecret stores the same user with a new key as the pending version.
func (h SingleUser) CreateSecret(ctx context.Context, s *Step) error {
	return h.steps().create(ctx, s, func(u string) (string, error) { return u, nil })
}

// SetSecret registers the pending key, and revokes any key of the user that
// is neither current nor pending (left over if an earlier finishSecret
// stopped before its revocation).
func (h SingleUser) SetSecret(ctx context.Context, s *Step) error {
	if err := h.steps().check(); err != nil {
		return err
	}
	cur, pending, err := pair(ctx, s)
	if err != nil {
		return err
	}
	if cur.Username != pending.Username {
		return fmt.Errorf("single-user rotation: the pending user %s differs from the current user %s; use AlternatingUsers for two users", pending.Username, cur.Username)
	}
	if err := h.Service.AddKey(ctx, pending.Username, pending.APIKey); err != nil {
		return fmt.Errorf("registering the pending key of user %s: %w", pending.Username, err)
	}
	if err := h.Service.RevokeOtherKeys(ctx, pending.Username, cur.APIKey, pending.APIKey); err != nil {
		return fmt.Errorf("revoking stale keys of user %s: %w", pending.Username, err)
	}
	return nil
}

// TestSecret authenticates with the pending key.
func (h SingleUser) TestSecret(ctx context.Context, s *Step) error { return h.steps().test(ctx, s) }

// FinishSecret promotes the pending version, then revokes the user's old key.
func (h SingleUser) FinishSecret(ctx context.Context, s *Step) error {
	if err := h.steps().check(); err != nil {
		return err
	}
	_, pending, err := pair(ctx, s)
	if err != nil {
		return err
	}
	if _, err := s.PromotePending(ctx); err != nil {
		return err
	}
	if err := h.Service.RevokeOtherKeys(ctx, pending.Username, pending.APIKey); err != nil {
		return fmt.Errorf("the new key is current, but revoking the old key of user %s failed (the next rotation's setSecret revokes it): %w", pending.Username, err)
	}
	return nil
}

// AlternatingUsers rotates between two users of the service: each rotation
// gives the idle user a new key and makes it AWSCURRENT, so the key that was
// current keeps working until the next rotation replaces it. Clients never
// hold a key that stops working while they use it.
type AlternatingUsers struct {
	// Service is where the keys are registered.
	Service KeyService
	// Users are the two users to alternate between. When both are empty,
	// the other user is the current one plus "_clone", or without it, as
	// AWS's alternating-users templates name them.
	Users [2]string
	// NewKey makes a key; nil means NewAPIKey.
	NewKey func() (string, error)
}

func (h AlternatingUsers) steps() apiKeySteps {
	return apiKeySteps{service: h.Service, newKey: h.NewKey}
}

// other returns the user that takes over from current.
func (h AlternatingUsers) other(current string) (string, error) {
	if h.Users == [2]string{} {
		if base, ok := strings.CutSuffix(current, "_clone"); ok {
			return base, nil
		}
		return current + "_clone", nil
	}
	switch current {
	case h.Users[0]:
		return h.Users[1], nil
	case h.Users[1]:
		return h.Users[0], nil
	}
	return "", fmt.Errorf("alternating-users rotation: the current user %s is neither %s nor %s (fix the secret's username or the Users setting)", current, h.Users[0], h.Users[1])
}

// CreateSecret stores the other user with a new key as the pending version.
func (h AlternatingUsers) CreateSecret(ctx context.Context, s *Step) error {
	return h.steps().create(ctx, s, h.other)
}

// SetSecret sets the idle user's key: it registers the pending key and
// revokes that user's older keys (the ones current two rotations ago). The
// current user's key is untouched.
func (h AlternatingUsers) SetSecret(ctx context.Context, s *Step) error {
	if err := h.steps().check(); err != nil {
		return err
	}
	cur, pending, err := pair(ctx, s)
	if err != nil {
		return err
	}
	if cur.Username == pending.Username {
		return fmt.Errorf("alternating-users rotation: the pending user is the current user %s, so setting its key would cut off current clients", cur.Username)
	}
	if err := h.Service.AddKey(ctx, pending.Username, pending.APIKey); err != nil {
		return fmt.Errorf("registering the pending key of user %s: %w", pending.Username, err)
	}
	if err := h.Service.RevokeOtherKeys(ctx, pending.Username, pending.APIKey); err != nil {
		return fmt.Errorf("revoking the old keys of user %s: %w", pending.Username, err)
	}
	return nil
}

// TestSecret authenticates with the pending key.
func (h AlternatingUsers) TestSecret(ctx context.Context, s *Step) error {
	return h.steps().test(ctx, s)
}

// FinishSecret promotes the pending version; the previous user's key stays
// valid.
func (h AlternatingUsers) FinishSecret(ctx context.Context, s *Step) error {
	_, err := s.PromotePending(ctx)
	return err
}
