package browser

import (
	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

	"secretlings/aws"
	"secretlings/ui/common"
)

// detailsModel is one secret: its metadata and its versions as a
// timeline, with one version selected. It holds no value.
type detailsModel struct {
	c             *common.Common
	client        *secretsmanager.Client
	seq           *int // the browser's value request counter
	width, height int

	name    string
	det     *secretDetails
	verSel  int
	vp      viewport.Model
	spin    spinner.Model
	copyReq int // the copy of the selected version under way
}

func newDetails(c *common.Common, client *secretsmanager.Client, seq *int, spin spinner.Model) detailsModel {
	return detailsModel{c: c, client: client, seq: seq, spin: spin, vp: viewport.New(0, 0)}
}

// open shows name, dropping what was known about another secret.
func (m *detailsModel) open(name string) tea.Cmd {
	m.name, m.det, m.verSel, m.copyReq = name, nil, 0, 0
	m.vp.SetYOffset(0)
	m.render()
	return m.load()
}

func (m *detailsModel) load() tea.Cmd {
	return detailsCmd(m.client, m.name, m.explain, whoMayRead(m.c))
}

// close forgets the secret.
func (m *detailsModel) close() {
	m.name, m.det = "", nil
	m.vp.SetContent("")
}

func (m *detailsModel) explain(err error) string { return aws.Explain(err, m.c.Backend.Target) }

// SetSize sets the area the details may draw in.
func (m *detailsModel) SetSize(w, h int) {
	m.width, m.height = w, h
	m.vp.Width, m.vp.Height = w, max(1, h-2)
	m.render()
}

func (m *detailsModel) deleted() bool { return m.det != nil && m.det.d.DeletedDate != nil }

func (m *detailsModel) selectedVersion() (id string, stages []string) {
	if m.det == nil || m.verSel >= len(m.det.versions) {
		return "", nil
	}
	v := m.det.versions[m.verSel]
	return sdkaws.ToString(v.VersionId), v.VersionStages
}

// Update handles details as they arrive and the keys of the details.
func (m detailsModel) Update(msg tea.Msg) (detailsModel, tea.Cmd) {
	switch msg := msg.(type) {
	case detailsMsg:
		if msg.name != m.name || msg.err != nil {
			return m, nil // the browser reports the error
		}
		m.det = msg.det
		m.verSel = min(m.verSel, max(0, len(m.det.versions)-1))
		m.render()
	case spinner.TickMsg:
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	case tea.KeyMsg:
		return m.key(msg)
	}
	return m, nil
}

func (m detailsModel) key(k tea.KeyMsg) (detailsModel, tea.Cmd) {
	keys := m.c.Keys
	switch {
	case key.Matches(k, keys.Back):
		return m, msgCmd(popMsg{})
	case key.Matches(k, keys.Up):
		if m.verSel > 0 {
			m.verSel--
			m.render()
		}
	case key.Matches(k, keys.Down):
		if m.det != nil && m.verSel < len(m.det.versions)-1 {
			m.verSel++
			m.render()
		}
	case common.PageViewport(&m.vp, keys, k):
	case key.Matches(k, keys.Refresh):
		return m, tea.Batch(m.load(), msgCmd(refreshMsg{}))
	case key.Matches(k, keys.Open), key.Matches(k, keys.Reveal):
		if id, stages := m.selectedVersion(); id != "" {
			return m, msgCmd(openValueMsg{version: id, stages: stages, reveal: key.Matches(k, keys.Reveal)})
		}
	case key.Matches(k, keys.Copy):
		if id, _ := m.selectedVersion(); id != "" {
			*m.seq++
			m.copyReq = *m.seq
			return m, valueCmd(m.client, m.copyReq, fetchCopy, m.name, id)
		}
	default:
		return m, m.intent(k)
	}
	return m, nil
}

// intent turns the keys that change the secret into the message asking
// the browser to open the form (or run the restore).
func (m detailsModel) intent(k tea.KeyMsg) tea.Cmd {
	if m.det == nil {
		return nil
	}
	keys := m.c.Keys
	id, _ := m.selectedVersion()
	form := func(kind formKind) tea.Cmd { return msgCmd(openFormMsg{kind: kind, det: m.det, version: id}) }
	is := func(b key.Binding) bool { return mutating(m.c, m.client, k, b) }
	switch {
	case is(keys.RestoreSecret) && m.deleted():
		return msgCmd(restoreMsg{m.name})
	case m.deleted():
	case is(keys.PutValue):
		return form(formPut)
	case is(keys.EditSecret):
		return form(formEdit)
	case is(keys.MoveLabel) && len(m.det.versions) > 0:
		return form(formLabel)
	case is(keys.DeleteSecret):
		return form(formDelete)
	}
	return nil
}

// onCopy takes the value fetched for c: it is handed to the clipboard and
// dropped.
func (m detailsModel) onCopy(msg valueMsg, copy func(text, what string) tea.Cmd) (detailsModel, tea.Cmd) {
	if msg.purpose != fetchCopy || msg.req != m.copyReq || m.copyReq == 0 {
		return m, nil
	}
	m.copyReq = 0
	if msg.err != nil {
		return m, msgCmd(statusMsg{text: m.explain(msg.err), err: true})
	}
	return m, copy(msg.text, "the value of "+m.name)
}

// ShortHelp is the details' one-line help, most useful first.
func (m detailsModel) ShortHelp() []key.Binding {
	k := m.c.Keys
	if m.deleted() {
		return withMutating(m.c, m.client, []key.Binding{k.Open}, k.RestoreSecret, k.Back)
	}
	return withMutating(m.c, m.client, []key.Binding{k.Open, k.Reveal, k.Copy}, k.PutValue, k.MoveLabel, k.DeleteSecret, k.EditSecret, k.Refresh, k.Back)
}

// View draws the secret's title and the scrolled details.
func (m detailsModel) View() string {
	if m.det == nil {
		return secretTitle(m.c.Styles, m.name, false, m.width) + "\n" + m.c.Styles.Muted.Render(m.spin.View()+" loading…")
	}
	return secretTitle(m.c.Styles, m.name, m.deleted(), m.width) + "\n" + m.vp.View()
}

func secretTitle(s *common.Styles, name string, deleted bool, width int) string {
	title := s.Title.Render(cleanLine(name))
	if deleted {
		title += " " + s.Error.Render("✗ scheduled for deletion")
	}
	return truncate(title, width)
}
