package browser

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"secretlings/lessons/runner"
)

// Update routes a message: answers from the backend to the view that asked,
// the views' requests to open or close another to the stack, and keys to
// the innermost view.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case listPageMsg:
		m.list, cmd = m.list.Update(msg)
	case detailsMsg:
		return m.onDetails(msg)
	case valueMsg:
		switch m.top() {
		case viewValue:
			m.value, cmd = m.value.Update(msg)
		case viewDetails:
			m.details, cmd = m.details.onCopy(msg, func(text, what string) tea.Cmd { return copyCmd(m.copyTo, text, what) })
		}
	case remaskMsg, tea.BlurMsg:
		m.value, cmd = m.value.Update(msg)
	case copyMsg:
		return m, copyCmd(m.copyTo, msg.text, msg.what)
	case copiedMsg:
		if msg.err != nil {
			m.setStatus("copy failed: "+msg.err.Error()+" (the terminal may not support OSC 52)", true)
		} else {
			m.setStatus("✓ copied "+msg.what+" with OSC 52 · "+clipboardWarning, false)
		}
	case statusMsg:
		m.setStatus(msg.text, msg.err)
	case opMsg:
		return m.onOp(msg)
	case tea.KeyMsg:
		// Keys typed together arrive one by one: the root splits them.
		return m.routeKey(msg)
	default:
		return m.navigate(msg)
	}
	return m, cmd
}

// navigate handles the views' requests to open and close others; anything
// else (a cursor blink, a spinner tick) goes to the view shown.
func (m Model) navigate(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case openSecretMsg:
		m.push(viewDetails)
		return m, m.details.open(msg.name)
	case openValueMsg:
		m.push(viewValue)
		m.value.after = m.after
		return m, m.value.open(m.details.name, msg.version, msg.stages, msg.reveal)
	case openFormMsg:
		m.push(viewForm)
		m.form = newForm(m.c, msg.kind, m.width, msg.det, msg.version)
		return m, nil
	case restoreMsg:
		return m.submit(&formResult{what: "restored " + msg.name, secret: msg.name, op: restoreOp(msg.name)})
	case submitMsg:
		m.pop()
		return m.submit(msg.res)
	case confirmedMsg:
		return m.run(msg.res)
	case cancelMsg:
		m.pop()
		m.setStatus("cancelled: nothing changed", false)
		return m, nil
	case popMsg:
		m.pop()
		return m, nil
	case refreshMsg:
		m.setStatus("", false)
		return m, m.list.reload()
	}
	var cmd tea.Cmd
	switch m.top() {
	case viewList:
		m.list, cmd = m.list.Update(msg)
	case viewForm:
		m.form, cmd = m.form.Update(msg)
	}
	return m, cmd
}

func (m Model) routeKey(k tea.KeyMsg) (Model, tea.Cmd) {
	var cmd tea.Cmd
	switch m.top() {
	case viewList:
		m.list, cmd = m.list.Update(k)
	case viewDetails:
		m.details, cmd = m.details.Update(k)
	case viewValue:
		m.value, cmd = m.value.Update(k)
	case viewForm:
		m.form, cmd = m.form.Update(k)
	case viewConfirm:
		m.confirm, cmd = m.confirm.Update(k)
	}
	return m, cmd
}

func (m Model) onDetails(msg detailsMsg) (Model, tea.Cmd) {
	if !m.has(viewDetails) || msg.name != m.details.name {
		return m, nil
	}
	if msg.err != nil {
		if m.details.det == nil {
			m.popTo(viewDetails)
			m.pop()
		}
		m.setStatus(m.explain(msg.err), true)
		return m, nil
	}
	var cmd tea.Cmd
	m.details, cmd = m.details.Update(msg)
	return m, cmd
}

// submit runs a change, after a confirmation when one is due: y/N for a
// deletion, the name typed for what cannot be undone or is outside the
// tutorial's prefix on AWS.
func (m Model) submit(res *formResult) (Model, tea.Cmd) {
	outside := m.needsTypedName(res.secret)
	if !outside && !res.typeName && res.confirm == "" {
		return m.run(res)
	}
	prompt := res.confirm
	if prompt == "" {
		prompt = strings.ToUpper(res.what[:1]) + res.what[1:] + "?"
	}
	switch {
	case outside:
		prompt += " " + res.secret + " is outside the tutorial prefix " + runner.Prefix + " on real AWS: type its name to confirm."
	case res.typeName:
		prompt += " Type its name to confirm."
	}
	var cmd tea.Cmd
	m.confirm, cmd = newConfirm(m.c, m.width, prompt, res, outside || res.typeName)
	m.push(viewConfirm)
	return m, cmd
}

// run starts a change; the views it was typed in close.
func (m Model) run(res *formResult) (Model, tea.Cmd) {
	for m.top() == viewConfirm || m.top() == viewForm || m.top() == viewValue {
		m.pop()
	}
	m.setStatus("working: "+res.what+"…", false)
	return m, opCmd(m.client, res.what, res.secret, res.gone, res.op)
}

func (m Model) onOp(msg opMsg) (Model, tea.Cmd) {
	if msg.err != nil {
		m.setStatus(msg.what+" failed: "+m.explain(msg.err), true)
		return m, nil
	}
	open := m.has(viewDetails) && m.details.name == msg.name
	if !m.has(viewDetails) && !msg.gone {
		m.list.want = msg.name
	}
	cmds := []tea.Cmd{m.list.reload()}
	switch {
	case open && msg.gone:
		m.popTo(viewDetails)
		m.pop()
	case open:
		cmds = append(cmds, m.details.load())
	}
	m.setStatus("✓ "+msg.what, false)
	return m, tea.Batch(cmds...)
}
