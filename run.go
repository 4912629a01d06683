package main

// `secretlings run EXERCISE` runs the learner's program by hand, as they
// would run it themselves, against a Secrets Manager seeded as the
// exercise's README describes, with the variables the README names: what
// `python3 main.py` alone cannot do (it has no endpoint, region or names).

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"secretlings/aws"
	"secretlings/checker"
	"secretlings/internal/pyenv"
	"secretlings/mask"
)

var runUsage = `Usage: secretlings run [flags] EXERCISE

Runs your program for a code exercise by hand, as you would yourself
(python3 main.py in its folder, or its Go package), against a Secrets
Manager of its own: the embedded one, started for this run and gone after
it, unless --endpoint-url names another (secretlings serve, LocalStack,
moto). First the secrets the exercise's README describes are seeded under
a fresh prefix, secretlings/run/EXERCISE/…/; then the program runs with the
variables the README names, pointing at them, and the endpoint, region and
dummy credentials, all printed first as export lines (your shell's own
AWS_ settings are left out; the rest of your environment is kept).

What the program prints is shown as it comes, with the seeded secret
values masked (` + mask.Masked + `), as the checker masks them. Nothing is graded:
that is secretlings check (or watch, or the app). The seeded secrets are
deleted afterwards. The exit status is the program's.

Flags:
  -e NAME=VALUE        set a variable of the program's (repeatable), e.g.
                       -e DATABASE_SECRET_NAME=nope to see what it does with
                       a missing secret
  --backend NAME       embedded (default), localstack or endpoint
  --endpoint-url URL   Secrets Manager endpoint for --backend endpoint
  --region REGION      AWS region (default: $AWS_REGION, else us-east-1)
  --state-dir DIR      where progress is kept (default: $SECRETLINGS_STATE_DIR)
` + langHelp + `  -h, --help           show this help

Exercises:
%s`

// envFlags collects -e NAME=VALUE.
type envFlags map[string]string

func (e envFlags) String() string { return "" }

func (e envFlags) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || k == "" {
		return fmt.Errorf("-e wants NAME=VALUE, got %q", s)
	}
	e[k] = v
	return nil
}

// codeExerciseList is the code exercises, one a line, for the usage text.
func codeExerciseList() string {
	var b strings.Builder
	for _, ex := range checker.All() {
		if ex.Kind == checker.Code {
			fmt.Fprintf(&b, "  %-18s %s\n", ex.ID, ex.Title)
		}
	}
	return b.String()
}

// runRun is `secretlings run`.
func runRun(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var f aws.Flags
	var stateDir string
	var lf langFlags
	env := envFlags{}
	fs := flag.NewFlagSet("secretlings run", flag.ContinueOnError)
	addBackendFlags(fs, &f)
	lf.register(fs)
	fs.StringVar(&stateDir, "state-dir", "", "")
	fs.Var(env, "e", "")
	help := fmt.Sprintf(runUsage, codeExerciseList())
	ids, code := parseInterspersed(fs, args, help, stdout, stderr)
	if code >= 0 {
		return code
	}
	if len(ids) != 1 {
		fmt.Fprintf(stderr, "secretlings run: name one exercise: %s (see secretlings run --help)\n", strings.Join(codeIDs(), ", "))
		return 2
	}
	ex, ok := checker.Lookup(ids[0])
	switch {
	case !ok:
		fmt.Fprintf(stderr, "secretlings run: there is no exercise %q: choose from %s\n", ids[0], strings.Join(codeIDs(), ", "))
		return 2
	case ex.Kind != checker.Code:
		fmt.Fprintf(stderr, "secretlings run: %s has no program to run: do it in the app (secretlings, then e), with the aws CLI against secretlings serve, or in any language; secretlings check %s grades it\n", ex.ID, ex.ID)
		return 2
	}
	root, err := checker.FindRoot(".")
	if err != nil {
		fmt.Fprintf(stderr, "secretlings run: %v\n", err)
		return 1
	}
	_, prog := loadProgress(stateDir)
	_, langs, code := lf.choose([]*checker.Exercise{ex}, true, prog, "secretlings run", stderr)
	if code >= 0 {
		return code
	}
	target, err := aws.Resolve(f, os.Getenv)
	if err != nil {
		fmt.Fprintf(stderr, "secretlings run: %v\n", err)
		return 2
	}
	if target.Backend == aws.AWS {
		fmt.Fprintln(stderr, "secretlings run: it runs your program against a local Secrets Manager (the embedded one, secretlings serve, LocalStack or moto) with dummy credentials; on AWS, export the variables the README names and run it yourself")
		return 2
	}
	// ctrl+c reaches the program too (same process group); this process
	// stays to delete what it seeded, and exits as an interrupted program.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	b, target, stopBackend, err := connectBackend(ctx, target)
	if err != nil {
		fmt.Fprintf(stderr, "secretlings run: %v\n", err)
		return 1
	}
	defer stopBackend()
	r := &tryRun{ex: ex, lang: langs.lang(ex), py: langs.py, root: root, b: b, target: target, extra: env,
		stdin: stdin, stdout: lockWriter(stdout), stderr: lockWriter(stderr), redact: mask.NewRedactor(), parts: mask.NewRedactor()}
	return r.run(ctx)
}

func codeIDs() []string {
	var ids []string
	for _, ex := range checker.All() {
		if ex.Kind == checker.Code {
			ids = append(ids, ex.ID)
		}
	}
	return ids
}

// tryRun is one `secretlings run`.
type tryRun struct {
	ex     *checker.Exercise
	lang   checker.Lang
	py     *pyenv.Python
	root   string
	b      checker.Backend
	target aws.Target
	extra  envFlags // -e, over the README's variables

	stdin          io.Reader
	stdout, stderr io.Writer
	redact         *mask.Redactor // the seeded values and secrets, masked in the output
	parts          *mask.Redactor // the secrets only, masked in the intro

	built string // a Go program built for the run, removed afterwards
}

// run seeds the exercise's scenario (as its grader does: see
// checker.NewTryout), prints the environment, runs the program and cleans
// up.
func (r *tryRun) run(ctx context.Context) int {
	defer r.cleanup()
	ns := "secretlings/run/" + r.ex.ID + "/" + randomHex(4) + "/"
	t, err := checker.NewTryout(ctx, r.b, r.ex, ns)
	if err != nil {
		fmt.Fprintf(r.stderr, "secretlings run: seeding %s: %v\n", r.ex.ID, err)
		return 1
	}
	defer t.Close()
	r.redact.Add(t.Values...) // whole, as a program prints a value it should not
	r.redact.Add(t.Secrets...)
	r.parts.Add(t.Secrets...)
	for k, v := range r.extra {
		t.Env[k] = v
	}
	argv, dir, shown, err := r.command(ctx)
	if err != nil {
		fmt.Fprintf(r.stderr, "secretlings run: %v\n", err)
		return 1
	}
	env := r.environ(t.Env)
	r.intro(t, shown)
	var code int
	if t.Rotation != nil {
		code = r.rotate(ctx, t.Rotation, argv, dir, env)
	} else {
		code = r.exec(ctx, argv, dir, env, t)
	}
	if t.Versions != "" {
		r.showVersions(ctx, t.Versions)
	}
	return code
}

// shownValue is how the intro shows a seeded value: its secret parts
// masked (those the run masks in the output too), the rest as seeded, so
// the learner knows what their program should print.
func (r *tryRun) shownValue(v string) string {
	return r.parts.Redact(v)
}

func (r *tryRun) intro(t *checker.Tryout, shown string) {
	w := r.stderr
	where := "the embedded Secrets Manager, started for this run"
	if r.target.Backend != aws.Embedded {
		where = string(r.target.Backend) + " at " + r.b.Endpoint
	}
	files, _ := r.ex.FilesIn(r.lang)
	fmt.Fprintf(w, "Running %s in %s (%s) against %s.\n", r.ex.ID, langName(r.lang), filepath.ToSlash(filepath.Join(r.ex.Dir(), files[0])), where)
	for _, s := range t.Seeded {
		fmt.Fprintf(w, "Seeded %s = %s\n", s.Name, r.shownValue(s.Value))
	}
	fmt.Fprintln(w, "Its environment: yours, without your AWS_ settings, and")
	for _, kv := range r.exports(t.Env) {
		fmt.Fprintf(w, "  export %s\n", kv)
	}
	if t.Rotation != nil {
		fmt.Fprintf(w, "It runs as the secret's rotation function, one process per step with the event on stdin, as Lambda runs it:\n")
	}
	fmt.Fprintf(w, "$ %s\n", shown)
	fmt.Fprintf(w, "(Seeded secret values it prints show as %s. Nothing is graded: secretlings check %s does that.)\n\n", mask.Masked, r.ex.ID)
}

// exports are the variables the run sets, as NAME=VALUE shell words.
func (r *tryRun) exports(extra map[string]string) []string {
	set := r.awsEnv()
	for k, v := range extra {
		set[k] = v
	}
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		// The AWS settings first, then the exercise's.
		ai, aj := strings.HasPrefix(keys[i], "AWS_"), strings.HasPrefix(keys[j], "AWS_")
		if ai != aj {
			return ai
		}
		return keys[i] < keys[j]
	})
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k + "=" + shellWord(r.parts.Redact(set[k]))
	}
	return out
}

func shellWord(s string) string {
	if s != "" && strings.IndexFunc(s, func(c rune) bool {
		return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("-_/.:=+@,%", c))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// showVersions prints a secret's versions and their labels after the run.
func (r *tryRun) showVersions(ctx context.Context, name string) {
	out, err := r.b.Client.ListSecretVersionIds(ctx, &secretsmanager.ListSecretVersionIdsInput{SecretId: awssdk.String(name), IncludeDeprecated: awssdk.Bool(true)})
	if err != nil {
		fmt.Fprintf(r.stderr, "secretlings run: reading the versions of %s: %s\n", name, aws.Explain(err, r.target))
		return
	}
	fmt.Fprintf(r.stderr, "%s now has %d %s:\n", name, len(out.Versions), plural(len(out.Versions), "version", "versions"))
	for _, v := range out.Versions {
		fmt.Fprintf(r.stderr, "  %s  %s\n", awssdk.ToString(v.VersionId), strings.Join(v.VersionStages, ", "))
	}
}

func langName(l checker.Lang) string {
	if l == checker.Python {
		return "Python"
	}
	return "Go"
}
