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
		// Asked once, before anything else: its own keys answer (none of
		// them moves the cursor), other keys work.
		switch {
		case key.Matches(k, keys.LangGo):
			return m, m.c.chooseLang(checker.Go)
		case key.Matches(k, keys.LangPython):
			return m, m.c.chooseLang(checker.Python)
		}
	}
	if key.Matches(k, keys.Lang) {
		return m, m.c.switchLang()
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
	solved := 0 // of the exercises that exist now: progress may remember retired ones
	for _, id := range m.exercises {
		if p.Exercises[id].Done() {
			solved++
		}
	}
	in := fmt.Sprintf("in %s, %s changes", langName(m.c.lang()), m.c.Keys.Lang.Help().Key)
	if m.c.askLang() {
		in = "language not chosen yet"
	}
	b.WriteString(s.Muted.Render(truncate(fmt.Sprintf("%d of %d exercises done · %s opens them · %s", solved, len(m.exercises), m.c.Keys.Exercises.Help().Key, in), m.width)) + "\n")
	asking := m.askLines()
	for _, line := range asking {
		b.WriteString(line + "\n")
	}
	if len(asking) == 0 {
		b.WriteString("\n")
	}

	// Each lesson takes two lines (title, summary) when there is room, one
	// otherwise, so the list fits short terminals.
	fixed := 4 + max(1, len(asking)) + 2 // header, progress, exercises and the question above, blank line and notice below
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
	var notes []string
	for _, note := range []string{m.c.flashText, m.notice} {
		if note != "" {
			// Wrapped at spaces only: a flag such as --python stays whole.
			notes = append(notes, strings.Join(wrapLines(s.Notice, note, max(1, m.width), 8), "\n"))
		}
	}
	if len(notes) > 0 {
		b.WriteString("\n" + strings.Join(notes, "\n"))
	}
	return b.String()
}

// askLines ask, once, which language the code exercises are in, with what
// Python still needs when it is not ready; none when not asking.
func (m homeModel) askLines() []string {
	if !m.c.askLang() {
		return nil
	}
	s, k := m.c.Styles, m.c.Keys
	q := fmt.Sprintf("Which language will you write the code exercises in? %s %s · %s %s", k.LangGo.Help().Key, k.LangGo.Help().Desc, k.LangPython.Help().Key, k.LangPython.Help().Desc)
	lines := []string{s.Notice.Render(truncate(q, m.width))}
	if why := m.c.notReady(checker.Python); why != "" {
		lines = append(lines, wrapLines(s.Muted, "(Python is not ready here yet: "+m.c.pythonWhy+")", max(1, m.width), 3)...)
	}
	return lines
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
	keys := []key.Binding{k.Up, k.Down, k.Open, k.Continue, k.Browser, k.Exercises, k.Help, k.Quit}
	if m.c.askLang() {
		keys = append([]key.Binding{k.LangGo, k.LangPython}, keys...)
	}
	return keys
}

// FullHelp is the home screen's help in columns.
func (m homeModel) FullHelp() [][]key.Binding {
	k := m.c.Keys
	return [][]key.Binding{{k.Up, k.Down, k.Top, k.Bottom}, {k.Open, k.Continue}, {k.Browser, k.Exercises, k.Lang}, {k.Help, k.Quit}}
}
