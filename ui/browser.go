package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// browserModel is the secret browser. (Scaffold: the browser issue replaces
// this file.)
type browserModel struct {
	c             *Common
	width, height int
}

func newBrowser(c *Common) browserModel { return browserModel{c: c} }

// Init starts loading the secrets.
func (m browserModel) Init() tea.Cmd { return nil }

// SetSize sets the area the browser may draw in.
func (m *browserModel) SetSize(w, h int) { m.width, m.height = w, h }

// Capturing reports that a text input has focus, so global keys must not fire.
func (m browserModel) Capturing() bool { return false }

// Update handles the browser's messages.
func (m browserModel) Update(msg tea.Msg) (browserModel, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, m.c.Keys.Back) {
		return m, backCmd
	}
	return m, nil
}

// View draws the browser.
func (m browserModel) View() string { return m.c.Styles.Title.Render("Secrets") }

// ShortHelp is the one-line help of the browser.
func (m browserModel) ShortHelp() []key.Binding {
	return []key.Binding{m.c.Keys.Back, m.c.Keys.Help, m.c.Keys.Quit}
}

// FullHelp is the browser's help in columns.
func (m browserModel) FullHelp() [][]key.Binding { return [][]key.Binding{m.ShortHelp()} }
