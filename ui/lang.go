package ui

import (
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"secretlings/checker"
	"secretlings/internal/pyenv"
)

// The language of the code exercises: chosen once (asked on the home
// screen once the app knows whether Python is ready), changed with L for
// all exercises on home and in the list, or for one on its screen, and
// kept in the progress file. A choice of Python where it is not ready is
// kept, and said where it matters (the exercise list and screen, with the
// fix); nothing is graded in another language instead.

// lang is the learner's language for the code exercises: their choice,
// else Go.
func (c *Common) lang() checker.Lang { return parseLang(c.Progress.Lang) }

// langFor is the language exercise ex is graded in: its own choice, else
// the learner's, for a code exercise that has a version in it; Go
// otherwise (state exercises have no program).
func (c *Common) langFor(ex *checker.Exercise) checker.Lang {
	l := parseLang(c.Progress.LangOf(ex.ID))
	if ex.Kind != checker.Code || !ex.Has(l) {
		return checker.Go
	}
	return l
}

// parseLang reads a stored choice; nothing, or what this build cannot
// read, is Go.
func parseLang(s string) checker.Lang {
	l, err := checker.ParseLang(s)
	if err != nil {
		return checker.Go
	}
	return l
}

// pythonReady reports whether the Python track's interpreter was found.
func (c *Common) pythonReady() bool { return c.python.Load() != nil }

// pythonPending reports whether the app is still looking for Python.
func (c *Common) pythonPending() bool { return c.findPython != nil && !c.pythonProbed }

// notReady says why exercises in l cannot be graded here ("" when they
// can): still looking for Python, or what it lacks and how to fix it.
func (c *Common) notReady(l checker.Lang) string {
	switch {
	case l != checker.Python || c.pythonReady():
		return ""
	case c.pythonPending():
		return "Looking for Python…"
	}
	return "Python is not ready here, so nothing is graded in Python yet. " + c.pythonWhy
}

// askLang reports whether the home screen should ask for the language:
// nothing chosen yet, and the app knows whether Python is ready (so the
// question can say what it needs).
func (c *Common) askLang() bool {
	return c.Progress.Lang == "" && c.findPython != nil && c.pythonProbed
}

// chooseLang records l as the language of every exercise without a choice
// of its own, and says so in a flash; the command saves the choice and
// ends the flash.
func (c *Common) chooseLang(l checker.Lang) tea.Cmd {
	c.Progress.Lang = l.String()
	text := fmt.Sprintf("Code exercises are now in %s (L changes it; on an exercise, for that one alone).", langName(l))
	if why := c.notReady(l); why != "" {
		text += " " + why
	}
	return tea.Batch(c.saveCmd(), c.flash(text))
}

// nextLang is the language after cur.
func nextLang(cur checker.Lang) checker.Lang {
	if cur == checker.Python {
		return checker.Go
	}
	return checker.Python
}

// switchLang changes the learner's language to the next one.
func (c *Common) switchLang() tea.Cmd { return c.chooseLang(nextLang(c.lang())) }

func langName(l checker.Lang) string {
	if l == checker.Python {
		return "Python"
	}
	return "Go"
}

// flashFor is how long a flash stays.
const flashFor = 8 * time.Second

// flashExpiredMsg ends flash seq, unless a newer one replaced it.
type flashExpiredMsg struct{ seq int }

// flash shows text on the screens that show flashes (home, the exercise
// list and screen) until flashFor has passed or another flash replaces it.
func (c *Common) flash(text string) tea.Cmd {
	c.flashText = text
	c.flashSeq++
	seq := c.flashSeq
	return tea.Tick(flashFor, func(time.Time) tea.Msg { return flashExpiredMsg{seq} })
}

// flashExpired ends the flash msg is for, if it is still the one shown.
func (c *Common) flashExpired(msg flashExpiredMsg) {
	if msg.seq == c.flashSeq {
		c.flashText = ""
	}
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

// pythonFound records the interpreter, or why there is none. A learner
// who chose Python where it is not ready is told, with the fix.
func (c *Common) pythonFound(msg pythonFoundMsg) string {
	c.pythonProbed = true
	if msg.err != nil || msg.py == nil {
		if msg.err != nil {
			c.pythonWhy = msg.err.Error()
		}
		if c.Progress.Lang == checker.Python.String() {
			return "Your code exercises are in Python, which is not ready here, so they are not graded until it is (L switches to Go). " + c.pythonWhy
		}
		return ""
	}
	c.python.Store(msg.py)
	c.pythonWhy = ""
	return ""
}
