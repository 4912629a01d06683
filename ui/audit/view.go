package audit

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/x/ansi"

	"secretlings/ui/common"
)

const colGap = 2

// Markers in front of a row, so a refusal shows without colour (NO_COLOR,
// a pipe) too.
const (
	markDenied = "✗ "
	markFailed = "! "
	markOK     = "  "
)

// columns are the widths of the list's columns at one terminal width.
type columns struct {
	when, who, what, result int
	timeOnly                bool // a narrow terminal drops the date
	shortCodes              bool // and error codes lose "Exception"
}

// layoutColumns gives "what" (operation and secret) what is left once
// when, who and result have the room their longest cell needs, within
// bounds.
func layoutColumns(w int, rows []*eventRow) columns {
	c := columns{when: 19, who: 3, result: 6}
	if w < 80 {
		c.when, c.timeOnly = 8, true
	}
	short := 6
	for _, r := range rows {
		c.who = max(c.who, ansi.StringWidth(r.who))
		c.result = max(c.result, ansi.StringWidth(r.result))
		short = max(short, ansi.StringWidth(shortCode(r.result)))
	}
	c.who = min(c.who, max(8, w/5))
	if w-4-c.when-c.who-c.result-3*colGap < minWhat {
		c.result, c.shortCodes = short, true
	}
	c.result = min(c.result, max(6, w/4))
	c.what = max(8, w-4-c.when-c.who-c.result-3*colGap)
	return c
}

// minWhat is the narrowest "what" column worth keeping full error codes
// for: an operation and a short secret name.
const minWhat = 30

// shortCode drops the "Exception" every service's error code ends in, for
// narrow terminals: AccessDenied says it.
func shortCode(code string) string { return strings.TrimSuffix(code, "Exception") }

func fmtWhen(t time.Time, timeOnly bool) string {
	if t.IsZero() {
		return "—"
	}
	if timeOnly {
		return t.UTC().Format("15:04:05")
	}
	return t.UTC().Format("2006-01-02 15:04:05")
}

// View draws the list or the open event, exactly filling the view's area:
// its last line is the status line.
func (m Model) View() string {
	var body string
	if m.open != nil {
		body = m.recordView()
	} else {
		body = m.listView()
	}
	lines := strings.Split(strings.TrimRight(body, "\n"), "\n")
	h := max(1, m.height-1)
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		lines[i] = common.Truncate(l, m.width)
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n") + "\n" + m.statusLine()
}

func (m Model) title() string {
	s := m.c.Styles
	count := plural(len(m.rows), "event")
	if m.query != "" {
		count = fmt.Sprintf("%d of %s", len(m.Visible), count)
	}
	denied := 0
	for _, r := range m.rows {
		if r.denied {
			denied++
		}
	}
	t := s.Title.Render("Audit trail") + s.Muted.Render(" · "+count+" · newest first")
	if denied > 0 {
		t += s.Muted.Render(" · ") + s.Warning.Render(fmt.Sprintf("%s%d denied", markDenied, denied))
	}
	if m.loading {
		t += " " + m.spin.View()
	}
	return t
}

func (m Model) filterLine() string {
	s := m.c.Styles
	if m.filter.Active || m.query != "" {
		return m.filter.Input.View()
	}
	return s.Muted.Render("/ filter by who, operation, secret or result")
}

func (m Model) listView() string {
	s := m.c.Styles
	start, end := m.Window()
	shown := make([]*eventRow, 0, end-start)
	for i := start; i < end; i++ {
		shown = append(shown, &m.rows[m.Visible[i]])
	}
	c := layoutColumns(m.width, shown)
	gap := strings.Repeat(" ", colGap)
	header := "    " + fit("WHEN", c.when) + gap + fit("WHO", c.who) + gap + fit("WHAT", c.what) + gap + fit("RESULT", c.result)
	lines := []string{m.title(), m.filterLine(), s.TableHeader.Render(common.Truncate(header, m.width))}
	if len(m.Visible) == 0 {
		return strings.Join(append(lines, m.emptyLine()), "\n")
	}
	for i, r := range shown {
		lines = append(lines, m.row(r, m.Offset+i == m.Cursor, c))
	}
	return strings.Join(lines, "\n")
}

func (m Model) row(r *eventRow, selected bool, c columns) string {
	s := m.c.Styles
	prefix, marker := "  ", markOK
	if selected {
		prefix = "› "
	}
	switch {
	case r.denied:
		marker = markDenied
	case r.result != "OK":
		marker = markFailed
	}
	result := r.result
	if c.shortCodes {
		result = shortCode(result)
	}
	what := cleanLine(r.name)
	if r.secret != "" {
		what += " " + cleanLine(r.secret)
	}
	gap := strings.Repeat(" ", colGap)
	line := prefix + marker + fit(fmtWhen(r.when, c.timeOnly), c.when) + gap + fit(cleanLine(r.who), c.who) + gap +
		fit(what, c.what) + gap + fit(cleanLine(result), c.result)
	line = common.Truncate(line, m.width)
	switch {
	case selected:
		return s.RowSelected.Render(line)
	case r.denied:
		return s.Warning.Render(line)
	case r.result != "OK":
		return s.Error.Render(line)
	}
	return line
}

func (m Model) emptyLine() string {
	s := m.c.Styles
	switch {
	case m.client == nil:
		return ""
	case m.loadErr != "":
		return s.Error.Width(max(10, m.width)).Render("✗ could not read the trail: " + m.loadErr + " · r retries")
	case m.loading:
		return s.Muted.Render("    reading the trail…")
	case m.query != "":
		return s.Muted.Render("    no event matches the filter: esc clears it")
	}
	return s.Muted.Render("    no events yet: every call to the emulator is recorded here")
}

// renderRecord lays the open event's record into the viewport, wrapped to
// the width at spaces (an ARN stays whole where it fits): an error message
// is read whole.
func (m *Model) renderRecord() {
	if m.open == nil {
		return
	}
	w := max(10, m.width)
	var lines []string
	for _, l := range strings.Split(clean(m.open.record), "\n") {
		indent := strings.Repeat(" ", min(len(l)-len(strings.TrimLeft(l, " "))+2, w/2))
		for i, part := range wrapSpaces(l, w, len(indent)) {
			if i > 0 {
				part = indent + part
			}
			lines = append(lines, m.c.Styles.Code.Render(part))
		}
	}
	m.vp.SetContent(strings.Join(lines, "\n"))
}

// wrapSpaces breaks s into lines of at most w cells, the lines after the
// first indent cells narrower, at the last space that fits, or anywhere
// when no space does.
func wrapSpaces(s string, w, indent int) []string {
	var out []string
	for width := w; ansi.StringWidth(s) > width; width = max(1, w-indent) {
		head := ansi.Truncate(s, width, "")
		cut := strings.LastIndexByte(head, ' ')
		if cut <= 0 || strings.TrimSpace(head[:cut]) == "" {
			cut = len(head)
		}
		out = append(out, s[:cut])
		s = strings.TrimLeft(s[cut:], " ")
	}
	return append(out, s)
}

func (m Model) recordView() string {
	s := m.c.Styles
	r := m.open
	what := r.name
	if r.secret != "" {
		what += " " + r.secret
	}
	title := s.Title.Render(clean(what)) + s.Muted.Render(" · "+clean(r.who)+" · "+fmtWhen(r.when, false)+" · ")
	if r.denied {
		title += s.Warning.Render(markDenied + clean(r.result))
	} else {
		title += s.Muted.Render(clean(r.result))
	}
	return common.Truncate(title, m.width) + "\n" + m.vp.View()
}

func (m Model) statusLine() string {
	s := m.c.Styles
	w := max(1, m.width)
	switch {
	case m.client == nil:
		return common.Truncate(s.Error.Render("✗ the audit trail is not available on this backend"), w)
	case m.loadErr != "" && len(m.rows) > 0:
		return common.Truncate(s.Error.Render("✗ could not refresh the trail (r retries): "+m.loadErr), w)
	case m.open != nil:
		return common.Truncate(s.Muted.Render(fmt.Sprintf("event %s · the record as CloudTrail's LookupEvents returns it · %d%%", clean(m.open.id), int(m.vp.ScrollPercent()*100))), w)
	case m.truncated:
		return common.Truncate(s.Muted.Render(fmt.Sprintf("the newest %d events · older ones: aws cloudtrail lookup-events --end-time …", maxEvents)), w)
	}
	return ""
}

// ShortHelp is the one-line help of the list or of the open event.
func (m Model) ShortHelp() []key.Binding {
	k := m.c.Keys
	switch {
	case m.filter.Active:
		return []key.Binding{
			key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep filter")),
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
		}
	case m.open != nil:
		return []key.Binding{k.Down, k.Up, k.PageDown, k.Back, k.Help}
	}
	open := k.Open
	open.SetHelp(open.Help().Key, "details")
	return []key.Binding{open, k.Filter, k.Refresh, k.Back, k.Help}
}

// FullHelp is the view's help in columns.
func (m Model) FullHelp() [][]key.Binding {
	k := m.c.Keys
	if m.filter.Active {
		return [][]key.Binding{m.ShortHelp()}
	}
	open := k.Open
	open.SetHelp(open.Help().Key, "details")
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{open, k.Filter, k.Refresh, k.Back},
		{k.Browser, k.Help, k.Quit},
	}
}

// fit pads or cuts s to exactly w cells.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if sw := ansi.StringWidth(s); sw > w {
		return ansi.Truncate(s, w, "…")
	} else if sw < w {
		return s + strings.Repeat(" ", w-sw)
	}
	return s
}

// plural is "1 event", "2 events".
func plural(n int, one string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %ss", n, one)
}

// normalize is a filter query as rows are matched against it.
func normalize(q string) string { return strings.ToLower(q) }

// clean shows control characters from the backend as escapes: an escape
// sequence in a secret's name or an error message could restyle the
// terminal. Newlines stay, for the record's lines.
func clean(s string) string {
	if !strings.ContainsFunc(s, isControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isControl(r) {
			fmt.Fprintf(&b, "\\x%02x", r)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// cleanLine is clean for one cell of a row.
func cleanLine(s string) string { return strings.ReplaceAll(clean(s), "\n", `\n`) }

func isControl(r rune) bool {
	return r != '\n' && (r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0))
}
