package main

// The language code exercises are solved in: --lang go|python (or
// SECRETLINGS_LANG) and --python PATH, shared by check and watch.

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"secretlings/checker"
	"secretlings/internal/pyenv"
)

// langEnv names the language when no --lang flag does.
const langEnv = "SECRETLINGS_LANG"

var langHelp = `  --lang go|python     the language your code exercises are in (default:
                       $SECRETLINGS_LANG, else go); python grades main.py,
                       cache.py, … beside the Go files, with the same checks
` + wrapIndent("(in Python: "+pythonIDs()+")", 23, 79) + `
  --python PATH        the Python 3.9+ interpreter with boto3 (default:
                       $SECRETLINGS_PYTHON, else python3 on PATH)
`

// wrapIndent wraps words into lines of at most width columns, each
// indented by indent spaces, for the usage text's flag column.
func wrapIndent(text string, indent, width int) string {
	pad := strings.Repeat(" ", indent)
	var lines []string
	line := pad
	for _, w := range strings.Fields(text) {
		if len(line) > indent && len(line)+1+len(w) > width {
			lines = append(lines, line)
			line = pad
		}
		if len(line) > indent {
			line += " "
		}
		line += w
	}
	return strings.Join(append(lines, line), "\n")
}

// pythonIDs lists the code exercises with a Python version.
func pythonIDs() string {
	var ids []string
	for _, ex := range checker.All() {
		if ex.Kind == checker.Code && ex.Has(checker.Python) {
			ids = append(ids, ex.ID)
		}
	}
	return strings.Join(ids, ", ")
}

// langFlags are the flags that choose the language.
type langFlags struct {
	lang, python string
}

func (l *langFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&l.lang, "lang", "", "")
	fs.StringVar(&l.python, "python", "", "")
}

// setup sets c's language from the flags and the environment, and finds
// the interpreter for Python. A message means stop with exit status 2 (a
// bad --lang) or 1 (no Python ready).
func (l langFlags) setup(c *checker.Checker, name string, stderr io.Writer) (code int) {
	s, err := l.chosen()
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return 2
	}
	if s == "" {
		return -1
	}
	lang, _ := checker.ParseLang(s) // chosen spells it as ParseLang reads it
	c.Lang = lang
	if lang != checker.Python {
		return -1
	}
	py, err := pyenv.Find(l.python, os.Getenv)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return 1
	}
	c.Py = py
	return -1
}

// chosen is the language --lang or SECRETLINGS_LANG names, as the
// progress file spells it; "" when neither does.
func (l langFlags) chosen() (string, error) {
	s := l.lang
	if s == "" {
		s = os.Getenv(langEnv)
	}
	if s == "" {
		return "", nil
	}
	lang, err := checker.ParseLang(s)
	if err != nil {
		return "", err
	}
	return lang.String(), nil
}

// withVersion keeps the exercises that have a version in lang. A named
// exercise without one is an error (exit status 2); when all were asked
// for, those without one are left out, with a note on stderr.
func withVersion(exs []*checker.Exercise, named bool, lang checker.Lang, name string, stderr io.Writer) ([]*checker.Exercise, int) {
	var keep []*checker.Exercise
	var without []string
	for _, ex := range exs {
		if ex.Has(lang) {
			keep = append(keep, ex)
			continue
		}
		if named {
			fmt.Fprintf(stderr, "%s: %v\n", name, &checker.NoVersionError{Exercise: ex.ID, Lang: lang})
			return nil, 2
		}
		without = append(without, ex.ID)
	}
	if len(without) > 0 {
		fmt.Fprintf(stderr, "%s: %s %s no %s version yet, so %s not checked: check %s with --lang go\n", name,
			strings.Join(without, ", "), plural(len(without), "has", "have"), lang, plural(len(without), "it is", "they are"), plural(len(without), "it", "them"))
	}
	return keep, -1
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// editFiles are the files of ex the learner edits in c's language.
func editFiles(c *checker.Checker, ex *checker.Exercise) []string {
	lang := c.Lang
	if ex.Kind != checker.Code {
		lang = checker.Go
	}
	files, _ := ex.FilesIn(lang)
	return files
}
