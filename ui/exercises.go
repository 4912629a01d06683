package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"secretlings/checker"
)

// exercisesModel is the exercise screens: the list and, when one is open,
// the exercise in watch mode. It owns the app's one grader, whose build
// directory and built programs live as long as the screen, which the root
// keeps across visits.
type exercisesModel struct {
	c             *Common
	width, height int
	all           []*checker.Exercise
	grader        exerciseGrader
	err           error // why exercises cannot be graded at all

	list exerciseList
	open *exerciseScreen // nil on the list

	// verifying is true while every exercise is re-verified after the last
	// one passed; verified keeps that from running twice.
	verifying, verified bool
}

func newExercises(c *Common) exercisesModel {
	m := exercisesModel{c: c, all: checker.All()}
	m.grader, m.err = newExerciseGrader(c)
	m.list = newExerciseList(c, m.all)
	m.list.err = m.err
	return m
}

// reopen is the screen shown again: kept as the learner left it, or built
// on the first visit.
func (m exercisesModel) reopen(c *Common) exercisesModel {
	if m.c == nil {
		return newExercises(c)
	}
	return m
}

// Init resumes watching the open exercise, if the watcher stopped while the
// screen was hidden.
func (m exercisesModel) Init() tea.Cmd {
	if m.open != nil {
		return m.open.resume()
	}
	return nil
}

// SetSize sets the area the exercise screens may draw in.
func (m *exercisesModel) SetSize(w, h int) {
	m.width, m.height = w, h
	m.list.SetSize(w, h)
	if m.open != nil {
		m.open.SetSize(w, h)
	}
}

// Capturing reports that a text input or a question has the keys, so
// global keys must not fire.
func (m exercisesModel) Capturing() bool {
	return m.list.filter.Active || (m.open != nil && m.open.confirm != "")
}

// Update routes keys to the screen shown and the exercise messages to the
// open exercise, and opens, closes and re-verifies exercises.
func (m exercisesModel) Update(msg tea.Msg) (exercisesModel, tea.Cmd) {
	if m.c == nil {
		return m, nil // never shown: nothing of it is running
	}
	switch msg := msg.(type) {
	case exerciseOpenMsg:
		return m.openExercise(msg.index)
	case exerciseCloseMsg:
		m.closeOpen()
		return m, nil
	case exercisesVerifiedMsg:
		return m.verifiedAll(msg)
	case tea.KeyMsg:
		if m.open == nil {
			var cmd tea.Cmd
			m.list, cmd = m.list.Update(msg)
			return m, cmd
		}
	}
	if m.open == nil {
		return m, nil
	}
	var cmd tea.Cmd
	m.open, cmd = m.open.Update(msg)
	if g, ok := msg.(exerciseGradedMsg); ok && g.err == nil && g.res != nil && g.res.Passed {
		return m, tea.Batch(cmd, m.maybeVerify())
	}
	return m, cmd
}

// openExercise opens exercise i in watch mode and grades it. A state
// exercise's namespace is made once and kept in the progress.
func (m exercisesModel) openExercise(i int) (exercisesModel, tea.Cmd) {
	m.closeOpen()
	ex := m.all[i]
	var cmds []tea.Cmd
	ns := ""
	if ex.Kind == checker.State {
		e := m.c.Progress.Exercise(ex.ID)
		if !checker.ValidNamespace(ex.ID, e.Namespace) {
			e.Namespace = checker.NewNamespace(ex.ID)
			cmds = append(cmds, m.c.saveCmd())
		}
		ns = e.Namespace
	}
	var cmd tea.Cmd
	m.open, cmd = newExerciseScreen(m.c, m.grader, m.all, i, ns)
	m.open.notice = m.list.notice
	m.open.SetSize(m.width, m.height)
	return m, tea.Batch(append(cmds, cmd)...)
}

func (m *exercisesModel) closeOpen() {
	if m.open != nil {
		m.open.close()
	}
	m.open = nil
}

// setNotice shows text on the list and the open exercise.
func (m *exercisesModel) setNotice(text string) {
	m.list.notice = text
	if m.open != nil {
		m.open.notice = text
		m.open.refresh()
	}
}

// pythonFound grades the open exercise if it waited for Python, or shows
// why it still cannot be graded.
func (m *exercisesModel) pythonFound() tea.Cmd {
	if m.open == nil || m.open.lang != checker.Python {
		return nil
	}
	cmd := m.open.startGrade(true)
	m.open.refresh()
	return cmd
}

// refresh lays the open exercise out again, after a change it did not
// see (a flash that ended).
func (m *exercisesModel) refresh() {
	if m.open != nil {
		m.open.refresh()
	}
}

// maybeVerify re-grades every exercise once when all of them pass.
func (m *exercisesModel) maybeVerify() tea.Cmd {
	if m.verified || m.verifying || m.grader == nil {
		return nil
	}
	for _, ex := range m.all {
		if e := m.c.Progress.Exercises[ex.ID]; e == nil || !e.Passed {
			return nil
		}
		if m.c.notReady(m.c.langFor(ex)) != "" {
			return nil // it would not be graded where it is
		}
	}
	m.verifying, m.verified = true, true
	m.setNotice("Every exercise passes: re-verifying them all once…")
	ns := map[string]string{}
	for _, ex := range m.all {
		if ex.Kind == checker.State {
			ns[ex.ID] = m.c.Progress.Exercise(ex.ID).Namespace
		}
	}
	return verifyCmd(m.grader, m.all, ns, m.c.langFor)
}

func (m exercisesModel) verifiedAll(msg exercisesVerifiedMsg) (exercisesModel, tea.Cmd) {
	m.verifying = false
	switch {
	case msg.err != nil:
		m.setNotice("Re-verifying every exercise failed: " + msg.err.Error())
	case len(msg.failed) == 0:
		m.setNotice(fmt.Sprintf("All %d exercises pass, re-verified. Well done!", len(m.all)))
	default:
		for _, id := range msg.failed {
			m.c.Progress.Exercise(id).Passed = false
		}
		m.setNotice("Re-verifying every exercise: " + strings.Join(msg.failed, ", ") + " no longer pass.")
		return m, m.c.saveCmd()
	}
	return m, nil
}

// View draws the list or the open exercise.
func (m exercisesModel) View() string {
	if m.open != nil {
		return m.open.View()
	}
	return m.list.View()
}

// ShortHelp is the one-line help of the screen shown.
func (m exercisesModel) ShortHelp() []key.Binding {
	if m.open != nil {
		return m.open.ShortHelp()
	}
	return m.list.ShortHelp()
}

// FullHelp is the help in columns of the screen shown.
func (m exercisesModel) FullHelp() [][]key.Binding {
	if m.open != nil {
		return m.open.FullHelp()
	}
	return m.list.FullHelp()
}
