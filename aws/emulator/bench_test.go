package emulator

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"secretlings/internal/motoserver"
)

// discardWriter is a reusable http.ResponseWriter for handler benchmarks.
type discardWriter struct {
	h    http.Header
	code int
	n    int
}

func (w *discardWriter) Header() http.Header { return w.h }
func (w *discardWriter) WriteHeader(c int)   { w.code = c }
func (w *discardWriter) Write(b []byte) (int, error) {
	w.n += len(b)
	return len(b), nil
}

// BenchmarkHandlerGetSecretValue is one GetSecretValue through ServeHTTP,
// no network: the emulator's own cost per request.
func BenchmarkHandlerGetSecretValue(b *testing.B) {
	srv, _ := New()
	defer srv.Close()
	st := srv.store("123456789012", "us-east-1")
	if _, err := st.CreateSecret(ctx, &CreateSecretInput{Name: sp("bench/db"), ClientRequestToken: sp(tok("v1")),
		SecretString: sp(`{"username":"app","password":"correct-horse-battery-staple"}`)}); err != nil {
		b.Fatal(err)
	}
	body := []byte(`{"SecretId":"bench/db"}`)
	req := httptest.NewRequest("POST", "/", nil)
	req.Header.Set("X-Amz-Target", "secretsmanager.GetSecretValue")
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20261125/us-east-1/secretsmanager/aws4_request, SignedHeaders=host, Signature=00")
	w := &discardWriter{h: http.Header{}}
	rd := bytes.NewReader(body)
	rc := io.NopCloser(rd)
	b.ReportAllocs()
	for b.Loop() {
		rd.Reset(body)
		req.Body = rc
		clear(w.h)
		srv.ServeHTTP(w, req)
	}
	if w.code != 200 {
		b.Fatalf("status %d", w.code)
	}
}

// The loopback benchmarks: 8 concurrent callers with the official SDK
// client against a server on 127.0.0.1, reported as ops/s.

func benchSDKGet(b *testing.B, url, secretID string) {
	b.Helper()
	c := sdkClient(url)
	in := &secretsmanager.GetSecretValueInput{SecretId: aws.String(secretID)}
	if _, err := c.GetSecretValue(ctx, in); err != nil {
		b.Fatal(err)
	}
	procs := runtime.GOMAXPROCS(0)
	b.SetParallelism((8 + procs - 1) / procs) // 8 callers on this 2-core machine
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := c.GetSecretValue(ctx, in); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "ops/s")
}

func sdkClient(url string) *secretsmanager.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	return secretsmanager.New(secretsmanager.Options{BaseEndpoint: aws.String(url), Region: "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""), HTTPClient: &http.Client{Transport: tr}})
}

// burst runs 8 concurrent callers making n calls each and returns the time.
func burst(b *testing.B, c *secretsmanager.Client, in *secretsmanager.GetSecretValueInput, n int) time.Duration {
	var wg sync.WaitGroup
	start := time.Now()
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range n {
				if _, err := c.GetSecretValue(ctx, in); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	return time.Since(start)
}

// BenchmarkLoopbackRatio measures the canned server and the emulator in
// alternating bursts within one run, so load from other processes on the
// machine hits both alike; it reports both rates and the emulator's share
// of the canned ceiling (target: at least 80%).
func BenchmarkLoopbackRatio(b *testing.B) {
	canned := sdkClient(loopbackServer(b, cannedHandler()))
	srv, _ := New()
	defer srv.Close()
	seedBench(srv)
	emu := sdkClient(loopbackServer(b, srv))
	in := &secretsmanager.GetSecretValueInput{SecretId: aws.String("bench/db")}
	burst(b, canned, in, 20)
	burst(b, emu, in, 20)
	const per = 25
	var tc, te time.Duration
	calls := 0
	for b.Loop() {
		tc += burst(b, canned, in, per)
		te += burst(b, emu, in, per)
		calls += 8 * per
	}
	b.ReportMetric(float64(calls)/tc.Seconds(), "canned-ops/s")
	b.ReportMetric(float64(calls)/te.Seconds(), "emulator-ops/s")
	b.ReportMetric(100*tc.Seconds()/te.Seconds(), "emulator-%-of-canned")
}

func seedBench(srv *Server) {
	srv.store("123456789012", "us-east-1").CreateSecret(ctx, &CreateSecretInput{Name: sp("bench/db"), ClientRequestToken: sp(tok("v1")),
		SecretString: sp(`{"username":"app","password":"correct-horse-battery-staple"}`)})
}

func cannedHandler() http.Handler {
	resp := []byte(`{"ARN":"arn:aws:secretsmanager:us-east-1:123456789012:secret:bench/db-AbCdEf","Name":"bench/db","VersionId":"00000000-0000-4000-8000-000000000001","SecretString":"{\"username\":\"app\",\"password\":\"correct-horse-battery-staple\"}","VersionStages":["AWSCURRENT"],"CreatedDate":1795602615.25}`)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("X-Amzn-Requestid", "00000000-0000-4000-8000-000000000000")
		w.Write(resp)
	})
}

func loopbackServer(b *testing.B, h http.Handler) string {
	b.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	hs := &http.Server{Handler: h}
	go hs.Serve(ln)
	b.Cleanup(func() { hs.Close() })
	return "http://" + ln.Addr().String()
}

// BenchmarkLoopbackCanned is the ceiling: a server that answers every
// request with the same prepared GetSecretValue response.
func BenchmarkLoopbackCanned(b *testing.B) {
	benchSDKGet(b, loopbackServer(b, cannedHandler()), "bench/db")
}

// BenchmarkLoopbackEmulator is the emulator behind net/http on loopback.
func BenchmarkLoopbackEmulator(b *testing.B) {
	srv, _ := New()
	defer srv.Close()
	seedBench(srv)
	benchSDKGet(b, loopbackServer(b, srv), "bench/db")
}

// BenchmarkLoopbackMoto is moto_server, when installed.
func BenchmarkLoopbackMoto(b *testing.B) {
	m := motoserver.ForTest(b)
	c := newClient(m.URL, "us-east-1")
	name := fmt.Sprintf("bench-%d", time.Now().UnixNano())
	if _, err := c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: &name, SecretString: aws.String(`{"username":"app"}`)}); err != nil {
		b.Fatal(err)
	}
	benchSDKGet(b, m.URL, name)
}

// BenchmarkMemory10kSecrets3Versions reports the heap that 10,000 secrets
// with 3 versions each occupy (target: under 64 MiB).
func BenchmarkMemory10kSecrets3Versions(b *testing.B) {
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		srv, _ := New(WithIDs(seqIDs()))
		st := srv.store("123456789012", "us-east-1")
		for i := range 10000 {
			name := fmt.Sprintf("app/service-%05d/database-credentials", i)
			st.CreateSecret(ctx, &CreateSecretInput{Name: &name, ClientRequestToken: sp(fmt.Sprintf("%032d", i*3)),
				SecretString: sp(`{"username":"app","password":"correct-horse-battery-staple","host":"db.internal"}`),
				Description:  sp("database credentials"), Tags: []Tag{{Key: sp("team"), Value: sp("payments")}}})
			for v := 1; v < 3; v++ {
				st.PutSecretValue(ctx, &PutSecretValueInput{SecretId: &name, ClientRequestToken: sp(fmt.Sprintf("%032d", i*3+v)),
					SecretString: sp(fmt.Sprintf(`{"username":"app","password":"rotated-%d-%d","host":"db.internal"}`, i, v))})
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MiB")
		runtime.KeepAlive(srv)
	}
}
