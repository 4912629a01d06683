package aws

import (
	"context"
	"net"
	"net/http"
	"time"

	"secretlings/aws/emulator"
)

// StartEmbedded starts the embedded Secrets Manager on a free loopback port
// and returns the server (to register rotation functions with), its URL and a
// function that stops it. Rotations finish before RotateSecret answers, so the
// next call sees their result.
func StartEmbedded(region string) (srv *emulator.Server, url string, stop func(), err error) {
	srv, err = emulator.New(emulator.WithRegion(region), emulator.WithSyncRotation())
	if err != nil {
		return nil, "", nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		srv.Close()
		return nil, "", nil, err
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	stop = func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = hs.Shutdown(ctx)
		_ = srv.Close()
	}
	return srv, "http://" + ln.Addr().String(), stop, nil
}
