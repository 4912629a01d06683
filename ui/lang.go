package ui

import (
	"fmt"
	"slices"

	tea "github.com/charmbracelet/bubbletea"

	"secretlings/checker"
	"secretlings/internal/pyenv"
)

// The language of the code exercises: chosen once (asked on the home
// screen when Python is ready too), changed with L for all exercises on
// home and in the list, or for one on its screen, and kept in the
// progress file.

// lang is the learner's language for the code exercises: their choice
// when this machine can run it, else Go.
func (c *Common) lang() checker.Lang {
	return c.available(c.Progress.Lang)
}

// langFor is the language exercise ex is graded in: its own choice, else
// the learner's, for a code exercise that has a version in it; Go
// otherwise (state exercises have no program, catch-the-bugs no Python
// version yet).
func (c *Common) langFor(ex *checker.Exercise) checker.Lang {
	l := c.available(c.Progress.LangOf(ex.ID))
	if ex.Kind != checker.Code || !ex.Has(l) {
		return checker.Go
	}
	return l
}

// available parses a stored choice, falling back to Go for one this
// machine cannot run (Python without its interpreter) or cannot read.
func (c *Common) available(s string) checker.Lang {
	l, err := checker.ParseLang(s)
	if err != nil || !slices.Contains(c.langs, l) {
		return checker.Go
	}
	return l
}

// askLang reports whether the home screen should ask for the language:
// nothing chosen yet and more than one to choose from.
func (c *Common) askLang() bool { return c.Progress.Lang == "" && len(c.langs) > 1 }

// chooseLang records l as the language of every exercise without a choice
// of its own, and says what changed.
func (c *Common) chooseLang(l checker.Lang) string {
	c.Progress.Lang = l.String()
	return fmt.Sprintf("Code exercises are now in %s (L changes it; on an exercise, for that one alone).", langName(l))
}

// nextLang is the language after the current one, and a note when there
// is no other (Python not ready, and why).
func (c *Common) nextLang(cur checker.Lang) (checker.Lang, string) {
	if len(c.langs) < 2 {
		return cur, "Only Go is available here: " + c.pythonWhy
	}
	i := slices.Index(c.langs, cur)
	return c.langs[(i+1)%len(c.langs)], ""
}

// switchLang changes the learner's language to the next one.
func (c *Common) switchLang() (string, tea.Cmd) {
	next, why := c.nextLang(c.lang())
	if why != "" {
		return why, nil
	}
	return c.chooseLang(next), c.saveCmd()
}

func langName(l checker.Lang) string {
	if l == checker.Python {
		return "Python"
	}
	return "Go"
}

// tabs are a lesson result's tabs, the chosen language's code first.
func (c *Common) tabs() []string {
	if c.lang() == checker.Python {
		return []string{"Response", "Request", "boto3", "aws CLI", "Go"}
	}
	return resultTabs
}

// pythonFoundMsg carries the result of looking for Python.
type pythonFoundMsg struct {
	py  *pyenv.Python
	err error
}

// findPythonCmd looks for the Python track's interpreter off the UI
// goroutine: the probe starts Python and imports boto3.
func (c *Common) findPythonCmd() tea.Cmd {
	find := c.findPython
	if find == nil {
		return nil
	}
	return func() tea.Msg {
		py, err := find()
		return pythonFoundMsg{py, err}
	}
}

// pythonFound makes Python one of the languages, or records why not. A
// learner who chose Python where it is not ready is told, and the
// exercises stay in Go meanwhile.
func (c *Common) pythonFound(msg pythonFoundMsg) string {
	if msg.err != nil || msg.py == nil {
		if msg.err != nil {
			c.pythonWhy = msg.err.Error()
		}
		if c.Progress.Lang == checker.Python.String() {
			return "Your exercises are in Python, and it is not ready here, so they are graded in Go for now: " + c.pythonWhy
		}
		return ""
	}
	c.python.Store(msg.py)
	c.pythonWhy = ""
	if !slices.Contains(c.langs, checker.Python) {
		c.langs = append(c.langs, checker.Python)
	}
	return ""
}
