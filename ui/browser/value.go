package browser

import (
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"secretlings/aws"
	"secretlings/mask"
	"secretlings/ui/common"
)

// revealFor is how long a revealed value stays on screen.
const revealFor = 30 * time.Second

// remaskMsg ends a reveal when its 30 s are up.
type remaskMsg struct{ id int }

// valueModel is one version's value as shown: its layout, and the revealed
// text only while revealed. Opening a value fetches it to lay out its JSON
// keys and drops it; revealing fetches it again and re-masking drops it.
type valueModel struct {
	c             *common.Common
	client        *secretsmanager.Client
	seq           *int // the browser's value request counter
	after         func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
	width, height int

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
	req         int // the latest reveal or copy: older answers are dropped
}

// open shows a version, masked; with reveal it is revealed as soon as it
// arrives. Everything about the value shown before is dropped.
func (m *valueModel) open(secret, version string, stages []string, reveal bool) tea.Cmd {
	*m = valueModel{c: m.c, client: m.client, seq: m.seq, after: m.after, width: m.width, height: m.height,
		secret: secret, version: version, stages: stages, loading: true, revealID: m.revealID + 1}
	m.layoutReq = m.next()
	cmds := []tea.Cmd{valueCmd(m.client, m.layoutReq, fetchLayout, secret, version)}
	if reveal {
		m.req = m.next()
		cmds = append(cmds, valueCmd(m.client, m.req, fetchReveal, secret, version))
	}
	return tea.Batch(cmds...)
}

func (m *valueModel) next() int {
	*m.seq++
	return *m.seq
}

// close forgets the value.
func (m *valueModel) close() {
	m.remask()
	m.secret, m.version, m.keys, m.masked = "", "", nil, ""
}

// remask forgets the revealed text.
func (m *valueModel) remask() {
	m.shown, m.shownFields = "", nil
	m.revealID++
}

// SetSize sets the area the value may draw in.
func (m *valueModel) SetSize(w, h int) { m.width, m.height = w, h }

// Update handles fetched values, the re-mask timer, focus loss and keys.
func (m valueModel) Update(msg tea.Msg) (valueModel, tea.Cmd) {
	switch msg := msg.(type) {
	case valueMsg:
		return m.onValue(msg)
	case remaskMsg:
		if m.revealID == msg.id {
			m.remask()
		}
	case tea.BlurMsg:
		m.remask()
	case tea.KeyMsg:
		return m.key(msg)
	}
	return m, nil
}

func (m valueModel) key(k tea.KeyMsg) (valueModel, tea.Cmd) {
	keys := m.c.Keys
	switch {
	case key.Matches(k, keys.Back):
		return m, msgCmd(popMsg{})
	case m.loading:
	case key.Matches(k, keys.Up):
		if !m.plain && m.sel > 0 {
			m.remask()
			m.sel--
		}
	case key.Matches(k, keys.Down):
		if !m.plain && m.sel < len(m.keys) {
			m.remask()
			m.sel++
		}
	case key.Matches(k, keys.Raw):
		m.remask()
		m.plain = !m.plain
		if m.plain {
			m.sel = 0
		}
	case key.Matches(k, keys.Reveal):
		if m.shown != "" {
			m.remask()
			return m, nil
		}
		m.req = m.next()
		return m, valueCmd(m.client, m.req, fetchReveal, m.secret, m.version)
	case key.Matches(k, keys.Copy):
		m.req = m.next()
		return m, valueCmd(m.client, m.req, fetchCopy, m.secret, m.version)
	}
	return m, nil
}

func (m valueModel) onValue(msg valueMsg) (valueModel, tea.Cmd) {
	if msg.req < m.layoutReq || (msg.req != m.layoutReq && msg.req != m.req) {
		return m, nil // an answer to a request the learner moved past
	}
	if msg.err != nil {
		if msg.req == m.layoutReq {
			m.loading = false
		}
		return m, msgCmd(statusMsg{text: aws.Explain(msg.err, m.c.Backend.Target), err: true})
	}
	switch {
	case msg.purpose == fetchLayout && msg.req == m.layoutReq:
		m.layout(msg)
	case msg.purpose == fetchReveal && msg.req == m.req:
		return m.reveal(msg)
	case msg.purpose == fetchCopy && msg.req == m.req:
		text, what := m.pick(msg.text)
		return m, msgCmd(copyMsg{text: text, what: what})
	}
	return m, nil
}

// layout takes the keys of a JSON value and a masked copy of it; the value
// itself is dropped.
func (m *valueModel) layout(msg valueMsg) {
	m.loading = false
	m.binary = msg.binary
	if fields, ok := topLevelFields(msg.text); ok && !msg.binary {
		m.isJSON = true
		m.keys = make([]string, len(fields))
		for i, f := range fields {
			m.keys[i] = f.key
		}
		if masked, err := mask.JSON([]byte(msg.text)); err == nil {
			m.masked = indentJSON(string(masked))
		}
	}
	if m.masked == "" {
		m.masked = mask.Masked
	}
	m.sel = min(m.sel, len(m.keys))
}

func (m valueModel) reveal(msg valueMsg) (valueModel, tea.Cmd) {
	text, _ := m.pick(msg.text)
	if msg.binary {
		text = base64.StdEncoding.EncodeToString([]byte(msg.text)) // bytes, shown safely
	}
	m.revealID++
	m.shown, m.shownSel = text, m.sel
	if m.plain {
		m.shownSel = 0
	}
	if m.shownSel == 0 {
		// Not only for JSON: the layout may arrive after the reveal.
		m.shownFields = map[string]string{}
		if fields, ok := topLevelFields(text); ok {
			for _, f := range fields {
				m.shownFields[f.key] = fieldText(f.raw)
			}
		}
	}
	id := m.revealID
	return m, m.after(revealFor, func(time.Time) tea.Msg { return remaskMsg{id} })
}

// pick is the part of a value the selection names: the whole value or one
// field, and words for it.
func (m *valueModel) pick(text string) (string, string) {
	if m.plain || m.sel == 0 || !m.isJSON {
		return text, "the value of " + m.secret
	}
	fields, ok := topLevelFields(text)
	if !ok || m.sel > len(fields) {
		return text, "the value of " + m.secret
	}
	f := fields[m.sel-1]
	return fieldText(f.raw), "the field " + f.key + " of " + m.secret
}

// ShortHelp is the value's one-line help.
func (m valueModel) ShortHelp() []key.Binding {
	k := m.c.Keys
	b := []key.Binding{k.Reveal, k.Copy}
	if m.isJSON {
		raw := k.Raw
		if m.plain {
			raw.SetHelp(raw.Help().Key, "key/value view")
		}
		b = append(b, raw)
	}
	return append(b, k.Back)
}

// View draws the value, masked unless revealed.
func (m valueModel) View() string {
	s := m.c.Styles
	lines := []string{secretTitle(s, m.secret, false, m.width)}
	head := label(s, "Version") + m.version
	if len(m.stages) > 0 {
		labels := make([]string, len(m.stages))
		for i, l := range m.stages {
			labels[i] = stage(s, l)
		}
		if ansi.StringWidth(head+"  "+strings.Join(labels, " ")) <= m.width {
			head += "  " + strings.Join(labels, " ")
		} else {
			// A narrow terminal puts the labels under the id, whole.
			head += "\n" + label(s, "") + strings.Join(labels, " ")
		}
	}
	lines = append(lines, strings.Split(head, "\n")...)
	if m.loading {
		return strings.Join(append(lines, s.Muted.Render("fetching the value…")), "\n")
	}
	kind := "plaintext"
	switch {
	case m.binary:
		kind = "binary (SecretBinary), revealed as base64"
	case m.isJSON && m.plain:
		kind = fmt.Sprintf("JSON object with %s · plaintext view · t shows key/value", plural(len(m.keys), "key"))
	case m.isJSON:
		kind = fmt.Sprintf("JSON object with %s · key/value view · t shows plaintext", plural(len(m.keys), "key"))
	}
	lines = append(lines, label(s, "Value")+s.Muted.Render(kind), "")
	if m.plain || !m.isJSON {
		lines = append(lines, m.plainLines()...)
	} else {
		lines = append(lines, m.fieldLines()...)
	}
	lines = append(lines, "")
	if m.shown != "" {
		lines = append(lines, s.Warning.Render("revealed: masks again in 30 s, when you leave, or when the terminal loses focus · v hides it"))
	} else {
		lines = append(lines, s.Muted.Render("masked: v reveals the value or the selected field, c copies it (OSC 52)"))
	}
	return strings.Join(lines, "\n")
}

// plainLines wrap rather than cut: a revealed value is read whole.
func (m valueModel) plainLines() []string {
	s := m.c.Styles
	text, style := m.masked, s.Masked
	if m.shown != "" {
		text, style = cleanText(m.shown), s.Revealed
	}
	var lines []string
	for _, l := range strings.Split(ansi.Hardwrap(text, max(1, m.width-2), true), "\n") {
		lines = append(lines, "  "+style.Render(l))
	}
	return lines
}

// fieldLines show every field when the whole value is revealed, only the
// selected one when it alone is.
func (m valueModel) fieldLines() []string {
	s := m.c.Styles
	kw := 14
	for _, k := range m.keys {
		kw = max(kw, min(30, ansi.StringWidth(k)+2))
	}
	row := func(i int, k, val string, revealed bool) string {
		cur := "  "
		if i == m.sel {
			cur = s.Cursor.Render("› ")
		}
		vs := s.Masked.Render(mask.Masked)
		if revealed {
			vs = s.Revealed.Render(truncate(cleanLine(val), max(1, m.width-kw-4)))
		}
		return cur + s.Label.Render(fit(cleanLine(k), kw)) + " " + vs
	}
	revealed := m.shown != ""
	lines := []string{row(0, "(whole value)", m.shown, revealed && m.shownSel == 0)}
	for i, k := range m.keys {
		switch {
		case m.shownFields != nil:
			lines = append(lines, row(i+1, k, m.shownFields[k], true))
		case revealed && m.shownSel == i+1:
			lines = append(lines, row(i+1, k, m.shown, true))
		default:
			lines = append(lines, row(i+1, k, "", false))
		}
	}
	return lines
}
