package cache_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"

	sl "secretlings/aws"
	"secretlings/aws/cache"
	"secretlings/aws/emulator"
	"secretlings/internal/motoserver"
)

func TestMain(m *testing.M) {
	code := m.Run()
	motoserver.StopShared()
	os.Exit(code)
}

// sdkClient is the real SDK client for endpoint, with the app's local retry
// policy (a refused connection is not retried), so that a
// dead endpoint fails at once.
func sdkClient(endpoint string) *secretsmanager.Client {
	return secretsmanager.New(secretsmanager.Options{
		BaseEndpoint: aws.String(endpoint),
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		Retryer:      sl.LocalRetryer(), HTTPClient: sl.LocalHTTPClient(),
	})
}

// backends runs fn against moto_server and against the embedded emulator,
// each through the real SDK over HTTP.
func backends(t *testing.T, fn func(t *testing.T, endpoint string)) {
	t.Helper()
	t.Run("moto", func(t *testing.T) {
		fn(t, motoserver.ForTest(t).URL)
	})
	t.Run("emulator", func(t *testing.T) {
		srv, err := emulator.New()
		if err != nil {
			t.Fatal(err)
		}
		hs := httptest.NewServer(srv)
		t.Cleanup(func() {
			hs.Close()
			srv.Close()
		})
		fn(t, hs.URL)
	})
}

func uniqueName(t *testing.T, base string) string {
	t.Helper()
	return fmt.Sprintf("cache-it/%s-%d", base, time.Now().UnixNano())
}

type dbCreds struct {
	User     string `json:"user"`
	Password string `json:"password"`
}

func TestAgainstRealSDK(t *testing.T) {
	backends(t, func(t *testing.T, endpoint string) {
		ctx := context.Background()
		sm := sdkClient(endpoint)
		name := uniqueName(t, "db")
		created, err := sm.CreateSecret(ctx, &secretsmanager.CreateSecretInput{
			Name: &name, SecretString: aws.String(`{"user":"app","password":"first"}`),
		})
		if err != nil {
			t.Fatal(err)
		}
		clk := cache.NewManualClock(time.Now())
		c := cache.New(sm, cache.WithClock(clk.Now), cache.WithTTL(time.Minute), cache.WithJitter(0))

		var got dbCreds
		if err := c.GetJSON(ctx, name, &got); err != nil || got.Password != "first" {
			t.Fatalf("GetJSON = %+v, %v", got, err)
		}
		// Rotate behind the cache's back: within the TTL the old value is
		// served (the stale window the lesson shows), after it the new one.
		put, err := sm.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{
			SecretId: &name, SecretString: aws.String(`{"user":"app","password":"second"}`),
		})
		if err != nil {
			t.Fatal(err)
		}
		clk.Advance(59 * time.Second)
		if err := c.GetJSON(ctx, name, &got); err != nil || got.Password != "first" {
			t.Fatalf("within the TTL got %+v, %v; want the cached first value", got, err)
		}
		clk.Advance(time.Second)
		s, err := c.Get(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.DecodeJSON(&got); err != nil || got.Password != "second" || s.VersionID != *put.VersionId {
			t.Fatalf("after the TTL got %+v (version %s), %v; want second (version %s)", got, s.VersionID, err, *put.VersionId)
		}
		if st := c.Stats(); st.APICalls != 2 || st.Hits != 1 || st.Misses != 2 {
			t.Errorf("stats = %+v, want 2 API calls, 1 hit, 2 misses", st)
		}

		// Other selectors and spellings.
		if err := c.GetJSON(ctx, name, &got, cache.VersionStage("AWSPREVIOUS")); err != nil || got.Password != "first" {
			t.Errorf("AWSPREVIOUS = %+v, %v", got, err)
		}
		if err := c.GetJSON(ctx, name, &got, cache.VersionID(*put.VersionId)); err != nil || got.Password != "second" {
			t.Errorf("by version id = %+v, %v", got, err)
		}
		if err := c.GetJSON(ctx, *created.ARN, &got); err != nil || got.Password != "second" {
			t.Errorf("by ARN = %+v, %v", got, err)
		}

		// RefreshNow sees a rotation at once.
		if _, err := sm.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{
			SecretId: &name, SecretString: aws.String(`{"user":"app","password":"third"}`),
		}); err != nil {
			t.Fatal(err)
		}
		if err := c.RefreshNow(ctx, name); err != nil {
			t.Fatal(err)
		}
		if err := c.GetJSON(ctx, name, &got); err != nil || got.Password != "third" {
			t.Errorf("after RefreshNow = %+v, %v", got, err)
		}

		// Binary secrets.
		bin := uniqueName(t, "bin")
		if _, err := sm.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: &bin, SecretBinary: []byte{0xde, 0xad}}); err != nil {
			t.Fatal(err)
		}
		if b, err := c.GetBinary(ctx, bin); err != nil || len(b) != 2 || b[0] != 0xde {
			t.Errorf("GetBinary = %x, %v", b, err)
		}
		if _, err := c.GetString(ctx, bin); !errors.Is(err, cache.ErrNotString) {
			t.Errorf("GetString on binary = %v", err)
		}

		// A missing secret is the SDK's typed error, wrapped with the id.
		_, err = c.GetString(ctx, uniqueName(t, "missing"))
		var nf *types.ResourceNotFoundException
		if !errors.As(err, &nf) {
			t.Errorf("missing secret: %v, want ResourceNotFoundException", err)
		}
	})
}

func TestVersionCheckAgainstRealSDK(t *testing.T) {
	backends(t, func(t *testing.T, endpoint string) {
		ctx := context.Background()
		sm := sdkClient(endpoint)
		name := uniqueName(t, "vc")
		if _, err := sm.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: &name, SecretString: aws.String("one")}); err != nil {
			t.Fatal(err)
		}
		clk := cache.NewManualClock(time.Now())
		c := cache.New(sm, cache.WithClock(clk.Now), cache.WithTTL(time.Minute), cache.WithJitter(0), cache.WithVersionCheck())
		read := func(want string) {
			t.Helper()
			if got, err := c.GetString(ctx, name); err != nil || got != want {
				t.Fatalf("GetString = %q, %v; want %q", got, err, want)
			}
		}
		read("one")
		clk.Advance(time.Minute)
		read("one")
		if st := c.Stats(); st.Revalidated != 1 || st.DescribeCalls != 1 || st.APICalls != 2 {
			t.Fatalf("unchanged secret: stats %+v, want one DescribeSecret revalidation", st)
		}
		if _, err := sm.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: &name, SecretString: aws.String("two")}); err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Minute)
		read("two")
		if st := c.Stats(); st.Revalidated != 1 || st.DescribeCalls != 2 || st.APICalls != 4 {
			t.Fatalf("rotated secret: stats %+v, want DescribeSecret then GetSecretValue", st)
		}
		// Deletion with a recovery window leaves DescribeSecret answering; the
		// cache must notice DeletedDate and stop serving the value.
		if _, err := sm.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: &name, RecoveryWindowInDays: aws.Int64(7)}); err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Minute)
		if v, err := c.GetString(ctx, name); err == nil {
			t.Fatalf("a deleted secret was served: %q", v)
		}
		if c.Stats().Entries != 0 {
			t.Error("the deleted secret's entry was kept")
		}
	})
}

func TestStaleIfErrorWhenTheEndpointDies(t *testing.T) {
	srv, err := emulator.New()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	hs := httptest.NewServer(srv)
	ctx := context.Background()
	sm := sdkClient(hs.URL)
	name := uniqueName(t, "stale")
	if _, err := sm.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: &name, SecretString: aws.String("kept")}); err != nil {
		t.Fatal(err)
	}
	clk := cache.NewManualClock(time.Now())
	c := cache.New(sm, cache.WithClock(clk.Now), cache.WithTTL(time.Minute), cache.WithJitter(0), cache.WithStaleIfError(5*time.Minute))
	if _, err := c.GetString(ctx, name); err != nil {
		t.Fatal(err)
	}
	hs.Close() // the backend goes away

	clk.Advance(2 * time.Minute)
	s, err := c.Get(ctx, name)
	if err != nil {
		t.Fatalf("Get during the outage: %v, want the stale value", err)
	}
	if v, _ := s.SecretString(); !s.Stale || s.StaleCause == nil || v != "kept" {
		t.Fatalf("Get = %v (cause %v); want the kept value marked stale", s, s.StaleCause)
	}
	clk.Advance(5 * time.Minute) // past expiry + window
	if _, err := c.GetString(ctx, name); err == nil {
		t.Fatal("a value was served after the stale window closed")
	}
}
