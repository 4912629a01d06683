package checker

import (
	"regexp"
	"strings"
)

// Check names are graded, matched by the corpus and shown in --json as the
// graders write them, in Go's words; Shown is what a learner reads.

// pyWords are the Go words of check names and reasons that mean something
// else, or nothing, to a learner writing Python, and what they read
// instead: the build (a syntax check in Python), a panic (a traceback), the
// cache's Get method, goroutines, and the SDK's operation names, which
// boto3 spells in snake_case.
var pyWords = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`^compiles$`), "parses (no syntax error)"},
	{regexp.MustCompile(`^no panic or stack trace$`), "no traceback"},
	{regexp.MustCompile(`the program does not compile`), "the program has a syntax error"},
	{regexp.MustCompile(`printed a panic or a stack trace`), "printed a traceback"},
	{regexp.MustCompile(`\bGet\b`), "get"},
	{regexp.MustCompile(`\bgoroutines\b`), "threads"},
	{regexp.MustCompile(`\bgoroutine\b`), "thread"},
	{regexp.MustCompile(`\b(` + strings.Join(operations, "|") + `)\b`), ""}, // snake_case, below
}

// operations are the Secrets Manager operations a code exercise's checks
// name.
var operations = []string{
	"BatchGetSecretValue", "CancelRotateSecret", "CreateSecret", "DeleteResourcePolicy", "DeleteSecret",
	"DescribeSecret", "GetRandomPassword", "GetResourcePolicy", "GetSecretValue", "ListSecretVersionIds",
	"ListSecrets", "PutResourcePolicy", "PutSecretValue", "RestoreSecret", "RotateSecret",
	"TagResource", "UntagResource", "UpdateSecret", "UpdateSecretVersionStage", "ValidateResourcePolicy",
}

var upperRun = regexp.MustCompile(`([a-z0-9])([A-Z])`)

// Shown is a check's name or reason as a learner of a code exercise in
// lang reads it: in Python, put_secret_value for PutSecretValue, "parses
// (no syntax error)" for "compiles", "no traceback" for "no panic or
// stack trace", and so on; in Go, text itself. (The reasons' identifiers
// are Python's already: see run.say.)
func Shown(text string, lang Lang) string {
	if lang != Python || text == "" {
		return text
	}
	for _, w := range pyWords {
		if w.with == "" {
			text = w.re.ReplaceAllStringFunc(text, func(op string) string {
				return strings.ToLower(upperRun.ReplaceAllString(op, "${1}_${2}"))
			})
			continue
		}
		text = w.re.ReplaceAllString(text, w.with)
	}
	return text
}

// ShownIn is Shown for a result's language ("" or "go": as written).
func ShownIn(text, lang string) string {
	if l, err := ParseLang(lang); err == nil {
		return Shown(text, l)
	}
	return text
}
