package checker

import (
	"bytes"
	"fmt"
	"strings"
)

// A mutant is a broken copy of catch-the-bugs' config.go, made by editing
// the correct code: the learner's test must fail against it. The mutants
// live here, in the checker, and reach the disk only inside a grading's
// mutant schema (schema.go), in the build's overlay, never in the
// checkout. checker tests prove that each edit applies to the code
// exactly once, that each mutant compiles, and that the reference test
// catches it (so each one differs in behaviour).
type mutant struct {
	ID     string // stable, short: the name of its build
	Breaks string // what it gets wrong, as the result lists it
	Hint   int    // the hint that helps a test catch it
	// Edits are applied in order; the first is the one that changes
	// behaviour (the others add what it needs, such as an import), and
	// its lines decide whether a test runs the mutated code at all.
	Edits []edit
}

type edit struct{ Old, New string }

// mutants are catch-the-bugs' broken copies of LoadDBConfig, each a
// mistake real configuration loaders make.
var mutants = []mutant{
	{ID: "previous-version", Breaks: "reads AWSPREVIOUS instead of AWSCURRENT", Hint: 2, Edits: []edit{{
		`VersionStage: aws.String("AWSCURRENT"),`, `VersionStage: aws.String("AWSPREVIOUS"),`}}},
	{ID: "hard-coded-name", Breaks: "reads prod/app/db whatever name it is given", Hint: 2, Edits: []edit{{
		`SecretId:     aws.String(name),`, `SecretId:     aws.String("prod/app/db"),`}}},
	{ID: "ignores-port", Breaks: "always connects to port 5432, whatever the secret says", Hint: 2, Edits: []edit{{
		`Config{Host: doc.Host, Port: doc.Port,`, `Config{Host: doc.Host, Port: DefaultPort,`}}},
	{ID: "swallows-not-found", Breaks: "returns an empty Config and no error for a missing secret", Hint: 3, Edits: []edit{{
		`return Config{}, fmt.Errorf("%w: %s", ErrNotFound, name)`, `return Config{}, nil`}}},
	{ID: "wrong-error", Breaks: "reports a missing secret with the right words but not as ErrNotFound", Hint: 3, Edits: []edit{{
		`fmt.Errorf("%w: %s", ErrNotFound, name)`, `fmt.Errorf("%v: %s", ErrNotFound, name)`}}},
	{ID: "retries-forever", Breaks: "retries a missing secret without end, until the context is cancelled", Hint: 5, Edits: []edit{
		{`	var notFound *types.ResourceNotFoundException
	if errors.As(err, &notFound) {`, `	var notFound *types.ResourceNotFoundException
	for errors.As(err, &notFound) {
		time.Sleep(50 * time.Millisecond)
		out, err = client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name), VersionStage: aws.String("AWSCURRENT")})
	}
	if errors.As(err, &notFound) {`},
		{`	"strings"
`, `	"strings"
	"time"
`}}},
	{ID: "accepts-malformed", Breaks: "accepts a value that is not JSON, returning an empty Config", Hint: 3, Edits: []edit{{
		`return Config{}, fmt.Errorf("%w: %s does not hold a JSON object`, `return Config{}, nil // was: fmt.Errorf("%w: %s does not hold a JSON object`}}},
	{ID: "no-password-check", Breaks: "accepts a secret without a password", Hint: 3, Edits: []edit{{
		`		{"password", d.Password},
`, ``}}},
	{ID: "error-leaks-value", Breaks: "puts the secret's value, password and all, in the error for a missing field", Hint: 4, Edits: []edit{{
		`fmt.Errorf("%w: %s lacks %s", ErrInvalid, name, strings.Join(missing, ", "))`,
		`fmt.Errorf("%w: %s lacks %s in %s", ErrInvalid, name, strings.Join(missing, ", "), raw)`}}},
	{ID: "string-leaks-password", Breaks: "prints the password when a Config is printed or logged", Hint: 4, Edits: []edit{{
		`return fmt.Sprintf("%s@%s:%d/%s (password masked)", c.Username, c.Host, c.Port, c.Database)`,
		`return fmt.Sprintf("%s:%s@%s:%d/%s", c.Username, c.Password, c.Host, c.Port, c.Database)`}}},
}

// apply returns src with m's edits made. Each edit's Old text must occur
// exactly once, so a change to config.go that a mutant no longer fits is
// an error, not a mutant equal to the correct code.
func (m mutant) apply(src []byte) ([]byte, error) {
	out := src
	for i, e := range m.Edits {
		if n := bytes.Count(out, []byte(e.Old)); n != 1 {
			return nil, fmt.Errorf("mutant %s: edit %d matches config.go %d times, want once", m.ID, i+1, n)
		}
		out = bytes.Replace(out, []byte(e.Old), []byte(e.New), 1)
	}
	return out, nil
}

// lines is the range of lines of src (from 1) that m's first edit
// replaces: the code a test must run for the mutant to make a difference.
func (m mutant) lines(src []byte) (first, last int) {
	i := bytes.Index(src, []byte(m.Edits[0].Old))
	if i < 0 {
		return 0, 0
	}
	first = bytes.Count(src[:i], []byte("\n")) + 1
	return first, first + strings.Count(strings.TrimSuffix(m.Edits[0].Old, "\n"), "\n")
}
