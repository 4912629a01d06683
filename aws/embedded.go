package aws

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"secretlings/aws/emulator"
)

// startEmbedded starts the embedded Secrets Manager on a free loopback port
// and returns its URL and a function that stops it. Rotations finish before
// RotateSecret answers, so a lesson's next step sees their result.
var startEmbedded = func(region string) (srv *emulator.Server, url string, stop func() error, err error) {
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
	stop = func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		return errors.Join(hs.Shutdown(ctx), srv.Close())
	}
	return srv, "http://" + ln.Addr().String(), stop, nil
}
