package common

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

func TestFilterKeysEditKeepAndClear(t *testing.T) {
	f := NewFilter(DefaultStyles(), "filter")
	f.Start()
	for _, r := range "db" {
		if _, changed := f.Key(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}}); !changed {
			t.Fatalf("typing %q changed nothing", r)
		}
	}
	if _, changed := f.Key(tea.KeyMsg{Type: tea.KeyEnter}); changed || f.Active || f.Input.Value() != "db" {
		t.Fatalf("enter: changed %v, active %v, text %q; want the text kept and typing over", changed, f.Active, f.Input.Value())
	}
	f.Start()
	if _, changed := f.Key(tea.KeyMsg{Type: tea.KeyEsc}); !changed || f.Active || f.Input.Value() != "" {
		t.Fatalf("esc: changed %v, active %v, text %q; want it cleared", changed, f.Active, f.Input.Value())
	}
	f.Start()
	if _, changed := f.Key(tea.KeyMsg{Type: tea.KeyEsc}); changed {
		t.Error("esc on an empty filter reported a change")
	}
}
