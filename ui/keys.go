package ui

import "github.com/charmbracelet/bubbles/key"

// KeyMap is every key binding of the app. Screens match keys only through
// it, and bubbles/help draws the help from it.
type KeyMap struct {
	Up       key.Binding
	Down     key.Binding
	Open     key.Binding
	Continue key.Binding
	Next     key.Binding
	Prev     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Top      key.Binding
	Bottom   key.Binding
	Back     key.Binding
	Help     key.Binding
	Quit     key.Binding
}

// DefaultKeyMap returns the bindings: arrows beside vim keys, ? for help,
// esc to go back, q and ctrl+c to quit.
func DefaultKeyMap() *KeyMap {
	return &KeyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		Continue: key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "continue")),
		Next:     key.NewBinding(key.WithKeys("n", "right", "l"), key.WithHelp("n/→", "next step")),
		Prev:     key.NewBinding(key.WithKeys("p", "left", "h"), key.WithHelp("p/←", "previous step")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "b", "ctrl+u"), key.WithHelp("pgup/b", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", " ", "f", "ctrl+d"), key.WithHelp("pgdn/space", "page down")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g/home", "top")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G/end", "bottom")),
		Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Help:     key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:     key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
	}
}
