package browser

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/x/ansi"

	"secretlings/ui/common"
)

// helpSeparator is what the root's help puts between two short-help items.
const helpSeparator = " · "

// ShortHelp is the one-line help of the view shown, cut to the width by
// dropping the least useful keys, never by cutting one: ? (all keys) stays.
func (m Model) ShortHelp() []key.Binding {
	var b []key.Binding
	switch m.top() {
	case viewForm:
		b = m.form.ShortHelp()
	case viewConfirm:
		return m.confirm.ShortHelp()
	case viewValue:
		b = m.value.ShortHelp()
	case viewDetails:
		b = m.details.ShortHelp()
	default:
		b = m.list.ShortHelp()
	}
	if m.top() != viewForm && !m.list.filter.Active {
		b = append(b, m.c.Keys.Help)
	}
	return fitHelp(b, m.width)
}

// fitHelp drops bindings from the end (keeping the last one) until the
// line fits width.
func fitHelp(b []key.Binding, width int) []key.Binding {
	w := func(b []key.Binding) int {
		n := 0
		for i, x := range b {
			if i > 0 {
				n += len(helpSeparator)
			}
			n += ansi.StringWidth(x.Help().Key) + 1 + ansi.StringWidth(x.Help().Desc)
		}
		return n
	}
	for len(b) > 2 && w(b) > width {
		b = slices.Delete(b, len(b)-2, len(b)-1)
	}
	return b
}

// FullHelp is the browser's help in columns.
func (m Model) FullHelp() [][]key.Binding {
	k := m.c.Keys
	switch m.top() {
	case viewForm, viewConfirm:
		return [][]key.Binding{m.ShortHelp()}
	}
	// Four narrow columns: the help must fit 80 cells.
	nav := []key.Binding{k.Up, k.Down, k.PageDown, k.Top, k.Bottom, k.Back}
	list := []key.Binding{k.Open, k.Filter, k.Sort, k.ShowDeleted, k.Refresh, k.Quit}
	secret := []key.Binding{k.Reveal, k.Copy, k.Raw, k.Help}
	change := withMutating(m.c, m.client, nil, k.NewSecret, k.PutValue, k.EditSecret, k.MoveLabel, k.DeleteSecret, k.RestoreSecret)
	if m.width < 80 {
		// Two taller columns: bubbles' help would drop the last ones.
		return [][]key.Binding{append(nav, secret...), append(list, change...)}
	}
	cols := [][]key.Binding{nav, list, secret}
	if len(change) > 0 {
		cols = append(cols, change)
	}
	return cols
}

// withMutating appends rest to b, leaving out the keys that change secrets
// when the browser may not change them.
func withMutating(c *common.Common, client *secretsmanager.Client, b []key.Binding, rest ...key.Binding) []key.Binding {
	k := c.Keys
	changes := []key.Binding{k.NewSecret, k.PutValue, k.EditSecret, k.MoveLabel, k.DeleteSecret, k.RestoreSecret}
	for _, x := range rest {
		isChange := slices.ContainsFunc(changes, func(c key.Binding) bool { return slices.Equal(c.Keys(), x.Keys()) })
		if isChange && (c.ReadOnly || client == nil) {
			continue
		}
		b = append(b, x)
	}
	return b
}

// ShortHelp is the form's keys.
func (f formModel) ShortHelp() []key.Binding {
	k := f.c.Keys
	b := []key.Binding{k.NextField, k.Submit}
	if f.hasValue() {
		b = append(b, k.ValueMode)
		if f.kvRows {
			b = append(b, k.AddRow)
		}
	}
	return append(b, common.CancelBinding())
}

// View draws the view shown, exactly filling the browser's area: its last
// line is the status line.
func (m Model) View() string {
	var body string
	switch m.top() {
	case viewDetails:
		body = m.details.View()
	case viewValue:
		body = m.value.View()
	case viewForm:
		body = m.form.View()
	case viewConfirm:
		body = m.confirm.View()
	default:
		body = m.list.View()
	}
	lines := strings.Split(strings.TrimRight(body, "\n"), "\n")
	h := max(1, m.height-1)
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		lines[i] = truncate(l, m.width)
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n") + "\n" + m.statusLine()
}

func (m Model) statusLine() string {
	s := m.c.Styles
	w := max(1, m.width)
	switch {
	case m.client == nil:
		why := "no backend"
		if m.c.Backend.Err != nil {
			why = m.c.Backend.Err.Error()
		}
		return truncate(s.Error.Render("✗ the backend is not available: "+why+" · fix it and restart, or choose another with --backend"), w)
	case m.status != "" && m.statusErr:
		return truncate(s.Error.Render("✗ "+m.status), w)
	case m.status != "":
		return truncate(s.Success.Render(m.status), w)
	case m.list.loading:
		return truncate(s.Muted.Render(fmt.Sprintf("%s loading… %s so far", m.list.spin.View(), plural(len(m.list.rows), "secret"))), w)
	}
	return ""
}
