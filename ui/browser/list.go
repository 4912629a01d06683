package browser

import (
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"secretlings/aws"
	"secretlings/ui/common"
)

// listModel is the list of every secret on the backend, loaded page by
// page, sorted, and filtered as the learner types.
type listModel struct {
	c             *common.Common
	client        *secretsmanager.Client
	back          tea.Cmd
	width, height int

	rows          []secretRow // every loaded secret, sorted
	common.Scroll             // the rows the filter keeps, the cursor and the window drawn
	byDate        bool
	withDeleted   bool
	loading       bool
	fresh         bool // the next page replaces rows (a reload)
	gen           int  // load generation
	loadErr       string
	spin          spinner.Model
	filter        common.Filter
	query         string // the applied filter, lower-cased
	want          string // select this secret once it is loaded
}

func newList(c *common.Common, client *secretsmanager.Client, back tea.Cmd) listModel {
	return listModel{
		c: c, client: client, back: back,
		filter: common.NewFilter(c.Styles, "filter by name, description or tag"),
		spin:   spinner.New(spinner.WithSpinner(spinner.MiniDot), spinner.WithStyle(c.Styles.Cursor)),
	}
}

// reload starts loading the list from its first page; rows already shown
// stay until the first page arrives.
func (m *listModel) reload() tea.Cmd {
	if m.client == nil {
		return nil
	}
	m.gen++
	m.fresh = true
	m.loading = true
	return tea.Batch(listPageCmd(m.client, m.gen, nil, m.withDeleted), m.spin.Tick)
}

// SetSize sets the area the list may draw in.
func (m *listModel) SetSize(w, h int) {
	m.width, m.height = w, h
	m.Scroll.Height = h - 4 // the title, filter line, header and status line
	m.filter.Input.Width = max(10, w-4)
	m.Clamp()
}

// selected is the row under the cursor, or nil.
func (m *listModel) selected() *secretRow {
	if m.Cursor < 0 || m.Cursor >= len(m.Visible) {
		return nil
	}
	return &m.rows[m.Visible[m.Cursor]]
}

// Update handles the list's messages: pages, spinner ticks and keys.
func (m listModel) Update(msg tea.Msg) (listModel, tea.Cmd) {
	switch msg := msg.(type) {
	case listPageMsg:
		return m.onPage(msg)
	case spinner.TickMsg:
		if !m.loading {
			return m, nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	case tea.KeyMsg:
		if m.filter.Active {
			return m.filterKey(msg)
		}
		return m.key(msg)
	}
	return m, m.filter.Update(msg)
}

func (m listModel) onPage(msg listPageMsg) (listModel, tea.Cmd) {
	if msg.gen != m.gen {
		return m, nil
	}
	if msg.err != nil {
		m.loading = false
		m.loadErr = aws.Explain(msg.err, m.c.Backend.Target)
		return m, nil
	}
	m.loadErr = ""
	keep := m.want
	if keep == "" {
		if r := m.selected(); r != nil {
			keep = r.name
		}
	}
	if m.fresh {
		m.rows, m.fresh = m.rows[:0:0], false
	}
	m.rows = append(m.rows, msg.rows...)
	sortRows(m.rows, m.byDate)
	m.applyFilter(false)
	m.selectName(keep)
	if m.want != "" && m.selected() != nil && m.selected().name == m.want {
		m.want = ""
	}
	if msg.next != nil {
		return m, listPageCmd(m.client, m.gen, msg.next, m.withDeleted)
	}
	m.loading = false
	return m, nil
}

// applyFilter recomputes the visible rows. narrow filters the current
// matches only, which is right when the query grew by a keystroke.
func (m *listModel) applyFilter(narrow bool) {
	q := m.query
	qmask := runeMask(q)
	if narrow {
		out := m.Visible[:0]
		for _, i := range m.Visible {
			if m.rows[i].matches(q, qmask) {
				out = append(out, i)
			}
		}
		m.Visible = out
	} else {
		m.Visible = m.Visible[:0]
		for i := range m.rows {
			if m.rows[i].matches(q, qmask) {
				m.Visible = append(m.Visible, i)
			}
		}
	}
	m.Clamp()
}

func (m *listModel) setQuery(q string) {
	q = strings.ToLower(q)
	if q == m.query {
		return
	}
	narrow := m.query != "" && strings.HasPrefix(q, m.query)
	m.query = q
	m.applyFilter(narrow)
	m.Cursor, m.Offset = 0, 0
}

func (m *listModel) clearFilter() {
	m.filter.Clear()
	m.setQuery("")
}

func (m *listModel) selectName(name string) {
	for i, ri := range m.Visible {
		if name != "" && m.rows[ri].name == name {
			m.Cursor = i
			break
		}
	}
	m.Clamp()
}

func (m listModel) filterKey(k tea.KeyMsg) (listModel, tea.Cmd) {
	if m.Scroll.FilterKey(k) {
		return m, nil
	}
	cmd, changed := m.filter.Key(k)
	if changed {
		m.setQuery(m.filter.Input.Value())
	}
	return m, cmd
}

// mutating reports whether k is b and the browser may change secrets.
func mutating(c *common.Common, client *secretsmanager.Client, k tea.KeyMsg, b key.Binding) bool {
	return !c.ReadOnly && client != nil && key.Matches(k, b)
}

func (m listModel) key(k tea.KeyMsg) (listModel, tea.Cmd) {
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
	case key.Matches(k, keys.Sort):
		keep := ""
		if r := m.selected(); r != nil {
			keep = r.name
		}
		m.byDate = !m.byDate
		sortRows(m.rows, m.byDate)
		m.applyFilter(false)
		m.selectName(keep)
	case key.Matches(k, keys.ShowDeleted) && m.client != nil:
		m.withDeleted = !m.withDeleted
		return m, m.reload()
	case key.Matches(k, keys.Refresh):
		return m, msgCmd(refreshMsg{})
	default:
		return m, m.intent(k)
	}
	return m, nil
}

// intent turns the keys that open another view into the message asking
// the browser to open it.
func (m listModel) intent(k tea.KeyMsg) tea.Cmd {
	keys := m.c.Keys
	r := m.selected()
	switch {
	case key.Matches(k, keys.Open) && r != nil && m.client != nil:
		return msgCmd(openSecretMsg{r.name})
	case mutating(m.c, m.client, k, keys.NewSecret):
		return msgCmd(openFormMsg{kind: formNew})
	case mutating(m.c, m.client, k, keys.DeleteSecret) && r != nil && r.deleted.IsZero():
		return msgCmd(openFormMsg{kind: formDelete, det: stubDetails(r.name)})
	case mutating(m.c, m.client, k, keys.RestoreSecret) && r != nil && !r.deleted.IsZero():
		return msgCmd(restoreMsg{r.name})
	}
	return nil
}

// ShortHelp is the list's one-line help, most useful first.
func (m listModel) ShortHelp() []key.Binding {
	k := m.c.Keys
	if m.filter.Active {
		return []key.Binding{
			key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep filter")),
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
		}
	}
	change := k.DeleteSecret
	if r := m.selected(); r != nil && !r.deleted.IsZero() {
		change = k.RestoreSecret
	}
	deleted := k.ShowDeleted
	if m.withDeleted {
		deleted.SetHelp(deleted.Help().Key, "hide deleted")
	}
	return withMutating(m.c, m.client, []key.Binding{k.Open, k.Filter}, k.NewSecret, change, deleted, k.Sort, k.Refresh, k.Back)
}
