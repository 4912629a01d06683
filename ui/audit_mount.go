package ui

import (
	"slices"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"secretlings/ui/audit"
	"secretlings/ui/common"
)

// openAudit shows the audit trail: built on the first visit, then kept, so
// its list (cursor, filter) is as the learner left it; it reloads on every
// visit.
func (m *Model) openAudit() tea.Cmd {
	if !m.audit.Started() {
		m.audit = audit.New(m.c.Common, backCmd)
		return m.audit.Init()
	}
	return m.audit.Enter()
}

// withAudit adds A to a screen's full help, beside s (the key that opens
// the other tool) or else before ?: the screens' own help predates the
// audit trail, and A works from all of them.
type withAudit struct {
	help.KeyMap
	keys *common.KeyMap
}

// FullHelp is the screen's full help with A in it.
func (w withAudit) FullHelp() [][]key.Binding {
	cols := w.KeyMap.FullHelp()
	same := func(a key.Binding) func(key.Binding) bool {
		return func(b key.Binding) bool { return slices.Equal(a.Keys(), b.Keys()) }
	}
	for _, anchor := range []struct {
		b     key.Binding
		after int
	}{{w.keys.Browser, 1}, {w.keys.Help, 0}} {
		for i, col := range cols {
			if j := slices.IndexFunc(col, same(anchor.b)); j >= 0 {
				out := slices.Clone(cols)
				out[i] = slices.Insert(slices.Clone(col), j+anchor.after, w.keys.Audit)
				return out
			}
		}
	}
	return append(cols, []key.Binding{w.keys.Audit})
}
