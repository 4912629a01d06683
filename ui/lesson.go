package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"secretlings/lessons"
)

// lessonModel reads one lesson, one step at a time.
type lessonModel struct {
	c      *Common
	index  int // into c.Lessons
	step   int
	vp     viewport.Model
	width  int
	height int
}

const lessonHeaderLines = 2 // title line and rule

func newLesson(c *Common, index, step int) lessonModel {
	m := lessonModel{c: c, index: index, vp: viewport.New(0, 0)}
	m.vp.KeyMap = viewport.KeyMap{} // scrolling goes through the app's KeyMap
	m.step = max(0, min(step, len(m.lesson().Steps)-1))
	c.Progress.Visit(m.lesson().ID, m.step)
	return m
}

func (m lessonModel) lesson() *lessons.Lesson { return m.c.Lessons[m.index] }

// SetSize sets the area the lesson may draw in and re-renders the step.
func (m *lessonModel) SetSize(w, h int) {
	m.width, m.height = w, h
	m.vp.Width, m.vp.Height = w, max(1, h-lessonHeaderLines)
	m.render()
}

func (m *lessonModel) render() {
	if m.width == 0 {
		return
	}
	m.vp.SetContent(renderStep(m.c, m.lesson().Steps[m.step], m.width))
}

// goHomeMsg asks the root to show the home screen, with the cursor on lesson.
type goHomeMsg struct{ lesson int }

func goHomeCmd(lesson int) tea.Cmd { return func() tea.Msg { return goHomeMsg{lesson} } }

// Update handles the lesson reader's keys.
func (m lessonModel) Update(msg tea.Msg) (lessonModel, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return m, nil
	}
	keys, l := m.c.Keys, m.lesson()
	switch {
	case key.Matches(k, keys.Next):
		m.c.Progress.Complete(l.ID, m.step)
		if m.step == len(l.Steps)-1 {
			next := m.index
			if m.index+1 < len(m.c.Lessons) {
				next = m.index + 1
			}
			return m, tea.Batch(m.c.saveCmd(), goHomeCmd(next))
		}
		m.goTo(m.step + 1)
		return m, m.c.saveCmd()
	case key.Matches(k, keys.Prev):
		if m.step > 0 {
			m.goTo(m.step - 1)
			return m, m.c.saveCmd()
		}
	case key.Matches(k, keys.Back):
		return m, goHomeCmd(m.index)
	case key.Matches(k, keys.Down):
		m.vp.ScrollDown(1)
	case key.Matches(k, keys.Up):
		m.vp.ScrollUp(1)
	case key.Matches(k, keys.PageDown):
		m.vp.PageDown()
	case key.Matches(k, keys.PageUp):
		m.vp.PageUp()
	case key.Matches(k, keys.Top):
		m.vp.GotoTop()
	case key.Matches(k, keys.Bottom):
		m.vp.GotoBottom()
	}
	return m, nil
}

func (m *lessonModel) goTo(step int) {
	m.step = step
	m.c.Progress.Visit(m.lesson().ID, step)
	m.render()
	m.vp.GotoTop()
}

// View draws the step header and the scrollable step.
func (m lessonModel) View() string {
	s, l := m.c.Styles, m.lesson()
	dots := m.stepDots()
	title := s.Title.Render(l.Title) + s.Muted.Render(fmt.Sprintf("  step %d/%d  ", m.step+1, len(l.Steps))) + s.Selected.Render(l.Steps[m.step].Title)
	if room := m.width - lipgloss.Width(dots) - 1; lipgloss.Width(title) > room {
		if room < 20 {
			dots = ""
			room = m.width
		}
		title = truncate(title, room)
	}
	gap := max(1, m.width-lipgloss.Width(title)-lipgloss.Width(dots))
	header := title + strings.Repeat(" ", gap) + dots
	scroll := ""
	if !m.vp.AtBottom() || m.vp.YOffset > 0 {
		scroll = fmt.Sprintf(" %d%% ", int(m.vp.ScrollPercent()*100))
	}
	rule := s.Rule.Render(strings.Repeat("─", max(0, m.width-lipgloss.Width(scroll)))) + s.Muted.Render(scroll)
	return header + "\n" + rule + "\n" + m.vp.View()
}

func (m lessonModel) stepDots() string {
	s, l := m.c.Styles, m.lesson()
	var b strings.Builder
	for i := range l.Steps {
		done := m.c.Progress.DoneCount(l.ID, i+1) > m.c.Progress.DoneCount(l.ID, i)
		switch {
		case i == m.step:
			b.WriteString(s.StepCurrent.Render("◆"))
		case done:
			b.WriteString(s.StepDone.Render("●"))
		default:
			b.WriteString(s.StepTodo.Render("○"))
		}
	}
	return b.String()
}

// ShortHelp is the one-line help of the lesson reader.
func (m lessonModel) ShortHelp() []key.Binding {
	k := m.c.Keys
	return []key.Binding{k.Next, k.Prev, k.Down, k.Up, k.Back, k.Help, k.Quit}
}

// FullHelp is the lesson reader's help in columns.
func (m lessonModel) FullHelp() [][]key.Binding {
	k := m.c.Keys
	return [][]key.Binding{{k.Next, k.Prev}, {k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}, {k.Back, k.Help, k.Quit}}
}

// sensitiveMembers are the request members whose values are secret.
var sensitiveMembers = map[string]bool{"SecretString": true, "SecretBinary": true, "RotationToken": true}

// renderStep renders a step's prose with glamour and its actions as panels.
func renderStep(c *Common, step lessons.Step, width int) string {
	var parts []string
	for _, b := range step.Blocks {
		if b.Action == nil {
			parts = append(parts, c.Markdown.Render(b.Markdown, width))
			continue
		}
		parts = append(parts, renderAction(c.Styles, b.Action, width))
	}
	return strings.Join(parts, "\n\n") + "\n"
}

func renderAction(s *Styles, a *lessons.Action, width int) string {
	keyWidth := 0
	for _, p := range a.Params {
		keyWidth = max(keyWidth, len(p.Name))
	}
	inner := max(10, width-4-2-2) // margins, border, padding
	lines := []string{s.ActionTitle.Render("▶ " + a.Operation)}
	for _, p := range a.Params {
		value := p.Value
		if sensitiveMembers[p.Name] {
			value = maskValue
		}
		line := s.ActionKey.Render(fmt.Sprintf("  %-*s  ", keyWidth, p.Name)) + s.ActionValue.Render(value)
		lines = append(lines, truncate(line, inner))
	}
	if a.Expect != "" {
		lines = append(lines, s.Expect.Render(truncate("  expected to fail with "+a.Expect, inner)))
	}
	return s.Action.Width(inner + 2).Render(strings.Join(lines, "\n"))
}

// maskValue stands in for every secret value: one fixed width, so the length
// does not leak.
const maskValue = "••••••••"
