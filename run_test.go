package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
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

// runPromises are what each code exercise's README promises its reference
// solution prints under `secretlings run` ("Run it yourself"), as checks
// of its stdout and stderr: why not, or "".
var runPromises = map[string]func(stdout, stderr string) string{
	"config-manager": func(stdout, stderr string) string {
		// The host the intro shows as seeded.
		host := regexp.MustCompile(`"host":"([^"]+)"`).FindStringSubmatch(stderr)
		return failUnless(host != nil && strings.Contains(stdout, "host="+host[1]+" "), "no host= line with the seeded host")
	},
	"idempotent-write": func(stdout, stderr string) string {
		// The release seeded, then the one in NEW_VALUE.
		old := regexp.MustCompile(`Seeded .*"release":"([^"]+)"`).FindStringSubmatch(stderr)
		next := regexp.MustCompile(`export NEW_VALUE=.*"release":"([^"]+)"`).FindStringSubmatch(stderr)
		return failUnless(old != nil && next != nil && strings.Contains(stdout, "previous release: "+old[1]+"\n") &&
			strings.Contains(stdout, "new release: "+next[1]+"\n") && strings.Contains(stderr, " now has 2 versions:"),
			"not both releases, or not the secret's two versions")
	},
	"rotation-handler": func(_, stderr string) string {
		return failUnless(strings.Contains(stderr, "The rotation completed: the new version") && strings.Contains(stderr, "AWSPREVIOUS"), "no completed rotation")
	},
	"ttl-cache": func(stdout, _ string) string {
		return failUnless(strings.Contains(stdout, "\nfresh-after ") && strings.Contains(stdout, "\nexpired ") && strings.HasSuffix(stdout, "\ndone\n"), "the driver's report does not run to done")
	},
	"safe-logger": func(stdout, _ string) string {
		// Every record to the last, no password or API key unmasked.
		done := regexp.MustCompile(`(?m)^log\| .*\bdone user=`).MatchString(stdout)
		return failUnless(done && !strings.Contains(stdout, "sk_live_") && !strings.Contains(stdout, `Pw"`) && !strings.Contains(stdout, `Pw\"`),
			"the log does not reach its last record, or a secret shows unmasked")
	},
	"catch-the-bugs": func(stdout, stderr string) string {
		return failUnless(strings.Contains(stdout, "\nPASS\n") || strings.Contains(stderr, "\nOK\n"), "the tests did not pass")
	},
}

func failUnless(ok bool, why string) string {
	if ok {
		return ""
	}
	return why
}

// Every code exercise's reference solution, in Go and in Python, runs
// through `secretlings run` to its end (exit status 0) and prints what
// its README promises. The run seeds the scenario its grader seeds (see
// checker.NewTryout), so a driver that needs more fails here.
func TestRunEverySolution(t *testing.T) {
	_, noPython := pyenv.Find("", os.Getenv)
	root := copyCheckout(t) // one copy: each exercise writes only its own folder
	t.Chdir(root)
	for _, ex := range checker.All() {
		if ex.Kind != checker.Code {
			continue
		}
		for _, lang := range checker.Langs {
			t.Run(ex.ID+"/"+lang.String(), func(t *testing.T) {
				promise, ok := runPromises[ex.ID]
				switch {
				case !ok:
					t.Fatalf("runPromises has nothing for %s: add what its README's \"Run it yourself\" promises", ex.ID)
				case !ex.Has(lang):
					t.Skipf("%s has no %s version", ex.ID, lang)
				case lang == checker.Python && noPython != nil:
					t.Skipf("the Python track is SKIPPED: %v", noPython)
				}
				sol, err := checker.SolutionIn(ex, lang)
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range sol {
					if err := os.WriteFile(filepath.Join(root, ex.Dir(), f.Name), f.Data, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				var stdout, stderr bytes.Buffer
				code := runRun([]string{"--state-dir", t.TempDir(), ex.ID, "--lang", lang.String()}, strings.NewReader(""), &stdout, &stderr)
				why := promise(stdout.String(), stderr.String())
				if code != 0 {
					why = fmt.Sprintf("exit status %d", code)
				}
				if why != "" {
					t.Errorf("secretlings run %s --lang %s: %s\nstdout:\n%s\nstderr:\n%s", ex.ID, lang, why, stdout.String(), stderr.String())
				}
			})
		}
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
