package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"secretlings/checker"
)

// exerciseGrader is what the screens need from the checker; tests replace
// it with a fake.
type exerciseGrader interface {
	Root() string
	Grade(ctx context.Context, ex *checker.Exercise, ns string, lang checker.Lang) (*checker.Result, error)
	Prepare(ctx context.Context, ex *checker.Exercise, ns string) error
	Reset(ctx context.Context, ex *checker.Exercise, ns string) error
}

// checkerGrader adapts a *checker.Checker per language: c is Go's, and
// Python's is made on first use, with the interpreter the app found.
type checkerGrader struct {
	c      *checker.Checker
	mu     *sync.Mutex
	python **checker.Checker
	common *Common
}

func (g checkerGrader) Root() string { return g.c.Root }
func (g checkerGrader) Grade(ctx context.Context, ex *checker.Exercise, ns string, lang checker.Lang) (*checker.Result, error) {
	if lang != checker.Python {
		return g.c.Grade(ctx, ex, ns)
	}
	g.mu.Lock()
	if found := g.common.python.Load(); *g.python == nil && found != nil {
		py := checker.New(g.c.Backend, g.c.Root)
		py.Lang, py.Py, py.BuildDir = checker.Python, found, g.c.BuildDir
		*g.python = py
	}
	c := *g.python
	g.mu.Unlock()
	if c == nil {
		return nil, errors.New("Python is not ready here: the exercise is graded once it is (L switches it back to Go)")
	}
	return c.Grade(ctx, ex, ns)
}
func (g checkerGrader) Prepare(ctx context.Context, ex *checker.Exercise, ns string) error {
	return g.c.Prepare(ctx, ex, ns)
}
func (g checkerGrader) Reset(ctx context.Context, ex *checker.Exercise, ns string) error {
	return g.c.Reset(ctx, ex, ns)
}

// newExerciseGrader builds the grader for the app's backend.
var newExerciseGrader = func(c *Common) (exerciseGrader, error) {
	if c.Backend.Conn == nil {
		why := "no backend is connected"
		if c.Backend.Err != nil {
			why = c.Backend.Err.Error()
		}
		return nil, fmt.Errorf("exercises are graded on the backend, and %s: fix that and restart secretlings", why)
	}
	root, err := checker.FindRoot(".")
	if err != nil {
		return nil, err
	}
	ch := checker.New(checker.BackendFor(c.Backend.Conn), root)
	if dir, err := os.UserCacheDir(); err == nil {
		ch.BuildDir = filepath.Join(dir, "secretlings", "build")
	}
	return checkerGrader{c: ch, mu: &sync.Mutex{}, python: new(*checker.Checker), common: c}, nil
}

// ---- messages ----

// ExerciseMsg marks the exercise screens' messages. The root should hand
// them to the exercise screen whatever screen is shown, so a grading that
// finishes while the learner looks at the browser is not lost:
//
//	case ui.ExerciseMsg: m.exercises, cmd = m.exercises.Update(msg)
type ExerciseMsg interface{ exerciseMsg() }

func (exerciseGradedMsg) exerciseMsg()    {}
func (exerciseTextsMsg) exerciseMsg()     {}
func (exerciseSolutionMsg) exerciseMsg()  {}
func (exerciseResetMsg) exerciseMsg()     {}
func (exercisesVerifiedMsg) exerciseMsg() {}
func (exerciseWatchMsg) exerciseMsg()     {}
func (exerciseOpenMsg) exerciseMsg()      {}
func (exerciseCloseMsg) exerciseMsg()     {}
func (exerciseEditedMsg) exerciseMsg()    {}

type exerciseGradedMsg struct {
	id  string
	gen int // which grading; an older one's result is dropped
	res *checker.Result
	err error
}

type exerciseTextsMsg struct {
	id           string
	hints        []string
	instructions string
	err          error
}

type exerciseSolutionMsg struct {
	id   string
	text string
	err  error
}

type exerciseResetMsg struct {
	id  string
	err error
}

type exercisesVerifiedMsg struct {
	failed []string
	err    error
}

// exerciseOpenMsg asks to open exercise index (of checker.All) in watch
// mode; exerciseCloseMsg returns to the list.
type exerciseOpenMsg struct{ index int }

type exerciseCloseMsg struct{}

func openExerciseCmd(i int) tea.Cmd { return func() tea.Msg { return exerciseOpenMsg{index: i} } }

func closeExerciseCmd() tea.Msg { return exerciseCloseMsg{} }

// ---- commands ----

func gradeCmd(g exerciseGrader, ex *checker.Exercise, ns string, gen int, lang checker.Lang) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		if ex.Kind == checker.State {
			// Seeds the starting state once; a no-op when it is there.
			if err := g.Prepare(ctx, ex, ns); err != nil {
				return exerciseGradedMsg{id: ex.ID, gen: gen, err: err}
			}
		}
		res, err := g.Grade(ctx, ex, ns, lang)
		return exerciseGradedMsg{id: ex.ID, gen: gen, res: res, err: err}
	}
}

func textsCmd(root string, ex *checker.Exercise, lang checker.Lang) tea.Cmd {
	return func() tea.Msg {
		hints, err := checker.HintsIn(root, ex, lang)
		text, err2 := checker.Instructions(root, ex)
		return exerciseTextsMsg{id: ex.ID, hints: hints, instructions: text, err: errors.Join(err, err2)}
	}
}

// solutionCmd writes the reference solution into the exercise's solution/
// folder (the checker keeps it out of the checkout until asked) and returns
// its files for the screen: the learner's files, or the whole program of a
// state exercise.
func solutionCmd(root string, ex *checker.Exercise, lang checker.Lang) tea.Cmd {
	return func() tea.Msg {
		dir, err := checker.WriteSolutionIn(root, ex, lang)
		if err != nil {
			return exerciseSolutionMsg{id: ex.ID, err: err}
		}
		files, err := checker.SolutionIn(ex, lang)
		if err != nil {
			return exerciseSolutionMsg{id: ex.ID, err: err}
		}
		var b strings.Builder
		for _, f := range files {
			fmt.Fprintf(&b, "── %s ──\n%s\n", filepath.Join(dir, f.Name), strings.TrimRight(string(f.Data), "\n"))
		}
		return exerciseSolutionMsg{id: ex.ID, text: b.String()}
	}
}

func resetCmd(g exerciseGrader, ex *checker.Exercise, ns string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		return exerciseResetMsg{id: ex.ID, err: g.Reset(ctx, ex, ns)}
	}
}

// verifyCmd grades every exercise once more, as rustlings does when the
// last one passes, so a pass that no longer holds shows up. ns holds the
// state exercises' namespaces.
func verifyCmd(g exerciseGrader, all []*checker.Exercise, ns map[string]string, langOf func(*checker.Exercise) checker.Lang) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		var failed []string
		for _, ex := range all {
			res, err := g.Grade(ctx, ex, ns[ex.ID], langOf(ex))
			if err != nil {
				return exercisesVerifiedMsg{err: err}
			}
			if !res.Passed {
				failed = append(failed, ex.ID)
			}
		}
		return exercisesVerifiedMsg{failed: failed}
	}
}
