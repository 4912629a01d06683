//go:build unix

package lessons

import (
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// TestServeWorkflowRunsHere runs lesson 7's serve workflow as far as this
// machine can: its build and serve steps as written (bash -eo pipefail, as
// GitHub runs them), on a free port instead of 4566, then the example's
// endpoint test against that server in place of the whole suite. So the
// workflow's commands, serve's ready line and the test's use of
// AWS_ENDPOINT_URL are proven together.
func TestServeWorkflowRunsHere(t *testing.T) {
	if testing.Short() {
		t.Skip("builds secretlings and runs go test: skipped with -short")
	}
	wf, _ := lessonWorkflows(t)
	job := wf.Jobs["test"]
	_, build := stepNamed(t, job, "Build secretlings")
	_, serve := stepNamed(t, job, "Start secretlings serve")
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	endpoint := "http://" + freeAddr(t)
	env := workflowEnv(job.Env, map[string]string{"AWS_ENDPOINT_URL": endpoint, "RUNNER_TEMP": tmp})

	start := time.Now()
	if out, err := runStep(t, root, env, build.Run).CombinedOutput(); err != nil {
		t.Fatalf("the build step failed: %v\n%s", err, out)
	}
	t.Logf("build step: %v", time.Since(start).Round(time.Millisecond))

	start = time.Now()
	cmd := runStep(t, root, env, serve.Run)
	// Its own process group, so that the server it leaves running in the
	// background is stopped with it, and nothing else.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stopGroup(t, cmd.Process.Pid) })
	if err := cmd.Wait(); err != nil {
		log, _ := os.ReadFile(filepath.Join(tmp, "serve.log"))
		t.Fatalf("the serve step failed: %v\n%s", err, log)
	}
	t.Logf("serve step: %v", time.Since(start).Round(time.Millisecond))

	start = time.Now()
	test := exec.Command("go", "test", "-count=1", "-v", "-run", "^TestReadSettingOnAConfiguredEndpoint$", "./lessons/07-develop-locally/example/")
	test.Dir, test.Env = root, env
	out, err := test.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestReadSettingOnAConfiguredEndpoint") {
		t.Fatalf("the endpoint test did not pass against serve (%v):\n%s", err, out)
	}
	t.Logf("endpoint test against serve: %v", time.Since(start).Round(time.Millisecond))
	checkServerEmpty(t, endpoint)
}

// workflowEnv is a job's environment: this process's, without any AWS
// setting or profile of the developer's (a GitHub runner has none), plus
// the job's env and the overrides.
func workflowEnv(job, override map[string]string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	env = append(env, "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_EC2_METADATA_DISABLED=true")
	for k, v := range job {
		if _, ok := override[k]; !ok {
			env = append(env, k+"="+v)
		}
	}
	for k, v := range override {
		env = append(env, k+"="+v)
	}
	return env
}

// runStep prepares a step's run script as GitHub Actions runs it.
func runStep(t *testing.T, dir string, env []string, script string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script)
	cmd.Dir, cmd.Env = dir, env
	return cmd
}

// stopGroup ends the process group the serve step started, and waits
// until it is gone.
func stopGroup(t *testing.T, pgid int) {
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		if err := syscall.Kill(-pgid, 0); errors.Is(err, syscall.ESRCH) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
	t.Errorf("secretlings serve did not stop on SIGTERM within 3s: killed")
}

// freeAddr is a loopback address with a port free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// checkServerEmpty asserts that the endpoint test deleted what it created.
func checkServerEmpty(t *testing.T, endpoint string) {
	t.Helper()
	client := secretsmanager.New(secretsmanager.Options{
		BaseEndpoint: aws.String(endpoint), Region: "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
	})
	out, err := client.ListSecrets(context.Background(), &secretsmanager.ListSecretsInput{IncludePlannedDeletion: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range out.SecretList {
		t.Errorf("the endpoint test left %s behind", aws.ToString(s.Name))
	}
}
