package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestLocalStackTargetsSayWhatIsMissing runs make localstack-up and -down
// with stub docker, docker-compose and curl commands on PATH, for each way
// a machine can be short of Docker, and for both kinds of Compose.
func TestLocalStackTargetsSayWhatIsMissing(t *testing.T) {
	for _, tool := range []string{"make", "bash"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed", tool)
		}
	}
	const (
		plugin     = "case \"$1 $2\" in \"compose version\") exit 0;; compose*) echo \"$@\" >> \"$CALLS\"; exit 0;; info*) exit 0;; esac\n"
		noPlugin   = "case \"$1\" in compose) echo \"unknown shorthand flag: 'd' in -d\" >&2; exit 125;; info) exit 0;; esac\n"
		noDaemon   = "case \"$1\" in compose) exit 0;; info) echo 'Cannot connect to the Docker daemon' >&2; exit 1;; esac\n"
		composeV1  = "echo \"docker-compose $@\" >> \"$CALLS\"\n"
		healthyLS  = "echo '{\"services\": {\"secretsmanager\": \"running\"}}'\n"
		needsNoneT = "The tutorial does not need it"
	)
	for _, c := range []struct {
		name, target string
		stubs        map[string]string
		code         int
		out, calls   string
	}{
		{"no docker", "localstack-up", nil, 2, "Docker is not installed", ""},
		{"docker without compose", "localstack-up", map[string]string{"docker": noPlugin}, 2, "Docker is installed but Compose is not", ""},
		{"no daemon", "localstack-up", map[string]string{"docker": noDaemon}, 2, "no Docker daemon answers", ""},
		{"compose plugin", "localstack-up", map[string]string{"docker": plugin}, 0, "LocalStack is up", "compose up -d --wait localstack"},
		{"docker-compose v1", "localstack-up", map[string]string{"docker-compose": composeV1, "curl": healthyLS}, 0, "LocalStack is up", "docker-compose up -d localstack"},
		{"down, compose plugin", "localstack-down", map[string]string{"docker": plugin}, 0, "LocalStack is stopped", "compose down"},
		{"down, no docker", "localstack-down", nil, 2, "Docker is not installed", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			bin := t.TempDir()
			for name, body := range c.stubs {
				if err := os.WriteFile(filepath.Join(bin, name), []byte("#!/bin/sh\n"+body), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			calls := filepath.Join(t.TempDir(), "calls")
			cmd := exec.Command("make", "-s", c.target)
			// Only the stubs and the system's basic tools: not a real docker.
			cmd.Env = []string{"PATH=" + bin + ":/usr/bin:/bin", "CALLS=" + calls, "HOME=" + t.TempDir()}
			out, err := cmd.CombinedOutput()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != c.code || !strings.Contains(string(out), c.out) {
				t.Fatalf("exit %d, want %d; output:\n%s\nwant it to say %q", code, c.code, out, c.out)
			}
			if c.code != 0 && !strings.Contains(string(out), needsNoneT) {
				t.Errorf("a failure does not say the tutorial needs no Docker:\n%s", out)
			}
			if strings.Contains(string(out), "unknown shorthand flag") {
				t.Errorf("docker's own usage error reached the learner:\n%s", out)
			}
			got, _ := os.ReadFile(calls)
			if strings.TrimSpace(string(got)) != c.calls {
				t.Errorf("compose was called as %q, want %q", strings.TrimSpace(string(got)), c.calls)
			}
		})
	}
}
