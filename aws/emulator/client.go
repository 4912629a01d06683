package emulator

import (
	"io"
	"net/http"
)

// PlainBodies wraps a transport so that it reads each request body only
// through Read. The SDK wraps a request body in a closer whose WriteTo
// answers io.EOF, as an error, once the SDK has closed it; the SDK closes
// it as soon as the response arrives, and Go's transport, which copied the
// body straight to the socket through WriteTo, then reads it once more to
// check for extra bytes, gets that error, and closes the connection under
// the response still being read: "failed to decode response body … use of
// closed network connection" (aws/aws-sdk-go-v2#2737). Through Read, a
// closed body is a clean EOF. On loopback it happened to about one call in
// 250. A retry (the SDK's default retryer retries the error) would hide
// it, at the price of sending the request twice. SDK clients of an
// in-process emulator in tests should use it: http.Client{Transport:
// emulator.PlainBodies(http.DefaultTransport)}.
func PlainBodies(rt http.RoundTripper) http.RoundTripper {
	return plainBodies{rt}
}

type plainBodies struct{ rt http.RoundTripper }

func (p plainBodies) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return p.rt.RoundTrip(r)
	}
	plain := *r // a RoundTripper must not change the request it is given
	plain.Body = readOnly{r.Body}
	return p.rt.RoundTrip(&plain)
}

// readOnly hides every method of a body but Read and Close.
type readOnly struct{ io.ReadCloser }
