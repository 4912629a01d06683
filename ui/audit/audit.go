package audit

import (
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

	"secretlings/aws"
	"secretlings/ui/common"
)

// Model is the audit view: the list of events, and over it one event's
// record when the learner opens it. The list (rows, cursor, filter) stays
// as it was while an event is open and when the learner comes back.
type Model struct {
	c             *common.Common
	client        lookupClient
	back          tea.Cmd
	width, height int

	rows          []eventRow // newest first
	common.Scroll            // the rows the filter keeps, the cursor and the window drawn
	loading       bool
	gen           int // load generation
	loadErr       string
	truncated     bool
	spin          spinner.Model
	filter        common.Filter
	query         string // the applied filter, lower-cased

	open *eventRow // the event whose record is shown; nil: the list
	vp   viewport.Model
}

// New returns the audit view of c's backend, which must be the embedded
// one (see Unavailable); back is the command esc on the list returns.
// Init starts the first load.
func New(c *common.Common, back tea.Cmd) Model {
	var client lookupClient
	if conn := c.Backend.Conn; conn != nil {
		client = conn.Clients().CloudTrail
	}
	return newModel(c, client, back)
}

// newModel is New with the CloudTrail client given: tests point it at
// their own emulator.
func newModel(c *common.Common, client lookupClient, back tea.Cmd) Model {
	m := Model{
		c: c, client: client, back: back,
		filter: common.NewFilter(c.Styles, "filter by who, operation, secret or result"),
		spin:   spinner.New(spinner.WithSpinner(spinner.MiniDot), spinner.WithStyle(c.Styles.Cursor)),
		vp:     viewport.New(0, 0),
	}
	if client != nil {
		// Init has a value receiver: the first load's state is set here.
		m.gen, m.loading = 1, true
	}
	return m
}

// Unavailable says why the audit view cannot open on b, or "" when it
// can: the trail is the embedded emulator's.
func Unavailable(b common.Backend) string {
	switch {
	case b.Conn == nil:
		return "the audit trail needs a backend, and none is available"
	case b.Conn.Emulator != nil:
		return ""
	case b.Target.Backend == aws.AWS:
		return "the audit view reads the embedded emulator's trail; on AWS ask CloudTrail: aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventSource,AttributeValue=secretsmanager.amazonaws.com"
	}
	return "the audit trail is the embedded emulator's: run with --backend embedded (the default) to see who did what"
}

// Init starts loading the trail.
func (m Model) Init() tea.Cmd {
	if m.client == nil {
		return nil
	}
	return tea.Batch(loadCmd(m.client, m.gen), m.spin.Tick)
}

// Started reports whether the view was built (by New).
func (m Model) Started() bool { return m.c != nil }

// Enter is called when the view is shown again: the trail reloads, and the
// rows, cursor and filter stay until the new ones arrive.
func (m *Model) Enter() tea.Cmd { return m.reload() }

func (m *Model) reload() tea.Cmd {
	if m.client == nil {
		return nil
	}
	m.gen++
	m.loading = true
	return tea.Batch(loadCmd(m.client, m.gen), m.spin.Tick)
}

// SetSize sets the area the view may draw in.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.Scroll.Height = h - 4 // the title, filter line, header and status line
	m.filter.Input.Width = max(10, w-4)
	m.vp.Width, m.vp.Height = w, max(1, h-2) // below the title; above the status line
	m.Clamp()
	m.renderRecord()
}

// Capturing reports that the filter has the keys, so global keys must not
// fire.
func (m Model) Capturing() bool { return m.filter.Active }

// Update handles loads, spinner ticks and keys.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case eventsMsg:
		return m.onEvents(msg), nil
	case spinner.TickMsg:
		if !m.loading {
			return m, nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	case tea.KeyMsg:
		switch {
		case m.open != nil:
			return m.recordKey(msg)
		case m.filter.Active:
			return m.filterKey(msg)
		}
		return m.listKey(msg)
	}
	return m, m.filter.Update(msg)
}

func (m Model) onEvents(msg eventsMsg) Model {
	if msg.gen != m.gen {
		return m
	}
	m.loading = false
	if msg.err != nil {
		m.loadErr = aws.Explain(msg.err, m.c.Backend.Target)
		return m
	}
	keep := ""
	if r := m.selected(); r != nil {
		keep = r.id
	}
	m.loadErr, m.rows, m.truncated = "", msg.rows, msg.truncated
	m.applyFilter()
	for i, ri := range m.Visible {
		if keep != "" && m.rows[ri].id == keep {
			m.Cursor = i
		}
	}
	m.Clamp()
	return m
}

// selected is the row under the cursor, or nil.
func (m *Model) selected() *eventRow {
	if m.Cursor < 0 || m.Cursor >= len(m.Visible) {
		return nil
	}
	return &m.rows[m.Visible[m.Cursor]]
}

func (m *Model) applyFilter() {
	m.Visible = m.Visible[:0]
	for i := range m.rows {
		if m.rows[i].matches(m.query) {
			m.Visible = append(m.Visible, i)
		}
	}
	m.Clamp()
}

func (m Model) filterKey(k tea.KeyMsg) (Model, tea.Cmd) {
	if m.Scroll.FilterKey(k) {
		return m, nil
	}
	cmd, changed := m.filter.Key(k)
	if changed {
		m.setQuery(m.filter.Input.Value())
	}
	return m, cmd
}

// setQuery filters by q, from the top.
func (m *Model) setQuery(q string) {
	if q = normalize(q); q != m.query {
		m.query = q
		m.Cursor, m.Offset = 0, 0
		m.applyFilter()
	}
}

func (m *Model) clearFilter() {
	m.filter.Clear()
	m.setQuery("")
}

func (m Model) listKey(k tea.KeyMsg) (Model, tea.Cmd) {
	keys := m.c.Keys
	switch {
	case key.Matches(k, keys.Back):
		if m.query != "" {
			m.clearFilter()
			return m, nil
		}
		return m, m.back
	case m.Scroll.Key(k, keys):
	case key.Matches(k, keys.Filter):
		return m, m.filter.Start()
	case key.Matches(k, keys.Refresh):
		return m, m.reload()
	case key.Matches(k, keys.Open):
		if r := m.selected(); r != nil {
			cp := *r
			m.open = &cp
			m.vp.SetYOffset(0)
			m.renderRecord()
		}
	}
	return m, nil
}

// recordKey handles the keys of one event's record: scrolling, and back.
func (m Model) recordKey(k tea.KeyMsg) (Model, tea.Cmd) {
	keys := m.c.Keys
	switch {
	case key.Matches(k, keys.Back):
		m.open = nil
		m.vp.SetContent("")
	case key.Matches(k, keys.Up):
		m.vp.ScrollUp(1)
	case key.Matches(k, keys.Down):
		m.vp.ScrollDown(1)
	case common.PageViewport(&m.vp, keys, k):
	}
	return m, nil
}
