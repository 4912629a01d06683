package common

import (
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// Filter is a list's "/" filter: its text input, and whether typing goes
// to it. The secrets browser and the audit view filter alike through it.
type Filter struct {
	Input  textinput.Model
	Active bool
}

// NewFilter returns an inactive filter showing placeholder.
func NewFilter(s *Styles, placeholder string) Filter {
	return Filter{Input: NewFilterInput(s, placeholder)}
}

// Start sends typing to the filter.
func (f *Filter) Start() tea.Cmd {
	f.Active = true
	return f.Input.Focus()
}

// Stop ends typing; the text stays and keeps filtering.
func (f *Filter) Stop() {
	f.Active = false
	f.Input.Blur()
}

// Clear ends typing and empties the text.
func (f *Filter) Clear() {
	f.Stop()
	f.Input.SetValue("")
}

// Key handles a key typed into the active filter: enter keeps the text and
// stops, esc clears it and stops, anything else edits it. It returns the
// input's command and whether the text changed.
func (f *Filter) Key(k tea.KeyMsg) (tea.Cmd, bool) {
	before := f.Input.Value()
	switch k.Type {
	case tea.KeyEnter:
		f.Stop()
		return nil, false
	case tea.KeyEsc:
		f.Clear()
		return nil, before != ""
	}
	var cmd tea.Cmd
	f.Input, cmd = f.Input.Update(k)
	return cmd, f.Input.Value() != before
}

// Update passes other messages (the cursor's) to the input while active.
func (f *Filter) Update(msg tea.Msg) tea.Cmd {
	if !f.Active {
		return nil
	}
	var cmd tea.Cmd
	f.Input, cmd = f.Input.Update(msg)
	return cmd
}
