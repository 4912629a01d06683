package demoservice_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"secretlings/aws/rotation/demoservice"
)

const admin = "admin-token-0123"

func start(t *testing.T, opts ...demoservice.Option) (*demoservice.Server, *demoservice.Client) {
	t.Helper()
	srv, err := demoservice.New(admin, opts...).Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv, &demoservice.Client{BaseURL: srv.URL, AdminToken: admin}
}

func TestWhoAmI(t *testing.T) {
	srv, c := start(t)
	const key = "key-of-app-a-0123456789"
	if err := srv.Service.AddKey("app-a", key); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, key, wantUser string
		wantErr             error
	}{
		{"registered key", key, "app-a", nil},
		{"unknown key", "key-of-nobody-0123456789", "", demoservice.ErrUnauthorized},
		{"no key", "", "", demoservice.ErrUnauthorized},
		{"prefix of a key", key[:len(key)-1], "", demoservice.ErrUnauthorized},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			user, err := c.WhoAmI(context.Background(), tc.key)
			if !errors.Is(err, tc.wantErr) || user != tc.wantUser {
				t.Fatalf("WhoAmI = %q, %v; want %q, %v", user, err, tc.wantUser, tc.wantErr)
			}
		})
	}
}

func TestAdminNeedsToken(t *testing.T) {
	srv, _ := start(t)
	for _, auth := range []string{"", admin, "Bearer ", "Bearer wrong-token", "bearer " + admin, "Bearer " + admin + "x"} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/admin/users/app-a", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("Authorization %q: status %d, want 401", auth, resp.StatusCode)
		}
	}
	if _, err := (&demoservice.Client{BaseURL: srv.URL, AdminToken: "nope"}).KeyCount(context.Background(), "app-a"); !errors.Is(err, demoservice.ErrUnauthorized) {
		t.Fatalf("KeyCount with a wrong token: %v, want ErrUnauthorized", err)
	}
	// An empty admin token disables the admin API rather than accepting "".
	empty, err := demoservice.New("").Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer empty.Close()
	if err := (&demoservice.Client{BaseURL: empty.URL}).AddKey(context.Background(), "u", "0123456789abcdef"); !errors.Is(err, demoservice.ErrUnauthorized) {
		t.Fatalf("AddKey with an empty admin token: %v, want ErrUnauthorized", err)
	}
}

func TestKeyLifecycle(t *testing.T) {
	ctx := context.Background()
	_, c := start(t)
	k1, k2, k3 := "key-one-0123456789", "key-two-0123456789", "key-three-012345678"
	for _, k := range []string{k1, k2, k2} { // the repeat is a no-op
		if err := c.AddKey(ctx, "app", k); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.AddKey(ctx, "other", k3); err != nil {
		t.Fatal(err)
	}
	if n, _ := c.KeyCount(ctx, "app"); n != 2 {
		t.Fatalf("app has %d keys, want 2", n)
	}
	if err := c.AddKey(ctx, "other", k1); !errors.Is(err, demoservice.ErrKeyInUse) {
		t.Fatalf("registering app's key for other: %v, want ErrKeyInUse", err)
	}
	for _, bad := range []struct{ user, key string }{{"", k1}, {"has space", "key-x-0123456789ab"}, {"app", "short"}, {"app", strings.Repeat("k", 257)}} {
		if err := c.AddKey(ctx, bad.user, bad.key); err == nil || strings.Contains(err.Error(), bad.key) {
			t.Errorf("AddKey(%q, len %d) = %v: want a 400 that does not quote the key", bad.user, len(bad.key), err)
		}
	}
	if err := c.RevokeOtherKeys(ctx, "app", k2); err != nil {
		t.Fatal(err)
	}
	if _, err := c.WhoAmI(ctx, k1); !errors.Is(err, demoservice.ErrUnauthorized) {
		t.Fatal("k1 still works after RevokeOtherKeys(keep k2)")
	}
	if u, err := c.WhoAmI(ctx, k2); err != nil || u != "app" {
		t.Fatalf("k2: %q, %v", u, err)
	}
	if u, err := c.WhoAmI(ctx, k3); err != nil || u != "other" {
		t.Fatalf("another user's key was revoked: %q, %v", u, err)
	}
	for range 2 { // revoking twice is fine
		if err := c.RevokeKey(ctx, k2); err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := c.KeyCount(ctx, "app"); n != 0 {
		t.Fatalf("app has %d keys after revoking all, want 0", n)
	}
	if err := c.RevokeOtherKeys(ctx, "other"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.WhoAmI(ctx, k3); !errors.Is(err, demoservice.ErrUnauthorized) {
		t.Fatal("RevokeOtherKeys with nothing kept left a key")
	}
}

func TestStartLoopbackOnly(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:0", "example.com:80", "no-port"} {
		if srv, err := demoservice.New(admin).Start(addr); err == nil {
			srv.Close()
			t.Errorf("Start(%q) succeeded; want a loopback-only refusal", addr)
		}
	}
}

// TestKeysNeverLogged drives every endpoint, including malformed bodies that
// carry a key, and checks the key shows up in neither the log nor a response.
func TestKeysNeverLogged(t *testing.T) {
	var logs bytes.Buffer
	srv, c := start(t, demoservice.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	ctx := context.Background()
	const key = "sk_SUPERSECRET_0123456789"
	_ = c.AddKey(ctx, "app", key)
	_, _ = c.WhoAmI(ctx, key)
	_, _ = c.WhoAmI(ctx, key+"x")
	_ = c.RevokeOtherKeys(ctx, "app", key)
	_ = c.RevokeKey(ctx, key)
	var bodies bytes.Buffer
	for _, body := range []string{`{"user":"app","key":"` + key + `",}`, `{"usr":"app","key":"` + key + `"}`, key} {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/admin/keys", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+admin)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("body %d: status %d, want 400", len(body), resp.StatusCode)
		}
		bodies.Write(b)
	}
	if !strings.Contains(logs.String(), "user=app") {
		t.Fatalf("the log has no user lines, so the check below proves nothing:\n%s", logs.String())
	}
	if strings.Contains(logs.String(), "SUPERSECRET") || strings.Contains(bodies.String(), "SUPERSECRET") {
		t.Fatalf("a key leaked:\nlog: %s\nresponses: %s", logs.String(), bodies.String())
	}
}
