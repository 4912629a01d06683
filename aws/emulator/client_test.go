package emulator

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// testHTTP is the HTTP client of the package's SDK clients: see PlainBodies.
var testHTTP = &http.Client{Transport: PlainBodies(http.DefaultTransport)}

// eofWriterTo is a body as the SDK's is after it has been closed: WriteTo
// answers io.EOF as an error, Read a clean end.
type eofWriterTo struct{ io.ReadCloser }

func (eofWriterTo) WriteTo(io.Writer) (int64, error) { return 0, io.EOF }

type seeBody struct {
	t   *testing.T
	got string
}

func (s *seeBody) RoundTrip(r *http.Request) (*http.Response, error) {
	if _, ok := r.Body.(io.WriterTo); ok {
		s.t.Error("the transport was given a body it may copy through WriteTo")
	}
	b, err := io.ReadAll(r.Body)
	if err != nil {
		s.t.Errorf("reading the body: %v", err)
	}
	s.got = string(b)
	return &http.Response{StatusCode: 200, Body: http.NoBody, Request: r}, nil
}

func TestPlainBodiesHideWriteTo(t *testing.T) {
	inner := &seeBody{t: t}
	body := eofWriterTo{io.NopCloser(strings.NewReader(`{"MaxResults":50}`))}
	req, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1:1/", body)
	if _, err := PlainBodies(inner).RoundTrip(req); err != nil {
		t.Fatal(err)
	}
	if inner.got != `{"MaxResults":50}` {
		t.Errorf("the transport read %q", inner.got)
	}
	if req.Body != body {
		t.Error("the caller's request was changed")
	}
}
