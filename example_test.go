package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"

	"secretlings/aws"
	"secretlings/aws/emulator"
	"secretlings/internal/motoserver"
	"secretlings/mask"
)

func TestMain(m *testing.M) {
	code := m.Run()
	motoserver.StopShared()
	if builtExamplesDir != "" {
		os.RemoveAll(builtExamplesDir)
	}
	os.Exit(code)
}

// The example programs are built once per test binary, on first use, so that
// child processes re-executing the test binary (serve_test.go) do not build.
var (
	buildOnce        sync.Once
	builtExamplesDir string
	builtExamples    map[int]string
	buildErr         error
)

func exampleBinary(t testing.TB, n int) string {
	t.Helper()
	buildOnce.Do(func() {
		builtExamplesDir, buildErr = os.MkdirTemp("", "secretlings-example-test-")
		if buildErr != nil {
			return
		}
		builtExamples = map[int]string{}
		var msg bytes.Buffer
		for i := range exampleDirs {
			bin, err := buildExample(context.Background(), i, builtExamplesDir, &msg)
			if err != nil {
				buildErr = fmt.Errorf("%v\n%s", err, msg.String())
				return
			}
			builtExamples[i] = bin
		}
	})
	if buildErr != nil {
		t.Fatalf("building the examples: %v", buildErr)
	}
	return builtExamples[n]
}

// isolateAWS keeps the developer's own AWS settings out of a test.
func isolateAWS(t *testing.T) {
	t.Helper()
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SECRETS_MANAGER", "ROTATION_STRATEGY", "SECRETLINGS_PREFIX"} {
		t.Setenv(k, "")
	}
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", dir+"/config")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", dir+"/credentials")
}

// recorder sits in front of the emulator: it notes every secret value a
// request carries (so the test can look for it in the output), every name
// created, and fails the requests that fail selects.
type recorder struct {
	next http.Handler
	fail func(op string, body []byte) bool // nil: fail nothing

	mu      sync.Mutex
	values  []string
	created []string
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	op := strings.TrimPrefix(req.Header.Get("X-Amz-Target"), "secretsmanager.")
	body, _ := io.ReadAll(req.Body)
	req.Body = io.NopCloser(bytes.NewReader(body))
	var in struct {
		Name         string
		SecretString string
	}
	_ = json.Unmarshal(body, &in)
	r.mu.Lock()
	if in.SecretString != "" {
		r.values = append(r.values, in.SecretString)
		r.values = append(r.values, sensitiveLeaves(in.SecretString)...)
	}
	if op == "CreateSecret" {
		r.created = append(r.created, in.Name)
	}
	r.mu.Unlock()
	if r.fail != nil && r.fail(op, body) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprint(w, `{"__type":"InternalServiceError","Message":"injected by the test"}`)
		return
	}
	r.next.ServeHTTP(w, req)
}

// sensitiveLeaves returns the values of a JSON secret's sensitive fields
// (password, api_key, …); host names and ports may be shown.
func sensitiveLeaves(doc string) []string {
	var m map[string]any
	if json.Unmarshal([]byte(doc), &m) != nil {
		return nil
	}
	var out []string
	for k, v := range m {
		if s, ok := v.(string); ok && mask.IsSensitiveKey(k) {
			out = append(out, s)
		}
	}
	return out
}

type testBackend struct {
	spec   exampleSpec
	rec    *recorder
	client *secretsmanager.Client
}

// startTestBackend starts an emulator behind a recorder. With lambda, the
// emulator is passed to the example (as on the embedded backend, so example 3
// uses RotateSecret); without, it behaves as any endpoint (rotation.Drive).
func startTestBackend(t *testing.T, n int, lambda bool, fail func(op string, body []byte) bool) *testBackend {
	t.Helper()
	emu, err := emulator.New(emulator.WithSyncRotation())
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{next: emu, fail: fail}
	srv := httptest.NewServer(rec)
	t.Cleanup(func() { srv.Close(); emu.Close() })
	b := &testBackend{
		spec: exampleSpec{N: n, Bin: exampleBinary(t, n), Endpoint: srv.URL, Region: "us-east-1", Local: true, Prefix: newExamplePrefix(n)},
		rec:  rec, client: testClient(srv.URL),
	}
	if lambda {
		b.spec.Emu = emu
	}
	return b
}

func testClient(url string) *secretsmanager.Client {
	return secretsmanager.New(secretsmanager.Options{
		BaseEndpoint: sdkaws.String(url), Region: "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
	})
}

// run runs the example and returns its exit status and output.
func (b *testBackend) run(t *testing.T) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = runBuiltExample(context.Background(), b.spec, &out, &errOut)
	t.Logf("example %d (exit %d):\n%s%s", b.spec.N, code, out.String(), errOut.String())
	return code, out.String(), errOut.String()
}

// checkClean asserts that the example created secrets, only under its
// prefix, and left none behind (not even scheduled for deletion).
func (b *testBackend) checkClean(t *testing.T) {
	t.Helper()
	b.rec.mu.Lock()
	created := slices.Clone(b.rec.created)
	b.rec.mu.Unlock()
	if len(created) == 0 {
		t.Fatal("the example created no secret")
	}
	for _, name := range created {
		if !strings.HasPrefix(name, b.spec.Prefix) {
			t.Errorf("secret %q is outside the prefix %q", name, b.spec.Prefix)
		}
	}
	checkNoSecretsUnder(t, b.client, b.spec.Prefix)
}

func checkNoSecretsUnder(t *testing.T, client *secretsmanager.Client, prefix string) {
	t.Helper()
	out, err := client.ListSecrets(context.Background(), &secretsmanager.ListSecretsInput{
		IncludePlannedDeletion: sdkaws.Bool(true),
		Filters:                []types.Filter{{Key: types.FilterNameStringTypeName, Values: []string{prefix}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range out.SecretList {
		t.Errorf("secret %s is left behind", sdkaws.ToString(s.Name))
	}
}

// checkNoLeak asserts that no value the example stored appears in its
// output, and that it did show masked values.
func (b *testBackend) checkNoLeak(t *testing.T, output string) {
	t.Helper()
	b.rec.mu.Lock()
	values := slices.Clone(b.rec.values)
	b.rec.mu.Unlock()
	if len(values) == 0 {
		t.Fatal("the example stored no value")
	}
	for _, v := range values {
		if len(v) >= mask.MinLen && strings.Contains(output, v) {
			t.Errorf("a stored secret value (%d bytes) appears unmasked in the output", len(v))
		}
	}
	if !strings.Contains(output, mask.Masked) {
		t.Error("the output shows no masked value")
	}
}

func checkSteps(t *testing.T, out string, steps int) {
	t.Helper()
	for i := 1; i <= steps; i++ {
		if !strings.Contains(out, fmt.Sprintf("\n%d. ", i)) && !strings.HasPrefix(out, fmt.Sprintf("%d. ", i)) {
			t.Errorf("the output has no step %d", i)
		}
	}
	for _, want := range []string{"Cleaning up: deleting", "All steps passed."} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q", want)
		}
	}
}

func TestExamplesOnTheEmbeddedEmulator(t *testing.T) {
	isolateAWS(t)
	for _, tc := range []struct {
		n        int
		steps    int
		strategy string
		want     []string
	}{
		{1, 7, "", []string{"ResourceNotFoundException, handled", "ResourceExistsException, handled"}},
		{2, 9, "", []string{"same version", "known-good", "readers get the first password again", "AWSCURRENT, known-good"}},
		{3, 7, "", []string{"with RotateSecret and rotation function arn:aws:lambda:", "λ createSecret:", "λ setSecret:", "λ testSecret:", "λ finishSecret:", "old key rejected, new key accepted as app-a", "rotation schedule enabled: true"}},
		{3, 7, "alternating", []string{"with RotateSecret", "old key accepted as app-a, new key accepted as app-b"}},
		{4, 4, "", []string{"region us-east-1, endpoint http://127.0.0.1:", "from AWS_ENDPOINT_URL_SECRETS_MANAGER", "ErrNotFound, handled"}},
	} {
		t.Run(fmt.Sprintf("example %d %s", tc.n, tc.strategy), func(t *testing.T) {
			t.Setenv("ROTATION_STRATEGY", tc.strategy)
			b := startTestBackend(t, tc.n, true, nil)
			code, out, errOut := b.run(t)
			if code != 0 {
				t.Fatalf("exit status %d: %s", code, errOut)
			}
			checkSteps(t, out, tc.steps)
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("the output lacks %q", w)
				}
			}
			b.checkNoLeak(t, out+errOut)
			b.checkClean(t)
		})
	}
}

// Without a registered rotation function (LocalStack, AWS, any endpoint),
// example 3 plays the service side itself with rotation.Drive.
func TestExample3DrivesTheRotationWithoutALambda(t *testing.T) {
	isolateAWS(t)
	b := startTestBackend(t, 3, false, nil)
	code, out, errOut := b.run(t)
	if code != 0 {
		t.Fatalf("exit status %d: %s", code, errOut)
	}
	checkSteps(t, out, 7)
	for _, w := range []string{"Rotating with rotation.Drive", "λ finishSecret:", "old key rejected, new key accepted as app-a"} {
		if !strings.Contains(out, w) {
			t.Errorf("the output lacks %q", w)
		}
	}
	if strings.Contains(out, "RotateSecret and rotation function") {
		t.Error("the example claims a rotation function that is not registered")
	}
	b.checkNoLeak(t, out+errOut)
	b.checkClean(t)
}

// A failure in the middle still deletes what the example created, and the
// exit status and message say it failed.
func TestExamplesCleanUpAfterAFailure(t *testing.T) {
	isolateAWS(t)
	// plainRead is a GetSecretValue of AWSCURRENT without a selector: the
	// example's own read after the rotation, not the rotation function's.
	plainRead := func(op string, body []byte) bool {
		return op == "GetSecretValue" && !bytes.Contains(body, []byte("VersionId")) && !bytes.Contains(body, []byte("VersionStage"))
	}
	for _, tc := range []struct {
		n      int
		lambda bool
		failOp string
		fail   func(op string, body []byte) bool
		want   string
	}{
		{1, true, "DescribeSecret", nil, ""},
		{2, true, "UpdateSecretVersionStage", nil, ""},
		{3, true, "GetSecretValue", plainRead, ""},
		// The rotation function's createSecret fails: Drive reports the step.
		{3, false, "PutSecretValue", nil, "createSecret"},
	} {
		t.Run(fmt.Sprintf("example %d, %s fails", tc.n, tc.failOp), func(t *testing.T) {
			fail := tc.fail
			if fail == nil {
				fail = func(op string, _ []byte) bool { return op == tc.failOp }
			}
			b := startTestBackend(t, tc.n, tc.lambda, fail)
			code, out, errOut := b.run(t)
			if code == 0 {
				t.Fatal("exit status 0 after a failed call")
			}
			if want := fmt.Sprintf("example %d: ", tc.n); !strings.Contains(errOut, want) || !strings.Contains(errOut, tc.failOp) {
				t.Errorf("stderr %q does not name the example and the failed operation", errOut)
			}
			if !strings.Contains(out, "failed\n") || strings.Contains(out, "All steps passed.") {
				t.Errorf("the output does not show the failed step")
			}
			if !strings.Contains(errOut, tc.want) {
				t.Errorf("stderr %q does not name %q", errOut, tc.want)
			}
			b.checkNoLeak(t, out+errOut)
			b.checkClean(t)
		})
	}
}

// Example 1 through the whole command against moto_server, an endpoint
// nobody on this project wrote.
func TestExample1AgainstMotoServer(t *testing.T) {
	isolateAWS(t)
	moto := motoserver.ForTest(t)
	exampleBinary(t, 1) // warms the build cache
	var out, errOut bytes.Buffer
	code := runExample([]string{"--endpoint-url", moto.URL, "1"}, &out, &errOut)
	t.Logf("exit %d:\n%s%s", code, out.String(), errOut.String())
	if code != 0 {
		t.Fatalf("exit status %d", code)
	}
	if !strings.Contains(out.String(), "Running example 1 on endpoint at "+moto.URL) {
		t.Error("the run does not name moto_server's endpoint")
	}
	checkSteps(t, out.String(), 7)
	_, rest, ok := strings.Cut(out.String(), "names under ")
	prefix, _, _ := strings.Cut(rest, "\n")
	if !ok || !strings.HasPrefix(prefix, "secretlings/example-1/") {
		t.Fatalf("no prefix in the output")
	}
	checkNoSecretsUnder(t, testClient(moto.URL), prefix)
}

// A backend that does not answer is reported before anything is built.
func TestRunExampleWithABackendThatIsDown(t *testing.T) {
	isolateAWS(t)
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	var out, errOut bytes.Buffer
	code := runExample([]string{"--endpoint-url", url, "2"}, &out, &errOut)
	if code != 1 || !strings.Contains(errOut.String(), "Nothing answers at "+url) {
		t.Fatalf("exit %d, stderr %q: want 1 and the endpoint named", code, errOut.String())
	}
	if strings.Contains(out.String(), "Building") {
		t.Error("built the example although the backend is down")
	}
}

// The whole command: flags, build, embedded backend, run.
func TestRunExampleEndToEnd(t *testing.T) {
	isolateAWS(t)
	exampleBinary(t, 1) // warms the build cache, so the build below is a link
	var out, errOut bytes.Buffer
	if code := runExample([]string{"--backend", "embedded", "1"}, &out, &errOut); code != 0 {
		t.Fatalf("exit status %d:\n%s%s", code, out.String(), errOut.String())
	}
	for _, w := range []string{"Building lessons/01-store-and-retrieve/example … done", "Running example 1 on embedded at http://127.0.0.1:", "names under secretlings/example-1/", "All steps passed."} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("output lacks %q:\n%s", w, out.String())
		}
	}
}

func TestRunExampleUsage(t *testing.T) {
	isolateAWS(t)
	for _, tc := range []struct {
		args       []string
		code       int
		stdout     string
		stderrWant string
	}{
		{[]string{"--help"}, 0, "Usage: secretlings example", ""},
		{[]string{"-h"}, 0, "Usage: secretlings example", ""},
		{nil, 2, "", "give exactly one example number"},
		{[]string{"1", "2"}, 2, "", "give exactly one example number"},
		{[]string{"5"}, 2, "", `there is no example "5"`},
		{[]string{"0"}, 2, "", `there is no example "0"`},
		{[]string{"one"}, 2, "", `there is no example "one"`},
		{[]string{"--bogus", "1"}, 2, "", "flag provided but not defined"},
		{[]string{"--backend", "nowhere", "1"}, 2, "", `unknown backend "nowhere"`},
		{[]string{"1", "--backend", "nowhere"}, 2, "", `unknown backend "nowhere"`},
		{[]string{"--backend", "endpoint", "1"}, 2, "", "--backend endpoint needs a URL"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := runExample(tc.args, &out, &errOut)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr %q", code, tc.code, errOut.String())
			}
			if !strings.Contains(out.String(), tc.stdout) {
				t.Errorf("stdout %q lacks %q", out.String(), tc.stdout)
			}
			if tc.stderrWant != "" {
				// One line that names the problem; usage errors add the usage.
				first, _, _ := strings.Cut(errOut.String(), "\n")
				usageError := !strings.Contains(tc.stderrWant, "backend")
				if !strings.Contains(first, tc.stderrWant) || usageError != strings.Contains(errOut.String(), "Usage:") {
					t.Errorf("stderr %q: first line should say %q (usage after it: %v)", errOut.String(), tc.stderrWant, usageError)
				}
			}
		})
	}
}

func TestPickExampleBackend(t *testing.T) {
	up := func() (bool, string) { return true, "" }
	down := func() (bool, string) { return false, "" }
	probed := false
	noProbe := func() (bool, string) { probed = true; return true, "" }
	for _, tc := range []struct {
		name    string
		flags   aws.Flags
		env     map[string]string
		probe   func() (bool, string)
		want    aws.Backend
		probeOK bool // whether probing is allowed
	}{
		{"nothing configured, LocalStack up", aws.Flags{}, nil, up, aws.LocalStack, true},
		{"nothing configured, LocalStack down", aws.Flags{}, nil, down, aws.Embedded, true},
		{"--backend embedded wins", aws.Flags{Backend: "embedded"}, nil, noProbe, aws.Embedded, false},
		{"--endpoint-url wins", aws.Flags{EndpointURL: "http://127.0.0.1:5000"}, nil, noProbe, aws.Endpoint, false},
		{"AWS_ENDPOINT_URL_SECRETS_MANAGER wins", aws.Flags{}, map[string]string{"AWS_ENDPOINT_URL_SECRETS_MANAGER": "http://127.0.0.1:5000"}, noProbe, aws.Endpoint, false},
		{"AWS_ENDPOINT_URL wins", aws.Flags{}, map[string]string{"AWS_ENDPOINT_URL": "http://127.0.0.1:5000"}, noProbe, aws.Endpoint, false},
		{"--backend aws", aws.Flags{Backend: "aws"}, nil, noProbe, aws.AWS, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			probed = false
			getenv := func(k string) string { return tc.env[k] }
			f, _ := pickExampleBackend(tc.flags, getenv, tc.probe)
			target, err := aws.Resolve(f, getenv)
			if err != nil {
				t.Fatal(err)
			}
			if target.Backend != tc.want {
				t.Errorf("backend %s, want %s", target.Backend, tc.want)
			}
			if probed && !tc.probeOK {
				t.Error("probed LocalStack although the user chose a backend")
			}
		})
	}
}

func TestLocalStackAnswers(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		status     int
		up         bool
		note       string
	}{
		{"running", `{"services":{"secretsmanager":"running"}}`, 200, true, ""},
		{"available", `{"services":{"secretsmanager":"available","lambda":"available"}}`, 200, true, ""},
		{"no secretsmanager", `{"services":{"s3":"running"}}`, 200, false, "secretsmanager service is not available"},
		{"not LocalStack", `<html>`, 200, false, "Something other than LocalStack"},
		{"error status", `{}`, 503, false, "Something other than LocalStack"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != "/_localstack/health" {
					http.NotFound(w, r)
					return
				}
				w.WriteHeader(tc.status)
				fmt.Fprint(w, tc.body)
			}))
			defer srv.Close()
			up, note := localStackAnswers(srv.URL)
			if up != tc.up || !strings.Contains(note, tc.note) || (tc.note == "" && note != "") {
				t.Errorf("localStackAnswers = %v, %q; want %v, %q", up, note, tc.up, tc.note)
			}
		})
	}
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	if up, note := localStackAnswers(url); up || note != "" {
		t.Errorf("nothing listening: %v, %q; want false and no note", up, note)
	}
}

func TestExampleEnv(t *testing.T) {
	base := []string{"PATH=/bin", "HOME=/home/me", "AWS_ACCESS_KEY_ID=AKIAREAL", "AWS_SECRET_ACCESS_KEY=real", "AWS_SESSION_TOKEN=tok", "AWS_PROFILE=work", "AWS_ENDPOINT_URL=http://elsewhere", "AWS_REGION=eu-west-1", "SECRETLINGS_PREFIX=old/", "ROTATION_STRATEGY=alternating"}
	for _, tc := range []struct {
		name    string
		spec    exampleSpec
		want    []string
		notWant []string
	}{
		{"local backend: dummy credentials, no profile",
			exampleSpec{Endpoint: "http://127.0.0.1:1234", Region: "us-east-1", Local: true},
			[]string{"PATH=/bin", "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_ENDPOINT_URL_SECRETS_MANAGER=http://127.0.0.1:1234", "AWS_REGION=us-east-1", "SECRETLINGS_PREFIX=p/", "ROTATION_STRATEGY=alternating"},
			[]string{"AWS_ACCESS_KEY_ID=AKIAREAL", "AWS_SESSION_TOKEN=tok", "AWS_PROFILE=work", "AWS_ENDPOINT_URL=http://elsewhere", "AWS_REGION=eu-west-1", "SECRETLINGS_PREFIX=old/"}},
		{"AWS: the user's credentials, the chosen profile, no endpoint",
			exampleSpec{Region: "eu-north-1", Profile: "tutorial"},
			[]string{"AWS_ACCESS_KEY_ID=AKIAREAL", "AWS_SESSION_TOKEN=tok", "AWS_PROFILE=tutorial", "AWS_REGION=eu-north-1", "SECRETLINGS_PREFIX=p/"},
			[]string{"AWS_ACCESS_KEY_ID=test", "AWS_PROFILE=work", "AWS_ENDPOINT_URL=http://elsewhere", "AWS_ENDPOINT_URL_SECRETS_MANAGER="}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := exampleEnv(base, tc.spec, map[string]string{"SECRETLINGS_PREFIX": "p/"})
			for _, w := range tc.want {
				if !slices.Contains(env, w) {
					t.Errorf("env lacks %s", w)
				}
			}
			for _, nw := range tc.notWant {
				for _, kv := range env {
					if strings.HasPrefix(kv, nw) {
						t.Errorf("env has %s", kv)
					}
				}
			}
			seen := map[string]bool{}
			for _, kv := range env {
				k, _, _ := strings.Cut(kv, "=")
				if seen[k] {
					t.Errorf("%s is set twice", k)
				}
				seen[k] = true
			}
		})
	}
}

func TestNewExamplePrefix(t *testing.T) {
	a, b := newExamplePrefix(2), newExamplePrefix(2)
	if a == b || !strings.HasPrefix(a, "secretlings/example-2/") || !strings.HasSuffix(a, "/") {
		t.Fatalf("prefixes %q, %q: want fresh ones under secretlings/example-2/", a, b)
	}
}

// BenchmarkExampleEmbedded times one run of each example program (already
// built) against a fresh embedded emulator, end to end.
func BenchmarkExampleEmbedded(b *testing.B) {
	for n := 1; n <= len(exampleDirs); n++ {
		b.Run(fmt.Sprintf("example-%d", n), func(b *testing.B) {
			bin := exampleBinary(b, n)
			for b.Loop() {
				emu, url, stop, err := aws.StartEmbedded("us-east-1")
				if err != nil {
					b.Fatal(err)
				}
				spec := exampleSpec{N: n, Bin: bin, Endpoint: url, Region: "us-east-1", Local: true, Prefix: newExamplePrefix(n), Emu: emu}
				if code := runBuiltExample(context.Background(), spec, io.Discard, io.Discard); code != 0 {
					b.Fatalf("exit status %d", code)
				}
				stop()
			}
		})
	}
}

// Run by hand without SECRETLINGS_PREFIX, each example says what to set and
// touches nothing.
func TestExamplesNeedAPrefix(t *testing.T) {
	isolateAWS(t)
	for n := 1; n <= len(exampleDirs); n++ {
		b := startTestBackend(t, n, false, nil)
		b.spec.Prefix = ""
		code, _, errOut := b.run(t)
		if code != 1 || !strings.Contains(errOut, "SECRETLINGS_PREFIX is not set") || !strings.Contains(errOut, fmt.Sprintf("secretlings example %d", n)) {
			t.Errorf("example %d: exit %d, stderr %q: want 1 and the variable and command named", n, code, errOut)
		}
		if len(b.rec.created) != 0 {
			t.Errorf("example %d created a secret without a prefix", n)
		}
	}
}
