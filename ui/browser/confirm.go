package browser

import (
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"secretlings/ui/common"
)

// confirmModel asks before a change: y/N naming the secret, or the
// secret's name typed out for what cannot be undone or reaches outside the
// tutorial's prefix on AWS.
type confirmModel struct {
	c      *common.Common
	width  int
	prompt string
	name   string // when set, the learner must type it
	typed  textinput.Model
	res    *formResult
	err    string
}

// confirmedMsg carries a confirmed change to the browser.
type confirmedMsg struct{ res *formResult }

func newConfirm(c *common.Common, width int, prompt string, res *formResult, typeName bool) (confirmModel, tea.Cmd) {
	m := confirmModel{c: c, width: width, prompt: prompt, res: res}
	if !typeName {
		return m, nil
	}
	m.name = res.secret
	m.typed = textinput.New()
	m.typed.Prompt = "name: "
	m.typed.Cursor.SetMode(cursor.CursorStatic)
	m.typed.PromptStyle = c.Styles.Label
	m.typed.Width = max(10, width-10)
	return m, m.typed.Focus()
}

// Capturing reports whether the name is being typed.
func (m confirmModel) Capturing() bool { return m.name != "" }

// SetSize sets the width the prompt wraps at.
func (m *confirmModel) SetSize(w, _ int) {
	m.width = w
	m.typed.Width = max(10, w-10)
}

// Update reads y or n, or the typed name and enter; esc cancels.
func (m confirmModel) Update(msg tea.Msg) (confirmModel, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return m, nil
	}
	cancel := msgCmd(cancelMsg{})
	if k.Type == tea.KeyEsc {
		return m, cancel
	}
	if m.name != "" {
		if k.Type == tea.KeyEnter {
			if m.typed.Value() != m.name {
				m.err = "the name does not match: type " + m.name + " exactly, or esc to cancel"
				return m, nil
			}
			return m, msgCmd(confirmedMsg{m.res})
		}
		var cmd tea.Cmd
		m.typed, cmd = m.typed.Update(k)
		m.err = ""
		return m, cmd
	}
	switch k.String() {
	case "y", "Y":
		return m, msgCmd(confirmedMsg{m.res})
	case "n", "N":
		return m, cancel
	}
	return m, nil
}

// ShortHelp is the confirmation's keys.
func (m confirmModel) ShortHelp() []key.Binding {
	yes := key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes"))
	if m.name != "" {
		yes = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "confirm"))
	}
	return []key.Binding{yes, common.CancelBinding()}
}

// View draws the question.
func (m confirmModel) View() string {
	s := m.c.Styles
	lines := []string{s.Title.Render("Confirm"), "", s.Warning.Width(max(10, m.width)).Render(m.prompt), ""}
	if m.name != "" {
		lines = append(lines, m.typed.View(), s.Muted.Render("enter confirms · esc cancels"))
	} else {
		lines = append(lines, s.Muted.Render("y confirms · n or esc cancels"))
	}
	if m.err != "" {
		lines = append(lines, s.Error.Render("✗ "+m.err))
	}
	return strings.Join(lines, "\n")
}
