package demoservice_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"secretlings/aws/rotation/demoservice"
)

// The access log records each authentication: the path, whose key it was
// (or "unknown"), whether it was let in, and the key's fingerprint only.
func TestAccessesRecordWhichKey(t *testing.T) {
	srv, c := start(t)
	ctx := context.Background()
	const good, stranger = "sk_good_key_0123456789", "sk_nobody_0123456789"
	if err := srv.Service.AddKey("app", good); err != nil {
		t.Fatal(err)
	}
	_, _ = c.WhoAmI(ctx, good)
	_, _ = c.WhoAmI(ctx, stranger)
	_, _ = c.WhoAmI(ctx, "")
	_ = c.AddKey(ctx, "app", "sk_added_by_admin_0123") // admin calls present no API key
	want := []demoservice.Access{
		{Seq: 1, Path: "/whoami", User: "app", Key: demoservice.Fingerprint(good), Accepted: true},
		{Seq: 2, Path: "/whoami", User: demoservice.UnknownUser, Key: demoservice.Fingerprint(stranger)},
		{Seq: 3, Path: "/whoami", User: demoservice.UnknownUser},
	}
	if got := srv.Service.Accesses(); !slices.Equal(got, want) {
		t.Fatalf("Accesses() =\n%+v\nwant\n%+v", got, want)
	}
	if a := fmt.Sprintf("%+v", srv.Service.Accesses()); strings.Contains(a, "good_key") || strings.Contains(a, "nobody") {
		t.Fatalf("the access log holds a key: %s", a)
	}
}

// Fingerprints tell keys apart without revealing them.
func TestFingerprint(t *testing.T) {
	a, b := demoservice.Fingerprint("sk_key_a_0123456789"), demoservice.Fingerprint("sk_key_b_0123456789")
	if a == b || a != demoservice.Fingerprint("sk_key_a_0123456789") {
		t.Fatalf("fingerprints %q, %q: want stable and distinct", a, b)
	}
	if !strings.HasPrefix(a, "sha256:") || len(a) != len("sha256:")+12 || strings.Contains(a, "key_a") {
		t.Fatalf("fingerprint %q", a)
	}
}

const oldKey, newKey = "sk_old_key_0123456789", "sk_new_key_0123456789"

// startWithTwoKeys starts a service where user app has oldKey and newKey,
// as during a rotation.
func startWithTwoKeys(t *testing.T) (*demoservice.Server, *demoservice.Client) {
	t.Helper()
	srv, c := start(t)
	for _, k := range []string{oldKey, newKey} {
		if err := srv.Service.AddKey("app", k); err != nil {
			t.Fatal(err)
		}
	}
	return srv, c
}

// RefuseKeyOnce turns away the next request with that key only: other keys
// are let in meanwhile, and the key works again afterwards.
func TestRefuseKeyOnce(t *testing.T) {
	srv, c := startWithTwoKeys(t)
	ctx := context.Background()
	srv.Service.RefuseKeyOnce(newKey)
	if u, err := c.WhoAmI(ctx, oldKey); err != nil || u != "app" {
		t.Fatalf("another key while the new one is to be refused: %q, %v", u, err)
	}
	if _, err := c.WhoAmI(ctx, newKey); !errors.Is(err, demoservice.ErrUnauthorized) {
		t.Fatalf("the refused key: %v, want ErrUnauthorized", err)
	}
	if u, ok := srv.Service.Authenticate(newKey); !ok || u != "app" {
		t.Fatal("RefuseKeyOnce unregistered the key")
	}
	if u, err := c.WhoAmI(ctx, newKey); err != nil || u != "app" {
		t.Fatalf("the key after its one refusal: %q, %v", u, err)
	}
	log := srv.Service.Accesses()
	refused := log[1]
	if !refused.Refused || refused.Accepted || refused.Key != demoservice.Fingerprint(newKey) || refused.User != "app" {
		t.Fatalf("the refused access is recorded as %+v", refused)
	}
	if log[0].Refused || log[2].Refused || !log[2].Accepted {
		t.Fatalf("accesses around the refusal: %+v", log)
	}
}

// RefuseKey turns the key away until stopped, with the answer an unknown
// key gets, so a handler cannot tell the test's refusal from a broken key.
func TestRefuseKey(t *testing.T) {
	srv, c := startWithTwoKeys(t)
	ctx := context.Background()
	body := func(key string) string {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/whoami", nil)
		req.Header.Set("X-Api-Key", key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return fmt.Sprintf("%d %s", resp.StatusCode, b)
	}
	unknown := body("sk_nobody_0123456789")
	stop := srv.Service.RefuseKey(newKey)
	for range 3 {
		if got := body(newKey); got != unknown {
			t.Fatalf("a refused key gets %q; an unknown key gets %q", got, unknown)
		}
	}
	if u, err := c.WhoAmI(ctx, oldKey); err != nil || u != "app" {
		t.Fatalf("another key while the new one is refused: %q, %v", u, err)
	}
	stop()
	stop() // a second stop is a no-op
	if u, err := c.WhoAmI(ctx, newKey); err != nil || u != "app" {
		t.Fatalf("the key after stop: %q, %v", u, err)
	}
	n := 0
	for _, a := range srv.Service.Accesses() {
		if a.Refused {
			n++
		}
	}
	if n != 3 {
		t.Fatalf("%d accesses recorded as refused, want 3", n)
	}
}

// Keys lists the registered keys by fingerprint, with their users.
func TestKeys(t *testing.T) {
	svc := demoservice.New(admin)
	_ = svc.AddKey("app", "sk_app_key_0123456789")
	_ = svc.AddKey("other", "sk_other_key_0123456789")
	want := map[string]string{
		demoservice.Fingerprint("sk_app_key_0123456789"):   "app",
		demoservice.Fingerprint("sk_other_key_0123456789"): "other",
	}
	got := svc.Keys()
	if len(got) != len(want) || got[demoservice.Fingerprint("sk_app_key_0123456789")] != "app" ||
		got[demoservice.Fingerprint("sk_other_key_0123456789")] != "other" {
		t.Fatalf("Keys() = %v, want %v", got, want)
	}
	svc.RevokeOtherKeys("app")
	if _, ok := svc.Keys()[demoservice.Fingerprint("sk_app_key_0123456789")]; ok {
		t.Fatal("a revoked key is still listed")
	}
}

// The log keeps the last MaxAccesses entries and keeps numbering them.
func TestAccessesAreBounded(t *testing.T) {
	svc := demoservice.New(admin)
	for range demoservice.MaxAccesses + 5 {
		svc.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/whoami", nil))
	}
	log := svc.Accesses()
	if len(log) != demoservice.MaxAccesses || log[0].Seq != 6 || log[len(log)-1].Seq != demoservice.MaxAccesses+5 {
		t.Fatalf("%d entries, seq %d…%d", len(log), log[0].Seq, log[len(log)-1].Seq)
	}
}

// Misbehave answers one key's requests with the fault held (a 503, or
// another user's name), records it, and stops when told; other keys and
// Authenticate are not affected.
func TestMisbehave(t *testing.T) {
	srv, c := startWithTwoKeys(t)
	ctx := context.Background()
	stop := srv.Service.Misbehave(newKey, demoservice.Unavailable)
	if _, err := c.WhoAmI(ctx, newKey); err == nil || !strings.Contains(err.Error(), "HTTP 503") {
		t.Fatalf("an unavailable key: %v, want HTTP 503", err)
	}
	if u, err := c.WhoAmI(ctx, oldKey); err != nil || u != "app" {
		t.Fatalf("another key meanwhile: %q, %v", u, err)
	}
	stopOther := srv.Service.Misbehave(newKey, demoservice.OtherUser)
	if u, err := c.WhoAmI(ctx, newKey); err != nil || u != demoservice.OtherUserName {
		t.Fatalf("the latest fault held: %q, %v, want %q", u, err, demoservice.OtherUserName)
	}
	stopOther()
	if _, err := c.WhoAmI(ctx, newKey); err == nil {
		t.Fatal("the earlier fault ended with the later one")
	}
	stop()
	stop()
	if u, err := c.WhoAmI(ctx, newKey); err != nil || u != "app" {
		t.Fatalf("the key after stop: %q, %v", u, err)
	}
	if u, ok := srv.Service.Authenticate(newKey); !ok || u != "app" {
		t.Fatal("Misbehave changed Authenticate")
	}
	var faults []demoservice.Fault
	for _, a := range srv.Service.Accesses() {
		faults = append(faults, a.Fault)
		if a.Fault == demoservice.OtherUser && (!a.Accepted || a.Refused) {
			t.Errorf("an answer for another user is recorded as %+v", a)
		}
		if a.Fault == demoservice.Unavailable && (a.Accepted || a.Refused) {
			t.Errorf("an unavailable answer is recorded as %+v", a)
		}
	}
	want := []demoservice.Fault{demoservice.Unavailable, 0, demoservice.OtherUser, demoservice.Unavailable, 0}
	if !slices.Equal(faults, want) {
		t.Fatalf("faults recorded %v, want %v", faults, want)
	}
}

// The key log has every key that came or went, also one revoked and
// registered again within a moment, and nothing for calls that changed
// nothing.
func TestKeyEvents(t *testing.T) {
	svc := demoservice.New(admin)
	const a, b = "sk_key_a_0123456789", "sk_key_b_0123456789"
	_ = svc.AddKey("app", a)
	_ = svc.AddKey("app", a) // no change
	_ = svc.AddKey("app", b)
	svc.RevokeOtherKeys("app")
	_ = svc.AddKey("app", b)
	svc.RevokeKey(a) // unknown by now: no change
	fa, fb := demoservice.Fingerprint(a), demoservice.Fingerprint(b)
	got := svc.KeyEvents()
	// RevokeOtherKeys walks a map: its two revocations come in any order.
	slices.SortFunc(got[2:4], func(x, y demoservice.KeyEvent) int { return strings.Compare(x.Key, y.Key) })
	revoked := []demoservice.KeyEvent{{Key: fa, User: "app"}, {Key: fb, User: "app"}}
	slices.SortFunc(revoked, func(x, y demoservice.KeyEvent) int { return strings.Compare(x.Key, y.Key) })
	want := []demoservice.KeyEvent{
		{Seq: 1, Added: true, Key: fa, User: "app"},
		{Seq: 2, Added: true, Key: fb, User: "app"},
		revoked[0], revoked[1],
		{Seq: 5, Added: true, Key: fb, User: "app"},
	}
	for i := range got {
		if i == 2 || i == 3 {
			got[i].Seq = 0
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("KeyEvents() =\n%+v\nwant\n%+v", got, want)
	}
	if s := fmt.Sprintf("%+v", got); strings.Contains(s, "key_a") {
		t.Fatalf("the key log holds a key: %s", s)
	}
}
