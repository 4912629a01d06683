package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	sl "secretlings/aws"
	"secretlings/internal/awscli"
)

// serveChildEnv makes the test binary act as `secretlings serve`: the
// arguments come as a JSON array in the variable. This re-executes the test
// binary itself, so the tests need no build of the whole program.
const serveChildEnv = "SECRETLINGS_SERVE_CHILD"

func TestServeChildProcessHelper(t *testing.T) {
	args, ok := os.LookupEnv(serveChildEnv)
	if !ok {
		return // only meaningful as a child process
	}
	var argv []string
	if err := json.Unmarshal([]byte(args), &argv); err != nil {
		t.Fatal(err)
	}
	os.Exit(runServe(argv, os.Stdout, os.Stderr))
}

type serveChild struct {
	cmd    *exec.Cmd
	url    string
	stderr *bytes.Buffer
	done   chan error
}

// startServe runs `serve ARGS` in a child process and waits for its
// "listening on" line.
func startServe(t *testing.T, args ...string) *serveChild {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestServeChildProcessHelper$")
	argv, _ := json.Marshal(args)
	cmd.Env = append(os.Environ(), serveChildEnv+"="+string(argv))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	c := &serveChild{cmd: cmd, stderr: &bytes.Buffer{}, done: make(chan error, 1)}
	cmd.Stderr = c.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "listening on "); ok {
				lines <- u
			}
		}
		close(lines)
	}()
	go func() { c.done <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
	})
	select {
	case u, ok := <-lines:
		if !ok {
			t.Fatalf("serve exited without listening: %s", c.stderr)
		}
		c.url = u
	case <-time.After(20 * time.Second):
		t.Fatalf("serve did not print its address: %s", c.stderr)
	}
	return c
}

func (c *serveChild) wait(t *testing.T) int {
	t.Helper()
	select {
	case err := <-c.done:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not exit")
		return -1
	}
}

func smClient(url string) *secretsmanager.Client {
	return secretsmanager.New(secretsmanager.Options{
		BaseEndpoint: aws.String(url), Region: "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
		Retryer:     sl.LocalRetryer(), HTTPClient: sl.LocalHTTPClient(),
	})
}

func TestServeRejectsBadFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"all interfaces without opt-in", []string{"--addr", "0.0.0.0:0"}, 2, "not a loopback address"},
		{"empty host without opt-in", []string{"--addr", ":0"}, 2, "--allow-remote"},
		{"no port", []string{"--addr", "127.0.0.1"}, 2, "host:port"},
		{"stray argument", []string{"extra"}, 2, "unexpected argument"},
		{"bad rotation flag", []string{"--rotation-function", "noequals"}, 2, "ARN=COMMAND"},
		{"unreadable state file", []string{"--addr", "127.0.0.1:0", "--state", filepath.Join(t.TempDir(), "missing-dir", "state")}, 1, "opening state file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := runServe(tc.args, &out, &errb); code != tc.code || !strings.Contains(errb.String(), tc.want) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", code, errb.String(), tc.code, tc.want)
			}
			if out.Len() != 0 {
				t.Fatalf("stdout %q", out.String())
			}
		})
	}
}

func TestServeStopsCleanlyOnSignal(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			c := startServe(t, "--addr", "127.0.0.1:0")
			if !strings.HasPrefix(c.url, "http://127.0.0.1:") {
				t.Fatalf("url %q", c.url)
			}
			if _, err := smClient(c.url).ListSecrets(context.Background(), &secretsmanager.ListSecretsInput{}); err != nil {
				t.Fatal(err)
			}
			c.cmd.Process.Signal(sig)
			if code := c.wait(t); code != 0 {
				t.Fatalf("exit %d: %s", code, c.stderr)
			}
		})
	}
}

func TestServeAllowRemoteSaysSoLoudly(t *testing.T) {
	c := startServe(t, "--addr", "0.0.0.0:0", "--allow-remote")
	c.cmd.Process.Signal(syscall.SIGTERM)
	c.wait(t)
	if !strings.Contains(c.stderr.String(), "WARNING") || !strings.Contains(c.stderr.String(), "NOT loopback") {
		t.Fatalf("stderr %q", c.stderr)
	}
}

// TestServeSurvivesKill9 kills `serve --state` with SIGKILL in the middle
// of a write burst, restarts it and finds every acknowledged write.
func TestServeSurvivesKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	state := filepath.Join(t.TempDir(), "state.jsonl")
	c := startServe(t, "--addr", "127.0.0.1:0", "--state", state)
	client := smClient(c.url)
	ctx := context.Background()

	type ack struct{ secret, version, value string }
	var mu sync.Mutex
	var acks []ack
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("burst-%d", w)
			out, err := client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: &name, SecretString: aws.String("v-0")})
			if err != nil {
				return
			}
			mu.Lock()
			acks = append(acks, ack{name, *out.VersionId, "v-0"})
			mu.Unlock()
			for i := 1; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				val := fmt.Sprintf("v-%d", i)
				p, err := client.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: &name, SecretString: &val})
				if err != nil {
					return // the server died: this write was not acknowledged
				}
				mu.Lock()
				acks = append(acks, ack{name, *p.VersionId, val})
				mu.Unlock()
			}
		}()
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		n := len(acks)
		mu.Unlock()
		if n >= 150 || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	c.cmd.Process.Signal(syscall.SIGKILL) // writers are still running
	c.wait(t)
	close(stop)
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	if len(acks) < 20 {
		t.Fatalf("only %d writes acknowledged before the kill", len(acks))
	}

	c2 := startServe(t, "--addr", "127.0.0.1:0", "--state", state)
	client = smClient(c2.url)
	last := map[string]string{}
	for _, a := range acks {
		g, err := client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: &a.secret, VersionId: &a.version})
		if err != nil {
			t.Fatalf("acknowledged write %s/%s lost: %v", a.secret, a.value, err)
		}
		if *g.SecretString != a.value {
			t.Fatalf("%s/%s: value %q, want %q", a.secret, a.version, *g.SecretString, a.value)
		}
		last[a.secret] = a.value
	}
	// The newest acknowledged value is current (or a later, unacknowledged one).
	for name, val := range last {
		g, err := client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: &name})
		if err != nil {
			t.Fatal(err)
		}
		var gotN, wantN int
		fmt.Sscanf(*g.SecretString, "v-%d", &gotN)
		fmt.Sscanf(val, "v-%d", &wantN)
		if gotN < wantN {
			t.Fatalf("%s: current %s is older than acknowledged %s", name, *g.SecretString, val)
		}
	}
	t.Logf("%d acknowledged writes survived SIGKILL", len(acks))
	c2.cmd.Process.Signal(syscall.SIGTERM)
	if code := c2.wait(t); code != 0 {
		t.Fatalf("exit %d: %s", code, c2.stderr)
	}
}

// TestServeWithAWSCLI drives the server with the aws CLI, as a learner would.
func TestServeWithAWSCLI(t *testing.T) {
	awsBin, err := exec.LookPath("aws")
	if err != nil {
		t.Skip("aws CLI not on PATH; install it (pip install awscli) to run this test")
	}
	c := startServe(t, "--addr", "127.0.0.1:0")
	// The commands run in one warm Python (see internal/awscli); the last
	// one below is an aws process of its own, as a learner runs it.
	cli := func(args ...string) string {
		t.Helper()
		env := append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_CONFIG_FILE=/dev/null",
			"AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_PAGER=")
		res, err := awscli.Run(context.Background(), env, append([]string{"--endpoint-url", c.url, "--region", "us-east-1", "--output", "json", "secretsmanager"}, args...)...)
		if err == nil && res.Code != 0 {
			err = fmt.Errorf("exit status %d", res.Code)
		}
		if err != nil {
			t.Fatalf("aws %v: %v: %s", args, err, res.Stderr)
		}
		return res.Stdout
	}
	decode := func(s string) map[string]any {
		t.Helper()
		var m map[string]any
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			t.Fatalf("aws output is not JSON: %q", s)
		}
		return m
	}
	created := decode(cli("create-secret", "--name", "cli/demo", "--secret-string", `{"user":"app"}`, "--description", "from the CLI"))
	if !strings.HasPrefix(created["ARN"].(string), "arn:aws:secretsmanager:us-east-1:123456789012:secret:cli/demo-") {
		t.Fatalf("create: %v", created)
	}
	got := decode(cli("get-secret-value", "--secret-id", "cli/demo"))
	if got["SecretString"] != `{"user":"app"}` || got["VersionId"] != created["VersionId"] {
		t.Fatalf("get: %v", got)
	}
	cli("put-secret-value", "--secret-id", "cli/demo", "--secret-string", "second")
	desc := decode(cli("describe-secret", "--secret-id", created["ARN"].(string)))
	if desc["Description"] != "from the CLI" || len(desc["VersionIdsToStages"].(map[string]any)) != 2 {
		t.Fatalf("describe: %v", desc)
	}
	// aws-cli v1 prints the wire's epoch seconds; v2 prints an ISO date.
	switch v := desc["LastChangedDate"].(type) {
	case float64:
		if v < 1.7e9 {
			t.Fatalf("LastChangedDate %v", v)
		}
	case string:
	default:
		t.Fatalf("LastChangedDate %v", v)
	}
	list := decode(cli("list-secrets", "--filters", "Key=name,Values=cli/"))
	if n := len(list["SecretList"].([]any)); n != 1 {
		t.Fatalf("list: %d secrets", n)
	}
	out := strings.TrimSpace(cli("get-secret-value", "--secret-id", "cli/demo", "--version-stage", "AWSPREVIOUS", "--query", "SecretString", "--output", "text"))
	if out != `{"user":"app"}` {
		t.Fatalf("previous via --query: %q", out)
	}
	// An error comes back as the CLI's usual message.
	cmd := exec.Command(awsBin, "--endpoint-url", c.url, "--region", "us-east-1", "secretsmanager", "get-secret-value", "--secret-id", "missing")
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test")
	b, _ := cmd.CombinedOutput()
	if !strings.Contains(string(b), "ResourceNotFoundException") || !strings.Contains(string(b), "can't find the specified secret") {
		t.Fatalf("error output %q", b)
	}
}

func TestServeHostAllowlist(t *testing.T) {
	for _, c := range []struct {
		host, addr string
		ok         bool
	}{
		{"127.0.0.1:4566", "127.0.0.1", true},
		{"localhost:4566", "127.0.0.1", true},
		{"LOCALHOST.", "127.0.0.1", true},
		{"app.localhost:4566", "127.0.0.1", true},
		{"[::1]:4566", "127.0.0.1", true},
		{"127.9.9.9", "127.0.0.1", true},
		{"myhost.internal:4566", "myhost.internal", true},
		{"", "127.0.0.1", true},
		{"attacker.example:4566", "127.0.0.1", false},
		{"attacker.example", "", false},
		{"127.0.0.1.attacker.example", "127.0.0.1", false},
		{"10.0.0.5:4566", "127.0.0.1", false},
		{"localhost.attacker.example", "localhost", false},
	} {
		if got := serveHostAllowed(c.host, c.addr); got != c.ok {
			t.Errorf("Host %q with --addr host %q: allowed %v, want %v", c.host, c.addr, got, c.ok)
		}
	}
}

// TestServeRefusesForeignHost sends what a DNS-rebinding page would: the
// right address with the attacker's Host. It is refused with a message
// that says how to get in; --allow-remote turns the check off.
func TestServeRefusesForeignHost(t *testing.T) {
	c := startServe(t, "--addr", "127.0.0.1:0")
	mustCreateVia(t, c.url)
	get := func(url string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(`{"SecretId":"host-check"}`))
		req.Host = "attacker.example:4566"
		req.Header.Set("X-Amz-Target", "secretsmanager.GetSecretValue")
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, body := get(c.url)
	if code != http.StatusForbidden || !strings.Contains(body, "attacker.example") || !strings.Contains(body, "--allow-remote") || strings.Contains(body, "s3cr3t") {
		t.Fatalf("foreign Host answered %d %s", code, body)
	}
	open := startServe(t, "--addr", "127.0.0.1:0", "--allow-remote")
	mustCreateVia(t, open.url)
	if code, body := get(open.url); code != http.StatusOK {
		t.Fatalf("with --allow-remote: %d %s", code, body)
	}
}

func mustCreateVia(t *testing.T, url string) {
	t.Helper()
	if _, err := smClient(url).CreateSecret(context.Background(), &secretsmanager.CreateSecretInput{Name: aws.String("host-check"), SecretString: aws.String("s3cr3t")}); err != nil {
		t.Fatal(err)
	}
}

// TestServeConnectionCap holds the cap's worth of connections: one more is
// answered only after one of them closes.
func TestServeConnectionCap(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var closed atomic.Bool
	answeredEarly := make(chan bool, 1)
	hs, lln := serveHTTP(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/extra" {
			answeredEarly <- !closed.Load()
		}
	}), ln, 2)
	go hs.Serve(lln)
	defer hs.Close()
	if hs.WriteTimeout != serveWriteTimeout || hs.WriteTimeout < hs.ReadTimeout {
		t.Fatalf("WriteTimeout %v (ReadTimeout %v)", hs.WriteTimeout, hs.ReadTimeout)
	}
	var held []net.Conn
	for range 2 {
		conn, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(conn, "GET /held HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
		if _, err := http.ReadResponse(bufio.NewReader(conn), nil); err != nil {
			t.Fatal(err)
		}
		held = append(held, conn) // keep-alive: still counted
	}
	go http.Get("http://" + ln.Addr().String() + "/extra")
	time.Sleep(200 * time.Millisecond) // a cap that does not hold answers within this
	closed.Store(true)
	held[0].Close()
	if early := <-answeredEarly; early {
		t.Fatal("a connection beyond the cap was served while the cap was full")
	}
	held[1].Close()
}

func TestServeDamagedStateSaysRepair(t *testing.T) {
	// The state file itself, and each of its sidecars: the command to
	// repair always names the state file, the one --state takes.
	for _, damaged := range []string{"", ".kms", ".trail"} {
		path := filepath.Join(t.TempDir(), "state.jsonl")
		os.WriteFile(path+damaged, []byte("garbage\nmore\n"), 0o600)
		var out, errb bytes.Buffer
		if code := runServe([]string{"--addr", "127.0.0.1:0", "--state", path}, &out, &errb); code != 1 {
			t.Fatalf("%q: exit %d: %s", damaged, code, errb.String())
		}
		if !strings.Contains(errb.String(), path+damaged+" is damaged at byte 0") ||
			!strings.Contains(errb.String(), "serve --state "+path+" --repair\n") {
			t.Fatalf("%q: stderr: %s", damaged, errb.String())
		}
	}
}
