package checker

import (
	"bufio"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// catch-the-bugs in Python: the learner writes test_dbconfig.py, unittest
// tests of the provided dbconfig.py. Each run starts testrunner.py, which
// loads one version of dbconfig (the correct one or a mutant, sent on
// stdin: it is never on disk where the test runs) and runs the tests.
//
// A Python test can read any module's code, so unlike Go's the versions
// cannot be hidden in one program: the runner's audit hook refuses every
// way to read the code under test but running it (see testrunner.py), and
// the mutants are made so that nothing else tells them apart: each edit
// replaces one line inside a function's body, so line numbers, names,
// docstrings and module attributes stay the same (a test proves it).

//go:embed testrunner.py
var testRunner string

// pyCatchFile is the Python code under test.
const pyCatchFile = "dbconfig.py"

// pyMutants are the Go mutants' mistakes in dbconfig.py, with the same IDs
// and hints.
var pyMutants = []mutant{
	{ID: "previous-version", Breaks: "reads AWSPREVIOUS instead of AWSCURRENT", Hint: 2, Edits: []edit{{
		`VersionStage="AWSCURRENT")`, `VersionStage="AWSPREVIOUS")`}}},
	{ID: "hard-coded-name", Breaks: "reads prod/app/db whatever name it is given", Hint: 2, Edits: []edit{{
		`get_secret_value(SecretId=name,`, `get_secret_value(SecretId="prod/app/db",`}}},
	{ID: "ignores-port", Breaks: "always connects to port 5432, whatever the secret says", Hint: 2, Edits: []edit{{
		`port=port,`, `port=DEFAULT_PORT,`}}},
	{ID: "swallows-not-found", Breaks: "returns an empty Config and raises nothing for a missing secret", Hint: 3, Edits: []edit{{
		`raise NotFoundError(f"dbconfig: secret not found: {name}") from None`, `return Config(host="", port=0, username="", password="", database="")`}}},
	{ID: "wrong-error", Breaks: "reports a missing secret with the right words but not as NotFoundError", Hint: 3, Edits: []edit{{
		`raise NotFoundError(f"dbconfig: secret not found: {name}") from None`, `raise ConfigError(f"dbconfig: secret not found: {name}") from None`}}},
	{ID: "retries-forever", Breaks: "retries a missing secret without end", Hint: 5, Edits: []edit{{
		`raise NotFoundError(f"dbconfig: secret not found: {name}") from None`, `import time; time.sleep(0.05); return load_db_config(client, name)`}}},
	{ID: "accepts-malformed", Breaks: "accepts a value that is not JSON, returning an empty Config", Hint: 3, Edits: []edit{{
		`raise InvalidConfigError(f"dbconfig: {name} does not hold a JSON object with host, port, username, password and dbname") from None`,
		`return Config(host="", port=0, username="", password="", database="")`}}},
	{ID: "no-password-check", Breaks: "accepts a secret without a password", Hint: 3, Edits: []edit{{
		`("host", "username", "password", "dbname")`, `("host", "username", "dbname")`}}},
	{ID: "error-leaks-value", Breaks: "puts the secret's value, password and all, in the error for a missing field", Hint: 4, Edits: []edit{{
		`lacks {', '.join(missing)}")`, `lacks {', '.join(missing)} in {raw}")`}}},
	{ID: "string-leaks-password", Breaks: "prints the password when a Config is printed or logged", Hint: 4, Edits: []edit{{
		`return f"Config({self.username}@{self.host}:{self.port}/{self.database}, password masked)"`,
		`return f"Config({self.username}:{self.password}@{self.host}:{self.port}/{self.database})"`}}},
}

// pyTester runs the learner's tests with testrunner.py: every version of
// dbconfig, the baseline included, from the checker's own copy.
type pyTester struct{}

func (pyTester) file() string      { return pyCatchFile }
func (pyTester) mutants() []mutant { return mutantsIn(Python) }

func (t pyTester) baseline(ctx context.Context, r *run) (testOutcome, error) {
	src, err := pristineFile(r.ex, pyCatchFile)
	if err != nil {
		return testOutcome{}, err
	}
	return r.runTests(ctx, &r.box, t.launch(r, src, true), testLimit)
}

func (pyTester) prepare(context.Context, *run, []byte) bool { return true }

func (t pyTester) try(ctx context.Context, r *run, box *sandbox, i int, limit time.Duration) (testOutcome, error) {
	src, err := pristineFile(r.ex, pyCatchFile)
	if err != nil {
		return testOutcome{}, err
	}
	if i > 0 {
		if src, err = pyMutants[i-1].apply(src); err != nil {
			return testOutcome{}, err
		}
	}
	return r.runTests(ctx, box, t.launch(r, src, false), limit)
}

// launch starts the runner on the learner's test file, which pyBuild
// wrote outside the sandbox (so the values the test stores, which it
// spells out, are not taken for a file it left), with src on stdin.
func (pyTester) launch(r *run, src []byte, cover bool) func(*sandbox) testLaunch {
	return func(*sandbox) testLaunch {
		tests := filepath.Join(r.prog.dir, r.ex.Python.Files[0])
		coverArg := "0"
		if cover {
			coverArg = "1"
		}
		return testLaunch{
			path:    r.prog.path,
			args:    []string{"-c", testRunner, "dbconfig", tests, "3", coverArg},
			env:     r.prog.env,
			stdin:   src,
			records: true,
			python:  true,
		}
	}
}

// record is one line the runner writes on its pipe.
type record struct {
	Ran     string `json:"ran"`
	Failed  string `json:"failed"`
	Message string `json:"message"`
	Refused string `json:"refused"`
	Network string `json:"network"`
	Cover   []int  `json:"cover"`
}

// recordReader collects the runner's records while it runs.
type recordReader struct {
	pr, pw *os.File
	done   chan []record
}

// openRecords makes a pipe cmd's file descriptor 3 and reads it.
func openRecords(cmd *exec.Cmd) (*recordReader, error) {
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("making the tests' report pipe: %w", err)
	}
	cmd.ExtraFiles = []*os.File{pw}
	rr := &recordReader{pr: pr, pw: pw, done: make(chan []record, 1)}
	go func() {
		var recs []record
		sc := bufio.NewScanner(io.LimitReader(pr, 4<<20))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var rec record
			if json.Unmarshal(sc.Bytes(), &rec) == nil {
				recs = append(recs, rec)
			}
		}
		rr.done <- recs
	}()
	return rr, nil
}

// started closes the checker's copy of the pipe's end, once the program
// has its own: the reader then ends when the program does.
func (rr *recordReader) started() { _ = rr.pw.Close() }

// wait returns the records once the program has ended. A copy of the
// pipe that outlives it (it started no other program: that is refused,
// but a crash could leave one) is cut after a moment.
func (rr *recordReader) wait() []record {
	defer rr.pr.Close()
	select {
	case recs := <-rr.done:
		return recs
	case <-time.After(2 * time.Second):
		_ = rr.pr.Close()
		return <-rr.done
	}
}

// fromRecords reads the runner's records: the tests that ran and failed,
// with their first messages, what it refused them, the hosts beyond this
// machine they reached for, and the lines of the code under test that ran.
func (o *testOutcome) fromRecords(recs []record) {
	for _, rec := range recs {
		switch {
		case rec.Ran != "":
			o.ran++
		case rec.Failed != "":
			o.failed = append(o.failed, shortTestName(rec.Failed))
			o.note(shortTestName(rec.Failed), rec.Message)
		case rec.Refused != "":
			o.refused = append(o.refused, rec.Refused)
		case rec.Network != "":
			o.awsHosts = mergeHosts(o.awsHosts, []string{rec.Network})
		case rec.Cover != nil:
			blocks := make([][2]int, 0, len(rec.Cover))
			for _, l := range rec.Cover {
				blocks = append(blocks, [2]int{l, l})
			}
			o.cover = coverage{pyCatchFile: blocks}
		}
	}
}

// shortTestName drops the module from a unittest id:
// "test_dbconfig.LoadTest.test_port [case]" is "LoadTest.test_port [case]".
func shortTestName(id string) string {
	name, sub, _ := strings.Cut(id, " ")
	if i := strings.Index(name, "."); i >= 0 && strings.Count(name, ".") >= 2 {
		name = name[i+1:]
	}
	if sub != "" {
		return name + " " + sub
	}
	return name
}

// mergeHosts adds the hosts of more not yet in hosts.
func mergeHosts(hosts, more []string) []string {
	for _, h := range more {
		if !slices.Contains(hosts, h) {
			hosts = append(hosts, h)
		}
	}
	return hosts
}
