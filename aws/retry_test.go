package aws

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"secretlings/aws/emulator"
)

// closingOnce fails its first round trip as Go's transport does when it
// closes a connection under a response being read (aws-sdk-go-v2#2737).
type closingOnce struct {
	calls atomic.Int32
	next  http.RoundTripper
}

func (c *closingOnce) RoundTrip(r *http.Request) (*http.Response, error) {
	if c.calls.Add(1) == 1 {
		return nil, &net.OpError{Op: "read", Net: "tcp", Err: net.ErrClosed}
	}
	return c.next.RoundTrip(r)
}

func localClient(url string, rt http.RoundTripper) *secretsmanager.Client {
	return secretsmanager.New(secretsmanager.Options{
		BaseEndpoint: sdkaws.String(url), Region: "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
		Retryer:     LocalRetryer(), HTTPClient: &http.Client{Transport: rt},
	})
}

// A connection closed under a call is tried once more; a refused one is
// not, so a stopped server is reported at once.
func TestLocalRetryer(t *testing.T) {
	srv, err := emulator.New()
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	rt := &closingOnce{next: http.DefaultTransport}
	if _, err := localClient(ts.URL, rt).ListSecrets(context.Background(), &secretsmanager.ListSecretsInput{}); err != nil {
		t.Fatalf("a connection closed under the call is not retried: %v", err)
	}
	if n := rt.calls.Load(); n != 2 {
		t.Errorf("%d attempts, want 2", n)
	}

	var attempts atomic.Int32
	refused := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		attempts.Add(1)
		return http.DefaultTransport.RoundTrip(r)
	})
	_, err = localClient(closedPort(t), refused).ListSecrets(context.Background(), &secretsmanager.ListSecretsInput{})
	if err == nil || errors.Is(err, net.ErrClosed) {
		t.Fatalf("want a refused connection, got %v", err)
	}
	if n := attempts.Load(); n != 1 {
		t.Errorf("a refused connection was tried %d times, want 1", n)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
