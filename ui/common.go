// Package ui is the tutorial's terminal interface: one root model that routes
// to its screens (home, lesson), with one Styles, one KeyMap and one Common
// struct shared by all of them.
package ui

import (
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"secretlings/internal/progress"
	"secretlings/internal/pyenv"
	"secretlings/lessons"
	"secretlings/lessons/runner"
	"secretlings/ui/common"
)

// Common is what every screen of package ui shares: the part every screen
// of the UI shares (size, styles, keys, clock, backend, read-only), and the
// lessons, the learner's progress and the runner.
type Common struct {
	*common.Common
	Lessons  []*lessons.Lesson
	Progress *progress.Progress
	Markdown *Markdown
	// Runner runs the lessons' actions; nil when the backend is unavailable.
	Runner *runner.Runner

	// python is the Python track's interpreter once found (set on the UI
	// goroutine, read by gradings); pythonWhy says why there is none, with
	// the fix; pythonProbed is set once findPython has answered.
	python       atomic.Pointer[pyenv.Python]
	pythonWhy    string
	pythonProbed bool
	findPython   func() (*pyenv.Python, error)

	// flashText is a short-lived message (see flash), flashSeq the latest
	// one's number.
	flashText string
	flashSeq  int

	save         func(*progress.Progress) error
	results      map[string]map[int]*runner.Result // per lesson, this session's action results
	costAccepted bool                              // the learner agreed to run on real AWS
}

// Options configure New.
type Options struct {
	Lessons  []*lessons.Lesson
	Progress *progress.Progress
	// Save persists progress; it runs in a command, off the UI goroutine.
	Save func(*progress.Progress) error
	// Notice is shown once on the home screen (for example that an
	// unreadable progress file was set aside).
	Notice        string
	Backend       Backend
	Now           func() time.Time
	MarkdownStyle string // a glamour style name: dark, light, notty, ascii
	Styles        *Styles
	Keys          *KeyMap
	ReadOnly      bool
	// Runner runs the lessons' actions; nil builds one for Backend.Conn.
	Runner *runner.Runner
	// FindPython finds the Python track's interpreter, once, after the
	// first frame (it starts Python); nil or an error leaves the code
	// exercises in Go only, and the error says why.
	FindPython func() (*pyenv.Python, error)
	// Lang, when set (--lang, SECRETLINGS_LANG), is the language chosen for
	// the code exercises, as if the learner had picked it in the app.
	Lang string
}

// saveCmd saves a copy of the progress off the UI goroutine; a failure comes
// back as an errMsg.
func (c *Common) saveCmd() tea.Cmd {
	if c.save == nil {
		return nil
	}
	snapshot := c.Progress.Clone()
	save := c.save
	return func() tea.Msg {
		if err := save(snapshot); err != nil {
			return errMsg{err}
		}
		return nil
	}
}
