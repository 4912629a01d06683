package checker

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"secretlings/internal/pyenv"
)

// Lang is the language a code exercise is solved in. The checks are the
// same in every language: a grader judges what the program does, and only
// the words of a reason that name an identifier change (see run.say).
type Lang int

const (
	// Go is the default: the program is built with go build.
	Go Lang = iota
	// Python runs the learner's files with a Python 3.9+ interpreter
	// that has boto3 (see internal/pyenv).
	Python
)

// Langs are the languages, in the order they are offered.
var Langs = []Lang{Go, Python}

func (l Lang) String() string {
	if l == Python {
		return "python"
	}
	return "go"
}

// ParseLang reads a language's name as the command line and the
// SECRETLINGS_LANG variable give it.
func ParseLang(s string) (Lang, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "go", "golang":
		return Go, nil
	case "python", "py", "python3":
		return Python, nil
	}
	return Go, fmt.Errorf("unknown language %q: choose go or python", s)
}

// LangFiles are a code exercise's files in a language other than Go, in
// the exercise's folder beside the Go ones.
type LangFiles struct {
	// Files are the files the learner edits; Provided the drivers, always
	// run from the checker's pristine copy.
	Files, Provided []string
	// Main is the file that is run: the first provided driver, else the
	// first learner file, when empty.
	Main string
}

// MainFile is the file that is run (see Main).
func (lf *LangFiles) MainFile() string {
	switch {
	case lf.Main != "":
		return lf.Main
	case len(lf.Provided) > 0:
		return lf.Provided[0]
	}
	return lf.Files[0]
}

// TestsCode reports whether ex's learner file is a test of provided code
// (run with go test, or python -m unittest), not a program.
func (e *Exercise) TestsCode() bool { return e.tests }

// Has reports whether ex can be solved in l. State exercises are done in
// any language (or none), so they have every one.
func (e *Exercise) Has(l Lang) bool {
	return l == Go || e.Kind == State || (l == Python && e.Python != nil)
}

// FilesIn are the files of ex the learner edits and the provided drivers,
// in l; nil when ex has no version in l.
func (e *Exercise) FilesIn(l Lang) (files, provided []string) {
	if l == Python && e.Kind == Code {
		if e.Python == nil {
			return nil, nil
		}
		return e.Python.Files, e.Python.Provided
	}
	return e.Files, e.Provided
}

// learnerFiles and providedFiles are ex's files in every language, for
// what works on the folder whatever the language: reset, backups, the
// sandbox's view of the checkout.
func (e *Exercise) learnerFiles() []string {
	if e.Python == nil {
		return e.Files
	}
	return slices.Concat(e.Files, e.Python.Files)
}

func (e *Exercise) providedFiles() []string {
	if e.Python == nil {
		return e.Provided
	}
	return slices.Concat(e.Provided, e.Python.Provided)
}

// NoVersionError says an exercise cannot be graded in the language asked
// for, because it has no version in it.
type NoVersionError struct {
	Exercise string
	Lang     Lang
}

func (e *NoVersionError) Error() string {
	return fmt.Sprintf("exercise %s has no %s version yet: solve it in Go (--lang go, or SECRETLINGS_LANG=go)", e.Exercise, langTitle(e.Lang))
}

func langTitle(l Lang) string {
	if l == Python {
		return "Python"
	}
	return "Go"
}

// lang is the language ex is graded in by c.
func (c *Checker) lang(ex *Exercise) Lang {
	if ex != nil && ex.Kind == Code && c.Lang == Python {
		return Python
	}
	return Go
}

// ready says why ex cannot be graded in c's language, if it cannot.
func (c *Checker) ready(ex *Exercise) error {
	if c.lang(ex) != Python {
		return nil
	}
	if ex.Python == nil {
		return &NoVersionError{Exercise: ex.ID, Lang: Python}
	}
	_, err := c.python()
	return err
}

// python is the interpreter Python programs run with: c.Py, else the one
// pyenv finds from the environment (probed once per process).
func (c *Checker) python() (*pyenv.Python, error) {
	if c.Py != nil {
		return c.Py, nil
	}
	return pyenv.Find("", os.Getenv)
}

// IsNotReady reports whether err says the exercise cannot be graded in the
// language asked for (no version in it, or no interpreter for it), rather
// than that grading failed.
func IsNotReady(err error) bool {
	var nv *NoVersionError
	return errors.As(err, &nv) || errors.Is(err, pyenv.ErrMissing)
}

// pythonNames are the Python words for the Go identifiers a reason names,
// so one grader speaks to both: a reason says r.say("os.Getenv(…)").
var pythonNames = map[string]string{
	`os.Getenv("DATABASE_SECRET_NAME")`: `os.environ["DATABASE_SECRET_NAME"]`,
	"os.Exit(1)":                        "sys.exit(1)",
	"fmt.Println":                       "print",
	"mask.Mask":                         `a fixed mask such as "********"`,
	"print mask.Mask(…) in its place":   `print "********" in its place`,
	"a sync.Mutex":                      "a threading.Lock",
	"NewCache":                          "SecretCache",
	"Get":                               "get",
	"AddKey":                            "demo_service.add_key",
	"s.PendingValue":                    `get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")`,
	"WhoAmI":                            "demo_service.who_am_i",
	"RevokeOtherKeys":                   "demo_service.revoke_other_keys",
	"PromotePending":                    "moving AWSCURRENT with update_secret_version_stage",
	"s.PutPending":                      `put_secret_value(..., VersionStages=["AWSPENDING"])`,
	"rotation.NewAPIKey()":              "secrets.token_urlsafe(32)",
	"LoadDBConfig":                      "load_db_config",
	checkPassesRight:                    "passes against the correct load_db_config",
	checkCatchesAll:                     "catches every broken copy of load_db_config",
	noTestRan:                           "test_dbconfig.py has no test that runs: write a unittest.TestCase with a test_ method that calls load_db_config",
	boundEachCall:                       "let a load call get_secret_value only once (a client that fails a second call)",
	useLocalEndpoint:                    "use the endpoint in AWS_ENDPOINT_URL, or a fake client",
	cleanUpHow:                          "delete what a test creates, with self.addCleanup(client.delete_secret, SecretId=name, ForceDeleteWithoutRecovery=True)",
	failAtOnce:                          "a client that fails a second call would fail at once",
	checkNoRace:                         "no thread fails on shared state (the driver runs the cache from many threads)",
	raceReason:                          "a thread failed on the cache's shared state (a RuntimeError such as a dict changed while another thread iterated it): guard every access with a threading.Lock",
}

// pyIdentifiers rewrites, in a Python run's reasons, the Go identifiers
// of the table that cannot be mistaken for ordinary words, so a reason
// written once (the rotation checks name the Go kit's methods) speaks
// Python without a say at every mention.
var pyIdentifiers = func() *strings.Replacer {
	var pairs []string
	for g, p := range pythonNames {
		if len(g) < 60 && strings.ContainsAny(g, ".(") || g == "AddKey" || g == "WhoAmI" || g == "RevokeOtherKeys" || g == "PromotePending" || g == "NewCache" || g == "LoadDBConfig" {
			pairs = append(pairs, g, p)
		}
	}
	return strings.NewReplacer(pairs...)
}()

// say is goName in the language of the run: the Python word for a Go
// identifier a reason names.
func (r *run) say(goName string) string {
	if r.c.lang(r.ex) == Python {
		if p, ok := pythonNames[goName]; ok {
			return p
		}
	}
	return goName
}

// HintsIn returns ex's hints for a learner of l: hints-python.md for
// Python where the exercise has one (same sections, same order as
// hints.md, so a check's hint number means the same), else hints.md.
func HintsIn(root string, ex *Exercise, l Lang) ([]string, error) {
	if l == Python && ex.Kind == Code {
		if data, err := os.ReadFile(filepath.Join(root, ex.Dir(), "hints-python.md")); err == nil {
			return parseHints(string(data)), nil
		}
	}
	return Hints(root, ex)
}
