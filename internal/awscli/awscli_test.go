package awscli

import (
	"context"
	"net"
	"os"
	"strings"
	"testing"
	"time"
)

func needCLI(t *testing.T) {
	t.Helper()
	if !Installed() {
		t.Skip("the aws CLI is not installed")
	}
}

// baseEnv is an environment with nothing of the machine's AWS settings.
func baseEnv(t *testing.T) []string {
	return []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null"}
}

// A command in the worker prints, exits and reads its environment as the
// aws process does, and what one command sets (--debug's logging, its
// environment) is gone for the next.
func TestWorkerRunsCommandsAsTheProcessDoes(t *testing.T) {
	needCLI(t)
	ctx := context.Background()
	env := baseEnv(t)
	cases := []struct {
		name string
		env  []string
		args []string
	}{
		{"version", env, []string{"--version"}},
		{"region from the environment", append(env, "AWS_DEFAULT_REGION=eu-west-3"), []string{"configure", "get", "region"}},
		{"no region", env, []string{"configure", "get", "region"}},
		{"a missing argument", env, []string{"secretsmanager", "get-secret-value"}},
		{"a call that cannot connect", append(env, "AWS_ACCESS_KEY_ID=a", "AWS_SECRET_ACCESS_KEY=b", "AWS_DEFAULT_REGION=us-east-1", "AWS_MAX_ATTEMPTS=1"),
			[]string{"secretsmanager", "list-secrets", "--endpoint-url", "http://127.0.0.1:9", "--cli-connect-timeout", "1", "--debug"}},
		{"after --debug, quiet again", append(env, "AWS_DEFAULT_REGION=us-east-1"), []string{"configure", "get", "region"}},
	}
	for _, c := range cases {
		got, err := Run(ctx, c.env, c.args...)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		want, err := runProcess(ctx, c.env, c.args)
		if err != nil {
			t.Fatalf("%s: aws process: %v", c.name, err)
		}
		if got.Code != want.Code || got.Stdout != want.Stdout || firstLine(got.Stderr) != firstLine(want.Stderr) {
			t.Errorf("%s: the worker gave exit %d, stdout %q, stderr %q; the aws process exit %d, stdout %q, stderr %q",
				c.name, got.Code, got.Stdout, firstLine(got.Stderr), want.Code, want.Stdout, firstLine(want.Stderr))
		}
	}
	if warm == nil {
		t.Error("the commands ran as processes: python3 here imports awscli, so they should run in the worker")
	}
}

// firstLine drops what differs run to run (--debug's timestamps).
func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	if i := strings.Index(line, " - "); i > 0 && strings.Contains(line[:i], ":") {
		return line[i:] // a debug line: its time
	}
	return line
}

// A command that does not finish in time stops the worker; the next one
// gets a new worker.
func TestContextStopsTheWorker(t *testing.T) {
	needCLI(t)
	env := append(baseEnv(t), "AWS_ACCESS_KEY_ID=a", "AWS_SECRET_ACCESS_KEY=b", "AWS_DEFAULT_REGION=us-east-1")
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	// A listener that never answers: the call waits for its read timeout.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if _, err := Run(ctx, env, "secretsmanager", "list-secrets", "--endpoint-url", "http://"+ln.Addr().String(), "--cli-read-timeout", "30"); err == nil {
		t.Fatal("a command stopped by its context reported no error")
	}
	res, err := Run(context.Background(), env, "--version")
	if err != nil || res.Code != 0 || !strings.HasPrefix(res.Stdout+res.Stderr, "aws-cli/") {
		t.Fatalf("after a stopped command: %v %+v", err, res)
	}
}
