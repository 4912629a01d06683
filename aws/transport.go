package aws

import (
	"net"
	"net/http"
	"time"

	"secretlings/aws/emulator"
)

// LocalHTTPClient is the HTTP client of SDK clients for a local server: a
// short dial timeout, so that a server that is not there is said at once,
// kept-alive connections, and request bodies read plainly
// (emulator.PlainBodies: see there why).
func LocalHTTPClient() *http.Client {
	return &http.Client{Transport: emulator.PlainBodies(&http.Transport{
		DialContext:         (&net.Dialer{Timeout: 2 * time.Second}).DialContext,
		MaxIdleConnsPerHost: 16,
	})}
}
