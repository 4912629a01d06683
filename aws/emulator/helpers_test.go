package emulator

import (
	"context"
	"fmt"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// testClock is a settable clock, safe for concurrent use.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock() *testClock {
	return &testClock{t: time.Date(2026, 11, 25, 10, 30, 15, 250e6, time.UTC)}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// seqIDs returns a deterministic UUID-shaped id source.
func seqIDs() func() string {
	var n atomic.Int64
	return func() string {
		return fmt.Sprintf("00000000-0000-4000-8000-%012d", n.Add(1))
	}
}

type env struct {
	srv    *Server
	client *secretsmanager.Client
	url    string
	clock  *testClock
}

// newEnv starts the emulator behind httptest with a fixed clock and ids and
// returns a real SDK client for it (region us-east-1, no retries so error
// tests are fast).
func newEnv(t *testing.T, opts ...Option) *env {
	t.Helper()
	clock := newTestClock()
	all := append([]Option{WithClock(clock.Now), WithIDs(seqIDs())}, opts...)
	srv, err := New(all...)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() {
		hs.Close()
		srv.Close()
	})
	return &env{srv: srv, client: newClient(hs.URL, "us-east-1"), url: hs.URL, clock: clock}
}

func newClient(url, region string) *secretsmanager.Client {
	return secretsmanager.New(secretsmanager.Options{
		BaseEndpoint:     aws.String(url),
		Region:           region,
		Credentials:      credentials.NewStaticCredentialsProvider("test", "test", ""),
		RetryMaxAttempts: 1, HTTPClient: testHTTP,
	})
}

var ctx = context.Background()
