package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/progress"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"secretlings/checker"
	lessonprogress "secretlings/internal/progress"
)

// homeModel lists the lessons with their state and overall progress.
type homeModel struct {
	c         *Common
	cursor    int
	bar       progress.Model
	notice    string
	exercises []string // the exercise ids, listed once rather than per frame
	width     int
	height    int
}

func newHome(c *Common, notice string) homeModel {
	bar := progress.New(progress.WithSolidFill(c.Styles.ProgressFull), progress.WithoutPercentage())
	bar.EmptyColor = c.Styles.ProgressVoid
	return homeModel{c: c, bar: bar, notice: notice, exercises: checker.IDs()}
}

// SetSize sets the area the home screen may draw in.
func (m *homeModel) SetSize(w, h int) {
	m.width, m.height = w, h
	m.bar.Width = min(40, max(10, w-30))
}

// openLessonMsg asks the root to open a lesson at a step.
type openLessonMsg struct{ lesson, step int }

func openLessonCmd(lesson, step int) tea.Cmd {
	return func() tea.Msg { return openLessonMsg{lesson, step} }
}

// Update handles the home screen's keys.
func (m homeModel) Update(msg tea.Msg) (homeModel, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return m, nil
	}
	keys := m.c.Keys
	if m.c.askLang() {
		// Asked once, before anything else: g/p answer, other keys work.
		switch k.String() {
		case "g":
			m.notice = m.c.chooseLang(checker.Go)
			return m, m.c.saveCmd()
		case "p":
			m.notice = m.c.chooseLang(checker.Python)
			return m, m.c.saveCmd()
		}
	}
	if key.Matches(k, keys.Lang) {
		var cmd tea.Cmd
		m.notice, cmd = m.c.switchLang()
		return m, cmd
	}
	n := len(m.c.Lessons)
	if n == 0 {
		return m, nil // nothing to move to or open (lessons failed to load)
	}
	switch {
	case key.Matches(k, keys.Up):
		m.cursor = (m.cursor + n - 1) % n
	case key.Matches(k, keys.Down):
		m.cursor = (m.cursor + 1) % n
	case key.Matches(k, keys.Top):
		m.cursor = 0
	case key.Matches(k, keys.Bottom):
		m.cursor = n - 1
	case key.Matches(k, keys.Open):
		m.notice = ""
		l := m.c.Lessons[m.cursor]
		return m, openLessonCmd(m.cursor, m.c.Progress.Resume(l.ID, len(l.Steps)))
	case key.Matches(k, keys.Continue):
		m.notice = ""
		i := m.nextPending()
		m.cursor = i
		l := m.c.Lessons[i]
		return m, openLessonCmd(i, m.c.Progress.Resume(l.ID, len(l.Steps)))
	}
	return m, nil
}

// nextPending is the first lesson that is not done, or the last lesson.
func (m homeModel) nextPending() int {
	for i, l := range m.c.Lessons {
		if m.c.Progress.State(l.ID, len(l.Steps)) != lessonprogress.Done {
			return i
		}
	}
	return len(m.c.Lessons) - 1
}

// focus moves the cursor to lesson i (after a lesson is finished).
func (m *homeModel) focus(i int) { m.cursor = max(0, min(i, len(m.c.Lessons)-1)) }

// View draws the home screen.
func (m homeModel) View() string {
	s, p := m.c.Styles, m.c.Progress
	var b strings.Builder
	b.WriteString(s.Title.Render("secretlings") + s.Subtitle.Render("  learn AWS Secrets Manager by doing") + "\n\n")

	done, total := 0, 0
	for _, l := range m.c.Lessons {
		done += p.DoneCount(l.ID, len(l.Steps))
		total += len(l.Steps)
	}
	pct := 0.0
	if total > 0 {
		pct = float64(done) / float64(total)
	}
	b.WriteString(truncate(m.bar.ViewAs(pct)+s.Muted.Render(fmt.Sprintf("  %d of %d steps", done, total)), m.width) + "\n")
	passed := 0 // of the exercises that exist now: progress may remember retired ones
	for _, id := range m.exercises {
		if e := p.Exercises[id]; e != nil && e.Passed {
			passed++
		}
	}
	b.WriteString(s.Muted.Render(truncate(fmt.Sprintf("%d of %d exercises pass · e opens them · in %s, L changes", passed, len(m.exercises), langName(m.c.lang())), m.width)) + "\n")
	if m.c.askLang() {
		b.WriteString(s.Notice.Render(truncate("Which language will you write the code exercises in? g Go · p Python", m.width)) + "\n")
	} else {
		b.WriteString("\n")
	}

	// Each lesson takes two lines (title, summary) when there is room, one
	// otherwise, so the list fits short terminals.
	fixed := 5 + 2 // header, progress and exercises above, blank line and notice below
	twoLines := m.height-fixed >= 2*len(m.c.Lessons)
	for i, l := range m.c.Lessons {
		state := p.State(l.ID, len(l.Steps))
		mark := "  "
		title := s.LessonTitle.Render(fmt.Sprintf("%d  %s", l.Number, l.Title))
		if i == m.cursor {
			mark = s.Cursor.Render("▸ ")
			title = s.Selected.Render(fmt.Sprintf("%d  %s", l.Number, l.Title))
		}
		right := m.stateLabel(state) + s.Muted.Render(fmt.Sprintf("  %2d/%-2d", p.DoneCount(l.ID, len(l.Steps)), len(l.Steps)))
		gap := m.width - lipgloss.Width(mark) - lipgloss.Width(title) - lipgloss.Width(right)
		if gap < 1 {
			title = truncate(title, max(1, m.width-lipgloss.Width(mark)-lipgloss.Width(right)-1))
			gap = max(1, m.width-lipgloss.Width(mark)-lipgloss.Width(title)-lipgloss.Width(right))
		}
		b.WriteString(mark + title + strings.Repeat(" ", gap) + right + "\n")
		if twoLines {
			b.WriteString("   " + s.Summary.Render(truncate(l.Summary, m.width-3)) + "\n")
		}
	}
	if m.notice != "" {
		b.WriteString("\n" + s.Notice.Width(m.width).Render(m.notice))
	}
	return b.String()
}

func (m homeModel) stateLabel(st lessonprogress.State) string {
	s := m.c.Styles
	label := fmt.Sprintf("%-11s", st)
	switch st {
	case lessonprogress.Done:
		return s.StateDone.Render(label)
	case lessonprogress.InProgress:
		return s.StateActive.Render(label)
	}
	return s.StateNew.Render(label)
}

// ShortHelp is the one-line help of the home screen.
func (m homeModel) ShortHelp() []key.Binding {
	k := m.c.Keys
	return []key.Binding{k.Up, k.Down, k.Open, k.Continue, k.Browser, k.Exercises, k.Help, k.Quit}
}

// FullHelp is the home screen's help in columns.
func (m homeModel) FullHelp() [][]key.Binding {
	k := m.c.Keys
	return [][]key.Binding{{k.Up, k.Down, k.Top, k.Bottom}, {k.Open, k.Continue}, {k.Browser, k.Exercises, k.Lang}, {k.Help, k.Quit}}
}
