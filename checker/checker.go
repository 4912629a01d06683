// Package checker grades the tutorial's exercises by what the learner's work
// does, not by how its text looks: the secret state it leaves behind, the
// Secrets Manager calls it made, what it printed and the files it wrote.
//
// Each grading gets a fresh namespace (a random name prefix under
// secretlings/ex/) and a seeded starting state. A code exercise's program is
// built with `go build` from the learner's folder under lessons/ (the
// provided driver files always from the checker's pristine copy, so editing
// them changes nothing; the reference solutions live in the binary, not on
// disk) and run in a sandbox: an empty working directory, its own HOME and
// TMPDIR, and an environment of only the endpoint, region, dummy
// credentials and the names its README gives, with a timeout and its output
// captured. Its traffic passes a recording proxy in front of the backend, so
// the checker sees every operation like an audit trail, whatever the
// backend. Checks then read the resulting state with DescribeSecret,
// GetSecretValue and ListSecretVersionIds (never the eventually consistent
// ListSecrets), the recorded requests, the output and the files it wrote
// (in the sandbox, beside itself, in the system's temp dirs), scanned with
// a mask.LeakScanner for the values the program must protect in every form
// it knows. Nothing in the program's environment or paths says it is being
// graded: its credentials are random and its folders neutral temp dirs. Every check is reported, passed or failed, with
// why and the hint to read next. The namespace is deleted afterwards.
//
// State exercises (create a secret, roll back a release) run no program: the
// learner works in the app, the aws CLI or any language, in a namespace that
// stays the same across runs (the app keeps it in the progress file), and the
// checker grades the state.
//
// A code exercise's scenario (what its program meets: the secrets seeded,
// the variables its README names, what changes while it runs) is defined
// once, beside its grader; NewTryout seeds the same scenario for a run by
// hand (secretlings run), which grades nothing.
package checker

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"secretlings/aws"
	"secretlings/internal/pyenv"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sso/types"
)

// Kind tells how an exercise is done and graded.
type Kind int

const (
	// Code exercises are a program the learner writes; the checker runs it.
	Code Kind = iota
	// State exercises are a secret state the learner produces by any means;
	// the checker only reads it.
	State
)

func (k Kind) String() string {
	if k == State {
		return "state"
	}
	return "code"
}

// Exercise is one graded exercise.
type Exercise struct {
	// ID is the exercise's stable name, used on the command line, in the
	// progress file and as its folder name.
	ID string
	// Lesson is the lesson folder the exercise lives in, e.g.
	// "01-store-and-retrieve".
	Lesson  string
	Title   string
	Summary string
	Kind    Kind
	// Files are the files the learner edits, relative to Dir; Provided are
	// the files they must not edit (drivers), which the checker always
	// builds from its pristine copy.
	Files    []string
	Provided []string
	// Python holds the exercise's Python files (nil: no Python version);
	// the same grader judges them.
	Python *LangFiles

	// Race builds the program with the race detector, for exercises about
	// concurrency: a data race fails the run.
	Race bool
	// tests marks an exercise whose learner file is a test of provided
	// code: it is built with go test -c and graded by the mutants of the
	// code it catches.
	tests bool
	// leakHint is the hint about never revealing a secret, for the checks
	// every code exercise gets.
	leakHint int

	// noProgram marks a state exercise whose files are data the grader
	// reads (a policy, an answer), not a program: nothing is built, and
	// grading a stub or a reference solution applies its files instead.
	noProgram bool
	// enforced marks an exercise graded by what the backend lets each of
	// the tutorial's principals do: only a backend that enforces access
	// policies (the embedded one, serve) can grade it.
	enforced bool

	prepare func(ctx context.Context, r *run) error // seeds a state exercise; idempotent
	grade   func(ctx context.Context, r *run)
	// tryout seeds a code exercise's scenario for a run by hand, through
	// the same seed… function as grade (see NewTryout).
	tryout func(ctx context.Context, t *Tryout) error
}

// Dir is the exercise's folder relative to the repository root, e.g.
// "lessons/01-store-and-retrieve/config-manager".
func (e *Exercise) Dir() string { return filepath.Join("lessons", e.Lesson, e.ID) }

// Check is one graded property of the learner's work.
type Check struct {
	Name   string `json:"name"`
	Passed bool   `json:"passed"`
	// Reason says why it failed (or, sometimes, what passed), in words the
	// learner can act on. It never contains a secret value.
	Reason string `json:"reason"`
	// Hint is the number (from 1) of the hint that helps with a failed
	// check; 0 when there is none.
	Hint int `json:"hint,omitempty"`
}

// Result is one grading of one exercise.
type Result struct {
	Exercise string  `json:"id"`
	Passed   bool    `json:"passed"`
	Checks   []Check `json:"checks"`
	// NextHint is the text of the hint for the first failed check.
	NextHint string `json:"next_hint,omitempty"`
	// Compile is the compiler's message, trimmed to what matters, when the
	// program did not build.
	Compile string `json:"compile_error,omitempty"`
	// Namespace is the name prefix the grading used.
	Namespace string `json:"namespace"`
	// Lang is the language a code exercise was graded in ("go",
	// "python"); empty for a state exercise.
	Lang string `json:"lang,omitempty"`
	// Output is the end of what the learner's program printed (its last
	// outputLines lines), each run under a line that says which run it
	// was, with what in its environment and how it ended; every known
	// secret value of the namespace, and anything that looks like a
	// secret, masked. Paths name the files as in the checkout.
	Output   string        `json:"output,omitempty"`
	Duration time.Duration `json:"-"`

	secrets []string // the values the program had to protect, for tests

}

// FirstFailed returns the first failed check, or nil when all passed.
func (r *Result) FirstFailed() *Check {
	for i := range r.Checks {
		if !r.Checks[i].Passed {
			return &r.Checks[i]
		}
	}
	return nil
}

// Source is which version of an exercise's files gets graded.
type Source int

const (
	// Learner grades the files in the learner's folder.
	Learner Source = iota
	// Solution grades the embedded reference solution (see SolutionOf).
	Solution
	// Stub grades the untouched stub, from the checker's pristine copy.
	Stub
)

// Checker grades exercises against one backend.
type Checker struct {
	Backend Backend
	// Root is the repository checkout with lessons/ (see FindRoot).
	Root string
	// Source picks learner files, reference solutions or pristine stubs.
	Source Source
	// Timeout bounds each run of a learner's program; default 30s.
	Timeout time.Duration
	// GoBin is the go command; default "go" from PATH.
	GoBin string
	// Lang is the language code exercises are graded in (Go by default):
	// the learner's files, stubs and solutions in that language.
	Lang Lang
	// Py is the interpreter for Python; nil finds one as pyenv.Find does
	// from the environment.
	Py *pyenv.Python
	// BuildDir keeps the built programs; empty means a temporary directory
	// that Close removes. A long-lived app sets a cache directory: it holds
	// at most one program per exercise and source, the latest.
	BuildDir string

	// Notify, when set, is told what takes long (the first build) while it
	// happens, from another goroutine.
	Notify func(msg string)

	// replace substitutes files of the graded package by name, for tests
	// that grade deliberately wrong solutions.
	replace map[string][]byte
	// editedOnDisk makes a test exercise's build behave as if the learner
	// had edited the provided code in the checkout, for tests that must
	// not edit it.
	editedOnDisk bool

	tmpOnce sync.Once
	tmp     string
	tmpErr  error
	cache   *buildCache
	access  accessMemo // what the access exercises' re-checks need not ask again
}

// New returns a Checker for b, building programs from the checkout at root.
func New(b Backend, root string) *Checker {
	if b.Region == "" {
		b.Region = aws.DefaultRegion
	}
	cache := sharedBuilds
	if cache == nil {
		cache = newBuildCache()
	}
	return &Checker{Backend: b, Root: root, cache: cache}
}

// Close removes the built programs.
func (c *Checker) Close() error {
	if c.tmp != "" {
		return os.RemoveAll(c.tmp)
	}
	return nil
}

func (c *Checker) tempDir() (string, error) {
	if c.BuildDir != "" {
		addOwn(c.BuildDir)
		return c.BuildDir, os.MkdirAll(c.BuildDir, 0o700)
	}
	c.tmpOnce.Do(func() {
		c.tmp, c.tmpErr = os.MkdirTemp("", "secretlings-checker-")
		if c.tmpErr == nil {
			addOwn(c.tmp) // builds: no program's files
		}
	})
	return c.tmp, c.tmpErr
}

func (c *Checker) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return 30 * time.Second
}

// NewNamespace returns a fresh name prefix for exercise id, such as
// "secretlings/ex/config-manager/3f9a0c1d/".
func NewNamespace(id string) string {
	var b [4]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return "secretlings/ex/" + id + "/" + hex.EncodeToString(b[:]) + "/"
}

// ValidNamespace reports whether ns looks like a namespace NewNamespace made
// for id, so a progress file edited by hand cannot point cleanup elsewhere.
func ValidNamespace(id, ns string) bool {
	rest, ok := strings.CutPrefix(ns, "secretlings/ex/"+id+"/")
	return ok && len(rest) == 9 && strings.HasSuffix(rest, "/")
}

// Prepare seeds a state exercise's starting state in ns, unless it is
// there already. It does nothing for code exercises, which are seeded
// afresh on every grading.
func (c *Checker) Prepare(ctx context.Context, ex *Exercise, ns string) error {
	if ex.prepare == nil {
		return nil
	}
	r := c.newRun(ex, ns)
	if err := ex.prepare(ctx, r); err != nil {
		return fmt.Errorf("preparing exercise %s: %s", ex.ID, explain(err))
	}
	return nil
}

// Grade grades ex in namespace ns and returns every check. State exercises
// are graded in ns as the learner left it (after running the reference
// solution when c.Source is Solution); code exercises seed ns, run the
// program, and delete ns afterwards. An error means grading itself could
// not run (the backend is down); a failing exercise is a Result.
//
// An empty ns gets a fresh namespace, except for a state exercise graded
// from the learner's work, which needs the namespace the learner used.
func (c *Checker) Grade(ctx context.Context, ex *Exercise, ns string) (*Result, error) {
	start := time.Now()
	if err := c.ready(ex); err != nil {
		return nil, err
	}
	if ns == "" {
		if ex.Kind == State && c.Source == Learner {
			return nil, fmt.Errorf("exercise %s is graded in the namespace the learner works in, and none was given", ex.ID)
		}
		ns = NewNamespace(ex.ID)
	}
	r := c.newRun(ex, ns)
	if ex.Kind == Code || c.Source != Learner {
		defer r.cleanup()
	}
	if ex.Kind == State {
		if err := c.Prepare(ctx, ex, ns); err != nil {
			return nil, err
		}
	}
	if err := r.start(); err != nil {
		return nil, err
	}
	defer r.stop()
	if ex.Kind == Code || (c.Source == Solution && !ex.noProgram) {
		if !r.build(ctx) {
			if r.fatal != nil {
				return nil, r.fatal // grading could not run: not the learner's fault
			}
			return r.finish(start), nil
		}
	}
	if err := r.fatal; err != nil {
		return nil, err
	}
	ex.grade(ctx, r)
	if r.fatal != nil {
		return nil, r.fatal
	}
	return r.finish(start), nil
}

// Reset puts ex back to its start: the learner's files are restored from the
// pristine stubs (after a Backup of those they changed), and every secret
// under ns is deleted (and a state exercise's starting state seeded again).
func (c *Checker) Reset(ctx context.Context, ex *Exercise, ns string) error {
	if _, err := Backup(c.Root, ex, time.Now()); err != nil {
		return err
	}
	for _, f := range slices.Concat(ex.learnerFiles(), ex.providedFiles()) {
		data, err := pristineFile(ex, f)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(c.Root, ex.Dir(), f), data, 0o644); err != nil {
			return fmt.Errorf("restoring %s: %w", filepath.Join(ex.Dir(), f), err)
		}
	}
	c.access.forget(ns) // the incident is staged anew
	if ns == "" {
		return nil
	}
	r := c.newRun(ex, ns)
	if err := r.deleteNamespace(ctx); err != nil {
		return err
	}
	return c.Prepare(ctx, ex, ns)
}

// Cleanup deletes every secret under ns, for example a state exercise's
// namespace the learner is done with.
func (c *Checker) Cleanup(ctx context.Context, ns string) error {
	return c.newRun(nil, ns).deleteNamespace(ctx)
}

// explain turns an SDK error into a sentence without request data.
func explain(err error) string {
	var api interface{ ErrorCode() string }
	if errors.As(err, &api) {
		return api.ErrorCode() + ": " + err.Error()
	}
	return err.Error()
}

// deleteNamespace force-deletes the secrets the run knows about and any
// other secret whose name starts with the namespace, scheduled for deletion
// or not. ListSecrets is fine here (unlike for grading): a secret it misses
// was not created by us.
func (r *run) deleteNamespace(ctx context.Context) error {
	if !strings.HasPrefix(r.ns, "secretlings/") {
		return fmt.Errorf("refusing to delete %q: tutorial namespaces start with secretlings/", r.ns)
	}
	names := map[string]bool{}
	for _, n := range r.names {
		names[n] = true
	}
	if r.proxy != nil {
		for _, q := range r.proxy.Requests() {
			if strings.HasPrefix(q.SecretID, r.ns) {
				names[q.SecretID] = true
			}
		}
	}
	client := r.client
	// Best effort: whatever the listing misses, the known names still go.
	listed, _ := aws.ListNames(ctx, client, r.ns)
	for _, n := range listed {
		names[n] = true
	}
	var errs []error
	for n := range names {
		_, err := client.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: awssdk.String(n), ForceDeleteWithoutRecovery: awssdk.Bool(true)})
		var nf *types.ResourceNotFoundException
		if err != nil && !errors.As(err, &nf) {
			errs = append(errs, fmt.Errorf("deleting %s: %s", n, explain(err)))
		}
	}
	return errors.Join(errs...)
}
