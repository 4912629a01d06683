package main

// `secretlings watch` grades an exercise on every save, without the TUI,
// as `rustlings watch` does.

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"secretlings/aws"
	"secretlings/checker"
	"secretlings/internal/filewatch"
	"secretlings/internal/progress"
)

var watchUsage = `Usage: secretlings watch [flags] [EXERCISE]

Grades an exercise every time you save it, in the terminal, without the
tutorial's screens (as rustlings watch does). It prints the result of
EXERCISE, or of the first exercise that does not pass yet, grades it again
on every save, and moves on to the next exercise when it passes. State
exercises, which have no file, are re-checked every few seconds. ctrl+c
stops.

Flags: --backend, --endpoint-url, --region, --profile and --state-dir as for
secretlings check; -h, --help shows this help;
  -v, --verbose        print what the program printed after each grading
` + langHelp + `

Exercises:
%s`

// Timings of watch mode; the tests shorten them.
var (
	watchPoll     = time.Second            // the polling fallback's period
	watchDebounce = 150 * time.Millisecond // editors write a file in several steps
	watchStateFor = 5 * time.Second        // state exercises are re-checked this often
)

// runWatch is `secretlings watch`; ctrl+c (SIGINT) or SIGTERM stops it with
// exit status 0.
func runWatch(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return watch(ctx, args, stdout, stderr)
}

// watch runs until ctx is done or every exercise passes.
func watch(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var f aws.Flags
	var stateDir string
	var lf langFlags
	var verbose bool
	fs := flag.NewFlagSet("secretlings watch", flag.ContinueOnError)
	lf.register(fs)
	fs.BoolVar(&verbose, "verbose", false, "")
	fs.BoolVar(&verbose, "v", false, "")
	addBackendFlags(fs, &f)
	fs.StringVar(&stateDir, "state-dir", "", "")
	ids, code := parseInterspersed(fs, args, fmt.Sprintf(watchUsage, exerciseList()), stdout, stderr)
	if code >= 0 {
		return code
	}
	if len(ids) > 1 {
		fmt.Fprintf(stderr, "secretlings watch: name at most one exercise (see secretlings watch --help)\n")
		return 2
	}
	all := checker.All()
	current := -1
	if len(ids) == 1 {
		current = slices.IndexFunc(all, func(ex *checker.Exercise) bool { return ex.ID == ids[0] })
		if current < 0 {
			fmt.Fprintf(stderr, "secretlings watch: there is no exercise %q: choose from %s\n", ids[0], strings.Join(checker.IDs(), ", "))
			return 2
		}
	}
	root, err := checker.FindRoot(".")
	if err != nil {
		fmt.Fprintf(stderr, "secretlings watch: %v\n", err)
		return 1
	}
	store, prog := loadProgress(stateDir)
	named := len(ids) == 1
	if named {
		if _, _, code := lf.choose(all[current:current+1], true, prog, "secretlings watch", stderr); code >= 0 {
			return code
		}
	}
	all, langs, code := lf.choose(all, false, prog, "secretlings watch", stderr)
	if code >= 0 {
		return code
	}
	if named {
		current = slices.IndexFunc(all, func(ex *checker.Exercise) bool { return ex.ID == ids[0] })
	}
	if current < 0 {
		if current = nextUnfinished(all, prog, -1); current < 0 {
			fmt.Fprintf(stdout, "Every exercise passes: name one to watch it again (secretlings watch %s).\n", all[0].ID)
			return 0
		}
	}
	b, target, stop, err := checkBackend(ctx, f)
	if err != nil {
		fmt.Fprintf(stderr, "secretlings watch: %v\n", err)
		return 1
	}
	defer stop()
	cs := &checkers{b: b, root: root, py: langs.py, notify: func(msg string) { fmt.Fprintln(stderr, "secretlings watch: "+msg) }}
	defer cs.close()
	s := &watchSession{cs: cs, langs: langs, root: root, target: target, store: store, prog: prog, all: all, out: stdout, errOut: stderr, verbose: verbose}
	return s.run(ctx, current)
}

// nextUnfinished is the first exercise after index i (wrapping around) that
// does not pass, or -1 when all do.
func nextUnfinished(all []*checker.Exercise, p *progress.Progress, i int) int {
	for n := 1; n <= len(all); n++ {
		j := (i + n) % len(all)
		if j == i {
			continue
		}
		if e := p.Exercises[all[j].ID]; e == nil || !e.Passed {
			return j
		}
	}
	return -1
}

// watchSession is one `secretlings watch`: a checker, the progress, and
// where to print.
type watchSession struct {
	cs          *checkers
	langs       langChoice
	root        string
	verbose     bool
	target      aws.Target
	store       *progress.Store
	prog        *progress.Progress
	all         []*checker.Exercise
	out, errOut io.Writer
}

// run watches exercise i, and the next one each time one passes.
func (s *watchSession) run(ctx context.Context, i int) int {
	for {
		if !s.watchOne(ctx, s.all[i]) {
			fmt.Fprintln(s.out, "Stopped watching.")
			return 0
		}
		next := nextUnfinished(s.all, s.prog, i)
		if next < 0 {
			fmt.Fprintf(s.out, "All %d exercises pass. Well done!\n", len(s.all))
			return 0
		}
		fmt.Fprintf(s.out, "%s passes: on to %s.\n\n", s.all[i].ID, s.all[next].ID)
		i = next
	}
}

// watchOne grades ex on every save until it passes (true) or ctx is done
// (false).
func (s *watchSession) watchOne(ctx context.Context, ex *checker.Exercise) bool {
	ns := ""
	if ex.Kind == checker.State {
		var created bool
		if ns, created = stateNamespace(s.prog, ex.ID); created {
			s.save()
		}
	}
	var files []string
	for _, f := range editFiles(ex, s.langs.lang(ex)) {
		files = append(files, filepath.Join(s.root, ex.Dir(), f))
	}
	// Started before grading, so a save during a grading is not lost.
	w := filewatch.Start(files, filewatch.Options{Poll: watchPoll, Debounce: watchDebounce})
	defer w.Stop()
	s.intro(ex, ns)
	last := ""
	for {
		res, err := s.grade(ctx, ex, ns)
		switch {
		case ctx.Err() != nil:
			return false
		case err != nil:
			if text := "Grading could not run: " + aws.Explain(err, s.target); text != last {
				last = text
				fmt.Fprintln(s.out, text)
			}
		case ex.Kind == checker.State && summary(res) == last:
			// Re-checked with nothing changed: say nothing.
		default:
			last = summary(res)
			fmt.Fprintf(s.out, "── %s ──\n", time.Now().Format("15:04:05"))
			// A state exercise's secrets are named above, and this
			// command's backend stays up, so check's notes about them
			// (printed when not grading solutions) do not apply.
			printResults(s.out, []*checker.Exercise{ex}, []*checker.Result{res}, []string{checker.EarnIn(s.root, ex, res, s.langs.lang(ex))}, s.target, ex.Kind == checker.State, res.Duration,
				report{verbose: s.verbose, again: "secretlings watch %s --verbose"})
			s.record(ex, res)
			if res.Passed {
				return true
			}
		}
		var recheck <-chan time.Time
		if ex.Kind == checker.State {
			recheck = time.After(watchStateFor)
		}
		select {
		case <-ctx.Done():
			return false
		case <-w.Changes():
		case <-recheck:
		}
	}
}

// intro says what is watched and how to stop.
func (s *watchSession) intro(ex *checker.Exercise, ns string) {
	fmt.Fprintf(s.out, "Watching %s — %s (%s).\n", ex.ID, ex.Title, ex.Dir())
	if ex.Kind != checker.State {
		edit := editFiles(ex, s.langs.lang(ex))
		rel := make([]string, len(edit))
		for i, f := range edit {
			rel[i] = filepath.ToSlash(filepath.Join(ex.Dir(), f))
		}
		fmt.Fprintf(s.out, "Edit %s (README.md beside it says what to do); every save is graded. ctrl+c stops.\n\n", strings.Join(rel, ", "))
		return
	}
	for _, n := range checker.SecretNames(ex) {
		fmt.Fprintf(s.out, "Secret: %s%s\n", ns, n)
	}
	fmt.Fprintf(s.out, "Re-checked every %s. ctrl+c stops.\n", watchStateFor)
	if s.target.Backend == aws.Embedded && s.cs.b.Endpoint != "" {
		fmt.Fprintf(s.out, "This command's own Secrets Manager answers at %s: point the aws CLI or an SDK there (--endpoint-url).\n", s.cs.b.Endpoint)
	}
	fmt.Fprintln(s.out)
}

// grade seeds a state exercise's start (once) and grades ex.
func (s *watchSession) grade(ctx context.Context, ex *checker.Exercise, ns string) (*checker.Result, error) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	c := s.cs.get(s.langs.lang(ex))
	if ex.Kind == checker.State {
		if err := c.Prepare(ctx, ex, ns); err != nil {
			return nil, err
		}
	}
	return c.Grade(ctx, ex, ns)
}

// record keeps the result in the progress, as check does.
func (s *watchSession) record(ex *checker.Exercise, res *checker.Result) {
	if recordResult(s.prog, ex, res) {
		s.save()
	}
}

func (s *watchSession) save() {
	if s.store == nil {
		return
	}
	if err := s.store.Save(s.prog); err != nil {
		fmt.Fprintf(s.errOut, "secretlings watch: %v\n", err)
	}
}

// summary is which checks passed, to tell a changed result from a repeat.
func summary(res *checker.Result) string {
	var b strings.Builder
	for _, c := range res.Checks {
		fmt.Fprintf(&b, "%t %s %s\n", c.Passed, c.Name, c.Reason)
	}
	return b.String()
}
