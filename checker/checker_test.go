package checker

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"secretlings/internal/motoserver"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// TestMain shares one build cache among every Checker of the test binary:
// the tests grade the same sources on two backends and with several
// Checkers, and each build links the AWS SDK.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "secretlings-checker-test-builds-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	sharedBuilds = &buildCache{built: map[string]buildResult{}, dir: dir, keep: true}
	code := m.Run()
	motoserver.StopShared()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

func root(t *testing.T) string {
	t.Helper()
	r, err := FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// forEachBackend runs f on the embedded emulator and, unless -short, on
// moto_server (skipped with a message when it is not installed).
func forEachBackend(t *testing.T, f func(t *testing.T, b Backend)) {
	t.Helper()
	t.Run("embedded", func(t *testing.T) {
		t.Parallel()
		b, stop, err := StartEmbedded("us-east-1")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(stop)
		f(t, b)
	})
	t.Run("moto", func(t *testing.T) {
		t.Parallel()
		if testing.Short() {
			t.Skip("moto_server runs without -short")
		}
		m := motoserver.ForTest(t)
		f(t, Backend{
			Endpoint: m.URL, Region: "us-east-1", Local: true,
			Client: secretsmanager.New(secretsmanager.Options{
				BaseEndpoint: awssdk.String(m.URL), Region: "us-east-1",
				Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
			}),
		})
	})
}

func describe(res *Result) string {
	var b strings.Builder
	for _, c := range res.Checks {
		mark := "ok  "
		if !c.Passed {
			mark = "FAIL"
		}
		b.WriteString("\n  " + mark + " " + c.Name)
		if c.Reason != "" {
			b.WriteString(": " + c.Reason)
		}
	}
	if res.Output != "" {
		b.WriteString("\n  output:\n" + res.Output)
	}
	return b.String()
}

// gradeSlots bounds the gradings the package's tests run at once: the
// heavy tests run in parallel with each other (they mostly wait, on links
// and on the programs' own pauses), but a grader that counts calls per TTL
// must not be starved.
var gradeSlots = make(chan struct{}, 6)

func grade(t *testing.T, c *Checker, ex *Exercise, ns string) *Result {
	t.Helper()
	gradeSlots <- struct{}{}
	defer func() { <-gradeSlots }()
	// Generous: the first build on a fresh, busy machine compiles the SDK.
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	res, err := c.Grade(ctx, ex, ns)
	if err != nil {
		t.Fatalf("grading %s: %v", ex.ID, err)
	}
	return res
}

// Every reference solution passes and every untouched stub fails, on
// every backend.
func TestSolutionsPassStubsFail(t *testing.T) {
	gradesApart(t)
	t.Parallel()
	r := root(t)
	forEachBackend(t, func(t *testing.T, b Backend) {
		{
			sol := New(b, r)
			sol.Source = Solution
			stub := New(b, r)
			stub.Source = Stub
			t.Cleanup(func() { sol.Close(); stub.Close() })
			for _, ex := range All() {
				t.Run(ex.ID, func(t *testing.T) {
					if ex.tests {
						t.Skip("a test exercise runs against a Secrets Manager of its own, on any backend: TestCatchTheBugsScores grades its reference and stub")
					}
					if ex.enforced && b.Emulator == nil {
						ns := NewNamespace(ex.ID)
						assertNeedsEnforcement(t, grade(t, sol, ex, ns))
						assertNoSecretsLeft(t, b, ns)
						return
					}
					// Each grading's own namespace: other tests grade the
					// same exercise on this backend at the same time.
					solNS, stubNS := NewNamespace(ex.ID), NewNamespace(ex.ID)
					res := grade(t, sol, ex, solNS)
					if !res.Passed {
						t.Errorf("the reference solution fails:%s", describe(res))
					}
					res = grade(t, stub, ex, stubNS)
					if res.Passed {
						t.Errorf("the untouched stub passes:%s", describe(res))
					}
					assertNoSecretsLeft(t, b, solNS)
					assertNoSecretsLeft(t, b, stubNS)
				})
			}
		}
	})
}

// assertNoSecretsLeft fails when a secret under prefix survived grading.
func assertNoSecretsLeft(t *testing.T, b Backend, prefix string) {
	t.Helper()
	out, err := b.Client.ListSecrets(context.Background(), &secretsmanager.ListSecretsInput{
		IncludePlannedDeletion: awssdk.Bool(true),
		Filters:                []types.Filter{{Key: types.FilterNameStringTypeName, Values: []string{prefix}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range out.SecretList {
		if strings.HasPrefix(awssdk.ToString(s.Name), prefix) {
			t.Errorf("grading left %s behind", awssdk.ToString(s.Name))
		}
	}
}

func assertFailedWithHint(t *testing.T, res *Result, check string) {
	t.Helper()
	if res.Passed {
		t.Fatalf("the wrong solution passes:%s", describe(res))
	}
	for _, c := range res.Checks {
		if c.Name != check {
			continue
		}
		if c.Passed {
			t.Fatalf("check %q passed:%s", check, describe(res))
		}
		if c.Hint == 0 {
			t.Errorf("check %q failed without a hint", check)
		}
		if f := res.FirstFailed(); f.Name == check && res.NextHint == "" {
			t.Errorf("no hint text for %q", check)
		}
		return
	}
	t.Fatalf("no check %q:%s", check, describe(res))
}

// A rollback that writes the good value again makes a new version, and the
// checker says so.
func TestRollbackWithNewVersionCaught(t *testing.T) {
	r := root(t)
	forEachBackend(t, func(t *testing.T, b Backend) {
		{
			c := New(b, r)
			t.Cleanup(func() { c.Close() })
			ex, _ := Lookup("rollback")
			ns := NewNamespace(ex.ID)
			ctx := context.Background()
			t.Cleanup(func() { _ = c.Cleanup(ctx, ns) })
			if err := c.Prepare(ctx, ex, ns); err != nil {
				t.Fatal(err)
			}
			if _, err := b.Client.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{
				SecretId: awssdk.String(ns + rollbackName), SecretString: awssdk.String(rollbackGood),
			}); err != nil {
				t.Fatal(err)
			}
			res := grade(t, c, ex, ns)
			assertFailedWithHint(t, res, "no new version was created")
		}
	})
}

// A state exercise keeps the learner's work between gradings, and Reset
// deletes it and seeds the starting state again.
func TestStateExerciseKeepsStateAndResets(t *testing.T) {
	r := root(t)
	b, stop, err := StartEmbedded("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	c := New(b, r)
	defer c.Close()
	ctx := context.Background()
	ex, _ := Lookup("create-secret")
	ns := NewNamespace(ex.ID)
	if res := grade(t, c, ex, ns); res.Passed {
		t.Fatalf("passes before anything was created:%s", describe(res))
	}
	if _, err := b.Client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{
		Name: awssdk.String(ns + createSecretName), Description: awssdk.String("Payments service configuration"),
		SecretString: awssdk.String(`{"host":"h","port":1,"api_key":"k-123456"}`),
	}); err != nil {
		t.Fatal(err)
	}
	res := grade(t, c, ex, ns)
	for _, ch := range res.Checks {
		want := ch.Name != "it is tagged team=payments and env=dev"
		if ch.Passed != want {
			t.Errorf("check %q passed=%v, want %v:%s", ch.Name, ch.Passed, want, describe(res))
		}
	}
	// Grading the learner's state must not delete it.
	if _, err := b.Client.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: awssdk.String(ns + createSecretName)}); err != nil {
		t.Fatalf("grading deleted the learner's secret: %v", err)
	}
	if err := c.Cleanup(ctx, ns); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Client.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: awssdk.String(ns + createSecretName)}); !isNotFound(err) {
		t.Fatalf("cleanup left the secret: %v", err)
	}
}

// Reset restores the learner's files from the pristine stubs.
func TestResetRestoresFiles(t *testing.T) {
	r := t.TempDir()
	ex, _ := Lookup("ttl-cache")
	dir := filepath.Join(r, ex.Dir())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"cache.go", "main.go"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("edited"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c := New(Backend{}, r)
	if err := c.Reset(context.Background(), ex, ""); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"cache.go", "main.go"} {
		got, _ := os.ReadFile(filepath.Join(dir, f))
		want, _ := pristineFile(ex, f)
		if string(got) != string(want) || len(want) == 0 {
			t.Errorf("%s was not restored", f)
		}
	}
}

// Every exercise has an embedded reference solution and originals of all
// its files; no reference solution lies in the checkout until earned.
func TestSolutionsEmbeddedNotOnDisk(t *testing.T) {
	r := root(t)
	for _, ex := range All() {
		if _, err := SolutionOf(ex); err != nil {
			t.Error(err)
		}
		for _, f := range append(ex.Files, ex.Provided...) {
			if _, err := pristineFile(ex, f); err != nil {
				t.Error(err)
			}
		}
		if out, err := exec.Command("git", "-C", r, "ls-files", SolutionDir(ex)).Output(); err == nil && len(out) > 0 {
			t.Errorf("%s: the reference solution is committed in the exercise folder: %s", ex.ID, out)
		}
	}
}

// WriteSolution writes a solution, with its drivers, that builds on its own
// and leaves the learner's files alone.
func TestWriteSolution(t *testing.T) {
	r := t.TempDir()
	ex, _ := Lookup("ttl-cache")
	dir := filepath.Join(r, ex.Dir())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "cache.go"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := WriteSolution(r, ex)
	if err != nil || got != SolutionDir(ex) {
		t.Fatalf("WriteSolution = %q, %v", got, err)
	}
	for _, f := range []string{"cache.go", "main.go"} {
		data, err := os.ReadFile(filepath.Join(r, got, f))
		if err != nil || len(data) == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	if mine, _ := os.ReadFile(filepath.Join(dir, "cache.go")); string(mine) != "mine" {
		t.Errorf("the learner's file changed: %q", mine)
	}
}

// Every exercise has instructions and at least two hints, and every hint a
// check points to exists.
func TestExerciseTexts(t *testing.T) {
	r := root(t)
	for _, ex := range All() {
		if text, err := Instructions(r, ex); err != nil || !strings.HasPrefix(text, "# ") {
			t.Errorf("%s: README.md missing or without a title (%v)", ex.ID, err)
		}
		hints, err := Hints(r, ex)
		if err != nil || len(hints) < 2 {
			t.Errorf("%s: want tiered hints, got %d (%v)", ex.ID, len(hints), err)
		}
		for i, h := range hints {
			if h == "" {
				t.Errorf("%s: hint %d is empty", ex.ID, i+1)
			}
		}
	}
}

func TestParseHints(t *testing.T) {
	tests := []struct {
		doc  string
		want []string
	}{
		{"# Hints\n\n## Hint 1\n\none\n\n## Hint 2\ntwo\nlines\n", []string{"one", "two\nlines"}},
		{"no sections", nil},
		{"## A\n## B\nb", []string{"", "b"}},
	}
	for _, tt := range tests {
		got := parseHints(tt.doc)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
			t.Errorf("parseHints(%q) = %q, want %q", tt.doc, got, tt.want)
		}
	}
}

func TestTrimCompile(t *testing.T) {
	out := "# secretlings/lessons/x\n/repo/lessons/x/main.go:3:2: undefined: foo\n"
	for i := range 12 {
		out += "/repo/lessons/x/main.go:" + string(rune('a'+i)) + ": more\n"
	}
	got := trimCompile(out, "/repo")
	lines := strings.Split(got, "\n")
	if lines[0] != "lessons/x/main.go:3:2: undefined: foo" {
		t.Errorf("first line %q", lines[0])
	}
	if len(lines) != 11 || lines[10] != "(3 more lines)" {
		t.Errorf("got %d lines, last %q", len(lines), lines[len(lines)-1])
	}
}

func TestValidNamespace(t *testing.T) {
	ns := NewNamespace("rollback")
	tests := []struct {
		id, ns string
		want   bool
	}{
		{"rollback", ns, true},
		{"create-secret", ns, false},
		{"rollback", "secretlings/ex/rollback/", false},
		{"rollback", "prod/", false},
		{"rollback", "secretlings/ex/rollback/12345678/x/", false},
	}
	for _, tt := range tests {
		if got := ValidNamespace(tt.id, tt.ns); got != tt.want {
			t.Errorf("ValidNamespace(%q, %q) = %v", tt.id, tt.ns, got)
		}
	}
}

// A compile error is reported as the compiler printed it, as the only
// check.
func TestCompileErrorShown(t *testing.T) {
	b, stop, err := StartEmbedded("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	c := New(b, root(t))
	c.Source = Solution
	c.replace = map[string][]byte{"logger.go": []byte("package main\n\nfunc newLogger() { undefinedThing() }\n")}
	defer c.Close()
	ex, _ := Lookup("safe-logger")
	res := grade(t, c, ex, NewNamespace(ex.ID))
	if res.Passed || len(res.Checks) != 1 || res.Checks[0].Name != "compiles" {
		t.Fatalf("want one failed compiles check:%s", describe(res))
	}
	if !strings.Contains(res.Compile, "undefined: undefinedThing") || strings.HasPrefix(res.Compile, "#") {
		t.Errorf("compile message %q", res.Compile)
	}
	doc, _ := json.Marshal(res)
	if !strings.Contains(string(doc), `"passed":false`) {
		t.Errorf("json %s", doc)
	}
}

func TestLastLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"one\ntwo\n", "two"},
		{"panic: boom\n\ngoroutine 1 [running]:\nmain.main()\n\t/x/main.go:40 +0x269\n", "panic: boom"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := lastLine(tt.in); got != tt.want {
			t.Errorf("lastLine(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// An empty namespace is a fresh one for a code exercise, and an error for a
// state exercise graded from the learner's work.
func TestGradeWithoutNamespace(t *testing.T) {
	b, stop, err := StartEmbedded("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	c := New(b, root(t))
	defer c.Close()
	ex, _ := Lookup("rollback")
	if _, err := c.Grade(context.Background(), ex, ""); err == nil {
		t.Fatal("a state exercise was graded without its namespace")
	}
	c.Source = Solution
	res := grade(t, c, ex, "")
	if !ValidNamespace(ex.ID, res.Namespace) || !res.Passed {
		t.Fatalf("namespace %q, passed %v:%s", res.Namespace, res.Passed, describe(res))
	}
}
