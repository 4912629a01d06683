package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"secretlings/aws"
	"secretlings/checker"
	"secretlings/internal/pyenv"
	"secretlings/mask"
)

// run needs one code exercise; a state exercise has no program, and says
// where it is done instead.
func TestRunUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "name one exercise: config-manager, idempotent-write"},
		{[]string{"nope"}, `there is no exercise "nope"`},
		{[]string{"rollback"}, "rollback has no program to run"},
		{[]string{"config-manager", "-e", "novalue"}, "-e wants NAME=VALUE"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(append([]string{"run"}, tc.args...), &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("run %v: exit %d, %q; want 2 and %q", tc.args, code, stderr.String(), tc.want)
		}
	}
}

// runIn runs `secretlings run args…` in a copy of the checkout whose files
// are files (path → content), and returns its exit status and output.
func runIn(t *testing.T, files map[string]string, args ...string) (int, string, string) {
	t.Helper()
	root := copyCheckout(t)
	for p, data := range files {
		if err := os.WriteFile(filepath.Join(root, p), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(root)
	var stdout, stderr bytes.Buffer
	code := runRun(append([]string{"--state-dir", t.TempDir()}, args...), strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// A Python program runs in its folder against a seeded Secrets Manager,
// with the variables its README names, printed as export lines; what it
// prints of a secret is masked; -e changes a variable.
func TestRunPython(t *testing.T) {
	if _, err := pyenv.Find("", os.Getenv); err != nil {
		t.Skipf("the Python track is SKIPPED: %v", err)
	}
	t.Setenv("AWS_SESSION_TOKEN", "from-the-shell") // left out: the run's credentials are dummy ones
	ex, _ := checker.Lookup("config-manager")
	sol, err := checker.SolutionIn(ex, checker.Python)
	if err != nil {
		t.Fatal(err)
	}
	main := filepath.Join(ex.Dir(), "main.py")
	code, stdout, stderr := runIn(t, map[string]string{main: string(sol[0].Data)}, "config-manager", "--lang", "python")
	if code != 0 || !strings.Contains(stdout, "host=") || !strings.Contains(stderr, "export DATABASE_SECRET_NAME=secretlings/run/config-manager/") ||
		!strings.Contains(stderr, "export AWS_DEFAULT_REGION=") || !strings.Contains(stderr, "$ cd "+filepath.ToSlash(ex.Dir())+" && ") {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	code, stdout, stderr = runIn(t, map[string]string{main: string(sol[0].Data)}, "config-manager", "--lang", "python", "-e", "DATABASE_SECRET_NAME=nope")
	if code != 1 || !strings.Contains(stdout+stderr, "nope") {
		t.Errorf("a missing secret: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	// A program that prints the whole secret shows it masked.
	leak := "import json, os, boto3\nv = boto3.client('secretsmanager').get_secret_value(SecretId=os.environ['DATABASE_SECRET_NAME'])['SecretString']\nprint(v)\nprint(json.loads(v)['password'])\nprint(os.environ.get('AWS_SESSION_TOKEN', 'no token'))\n"
	code, stdout, stderr = runIn(t, map[string]string{main: leak}, "config-manager", "--lang", "python")
	if code != 0 || strings.Contains(stdout, `"host"`) || strings.Count(stdout, mask.Masked) != 2 || !strings.Contains(stdout, "no token") {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
}

// ttl-cache's driver waits, half-way, for a secret to change: run changes
// it, as the checker does, and the driver runs to the end.
func TestRunTalksToTheDriver(t *testing.T) {
	if _, err := pyenv.Find("", os.Getenv); err != nil {
		t.Skipf("the Python track is SKIPPED: %v", err)
	}
	ex, _ := checker.Lookup("ttl-cache")
	sol, err := checker.SolutionIn(ex, checker.Python)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, f := range sol {
		files[filepath.Join(ex.Dir(), f.Name)] = string(f.Data)
	}
	code, stdout, stderr := runIn(t, files, "ttl-cache", "--lang", "python")
	if code != 0 || !strings.Contains(stdout, "fresh-after") || !strings.Contains(stdout, "\ndone\n") {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
}

// check -v prints what the program printed; without it, a failed exercise
// says how to see it, and how to run the program by hand.
func TestCheckShowsOutput(t *testing.T) {
	ex, _ := checker.Lookup("config-manager")
	res := &checker.Result{Exercise: ex.ID, Checks: []checker.Check{{Name: "runs and exits with status 0", Reason: "it exited with status 1 at lessons/x/main.py:3 (in main): NameError: x"}},
		Output: "── run 1 · exit status 1 ──\nTraceback (most recent call last):\nNameError: x\n"}
	var quiet, loud bytes.Buffer
	printResults(&quiet, []*checker.Exercise{ex}, []*checker.Result{res}, []string{""}, aws.Target{}, false, 0, report{again: "secretlings check %s --verbose"})
	printResults(&loud, []*checker.Exercise{ex}, []*checker.Result{res}, []string{""}, aws.Target{}, false, 0, report{verbose: true})
	if !strings.Contains(quiet.String(), "secretlings check config-manager --verbose; run it by hand: secretlings run config-manager") || strings.Contains(quiet.String(), "Traceback") {
		t.Errorf("without -v:\n%s", quiet.String())
	}
	if !strings.Contains(loud.String(), "        Traceback (most recent call last):\n        NameError: x\n") {
		t.Errorf("with -v:\n%s", loud.String())
	}
}
