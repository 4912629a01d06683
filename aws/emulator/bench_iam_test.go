package emulator

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// The enforcement benchmarks compare GetSecretValue as the root (no policy
// work) with role/app reading a secret that has a resource policy: SigV4
// verification, identity and resource policy evaluation (parsed policies
// come from the cache). Target: the cast member at most 15% slower.

const benchPolicy = `{"Version":"2012-10-17","Statement":[` +
	`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/app"},"Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"StringEquals":{"secretsmanager:VersionStage":"AWSCURRENT"}}},` +
	`{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::123456789012:user/intern"},"Action":"*","Resource":"*"}]}`

func seedIAMBench(b *testing.B, srv *Server) {
	st := srv.store(DefaultAccountID, "us-east-1")
	if _, err := st.CreateSecret(ctx, &CreateSecretInput{Name: sp("prod/db"), ClientRequestToken: sp(tok("v1")),
		SecretString: sp(`{"username":"app","password":"correct-horse-battery-staple"}`)}); err != nil {
		b.Fatal(err)
	}
	if _, err := st.PutResourcePolicy(ctx, &PutResourcePolicyInput{SecretId: sp("prod/db"), ResourcePolicy: sp(benchPolicy)}); err != nil {
		b.Fatal(err)
	}
}

// signedRequest is a GetSecretValue request signed once with akid/secret.
func signedRequest(b *testing.B, akid, secret string, body []byte) *http.Request {
	req := httptest.NewRequest("POST", "http://127.0.0.1/", nil)
	req.Header.Set("X-Amz-Target", "secretsmanager.GetSecretValue")
	req.Header.Set("Content-Type", contentType)
	sum := sha256.Sum256(body)
	err := v4.NewSigner().SignHTTP(ctx, aws.Credentials{AccessKeyID: akid, SecretAccessKey: secret}, req,
		hex.EncodeToString(sum[:]), "secretsmanager", "us-east-1", time.Now())
	if err != nil {
		b.Fatal(err)
	}
	return req
}

func BenchmarkGetSecretValue(b *testing.B) {
	app, _ := CastMemberNamed("app")
	for _, tc := range []struct{ name, akid, secret string }{
		{"root", "test", "test"},
		{"cast-member-with-resource-policy", app.AccessKeyID, app.SecretAccessKey},
	} {
		b.Run(tc.name, func(b *testing.B) {
			srv, _ := New()
			defer srv.Close()
			seedIAMBench(b, srv)
			body := []byte(`{"SecretId":"prod/db"}`)
			req := signedRequest(b, tc.akid, tc.secret, body)
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
		})
	}
}

// BenchmarkLoopbackIAMRatio is the throughput question over HTTP with the
// SDK: 8 callers as root and as role/app in alternating bursts (so load
// from elsewhere hits both alike); it reports both rates and app's share.
func BenchmarkLoopbackIAMRatio(b *testing.B) {
	srv, _ := New()
	defer srv.Close()
	seedIAMBench(b, srv)
	url := loopbackServer(b, srv)
	app, _ := CastMemberNamed("app")
	root := sdkClient(url)
	appClient := secretsmanager.New(secretsmanager.Options{BaseEndpoint: aws.String(url), Region: "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider(app.AccessKeyID, app.SecretAccessKey, ""),
		HTTPClient:  root.Options().HTTPClient})
	in := &secretsmanager.GetSecretValueInput{SecretId: aws.String("prod/db")}
	burst(b, root, in, 20)
	burst(b, appClient, in, 20)
	const per = 25
	var tr, ta time.Duration
	calls := 0
	for b.Loop() {
		tr += burst(b, root, in, per)
		ta += burst(b, appClient, in, per)
		calls += 8 * per
	}
	b.ReportMetric(float64(calls)/tr.Seconds(), "root-ops/s")
	b.ReportMetric(float64(calls)/ta.Seconds(), "app-ops/s")
	b.ReportMetric(100*tr.Seconds()/ta.Seconds(), "app-%-of-root")
}
