package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"secretlings/checker"
	"secretlings/internal/progress"
	"secretlings/internal/pyenv"
)

// check --lang python grades the Python version; an exercise without one,
// named, is a clear usage error; an unknown language too.
func TestCheckLangPython(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := runCheck([]string{"--lang", "cobol", "config-manager"}, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), "choose go or python") {
		t.Errorf("--lang cobol: exit %d, %s", code, stderr.String())
	}
	stderr.Reset()
	if code := runCheck([]string{"--lang", "python", "--python", "/no/such/python", "config-manager"}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "--python") || strings.Contains(stderr.String(), "Traceback") {
		t.Errorf("missing interpreter: exit %d, %s", code, stderr.String())
	}
	if _, err := pyenv.Find("", os.Getenv); err != nil {
		t.Skipf("the Python track is SKIPPED: %v", err)
	}
	stderr.Reset()
	// catch-the-bugs' Python stub, a test that tests nothing, fails.
	if code := runCheck([]string{"--lang", "python", "--state-dir", t.TempDir(), "catch-the-bugs"}, &stdout, &stderr); code != 1 || !strings.Contains(stdout.String(), "load_db_config") {
		t.Errorf("catch-the-bugs in Python: exit %d, %s%s", code, stdout.String(), stderr.String())
	}
	stdout.Reset()
	stderr.Reset()
	t.Setenv("SECRETLINGS_LANG", "python")
	code := runCheck([]string{"--solutions", "--json", "--state-dir", t.TempDir(), "config-manager", "safe-logger"}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout.String(), stderr.String())
	}
	var doc checkReport
	if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil || len(doc.Exercises) != 2 {
		t.Fatalf("%v\n%s", err, stdout.String())
	}
	if c := doc.Exercises[0].Checks[0]; c.Name != "compiles" || !c.Passed {
		t.Errorf("first check %+v", c)
	}
}

// A Python syntax error is the compiles check, with the file and line as
// the Go compiler would give them.
func TestCheckLangPythonSyntaxError(t *testing.T) {
	if _, err := pyenv.Find("", os.Getenv); err != nil {
		t.Skipf("the Python track is SKIPPED: %v", err)
	}
	root := copyCheckout(t)
	dir := root + "/lessons/01-store-and-retrieve/config-manager"
	if err := os.WriteFile(dir+"/main.py", []byte("import os\n\ndef main(:\n    pass\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	if err := os.Chdir(root); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	var stdout, stderr bytes.Buffer
	code := runCheck([]string{"--lang", "python", "--state-dir", t.TempDir(), "config-manager"}, &stdout, &stderr)
	out := stdout.String()
	if code != 1 || !strings.Contains(out, "FAIL parses (no syntax error)") || !strings.Contains(out, "lessons/01-store-and-retrieve/config-manager/main.py:3:") || !strings.Contains(out, "SyntaxError") {
		t.Errorf("exit %d\n%s\n%s", code, out, stderr.String())
	}
}

// watch --lang python watches the Python file: the stub fails, saving the
// Python solution over it passes, and the Python solution is earned.
func TestWatchLangPython(t *testing.T) {
	if _, err := pyenv.Find("", os.Getenv); err != nil {
		t.Skipf("the Python track is SKIPPED: %v", err)
	}
	root := copyCheckout(t)
	t.Chdir(root)
	oldPoll, oldDebounce := watchPoll, watchDebounce
	watchPoll, watchDebounce = 100*time.Millisecond, 20*time.Millisecond
	t.Cleanup(func() { watchPoll, watchDebounce = oldPoll, oldDebounce })
	var out, errOut syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	go func() {
		done <- watch(ctx, []string{"--lang", "python", "--state-dir", t.TempDir(), "config-manager"}, &out, &errOut)
	}()
	waitOutput(t, &out, "Edit lessons/01-store-and-retrieve/config-manager/main.py ")
	waitOutput(t, &out, "FAIL  config-manager")
	ex, _ := checker.Lookup("config-manager")
	sol, err := checker.SolutionIn(ex, checker.Python)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, ex.Dir(), "main.py"), sol[0].Data, 0o644); err != nil {
		t.Fatal(err)
	}
	waitOutput(t, &out, "PASS  config-manager")
	cancel()
	<-done
	if _, err := os.Stat(filepath.Join(root, checker.SolutionDir(ex), "main.py")); err != nil {
		t.Errorf("the Python solution was not earned: %v", err)
	}
}

// Without --lang or SECRETLINGS_LANG, check and watch grade each exercise
// in the language chosen in the app: the learner's, or the exercise's own.
func TestLangChosenInTheApp(t *testing.T) {
	t.Setenv(langEnv, "")
	prog := progress.New()
	prog.Lang = "python"
	prog.Exercise("idempotent-write").Lang = "go"
	var stderr bytes.Buffer
	lf := langFlags{python: "/no/such/python"}
	_, _, code := lf.choose(checker.All(), false, prog, "secretlings check", &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "chosen in the app for config-manager") || !strings.Contains(stderr.String(), "--lang go") {
		t.Errorf("Python chosen in the app, not ready: exit %d, %s", code, stderr.String())
	}
	stderr.Reset()
	exs, lc, code := langFlags{lang: "go"}.choose(checker.All(), false, prog, "secretlings check", &stderr)
	if code >= 0 || len(exs) != len(checker.All()) {
		t.Fatalf("--lang go: %d, %s", code, stderr.String())
	}
	for _, ex := range exs {
		if lc.lang(ex) != checker.Go {
			t.Errorf("--lang go grades %s in %s", ex.ID, lc.lang(ex))
		}
	}
	if _, err := pyenv.Find("", os.Getenv); err != nil {
		t.Skipf("the Python track is SKIPPED: %v", err)
	}
	exs, lc, code = langFlags{}.choose(checker.All(), false, prog, "secretlings check", &stderr)
	if code >= 0 || lc.py == nil {
		t.Fatalf("exit %d, %s", code, stderr.String())
	}
	for _, ex := range exs {
		want := checker.Python
		if ex.Kind == checker.State || ex.ID == "idempotent-write" {
			want = checker.Go
		}
		if got := lc.lang(ex); got != want {
			t.Errorf("%s is graded in %s, want %s", ex.ID, got, want)
		}
	}

	// The whole command: the progress file says python, so main.py is
	// graded.
	t.Chdir(copyCheckout(t))
	dir := t.TempDir()
	if err := progress.NewStore(dir).Save(prog); err != nil {
		t.Fatal(err)
	}
	var stdout bytes.Buffer
	if code := runCheck([]string{"--solutions", "--json", "--state-dir", dir, "config-manager"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s%s", code, stdout.String(), stderr.String())
	}
	var doc checkReport
	if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil || len(doc.Exercises) != 1 || doc.Exercises[0].Lang != "python" {
		t.Errorf("not graded in Python: %v\n%s", err, stdout.String())
	}
}

// Every command's help says the same about where the language comes from.
func TestLangHelpAgrees(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"check", "--help"}, {"watch", "--help"}, {"run", "--help"}} {
		var stdout, stderr bytes.Buffer
		run(args, &stdout, &stderr)
		if got := strings.Join(strings.Fields(stdout.String()), " "); !strings.Contains(got, strings.Join(strings.Fields(langDefault), " ")) {
			t.Errorf("secretlings %s does not say %q:\n%s", strings.Join(args, " "), langDefault, stdout.String())
		}
	}
}

// A language or interpreter that comes from a variable names it.
func TestLangErrorsNameTheirSource(t *testing.T) {
	t.Setenv(langEnv, "ruby")
	var stdout, stderr bytes.Buffer
	if code := runCheck([]string{"config-manager"}, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), "SECRETLINGS_LANG names an unknown language, \"ruby\"") {
		t.Errorf("exit %d, %s", code, stderr.String())
	}
}
