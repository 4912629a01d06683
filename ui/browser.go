package ui

import (
	"encoding/base64"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aymanbagabas/go-osc52/v2"
	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

	"secretlings/aws"
	"secretlings/lessons/runner"
	"secretlings/mask"
)

// revealFor is how long a revealed value stays on screen.
const revealFor = 30 * time.Second

// clipboardWarning is shown with every copy: OSC 52 hands the value to the
// terminal, and clipboards (and clipboard managers) keep it.
const clipboardWarning = "clipboards keep copies: clear yours when done"

// browserMode is what the browser shows.
type browserMode int

const (
	modeList    browserMode = iota
	modeDetails             // one secret: metadata and the version timeline
	modeValue               // one version's value, masked until revealed
	modeForm                // a change being typed
	modeConfirm             // a change waiting for the learner's yes
)

// browserModel is the secret browser: a list of every secret on the
// backend, loaded page by page; the details of one, with its versions as a
// timeline; and any version's value, masked until the learner reveals it.
//
// Values live in the model only while they are revealed: opening a value
// fetches it to lay out its JSON keys and drops it; revealing fetches it
// again and re-masking drops it.
type browserModel struct {
	c             *Common
	width, height int
	mode          browserMode
	client        *secretsmanager.Client

	// The list.
	rows        []secretRow // every loaded secret, sorted
	visible     []int       // indexes of rows matching the filter
	cursor      int         // index into visible
	offset      int         // first visible row drawn
	byDate      bool
	withDeleted bool
	loading     bool
	fresh       bool // the next page replaces rows (a reload)
	gen         int  // load generation
	spin        spinner.Model
	filter      textinput.Model
	filtering   bool
	query       string // the applied filter, lower-cased
	want        string // select this secret once it is loaded

	// One secret.
	open   string
	det    *secretDetails
	verSel int
	vp     viewport.Model
	val    *valueView
	req    int // value request counter: stale answers are dropped

	form     *secretForm
	formBack browserMode // where esc from the form returns
	confirm  *confirmation

	status    string
	statusErr bool

	// copyTo receives OSC 52 sequences; after schedules the re-mask. Tests
	// replace both.
	copyTo io.Writer
	after  func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
}

// valueView is one version's value as shown: its layout, and the revealed
// text only while revealed.
type valueView struct {
	secret, version string
	stages          []string
	loading         bool
	isJSON, binary  bool
	keys            []string
	masked          string // the document with every leaf masked, for the plaintext view
	sel             int    // 0: the whole value; i: keys[i-1]
	plain           bool   // plaintext view instead of key/value
	shown           string // the revealed text; "" while masked
	shownSel        int
	// shownFields are the fields of the revealed value while the whole
	// value is revealed (shownSel 0): parsed once, not on every frame.
	shownFields map[string]string
	revealID    int
	layoutReq   int // the request that lays the value out
}

// remaskMsg ends a reveal when its 30 s are up.
type remaskMsg struct{ id int }

// copiedMsg reports a finished copy.
type copiedMsg struct {
	what string
	err  error
}

// newBrowser returns the browser for c's backend; Init starts the first load.
func newBrowser(c *Common) browserModel {
	f := newFilterInput(c.Styles, "filter by name, description or tag")
	sp := spinner.New(spinner.WithSpinner(spinner.MiniDot), spinner.WithStyle(c.Styles.Cursor))
	m := browserModel{c: c, filter: f, spin: sp, copyTo: os.Stdout, after: tea.Tick, vp: viewport.New(0, 0)}
	if c.Backend.Conn != nil {
		m.client = c.Backend.Conn.Client
		// Init has a value receiver: the first load's state is set here.
		m.gen, m.fresh, m.loading = 1, true, true
	}
	return m
}

// Init starts loading the secrets.
func (m browserModel) Init() tea.Cmd {
	if m.client == nil {
		return nil
	}
	return tea.Batch(listPageCmd(m.client, m.gen, nil, m.withDeleted), m.spin.Tick)
}

// reload starts loading the list from its first page; rows already shown
// stay until the first page arrives.
func (m *browserModel) reload() tea.Cmd {
	if m.client == nil {
		return nil
	}
	m.gen++
	m.fresh = true
	m.loading = true
	return tea.Batch(listPageCmd(m.client, m.gen, nil, m.withDeleted), m.spin.Tick)
}

// SetSize sets the area the browser may draw in.
func (m *browserModel) SetSize(w, h int) {
	m.width, m.height = w, h
	m.filter.Width = max(10, w-4)
	m.vp.Width, m.vp.Height = w, max(1, h-2)
	if m.form != nil {
		m.form.width = w
	}
	m.clampList()
	if m.mode == modeDetails {
		m.renderDetails()
	}
}

// Capturing reports that a text input has focus, so global keys must not fire.
func (m browserModel) Capturing() bool {
	return m.filtering || m.mode == modeForm || (m.mode == modeConfirm && m.confirm != nil && m.confirm.name != "")
}

// selected is the row under the cursor, or nil.
func (m *browserModel) selected() *secretRow {
	if m.cursor < 0 || m.cursor >= len(m.visible) {
		return nil
	}
	return &m.rows[m.visible[m.cursor]]
}

func (m *browserModel) setStatus(s string, isErr bool) { m.status, m.statusErr = s, isErr }

func (m *browserModel) explain(err error) string {
	return aws.Explain(err, m.c.Backend.Target)
}

// Update handles the browser's messages.
func (m browserModel) Update(msg tea.Msg) (browserModel, tea.Cmd) {
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
	case detailsMsg:
		if msg.name != m.open || (m.mode != modeDetails && m.mode != modeValue && m.mode != modeForm && m.mode != modeConfirm) {
			return m, nil
		}
		if msg.err != nil {
			m.setStatus(m.explain(msg.err), true)
			if m.det == nil {
				m.mode, m.open = modeList, ""
			}
			return m, nil
		}
		m.det = msg.det
		m.verSel = min(m.verSel, max(0, len(m.det.versions)-1))
		m.renderDetails()
		return m, nil
	case valueMsg:
		return m.onValue(msg)
	case remaskMsg:
		if m.val != nil && m.val.revealID == msg.id {
			m.remask()
		}
		return m, nil
	case tea.BlurMsg:
		m.remask()
		return m, nil
	case copiedMsg:
		if msg.err != nil {
			m.setStatus("copy failed: "+msg.err.Error()+" (the terminal may not support OSC 52)", true)
		} else {
			m.setStatus("✓ copied "+msg.what+" with OSC 52 · "+clipboardWarning, false)
		}
		return m, nil
	case opMsg:
		return m.onOp(msg)
	case tea.KeyMsg:
		return m.onKey(msg)
	}
	if m.filtering {
		var cmd tea.Cmd
		m.filter, cmd = m.filter.Update(msg)
		return m, cmd
	}
	if m.mode == modeForm && m.form != nil {
		_, cmd := m.form.update(msg)
		return m, cmd
	}
	return m, nil
}

func (m browserModel) onPage(msg listPageMsg) (browserModel, tea.Cmd) {
	if msg.gen != m.gen {
		return m, nil
	}
	if msg.err != nil {
		m.loading = false
		m.setStatus(m.explain(msg.err)+" · r retries", true)
		return m, nil
	}
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
func (m *browserModel) applyFilter(narrow bool) {
	q := m.query
	qmask := runeMask(q)
	if narrow {
		out := m.visible[:0]
		for _, i := range m.visible {
			if m.rows[i].matches(q, qmask) {
				out = append(out, i)
			}
		}
		m.visible = out
	} else {
		m.visible = m.visible[:0]
		for i := range m.rows {
			if m.rows[i].matches(q, qmask) {
				m.visible = append(m.visible, i)
			}
		}
	}
	m.clampList()
}

func (m *browserModel) setQuery(q string) {
	q = strings.ToLower(q)
	if q == m.query {
		return
	}
	narrow := m.query != "" && strings.HasPrefix(q, m.query)
	m.query = q
	m.applyFilter(narrow)
	m.cursor, m.offset = 0, 0
}

func (m *browserModel) selectName(name string) {
	if name == "" {
		m.clampList()
		return
	}
	for i, ri := range m.visible {
		if m.rows[ri].name == name {
			m.cursor = i
			break
		}
	}
	m.clampList()
}

// listRows is how many rows fit: the title, filter, header and status
// lines take four.
func (m *browserModel) listRows() int { return max(1, m.height-4) }

func (m *browserModel) clampList() {
	n := len(m.visible)
	m.cursor = max(0, min(m.cursor, n-1))
	h := m.listRows()
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+h {
		m.offset = m.cursor - h + 1
	}
	m.offset = max(0, min(m.offset, n-h))
}

func (m browserModel) onKey(k tea.KeyMsg) (browserModel, tea.Cmd) {
	switch m.mode {
	case modeForm:
		return m.formKey(k)
	case modeConfirm:
		return m.confirmKey(k)
	case modeDetails:
		return m.detailsKey(k)
	case modeValue:
		return m.valueKey(k)
	}
	return m.listKey(k)
}

// mutating reports whether the key is one that changes secrets and the
// browser may change them.
func (m *browserModel) mutating(k tea.KeyMsg, b key.Binding) bool {
	return !m.c.ReadOnly && m.client != nil && key.Matches(k, b)
}

func (m browserModel) listKey(k tea.KeyMsg) (browserModel, tea.Cmd) {
	keys := m.c.Keys
	if m.filtering {
		switch {
		case k.Type == tea.KeyEsc:
			m.filtering = false
			m.filter.Blur()
			m.filter.SetValue("")
			m.setQuery("")
			return m, nil
		case k.Type == tea.KeyEnter:
			m.filtering = false
			m.filter.Blur()
			return m, nil
		case k.Type == tea.KeyUp:
			m.move(-1) // arrows only: letters belong to the filter
			return m, nil
		case k.Type == tea.KeyDown:
			m.move(1)
			return m, nil
		}
		var cmd tea.Cmd
		m.filter, cmd = m.filter.Update(k)
		m.setQuery(m.filter.Value())
		return m, cmd
	}
	switch {
	case key.Matches(k, keys.Back):
		if m.query != "" {
			m.filter.SetValue("")
			m.setQuery("")
			return m, nil
		}
		return m, backCmd
	case key.Matches(k, keys.Up):
		m.move(-1)
	case key.Matches(k, keys.Down):
		m.move(1)
	case key.Matches(k, keys.PageUp):
		m.move(-m.listRows())
	case key.Matches(k, keys.PageDown):
		m.move(m.listRows())
	case key.Matches(k, keys.Top):
		m.move(-len(m.visible))
	case key.Matches(k, keys.Bottom):
		m.move(len(m.visible))
	case key.Matches(k, keys.Filter):
		m.filtering = true
		return m, m.filter.Focus()
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
		m.setStatus("", false)
		return m, m.reload()
	case key.Matches(k, keys.Open):
		if r := m.selected(); r != nil && m.client != nil {
			return m, m.openSecret(r.name)
		}
	case m.mutating(k, keys.NewSecret):
		m.startForm(formNew, nil)
	case m.mutating(k, keys.DeleteSecret):
		if r := m.selected(); r != nil && r.deleted.IsZero() {
			m.startForm(formDelete, stubDetails(r.name))
		}
	case m.mutating(k, keys.RestoreSecret):
		if r := m.selected(); r != nil && !r.deleted.IsZero() {
			return m.startRestore(r.name)
		}
	}
	return m, nil
}

// stubDetails stands for a secret known only by name (a list row), enough
// for the forms that need no more.
func stubDetails(name string) *secretDetails {
	return &secretDetails{d: &secretsmanager.DescribeSecretOutput{Name: sdkaws.String(name)}}
}

func (m *browserModel) move(d int) {
	m.cursor += d
	m.clampList()
}

func (m *browserModel) openSecret(name string) tea.Cmd {
	m.mode, m.open, m.det, m.verSel, m.val = modeDetails, name, nil, 0, nil
	m.vp.SetYOffset(0)
	m.renderDetails()
	return detailsCmd(m.client, name, m.explain)
}

// Leave drops the open secret, every fetched value and any form (typed
// values included). The root calls it when another screen replaces the
// browser, so that nothing revealed stays in memory behind it.
func (m *browserModel) Leave() {
	m.leaveSecret()
	m.form, m.confirm = nil, nil
	m.filtering = false
	m.filter.Blur()
}

// leaveSecret drops everything fetched about the open secret.
func (m *browserModel) leaveSecret() {
	m.remask()
	m.mode, m.open, m.det, m.val = modeList, "", nil, nil
	m.vp.SetContent("")
}

func (m browserModel) detailsKey(k tea.KeyMsg) (browserModel, tea.Cmd) {
	keys := m.c.Keys
	switch {
	case key.Matches(k, keys.Back):
		m.leaveSecret()
		return m, nil
	case key.Matches(k, keys.Up):
		if m.verSel > 0 {
			m.verSel--
			m.renderDetails()
		}
	case key.Matches(k, keys.Down):
		if m.det != nil && m.verSel < len(m.det.versions)-1 {
			m.verSel++
			m.renderDetails()
		}
	case pageViewport(&m.vp, keys, k):
	case key.Matches(k, keys.Refresh):
		m.setStatus("", false)
		return m, tea.Batch(detailsCmd(m.client, m.open, m.explain), m.reload())
	case key.Matches(k, keys.Open):
		return m, m.openValue(false)
	case key.Matches(k, keys.Reveal):
		return m, m.openValue(true)
	case key.Matches(k, keys.Copy):
		if id, _ := m.selectedVersion(); id != "" {
			m.req++
			return m, valueCmd(m.client, m.req, fetchCopy, m.open, id)
		}
	case m.det == nil:
	case m.mutating(k, keys.PutValue) && m.det.d.DeletedDate == nil:
		m.startForm(formPut, m.det)
	case m.mutating(k, keys.EditSecret) && m.det.d.DeletedDate == nil:
		m.startForm(formEdit, m.det)
	case m.mutating(k, keys.MoveLabel) && m.det.d.DeletedDate == nil && len(m.det.versions) > 0:
		m.startForm(formLabel, m.det)
	case m.mutating(k, keys.DeleteSecret) && m.det.d.DeletedDate == nil:
		m.startForm(formDelete, m.det)
	case m.mutating(k, keys.RestoreSecret) && m.det.d.DeletedDate != nil:
		return m.startRestore(m.open)
	}
	return m, nil
}

func (m *browserModel) selectedVersion() (id string, stages []string) {
	if m.det == nil || m.verSel >= len(m.det.versions) {
		return "", nil
	}
	v := m.det.versions[m.verSel]
	return sdkaws.ToString(v.VersionId), v.VersionStages
}

// openValue shows the selected version's value, masked; with reveal it is
// revealed as soon as it arrives.
func (m *browserModel) openValue(reveal bool) tea.Cmd {
	id, stages := m.selectedVersion()
	if id == "" {
		return nil
	}
	m.mode = modeValue
	m.req++
	m.val = &valueView{secret: m.open, version: id, stages: stages, loading: true, layoutReq: m.req}
	cmds := []tea.Cmd{valueCmd(m.client, m.req, fetchLayout, m.open, id)}
	if reveal {
		m.req++
		cmds = append(cmds, valueCmd(m.client, m.req, fetchReveal, m.open, id))
	}
	return tea.Batch(cmds...)
}

func (m browserModel) valueKey(k tea.KeyMsg) (browserModel, tea.Cmd) {
	keys := m.c.Keys
	v := m.val
	switch {
	case key.Matches(k, keys.Back):
		m.remask()
		m.val = nil
		m.mode = modeDetails
		m.renderDetails()
		return m, nil
	case v == nil || v.loading:
	case key.Matches(k, keys.Up):
		if !v.plain && v.sel > 0 {
			m.remask()
			v.sel--
		}
	case key.Matches(k, keys.Down):
		if !v.plain && v.sel < len(v.keys) {
			m.remask()
			v.sel++
		}
	case key.Matches(k, keys.Raw):
		m.remask()
		v.plain = !v.plain
		if v.plain {
			v.sel = 0
		}
	case key.Matches(k, keys.Reveal):
		if v.shown != "" {
			m.remask()
			return m, nil
		}
		m.req++
		return m, valueCmd(m.client, m.req, fetchReveal, v.secret, v.version)
	case key.Matches(k, keys.Copy):
		m.req++
		return m, valueCmd(m.client, m.req, fetchCopy, v.secret, v.version)
	}
	return m, nil
}

// remask forgets the revealed text.
func (m *browserModel) remask() {
	if m.val != nil {
		m.val.shown, m.val.shownFields = "", nil
		m.val.revealID++
	}
}

func (m browserModel) onValue(msg valueMsg) (browserModel, tea.Cmd) {
	v := m.val
	if msg.purpose == fetchCopy && v == nil && m.mode == modeDetails && msg.req == m.req {
		// c in the details copies the selected version's whole value.
		if msg.err != nil {
			m.setStatus(m.explain(msg.err), true)
			return m, nil
		}
		return m, copyCmd(m.copyTo, msg.text, "the value of "+m.open)
	}
	if v == nil || m.mode != modeValue {
		return m, nil // the learner left: drop the value
	}
	if msg.err != nil {
		if msg.req == v.layoutReq {
			v.loading = false
		}
		m.setStatus(m.explain(msg.err), true)
		return m, nil
	}
	switch msg.purpose {
	case fetchLayout:
		if msg.req != v.layoutReq {
			return m, nil // the layout of a value the learner already left
		}
		v.loading = false
		v.binary = msg.binary
		if fields, ok := topLevelFields(msg.text); ok && !msg.binary {
			v.isJSON = true
			v.keys = make([]string, len(fields))
			for i, f := range fields {
				v.keys[i] = f.key
			}
			if masked, err := mask.JSON([]byte(msg.text)); err == nil {
				v.masked = indentJSON(string(masked))
			}
		}
		if v.masked == "" {
			v.masked = mask.Masked
		}
		v.sel = min(v.sel, len(v.keys))
	case fetchReveal:
		if msg.req != m.req {
			return m, nil
		}
		text, _ := m.pick(msg.text)
		if msg.binary {
			text = base64.StdEncoding.EncodeToString([]byte(msg.text)) // bytes, shown safely
		}
		v.revealID++
		v.shown, v.shownSel = text, v.sel
		if v.plain {
			v.shownSel = 0
		}
		if v.shownSel == 0 {
			// Not only for JSON: the layout may arrive after the reveal.
			v.shownFields = map[string]string{}
			if fields, ok := topLevelFields(text); ok {
				for _, f := range fields {
					v.shownFields[f.key] = fieldText(f.raw)
				}
			}
		}
		id := v.revealID
		return m, m.after(revealFor, func(time.Time) tea.Msg { return remaskMsg{id} })
	case fetchCopy:
		if msg.req != m.req {
			return m, nil
		}
		text, what := m.pick(msg.text)
		return m, copyCmd(m.copyTo, text, what)
	}
	return m, nil
}

// pick is the part of a value the selection names: the whole value or one
// field, and words for it.
func (m *browserModel) pick(text string) (string, string) {
	v := m.val
	if v.plain || v.sel == 0 || !v.isJSON {
		return text, "the value of " + v.secret
	}
	fields, ok := topLevelFields(text)
	if !ok || v.sel > len(fields) {
		return text, "the value of " + v.secret
	}
	f := fields[v.sel-1]
	return fieldText(f.raw), "the field " + f.key + " of " + v.secret
}

// copyCmd writes an OSC 52 sequence that asks the terminal to put text on
// the clipboard. It travels through the terminal, so it works over SSH; in
// tmux or screen it is wrapped so they pass it on. Bubble Tea v1 has no
// raw-output command, so this writes to the program's output directly, as
// termenv's Copy does: one write, which the terminal reads between frames.
func copyCmd(w io.Writer, text, what string) tea.Cmd {
	return func() tea.Msg {
		seq := osc52.New(text)
		if os.Getenv("TMUX") != "" {
			seq = seq.Tmux()
		} else if strings.HasPrefix(os.Getenv("TERM"), "screen") {
			seq = seq.Screen()
		}
		_, err := seq.WriteTo(w)
		return copiedMsg{what: what, err: err}
	}
}

func (m *browserModel) startForm(kind formKind, det *secretDetails) {
	id, _ := m.selectedVersion()
	m.form = newSecretForm(m.c, kind, m.width, det, id)
	m.confirm = nil
	if m.mode != modeForm {
		m.formBack = m.mode
	}
	m.mode = modeForm
}

func (m browserModel) startRestore(name string) (browserModel, tea.Cmd) {
	res := &formResult{what: "restored " + name, secret: name, op: restoreOp(name)}
	return m.submitResult(res, m.mode)
}

func (m browserModel) formKey(k tea.KeyMsg) (browserModel, tea.Cmd) {
	if k.Type == tea.KeyEsc {
		m.mode, m.form = m.formBack, nil
		return m, nil
	}
	res, cmd := m.form.update(k)
	if res == nil {
		return m, cmd
	}
	back := m.formBack
	m.form = nil
	return m.submitResult(res, back)
}

// needsTypedName reports whether a change to name must be confirmed by
// typing the name: on real AWS, outside the tutorial's prefix.
func (m *browserModel) needsTypedName(name string) bool {
	return m.c.Backend.Target.Backend == aws.AWS && !strings.HasPrefix(name, runner.Prefix)
}

// submitResult runs a change, after a confirmation when one is due.
func (m browserModel) submitResult(res *formResult, back browserMode) (browserModel, tea.Cmd) {
	switch {
	case m.needsTypedName(res.secret):
		in := textinput.New()
		in.Prompt = "name: "
		in.Cursor.SetMode(cursor.CursorStatic)
		in.PromptStyle = m.c.Styles.Label
		in.Width = max(10, m.width-10)
		prompt := res.confirm
		if prompt == "" {
			prompt = strings.ToUpper(res.what[:1]) + res.what[1:] + "?"
		}
		m.confirm = &confirmation{prompt: prompt + " " + res.secret + " is outside the tutorial prefix " + runner.Prefix + " on real AWS: type its name to confirm.",
			name: res.secret, typed: in, res: res, back: back}
		m.mode = modeConfirm
		return m, m.confirm.typed.Focus()
	case res.confirm != "":
		m.confirm = &confirmation{prompt: res.confirm, res: res, back: back}
		m.mode = modeConfirm
		return m, nil
	}
	return m.run(res, back)
}

func (m browserModel) run(res *formResult, back browserMode) (browserModel, tea.Cmd) {
	m.mode, m.confirm = back, nil
	if m.mode == modeValue || m.mode == modeForm || m.mode == modeConfirm {
		m.mode = modeDetails
	}
	m.setStatus("working: "+res.what+"…", false)
	return m, opCmd(m.client, res.what, res.secret, res.gone, res.op)
}

func (m browserModel) confirmKey(k tea.KeyMsg) (browserModel, tea.Cmd) {
	cf := m.confirm
	if k.Type == tea.KeyEsc {
		m.mode, m.confirm = cf.back, nil
		m.setStatus("cancelled: nothing changed", false)
		return m, nil
	}
	if cf.name != "" {
		if k.Type == tea.KeyEnter {
			if cf.typed.Value() != cf.name {
				cf.err = "the name does not match: type " + cf.name + " exactly, or esc to cancel"
				return m, nil
			}
			return m.run(cf.res, cf.back)
		}
		var cmd tea.Cmd
		cf.typed, cmd = cf.typed.Update(k)
		cf.err = ""
		return m, cmd
	}
	switch k.String() {
	case "y", "Y":
		return m.run(cf.res, cf.back)
	case "n", "N":
		m.mode, m.confirm = cf.back, nil
		m.setStatus("cancelled: nothing changed", false)
	}
	return m, nil
}

func (m browserModel) onOp(msg opMsg) (browserModel, tea.Cmd) {
	if msg.err != nil {
		m.setStatus(msg.what+" failed: "+m.explain(msg.err), true)
		return m, nil
	}
	m.setStatus("✓ "+msg.what, false)
	if m.open == "" && !msg.gone {
		m.want = msg.name
	}
	cmds := []tea.Cmd{m.reload()}
	switch {
	case m.open != "" && m.open == msg.name && msg.gone:
		m.leaveSecret()
	case m.open != "" && m.open == msg.name:
		cmds = append(cmds, detailsCmd(m.client, m.open, m.explain))
	}
	return m, tea.Batch(cmds...)
}

// ShortHelp is the one-line help of the browser.
func (m browserModel) ShortHelp() []key.Binding {
	k := m.c.Keys
	switch {
	case m.mode == modeForm:
		b := []key.Binding{k.NextField, k.Submit}
		if m.form != nil && m.form.hasValue() {
			b = append(b, k.ValueMode)
			if m.form.kvRows {
				b = append(b, k.AddRow)
			}
		}
		return append(b, cancelBinding())
	case m.mode == modeConfirm:
		return []key.Binding{confirmBinding(m.confirm), cancelBinding()}
	case m.filtering:
		return []key.Binding{key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep filter")), key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter"))}
	case m.mode == modeValue:
		b := []key.Binding{k.Reveal, k.Copy}
		if v := m.val; v != nil && v.isJSON {
			raw := k.Raw
			if v.plain {
				raw.SetHelp(raw.Help().Key, "key/value view")
			}
			b = append(b, raw)
		}
		return append(b, k.Back, k.Help)
	case m.mode == modeDetails && m.det != nil && m.det.d.DeletedDate != nil:
		return m.withMutating([]key.Binding{k.Open}, k.RestoreSecret, k.Back, k.Help)
	case m.mode == modeDetails:
		return m.withMutating([]key.Binding{k.Open, k.Reveal, k.Copy}, k.PutValue, k.MoveLabel, k.DeleteSecret, k.Back, k.Help)
	}
	return m.withMutating([]key.Binding{k.Open, k.Filter, k.Sort, k.Refresh}, k.NewSecret, k.DeleteSecret, k.Back, k.Help)
}

// withMutating appends the mutating keys unless read-only, then the rest.
func (m browserModel) withMutating(b []key.Binding, rest ...key.Binding) []key.Binding {
	for _, x := range rest {
		if m.isMutatingBinding(x) && (m.c.ReadOnly || m.client == nil) {
			continue
		}
		b = append(b, x)
	}
	return b
}

func (m browserModel) isMutatingBinding(b key.Binding) bool {
	k := m.c.Keys
	for _, x := range []key.Binding{k.NewSecret, k.PutValue, k.EditSecret, k.MoveLabel, k.DeleteSecret, k.RestoreSecret} {
		if slices.Equal(x.Keys(), b.Keys()) {
			return true
		}
	}
	return false
}

// cancelBinding and confirmBinding describe keys that forms and
// confirmations read as text, so they are not in the KeyMap. (The exercise
// screens use cancelBinding too.)
func confirmBinding(cf *confirmation) key.Binding {
	if cf != nil && cf.name != "" {
		return key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "confirm"))
	}
	return key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes"))
}

// FullHelp is the browser's help in columns.
func (m browserModel) FullHelp() [][]key.Binding {
	k := m.c.Keys
	switch m.mode {
	case modeForm, modeConfirm:
		return [][]key.Binding{m.ShortHelp()}
	}
	// Four narrow columns: the help must fit 80 cells.
	nav := []key.Binding{k.Up, k.Down, k.PageDown, k.Top, k.Bottom, k.Back}
	list := []key.Binding{k.Open, k.Filter, k.Sort, k.ShowDeleted, k.Refresh, k.Quit}
	secret := []key.Binding{k.Reveal, k.Copy, k.Raw, k.Help}
	change := m.withMutating(nil, k.NewSecret, k.PutValue, k.EditSecret, k.MoveLabel, k.DeleteSecret, k.RestoreSecret)
	cols := [][]key.Binding{nav, list, secret}
	if len(change) > 0 {
		cols = append(cols, change)
	}
	return cols
}

// View draws the browser.
func (m browserModel) View() string {
	var body string
	switch m.mode {
	case modeDetails:
		body = m.detailsView()
	case modeValue:
		body = m.valueView()
	case modeForm:
		body = m.form.view()
	case modeConfirm:
		body = m.confirmView()
	default:
		body = m.listView()
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

func (m browserModel) statusLine() string {
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
	case m.loading:
		return truncate(s.Muted.Render(fmt.Sprintf("%s loading… %d secrets so far", m.spin.View(), len(m.rows))), w)
	}
	return ""
}
