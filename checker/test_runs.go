package checker

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"secretlings/aws"
	"secretlings/aws/emulator"
	"secretlings/mask"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// testOutcome is one run of a learner's tests.
type testOutcome struct {
	proc
	elapsed  time.Duration
	ran      int               // tests and subtests started
	failed   []string          // the tests that failed, subtests first
	messages map[string]string // a failed test's first message, by name
	refused  []string          // what Python's runner refused the tests (a look at the code)
	awsHosts []string          // real AWS hosts it tried to reach
	left     []string          // secrets it left on the endpoint it was given
	leaks    []string          // sandbox files holding a value it stored
	cover    coverage
}

// testLaunch is how one run of a learner's tests starts: Go's test binary,
// or Python's runner (testrunner.py) with the code under test on stdin and
// its records on a pipe.
type testLaunch struct {
	path  string
	args  []string
	env   map[string]string
	stdin []byte
	// records makes a pipe the program's file descriptor 3, for the
	// runner's JSON lines (see readRecords).
	records bool
	// coverFile is where a Go test binary writes its coverage profile;
	// Python's runner sends the lines that ran as records.
	coverFile string
	// python says path is a Python interpreter (see start).
	python bool
}

// testEndpointEnv names a test exercise's Secrets Manager, as a CI job
// names a local one: AWS_ENDPOINT_URL, which the lesson teaches, and the
// service's own variable, which would win over it.
func testEndpointEnv(url string) map[string]string {
	return map[string]string{"AWS_ENDPOINT_URL": url, "AWS_ENDPOINT_URL_SECRETS_MANAGER": url}
}

// runTests runs the tests in box against a Secrets Manager of their own (a
// fresh emulator, named by AWS_ENDPOINT_URL and
// AWS_ENDPOINT_URL_SECRETS_MANAGER), with every proxied request, the only
// way to AWS from a sandbox, refused and recorded.
//
// An error is the checker's own (no room for a sandbox, no emulator), never
// the tests': it must not count as a test that failed.
func (r *run) runTests(ctx context.Context, box *sandbox, launch func(*sandbox) testLaunch, limit time.Duration) (testOutcome, error) {
	if err := box.open(r); err != nil {
		return testOutcome{}, err
	}
	l := launch(box)
	srv, err := emulator.New()
	if err != nil {
		return testOutcome{}, fmt.Errorf("starting the tests' Secrets Manager: %w", err)
	}
	defer srv.Close()
	tap := &valueTap{next: srv}
	endpoint := httptest.NewServer(tap)
	defer endpoint.Close()
	trap := &awsTrap{}
	proxy := httptest.NewServer(trap)
	defer proxy.Close()

	ctx, cancel := context.WithTimeout(ctx, limit+5*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, l.path, l.args...)
	cmd.WaitDelay = 2 * time.Second
	cmd.Env = r.env(l.env, testEndpointEnv(endpoint.URL), map[string]string{
		"HTTPS_PROXY": proxy.URL,
		"HTTP_PROXY":  proxy.URL,
		// Go's transport never proxies loopback; botocore must be told.
		"NO_PROXY": "127.0.0.1,localhost,::1",
		"HOME":     box.home,
		"TMPDIR":   box.tmp,
	})
	cmd.Dir = box.work
	var out bytes.Buffer
	cmd.Stdout = &limitWriter{w: &out, n: 1 << 20}
	cmd.Stderr = cmd.Stdout
	if l.stdin != nil {
		cmd.Stdin = bytes.NewReader(l.stdin)
	}
	var records *recordReader
	if l.records {
		if records, err = openRecords(cmd); err != nil {
			return testOutcome{}, err
		}
	}
	began := time.Now()
	p, err := startBusy(ctx, cmd, l.python)
	if records != nil {
		records.started()
	}
	if err != nil {
		if records != nil {
			records.wait()
		}
		// Not the tests' doing: a run that never started neither
		// failed nor caught anything.
		return testOutcome{}, fmt.Errorf("starting the tests: %w", err)
	}
	err = p.Wait()
	o := testOutcome{proc: proc{Stdout: out.String(), Stderr: out.String()}, elapsed: time.Since(began)}
	o.exited(ctx, err)
	if records != nil {
		o.fromRecords(records.wait())
	} else {
		o.parse()
	}
	if strings.Contains(o.Stdout, "panic: test timed out after") {
		o.TimedOut = true
	}
	if l.coverFile != "" {
		o.cover = readCoverage(l.coverFile)
		_ = os.Remove(l.coverFile)
	}
	if box == &r.box {
		r.output.WriteString(o.Stdout)
	}
	box.collect()
	o.awsHosts = mergeHosts(o.awsHosts, trap.hosts())
	o.left = remaining(ctx, endpoint.URL)
	o.leaks = storedValueFiles(box, tap.values())
	return o, nil
}

// goLaunch runs a Go test binary, stopped by its own -test.timeout at
// limit, with a coverage profile when cover is set.
func goLaunch(bin string, limit time.Duration, cover bool) func(*sandbox) testLaunch {
	return func(box *sandbox) testLaunch {
		l := testLaunch{path: bin, args: []string{"-test.v", "-test.count=1", "-test.timeout=" + limit.String()}}
		if cover {
			l.coverFile = filepath.Join(box.tmp, "cover.out")
			l.args = append(l.args, "-test.coverprofile="+l.coverFile)
		}
		return l
	}
}

// parse reads -test.v's report: how many tests ran, which failed, and
// each failed test's first message (the line after its "--- FAIL").
func (o *testOutcome) parse() {
	lines := strings.Split(o.Stdout, "\n")
	for i, l := range lines {
		line := strings.TrimSpace(l)
		if strings.HasPrefix(line, "=== RUN ") {
			o.ran++
		}
		rest, ok := strings.CutPrefix(line, "--- FAIL: ")
		if !ok {
			continue
		}
		name, _, _ := strings.Cut(rest, " ")
		o.failed = append(o.failed, name)
		if i+1 < len(lines) {
			if next := strings.TrimSpace(lines[i+1]); !strings.HasPrefix(next, "---") && !strings.HasPrefix(next, "===") {
				o.note(name, next)
			}
		}
	}
	// -test.v reports a parent before its subtests: name the deepest.
	slices.SortStableFunc(o.failed, func(a, b string) int { return strings.Count(b, "/") - strings.Count(a, "/") })
}

// note keeps the first message of the failed test name.
func (o *testOutcome) note(name, msg string) {
	if o.messages == nil {
		o.messages = map[string]string{}
	}
	if _, ok := o.messages[name]; !ok && msg != "" {
		o.messages[name] = msg
	}
}

// failure says why the tests failed against the correct code: the first
// failing test and its first message, or how the binary ended.
func (o testOutcome) failure(r *run, file string) string {
	if len(o.refused) > 0 {
		return fmt.Sprintf("it tried to %s, which the checker refuses: a test judges %s by what it does (what it returns, raises and prints), never by how it is written", o.refused[0], file)
	}
	why := o.summary(r.known)
	if o.TimedOut {
		why = "it did not finish in time and was stopped"
	}
	if len(o.failed) > 0 {
		why = o.failed[0] + " failed"
		if msg := o.messages[o.failed[0]]; msg != "" {
			why += ": " + truncate(scrub(r.known, msg), 300)
		}
	}
	return fmt.Sprintf("%s against the correct code: fix the test (%s is right), then the broken copies are tried", why, file)
}

// verdict says whether the run against m caught it, and how.
func (o testOutcome) verdict(r *run, m *mutant, limit time.Duration) verdict {
	v := verdict{ran: true, caught: o.Code != 0}
	switch {
	case !v.caught:
		v.why = "survived: every test passed against a LoadDBConfig that " + m.Breaks
	case o.TimedOut:
		v.why = fmt.Sprintf("caught, slowly: the tests hung until they were stopped after %s (%s)", limit, r.say(failAtOnce))
	case len(o.failed) > 0:
		v.why = "caught by " + o.failed[0]
	default:
		v.why = "caught: " + o.summary(r.known)
	}
	return v
}

// verdict is what the tests did to one mutant: caught it or not, and
// whether they ran against it at all (not when they never reach the code
// it changes).
type verdict struct {
	caught, ran bool
	why         string
}

// leftReason says what the run left behind, "" when nothing.
func (o testOutcome) leftReason(r *run) string {
	var parts []string
	if n := len(o.left); n > 0 {
		shown := o.left[:min(n, 3)]
		parts = append(parts, fmt.Sprintf("%d secret(s) on the endpoint it was given (%s): %s", n, strings.Join(shown, ", "), r.say(cleanUpHow)))
	}
	if len(o.leaks) > 0 {
		parts = append(parts, fmt.Sprintf("a value it stored is in %s: a test writes no secret to disk", strings.Join(o.leaks, ", ")))
	}
	return strings.Join(parts, "; ")
}

// remaining lists the secrets on the endpoint that are not deleted.
func remaining(ctx context.Context, url string) []string {
	client := secretsmanager.New(secretsmanager.Options{
		Region: aws.DefaultRegion, BaseEndpoint: awssdk.String(url),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
		Retryer:     aws.LocalRetryer(), HTTPClient: accessHTTP,
	})
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	var names []string
	p := secretsmanager.NewListSecretsPaginator(client, &secretsmanager.ListSecretsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			break
		}
		for _, s := range page.SecretList {
			names = append(names, awssdk.ToString(s.Name))
		}
	}
	slices.Sort(names)
	return names
}

// storedValueFiles lists the sandbox files that hold one of values.
func storedValueFiles(box *sandbox, values []string) []string {
	if len(values) == 0 {
		return nil
	}
	scan := mask.NewLeakScanner()
	scan.Add(values...)
	var found []string
	for _, name := range box.fileNames() {
		if len(scan.Scan(box.files[name])) > 0 {
			found = append(found, boxPath(name))
		}
	}
	return found
}

// valueTap passes requests to the emulator and keeps the secret values
// they store, to look for them in the files a test leaves.
type valueTap struct {
	next http.Handler
	mu   sync.Mutex
	seen []string
}

func (t *valueTap) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(req.Body, maxProxyBody))
	req.Body = io.NopCloser(bytes.NewReader(body))
	var in struct {
		SecretString *string
		SecretBinary []byte // JSON's base64, decoded
	}
	if json.Unmarshal(body, &in) == nil {
		t.mu.Lock()
		if in.SecretString != nil && len(*in.SecretString) >= 4 {
			t.seen = append(t.seen, *in.SecretString)
		}
		if len(in.SecretBinary) >= 4 {
			t.seen = append(t.seen, base64.StdEncoding.EncodeToString(in.SecretBinary))
		}
		t.mu.Unlock()
	}
	t.next.ServeHTTP(w, req)
}

func (t *valueTap) values() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return slices.Clone(t.seen)
}

// awsTrap is the proxy a test's environment names (HTTPS_PROXY): Go's
// transport sends every request there except to loopback, so whatever
// reaches it was headed elsewhere, real AWS above all. It refuses.
type awsTrap struct {
	mu   sync.Mutex
	seen []string
}

func (t *awsTrap) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	host := req.Host
	if h, _, ok := strings.Cut(host, ":"); ok {
		host = h
	}
	t.mu.Lock()
	if !slices.Contains(t.seen, host) {
		t.seen = append(t.seen, host)
	}
	t.mu.Unlock()
	http.Error(w, "secretlings checker: a test reaches no real AWS, only the endpoint in AWS_ENDPOINT_URL or an emulator of its own", http.StatusForbidden)
}

func (t *awsTrap) hosts() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return slices.Clone(t.seen)
}

// coverage is the blocks of a coverage profile that ran, by file name.
type coverage map[string][][2]int

// readCoverage reads a -test.coverprofile file; nil (everything counts as
// reached) when there is none, as after a crash.
func readCoverage(path string) coverage {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	cov := coverage{}
	for _, line := range strings.Split(string(data), "\n")[1:] {
		// path/file.go:startLine.startCol,endLine.endCol statements count
		loc, rest, ok := strings.Cut(line, " ")
		file, span, ok2 := strings.Cut(loc, ".go:")
		if !ok || !ok2 || strings.HasSuffix(rest, " 0") {
			continue
		}
		from, to, _ := strings.Cut(span, ",")
		a, _, _ := strings.Cut(from, ".")
		b, _, _ := strings.Cut(to, ".")
		first, err1 := strconv.Atoi(a)
		last, err2 := strconv.Atoi(b)
		if err1 == nil && err2 == nil {
			name := filepath.Base(file) + ".go"
			cov[name] = append(cov[name], [2]int{first, last})
		}
	}
	return cov
}

// reached reports whether a block that ran overlaps lines first to last
// of file.
func (c coverage) reached(file string, first, last int) bool {
	if c == nil {
		return true
	}
	return slices.ContainsFunc(c[file], func(b [2]int) bool { return b[0] <= last && b[1] >= first })
}
