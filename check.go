package main

// `secretlings check` grades exercises without the TUI, for shells and CI.

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"sync"

	"golang.org/x/sync/errgroup"

	"secretlings/aws"
	"secretlings/checker"
	"secretlings/internal/progress"
	"secretlings/internal/pyenv"
)

var checkUsage = `Usage: secretlings check [flags] [EXERCISE...]

Grades the exercises (all of them when none is named) and prints every
check: passed or failed, why, and the hint to read next. Exits 0 only if
every requested exercise passes.

Exercises:
%s
Flags:
  --json               print one JSON document instead of text (each
                       exercise's "output" is what the program printed)
  -v, --verbose        print what the program printed, too (secrets masked)
  --solutions          grade the reference solutions instead of your files
  --backend NAME       embedded (default), localstack, endpoint or aws
  --endpoint-url URL   Secrets Manager endpoint for --backend endpoint
  --region REGION      AWS region (default: $AWS_REGION, else us-east-1)
  --profile NAME       shared config profile, for --backend aws
  --state-dir DIR      where progress is kept (default: $SECRETLINGS_STATE_DIR)
` + langHelp + `  -h, --help           show this help

State exercises (create-secret, rollback, least-privilege, who-read-it) grade
secrets you create yourself; the embedded backend starts empty for every
command, so do them in the app, or run ` + "`secretlings serve`" + ` and pass
--endpoint-url http://127.0.0.1:4566.
`

// exerciseList is the exercises, one a line, for the usage text.
func exerciseList() string {
	var b strings.Builder
	for _, ex := range checker.All() {
		fmt.Fprintf(&b, "  %-18s %s (%s)\n", ex.ID, ex.Title, ex.Kind)
	}
	return b.String()
}

// checkFlags are the flags check and reset share.
type checkFlags struct {
	backend   aws.Flags
	stateDir  string
	json      bool
	solutions bool
	verbose   bool
	yes, undo bool // reset only
	lang      langFlags
}

// parseCheckArgs parses flags and exercise ids in any order. code >= 0 means
// stop with that exit code.
func parseCheckArgs(name, help string, args []string, withOutput bool, stdout, stderr io.Writer) (f checkFlags, ids []string, code int) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	addBackendFlags(fs, &f.backend)
	fs.StringVar(&f.stateDir, "state-dir", "", "")
	if withOutput {
		f.lang.register(fs)
		fs.BoolVar(&f.json, "json", false, "")
		fs.BoolVar(&f.solutions, "solutions", false, "")
		fs.BoolVar(&f.verbose, "verbose", false, "")
		fs.BoolVar(&f.verbose, "v", false, "")
	} else {
		fs.BoolVar(&f.yes, "yes", false, "")
		fs.BoolVar(&f.yes, "y", false, "")
		fs.BoolVar(&f.undo, "undo", false, "")
	}
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	// check keeps a usage error to one line (the exercise list makes its
	// usage long), so it does not use parseInterspersed.
	for rest := args; ; {
		err := fs.Parse(rest)
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, help)
			return f, nil, 0
		}
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v (see %s --help)\n", name, err, name)
			return f, nil, 2
		}
		if fs.NArg() == 0 {
			break
		}
		ids = append(ids, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	for _, id := range ids {
		if _, ok := checker.Lookup(id); !ok {
			fmt.Fprintf(stderr, "%s: there is no exercise %q: choose from %s\n", name, id, strings.Join(checker.IDs(), ", "))
			return f, nil, 2
		}
	}
	return f, ids, -1
}

// checkBackend resolves the flags and connects to the chosen backend.
func checkBackend(ctx context.Context, f aws.Flags) (checker.Backend, aws.Target, func(), error) {
	target, err := aws.Resolve(f, os.Getenv)
	if err != nil {
		return checker.Backend{}, target, nil, err
	}
	return connectBackend(ctx, target)
}

// connectBackend connects to target and checks that it answers. The
// returned target is the connection's, with the region and endpoint filled
// in; on the embedded backend, Backend.Emulator is the emulator aws.Connect
// started, so the rotation exercise and example 3 register their Lambda on
// it.
func connectBackend(ctx context.Context, target aws.Target) (checker.Backend, aws.Target, func(), error) {
	conn, err := aws.Connect(ctx, target)
	if err != nil {
		return checker.Backend{}, target, nil, err
	}
	if h := conn.Ping(ctx); !h.OK {
		conn.Close()
		return checker.Backend{}, target, nil, h.Err
	}
	return checker.BackendFor(conn), conn.Target, func() { conn.Close() }, nil
}

// loadProgress reads the progress file; a missing state directory is no
// progress (nil store), not an error, since check is useful without it.
func loadProgress(stateDir string) (*progress.Store, *progress.Progress) {
	dir, err := progress.Dir(stateDir, os.Getenv)
	if err != nil {
		return nil, progress.New()
	}
	store := progress.NewStore(dir)
	p, _, err := store.Load()
	if err != nil {
		return nil, progress.New()
	}
	return store, p
}

// stateNamespace is a state exercise's namespace from the progress,
// made and remembered on first use.
func stateNamespace(p *progress.Progress, id string) (ns string, created bool) {
	e := p.Exercise(id)
	if !checker.ValidNamespace(id, e.Namespace) {
		e.Namespace = checker.NewNamespace(id)
		return e.Namespace, true
	}
	return e.Namespace, false
}

// checkReport is the --json document.
type checkReport struct {
	Exercises []*checker.Result `json:"exercises"`
}

// checkExercises are the exercises check grades: those named, else all,
// each in its language (see langFlags.choose), without those that have
// no version in the language --lang names.
func checkExercises(ids []string, lf langFlags, prog *progress.Progress, stderr io.Writer) ([]*checker.Exercise, langChoice, int) {
	var exs []*checker.Exercise
	if len(ids) == 0 {
		exs = checker.All()
	}
	for _, id := range ids {
		ex, _ := checker.Lookup(id)
		exs = append(exs, ex)
	}
	return lf.choose(exs, len(ids) > 0, prog, "secretlings check", stderr)
}

// checkers makes one Checker per language on demand, all on one backend.
type checkers struct {
	b      checker.Backend
	root   string
	py     *pyenv.Python
	source checker.Source
	notify func(string)
	mu     sync.Mutex
	by     map[checker.Lang]*checker.Checker
}

// get is the Checker for lang.
func (cs *checkers) get(lang checker.Lang) *checker.Checker {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if c := cs.by[lang]; c != nil {
		return c
	}
	if cs.by == nil {
		cs.by = map[checker.Lang]*checker.Checker{}
	}
	c := checker.New(cs.b, cs.root)
	c.Lang, c.Source, c.Notify = lang, cs.source, cs.notify
	if lang == checker.Python {
		c.Py = cs.py
	}
	cs.by[lang] = c
	return c
}

// close removes every Checker's built programs.
func (cs *checkers) close() {
	for _, c := range cs.by {
		_ = c.Close()
	}
}

// runCheck is `secretlings check`.
func runCheck(args []string, stdout, stderr io.Writer) int {
	f, ids, code := parseCheckArgs("secretlings check", fmt.Sprintf(checkUsage, exerciseList()), args, true, stdout, stderr)
	if code >= 0 {
		return code
	}
	root, err := checker.FindRoot(".")
	if err != nil {
		fmt.Fprintf(stderr, "secretlings check: %v\n", err)
		return 1
	}
	store, prog := loadProgress(f.stateDir)
	exs, langs, code := checkExercises(ids, f.lang, prog, stderr)
	if code >= 0 {
		return code
	}
	ctx := context.Background()
	b, target, stop, err := checkBackend(ctx, f.backend)
	if err != nil {
		fmt.Fprintf(stderr, "secretlings check: %v\n", err)
		return 1
	}
	defer stop()

	cs := &checkers{b: b, root: root, py: langs.py}
	defer cs.close()
	if !f.json {
		cs.notify = func(msg string) { fmt.Fprintln(stderr, "secretlings check: "+msg) }
	}
	if f.solutions {
		cs.source = checker.Solution
	}
	dirty := false
	namespaces := make([]string, len(exs))
	for i, ex := range exs {
		if ex.Kind == checker.State && !f.solutions {
			var created bool
			namespaces[i], created = stateNamespace(prog, ex.ID)
			dirty = dirty || created
		} else {
			namespaces[i] = checker.NewNamespace(ex.ID)
		}
	}

	// Up to three gradings at a time: builds are the slow part, and two
	// cores link two programs at once while a third runs.
	results := make([]*checker.Result, len(exs))
	errs := make([]error, len(exs))
	var g errgroup.Group
	g.SetLimit(3)
	start := time.Now()
	for i, ex := range exs {
		c := cs.get(langs.lang(ex))
		g.Go(func() error {
			// A grading that cannot run is that exercise's error, not
			// a reason to stop the others.
			results[i], errs[i] = c.Grade(ctx, ex, namespaces[i])
			return nil
		})
	}
	_ = g.Wait()
	elapsed := time.Since(start)

	allPassed := true
	earned := make([]string, len(exs)) // where a passed exercise's solution now is
	for i, ex := range exs {
		if errs[i] != nil {
			allPassed = false
			results[i] = &checker.Result{Exercise: ex.ID, Namespace: namespaces[i], Checks: []checker.Check{{Name: "grading runs", Reason: aws.Explain(errs[i], target)}}}
			continue
		}
		if !results[i].Passed {
			allPassed = false
		}
		if !f.solutions {
			dirty = recordResult(prog, ex, results[i]) || dirty
			earned[i] = checker.EarnIn(root, ex, results[i], langs.lang(ex))
		}
	}
	if dirty && store != nil {
		if err := store.Save(prog); err != nil {
			fmt.Fprintf(stderr, "secretlings check: %v\n", err)
		}
	}

	if f.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(checkReport{Exercises: results})
	} else {
		printResults(stdout, exs, results, earned, target, f.solutions, elapsed, report{verbose: f.verbose, again: "secretlings check %s --verbose"})
	}
	if allPassed {
		return 0
	}
	return 1
}

// recordResult keeps a grading in the progress: whether ex passes now,
// and that it passed once (which a later failing save does not undo). It
// reports whether anything changed.
func recordResult(p *progress.Progress, ex *checker.Exercise, res *checker.Result) bool {
	e := p.Exercise(ex.ID)
	changed := e.Passed != res.Passed || (res.Passed && !e.Solved)
	e.Passed = res.Passed
	if res.Passed {
		e.Solved = true
	}
	return changed
}

// report is how printResults shows what the programs printed: all of it
// (verbose), or a line saying how to see it; again is that command, with
// %s for the exercise.
type report struct {
	verbose bool
	again   string
}

// printResults writes the plain-text report.
func printResults(w io.Writer, exs []*checker.Exercise, results []*checker.Result, earned []string, target aws.Target, solutions bool, elapsed time.Duration, how report) {
	passed := 0
	for i, ex := range exs {
		res := results[i]
		failed := 0
		for _, c := range res.Checks {
			if !c.Passed {
				failed++
			}
		}
		status := "PASS"
		if !res.Passed {
			status = "FAIL"
		} else {
			passed++
		}
		fmt.Fprintf(w, "%s  %s — %s (%d of %d checks passed, %.1fs)\n", status, ex.ID, ex.Title, len(res.Checks)-failed, len(res.Checks), res.Duration.Seconds())
		if ex.Kind == checker.State && !solutions {
			for _, n := range checker.SecretNames(ex) {
				fmt.Fprintf(w, "      secret: %s%s\n", res.Namespace, n)
			}
		}
		for _, c := range res.Checks {
			mark := "ok  "
			if !c.Passed {
				mark = "FAIL"
			}
			// In the words of the language it was graded in.
			c.Name, c.Reason = checker.ShownIn(c.Name, res.Lang), checker.ShownIn(c.Reason, res.Lang)
			if c.Passed && c.Reason != "" {
				// What passed, said briefly: e.g. which test caught a mutant.
				fmt.Fprintf(w, "      %s %s (%s)\n", mark, c.Name, c.Reason)
				continue
			}
			fmt.Fprintf(w, "      %s %s\n", mark, c.Name)
			if !c.Passed && c.Reason != "" {
				fmt.Fprintf(w, "           %s\n", strings.ReplaceAll(c.Reason, "\n", "\n           "))
			}
		}
		if !res.Passed && res.NextHint != "" {
			if f := res.FirstFailed(); f != nil {
				fmt.Fprintf(w, "      Hint %d:\n", f.Hint)
			}
			for _, line := range strings.Split(res.NextHint, "\n") {
				fmt.Fprintf(w, "        %s\n", line)
			}
		}
		switch {
		case res.Output == "":
		case how.verbose:
			fmt.Fprintln(w, "      What the program printed (secret values masked):")
			for _, line := range strings.Split(strings.TrimRight(res.Output, "\n"), "\n") {
				fmt.Fprintf(w, "        %s\n", line)
			}
		case !res.Passed && how.again != "":
			fmt.Fprintf(w, "      (What the program printed: "+how.again+"; run it by hand: secretlings run %s)\n", ex.ID, ex.ID)
		}
		if earned[i] != "" {
			fmt.Fprintf(w, "      You earned the reference solution: it is in %s/, to compare with yours.\n", earned[i])
		}
		if !res.Passed && ex.Kind == checker.State && target.Backend == aws.Embedded && !solutions {
			fmt.Fprintln(w, "      (the embedded backend starts empty for every command: do this exercise in the app, or against `secretlings serve` with --endpoint-url)")
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "%d of %d exercises pass (%.1fs)\n", passed, len(exs), elapsed.Seconds())
}
