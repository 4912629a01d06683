package browser

import (
	"io"
	"os"
	"strings"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aymanbagabas/go-osc52/v2"
	tea "github.com/charmbracelet/bubbletea"

	"secretlings/aws"
	"secretlings/lessons/runner"
	"secretlings/ui/common"
)

// clipboardWarning is shown with every copy: OSC 52 hands the value to the
// terminal, and clipboards (and clipboard managers) keep it.
const clipboardWarning = "clipboards keep copies: clear yours when done"

// view names one of the browser's views.
type view int

const (
	viewList    view = iota
	viewDetails      // one secret: metadata and the version timeline
	viewValue        // one version's value, masked until revealed
	viewForm         // a change being typed
	viewConfirm      // a change waiting for the learner's yes
)

// Model is the secret browser: a stack of views over the list, which
// stays alive (rows, cursor, filter) while the learner looks deeper, and
// a status line of what the last change did.
type Model struct {
	c             *common.Common
	client        *secretsmanager.Client
	width, height int

	stack   []view // the views open above the list, innermost last
	list    listModel
	details detailsModel
	value   valueModel
	form    formModel
	confirm confirmModel
	seq     *int // value requests: stale answers are told apart by it

	status    string
	statusErr bool

	// copyTo receives OSC 52 sequences; after schedules the re-mask. Tests
	// replace both.
	copyTo io.Writer
	after  func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
}

// New returns the browser for c's backend; back is the command esc on the
// list returns (the root's way back). Init starts the first load.
func New(c *common.Common, back tea.Cmd) Model {
	m := Model{c: c, copyTo: os.Stdout, after: tea.Tick, seq: new(int)}
	if c.Backend.Conn != nil {
		m.client = c.Backend.Conn.Client
	}
	m.list = newList(c, m.client, back)
	if m.client != nil {
		// Init has a value receiver: the first load's state is set here.
		m.list.gen, m.list.fresh, m.list.loading = 1, true, true
	}
	m.details = newDetails(c, m.client, m.seq, m.list.spin)
	m.value = valueModel{c: c, client: m.client, seq: m.seq}
	m.confirm = confirmModel{c: c}
	return m
}

// Init starts loading the secrets.
func (m Model) Init() tea.Cmd {
	if m.client == nil {
		return nil
	}
	return tea.Batch(listPageCmd(m.client, m.list.gen, nil, m.list.withDeleted), m.list.spin.Tick)
}

// Enter is called when the browser is shown again: the list reloads, and
// keeps its rows, cursor and filter until the new ones arrive.
func (m *Model) Enter() tea.Cmd {
	m.setStatus("", false)
	return m.list.reload()
}

// SetSize sets the area the browser may draw in; the last line is its
// status line.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.list.SetSize(w, h)
	m.details.SetSize(w, h)
	m.value.SetSize(w, h)
	m.form.width = w
	m.confirm.SetSize(w, h)
}

func (m Model) top() view {
	if len(m.stack) == 0 {
		return viewList
	}
	return m.stack[len(m.stack)-1]
}

func (m Model) has(v view) bool {
	for _, s := range m.stack {
		if s == v {
			return true
		}
	}
	return false
}

// push opens a view; a new screen starts without the last one's status.
func (m *Model) push(v view) {
	m.stack = append(m.stack, v)
	m.setStatus("", false)
}

// pop closes the innermost view, dropping what it fetched or was typed.
func (m *Model) pop() {
	if len(m.stack) == 0 {
		return
	}
	switch m.top() {
	case viewDetails:
		m.details.close()
	case viewValue:
		m.value.close()
	case viewForm:
		m.form = formModel{}
	case viewConfirm:
		m.confirm = confirmModel{c: m.c}
	}
	m.stack = m.stack[:len(m.stack)-1]
	m.setStatus("", false)
}

// popTo closes views until v is the innermost.
func (m *Model) popTo(v view) {
	for len(m.stack) > 0 && m.top() != v {
		m.pop()
	}
}

// Capturing reports that a text input has focus, so global keys must not fire.
func (m Model) Capturing() bool {
	switch m.top() {
	case viewForm:
		return true
	case viewConfirm:
		return m.confirm.Capturing()
	}
	return m.list.filter.Active
}

// Leave drops the open secret, every fetched value and any form (typed
// values included). The root calls it when another screen replaces the
// browser, so that nothing revealed stays in memory behind it.
func (m *Model) Leave() {
	m.popTo(viewList)
	m.list.filter.Stop()
}

func (m *Model) setStatus(s string, isErr bool) { m.status, m.statusErr = s, isErr }

func (m *Model) explain(err error) string { return aws.Explain(err, m.c.Backend.Target) }

// msgCmd is a command that delivers msg: how a view asks the browser to
// open another.
func msgCmd(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }

// Messages from the views to the browser.
type (
	openSecretMsg struct{ name string }
	openValueMsg  struct {
		version string
		stages  []string
		reveal  bool
	}
	openFormMsg struct {
		kind    formKind
		det     *secretDetails
		version string
	}
	restoreMsg struct{ name string }
	popMsg     struct{}
	cancelMsg  struct{}
	refreshMsg struct{}
	statusMsg  struct {
		text string
		err  bool
	}
	copyMsg struct{ text, what string }
	// copiedMsg reports a finished copy.
	copiedMsg struct {
		what string
		err  error
	}
)

// stubDetails stands for a secret known only by name (a list row), enough
// for the forms that need no more.
func stubDetails(name string) *secretDetails {
	return &secretDetails{d: &secretsmanager.DescribeSecretOutput{Name: sdkaws.String(name)}}
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

// needsTypedName reports whether a change to name must be confirmed by
// typing the name: on real AWS, outside the tutorial's prefix.
func (m *Model) needsTypedName(name string) bool {
	return m.c.Backend.Target.Backend == aws.AWS && !strings.HasPrefix(name, runner.Prefix)
}

// Started reports whether the browser was built (by New).
func (m Model) Started() bool { return m.c != nil }
