package ui

import (
	tea "github.com/charmbracelet/bubbletea"

	"secretlings/ui/browser"
)

// openBrowser shows the secret browser: built on the first visit, then
// kept, so that its list (rows, cursor, filter, sort) is as the learner
// left it; it reloads on every visit.
func (m *Model) openBrowser() tea.Cmd {
	if !m.browser.Started() {
		m.browser = browser.New(m.c.Common, backCmd)
		return m.browser.Init()
	}
	return m.browser.Enter()
}
