package browser

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Widths of the list's fixed columns.
const (
	colPrefix  = 4 // cursor and deletion marker
	colGap     = 2
	minDesc    = 8  // a narrower description says nothing
	minNameCol = 12 // below this a name is cut in the middle
)

// column is one optional column of the list.
type column struct {
	title string
	width int
	cell  func(r *secretRow) string
}

// optionalColumns are the columns after the name and description: when
// the terminal is narrow they go, last first, before a name is cut.
var optionalColumns = []column{
	{"LAST CHANGED", 16, func(r *secretRow) string { return fmtTime(r.changed) }},
	{"ACCESSED", 10, func(r *secretRow) string { return fmtDate(r.accessed) }},
	{"ROTATION", 13, func(r *secretRow) string {
		if !r.rotation {
			return "off"
		}
		if r.nextRotation.IsZero() {
			return "on"
		}
		return "on " + fmtDate(r.nextRotation)
	}},
	{"TAGS", 4, func(r *secretRow) string { return fmt.Sprint(r.tags) }},
}

// layout is how the list's columns share a width.
type layout struct {
	name, desc int      // 0 desc: no description column
	cols       []column // the optional columns shown
	prefix     string   // the prefix every name shown shares, dropped from them
}

// listLayout gives names the room they need first. When they do not fit
// beside every column, the prefix they all share goes into the header (that
// loses nothing); then the optional columns make way, least important
// first, and the description; only then are names cut, in the middle.
func listLayout(w int, names []string) layout {
	avail := w - colPrefix
	fixedOf := func(cols []column) int {
		n := 0
		for _, c := range cols {
			n += c.width + colGap
		}
		return n
	}
	longest := longestName(names, "")
	var prefix string
	if longest > avail-fixedOf(optionalColumns) {
		prefix = sharedPrefix(names)
		longest = longestName(names, prefix)
	}
	cols := optionalColumns
	for len(cols) > 0 && avail-fixedOf(cols) < longest {
		cols = cols[:len(cols)-1]
	}
	rest := avail - fixedOf(cols)
	l := layout{name: min(longest, max(rest, 1)), cols: cols, prefix: prefix}
	if d := rest - l.name - colGap; d >= minDesc {
		l.desc = d
	}
	return l
}

func longestName(names []string, prefix string) int {
	longest := 4
	for _, n := range names {
		longest = max(longest, ansi.StringWidth(strings.TrimPrefix(n, prefix)))
	}
	return longest
}

// sharedPrefix is the longest prefix ending in "/" that every name has.
func sharedPrefix(names []string) string {
	if len(names) < 2 {
		return ""
	}
	p := names[0]
	for _, n := range names[1:] {
		for !strings.HasPrefix(n, p) {
			p = p[:len(p)-1]
		}
	}
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[:i+1]
	}
	return ""
}

// shownName is a row's name as the column shows it.
func (l layout) shownName(name string) string {
	return cutMiddle(strings.TrimPrefix(cleanLine(name), l.prefix), l.name)
}

func (m listModel) title() string {
	s := m.c.Styles
	count := plural(len(m.rows), "secret")
	if m.query != "" {
		count = fmt.Sprintf("%d of %s", len(m.Visible), count)
	}
	order := "by name"
	if m.byDate {
		order = "newest change first"
	}
	deleted := "scheduled deletions hidden"
	if m.withDeleted {
		deleted = "scheduled deletions shown"
	}
	title := s.Title.Render("Secrets") + s.Muted.Render(" · "+count+" · "+order+" · "+deleted)
	if m.loading {
		title += " " + m.spin.View()
	}
	return truncate(title, m.width)
}

// filterLine is the filter, or a hint at it; when the names shown share a
// prefix that the list leaves out, the hint says which.
func (m listModel) filterLine(prefix string) string {
	s := m.c.Styles
	switch {
	case m.filter.Active || m.query != "":
		return truncate(m.filter.Input.View(), m.width)
	case m.loadErr != "" && len(m.rows) > 0:
		// One line above the rows: the key that fixes it goes first.
		return s.Error.Render(truncate("✗ could not list the secrets (r retries): "+m.loadErr, m.width))
	case prefix != "":
		return s.Muted.Render(truncate("names below in "+cutMiddle(cleanLine(prefix), max(8, m.width-30))+" · / filters", m.width))
	}
	return s.Muted.Render(truncate("/ filter by name, description or tag", m.width))
}

// errLine says the list could not be read, wrapped: with no rows to show
// there is room for the whole explanation.
func (m listModel) errLine() string {
	return m.c.Styles.Error.Width(max(10, m.width)).Render("✗ could not list the secrets: " + m.loadErr + " · r retries")
}

func (m listModel) emptyLine() string {
	s := m.c.Styles
	switch {
	case m.client == nil:
		return ""
	case m.loadErr != "":
		return m.errLine()
	case m.loading:
		return s.Muted.Render("    loading the first page…")
	case m.query != "":
		return s.Muted.Render("    no secret matches the filter: esc clears it")
	case m.c.ReadOnly:
		return s.Muted.Render("    no secrets yet: the lessons create some")
	}
	return s.Muted.Render("    no secrets yet: n creates one, or run a lesson")
}

// View draws the list. Only the rows on screen are formatted: this is what
// keeps a frame cheap with 10,000 secrets.
func (m listModel) View() string {
	s := m.c.Styles
	start, end := m.Window()
	names := make([]string, 0, end-start)
	for i := start; i < end; i++ {
		names = append(names, m.rows[m.Visible[i]].name)
	}
	l := listLayout(m.width, names)
	lines := []string{m.title(), m.filterLine(l.prefix)}
	gap := strings.Repeat(" ", colGap)
	nameTitle := "NAME"

	header := strings.Repeat(" ", colPrefix) + fit(nameTitle, l.name)
	if l.desc > 0 {
		header += gap + fit("DESCRIPTION", l.desc)
	}
	for _, c := range l.cols {
		header += gap + fit(c.title, c.width)
	}
	lines = append(lines, s.TableHeader.Render(truncate(header, m.width)))
	if len(m.Visible) == 0 {
		return strings.Join(append(lines, m.emptyLine()), "\n")
	}
	for i := start; i < end; i++ {
		lines = append(lines, m.row(i, l))
	}
	return strings.Join(lines, "\n")
}

func (m listModel) row(i int, l layout) string {
	s := m.c.Styles
	r := &m.rows[m.Visible[i]]
	prefix, marker := "  ", "  "
	if i == m.Cursor {
		prefix = "› "
	}
	if !r.deleted.IsZero() {
		marker = "✗ "
	}
	gap := strings.Repeat(" ", colGap)
	line := prefix + marker + fit(l.shownName(r.name), l.name)
	if l.desc > 0 {
		line += gap + fit(cleanLine(r.desc), l.desc)
	}
	for _, c := range l.cols {
		line += gap + fit(c.cell(r), c.width)
	}
	line = truncate(line, m.width)
	switch {
	case i == m.Cursor:
		return s.RowSelected.Render(line)
	case !r.deleted.IsZero():
		return s.Deleted.Render(line)
	}
	return line
}
