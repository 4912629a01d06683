package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// exercisesModel is the exercise list. (Scaffold: the exercises issue replaces
// this file.)
type exercisesModel struct {
	c             *Common
	width, height int
}

func newExercises(c *Common) exercisesModel { return exercisesModel{c: c} }

// Init starts checking the exercises.
func (m exercisesModel) Init() tea.Cmd { return nil }

// SetSize sets the area the exercise list may draw in.
func (m *exercisesModel) SetSize(w, h int) { m.width, m.height = w, h }

// Capturing reports that a text input has focus, so global keys must not fire.
func (m exercisesModel) Capturing() bool { return false }

// Update handles the exercise list's messages.
func (m exercisesModel) Update(msg tea.Msg) (exercisesModel, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, m.c.Keys.Back) {
		return m, backCmd
	}
	return m, nil
}

// View draws the exercise list.
func (m exercisesModel) View() string { return m.c.Styles.Title.Render("Exercises") }

// ShortHelp is the one-line help of the exercise list.
func (m exercisesModel) ShortHelp() []key.Binding {
	return []key.Binding{m.c.Keys.Back, m.c.Keys.Help, m.c.Keys.Quit}
}

// FullHelp is the exercise list's help in columns.
func (m exercisesModel) FullHelp() [][]key.Binding { return [][]key.Binding{m.ShortHelp()} }
