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
	"secretlings/internal/progress"
	"secretlings/internal/pyenv"
)

// langEnv names the language when no --lang flag does.
const langEnv = "SECRETLINGS_LANG"

// langDefault says where the language comes from when --lang does not
// name one; every command's help says it in these words.
const langDefault = "$SECRETLINGS_LANG, else the one chosen in the app (per exercise, kept in the progress file), else go"

var langHelp = wrapFlag("--lang go|python", "the language your code exercises are in (default: "+langDefault+"); python grades main.py, cache.py, … beside the Go files, with the same checks (in Python: "+pythonIDs()+")") +
	wrapFlag("--python PATH", "the Python 3.9+ interpreter with boto3 (default: $"+pyenv.EnvVar+", else python3 on PATH)")

// wrapFlag is one flag of a usage text: its name in the first column, its
// description wrapped beside it.
func wrapFlag(flag, desc string) string {
	text := wrapIndent(desc, 23, 79)
	return "  " + flag + strings.Repeat(" ", max(1, 21-len(flag))) + strings.TrimLeft(text, " ") + "\n"
}

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

// langChoice is the language each exercise is graded in, decided as
// langDefault says, and the interpreter when one of them is Python.
type langChoice struct {
	of map[string]checker.Lang // by exercise id
	py *pyenv.Python
	// fromApp lists the exercises whose language came from the progress
	// file (no --lang, no SECRETLINGS_LANG), for messages.
	fromApp []string
}

// lang is the language ex is graded in.
func (lc langChoice) lang(ex *checker.Exercise) checker.Lang { return lc.of[ex.ID] }

// choose decides the language of each of exs: --lang or SECRETLINGS_LANG
// for all of them, else each one's choice in the app (prog), else Go; and
// finds the interpreter when one of them is in Python. With --lang or
// SECRETLINGS_LANG, an exercise without a version in that language is left
// out with a note (or, when named, is a usage error); a choice made in the
// app falls back to Go for one without. code >= 0 means stop with it: 2
// for a bad language, 1 when Python is not ready.
func (l langFlags) choose(exs []*checker.Exercise, named bool, prog *progress.Progress, name string, stderr io.Writer) (keep []*checker.Exercise, lc langChoice, code int) {
	s, err := l.chosen()
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return nil, lc, 2
	}
	lc.of = map[string]checker.Lang{}
	if s != "" {
		lang, _ := checker.ParseLang(s) // chosen spells it as ParseLang reads it
		if keep, code = withVersion(exs, named, lang, name, stderr); code >= 0 {
			return nil, lc, code
		}
		for _, ex := range keep {
			lc.of[ex.ID] = lang
		}
	} else {
		keep = exs
		for _, ex := range exs {
			lang, err := checker.ParseLang(prog.LangOf(ex.ID))
			if err != nil || ex.Kind != checker.Code || !ex.Has(lang) {
				lang = checker.Go
			}
			lc.of[ex.ID] = lang
			if lang == checker.Python {
				lc.fromApp = append(lc.fromApp, ex.ID)
			}
		}
	}
	for _, ex := range keep {
		if lc.of[ex.ID] != checker.Python || ex.Kind != checker.Code {
			continue
		}
		py, err := pyenv.Find(l.python, os.Getenv)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", name, err)
			if len(lc.fromApp) > 0 {
				fmt.Fprintf(stderr, "%s: (Python is the language chosen in the app for %s; --lang go grades the Go files instead.)\n", name, strings.Join(lc.fromApp, ", "))
			}
			return nil, lc, 1
		}
		lc.py = py
		break
	}
	return keep, lc, -1
}

// chosen is the language --lang or SECRETLINGS_LANG names, as the
// progress file spells it; "" when neither does.
func (l langFlags) chosen() (string, error) {
	s, from := l.lang, "--lang"
	if s == "" {
		s, from = os.Getenv(langEnv), langEnv
	}
	if s == "" {
		return "", nil
	}
	lang, err := checker.ParseLang(s)
	if err != nil {
		return "", fmt.Errorf("%s names an unknown language, %q: choose go or python", from, s)
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

// editFiles are the files of ex the learner edits in lang.
func editFiles(ex *checker.Exercise, lang checker.Lang) []string {
	if ex.Kind != checker.Code {
		lang = checker.Go
	}
	files, _ := ex.FilesIn(lang)
	return files
}
