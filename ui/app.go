package ui

import (
	"context"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"secretlings/internal/progress"
	"secretlings/lessons/runner"
	"secretlings/ui/audit"
	"secretlings/ui/browser"
	"secretlings/ui/common"
)

// screen names what the root model shows.
type screen int

const (
	screenHome screen = iota
	screenLesson
	screenBrowser
	screenExercises
	screenAudit
)

// Minimum terminal size the layout is designed for; below it the app says so
// instead of drawing overlapping text.
const minWidth, minHeight = 40, 12

// Model is the root model: it owns the screens, routes messages to the one
// shown, and draws help and the status bar around it.
type Model struct {
	c         *Common
	screen    screen
	prev      []screen // where back (esc) returns to from the browser, the exercises and the audit trail
	home      homeModel
	lesson    lessonModel
	browser   browser.Model
	exercises exercisesModel
	audit     audit.Model
	help      help.Model
	fullHelp  bool
	health    health
	err       string
	quitting  bool // the last frame is blank, so nothing of it outlives the alternate screen
}

// New returns the root model.
func New(o Options) Model {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Styles == nil {
		o.Styles = DefaultStyles()
	}
	if o.Keys == nil {
		o.Keys = DefaultKeyMap()
	}
	if o.Progress == nil {
		o.Progress = progress.New()
	}
	c := &Common{
		Common:   &common.Common{Styles: o.Styles, Keys: o.Keys, Now: o.Now, Backend: o.Backend, ReadOnly: o.ReadOnly},
		Lessons:  o.Lessons,
		Progress: o.Progress,
		Markdown: NewMarkdown(o.MarkdownStyle),
		results:  map[string]map[int]*runner.Result{},
	}
	c.findPython = o.FindPython
	c.pythonWhy = "The Python track is not set up here (see the README, \"In Python\")."
	if o.Lang != "" {
		c.Progress.Lang = o.Lang
	}
	c.Runner = o.Runner
	if c.Runner == nil && o.Backend.Conn != nil && o.Backend.Err == nil {
		c.Runner = runner.New(o.Backend.Conn)
	}
	c.save = o.Save
	h := help.New()
	h.ShortSeparator = " · "
	return Model{c: c, home: newHome(c, o.Notice), help: h}
}

// Init checks the backend and looks for Python.
func (m Model) Init() tea.Cmd { return tea.Batch(m.pingCmd(0), m.c.findPythonCmd()) }

// healthMsg carries the result of a backend check.
type healthMsg struct{ h health }

func (m Model) pingCmd(after time.Duration) tea.Cmd {
	ping := m.c.Backend.Ping
	if ping == nil || m.c.Backend.Err != nil {
		return nil
	}
	check := func() tea.Msg {
		return healthMsg{health{checked: true, Health: ping(context.Background())}}
	}
	if after == 0 {
		return check
	}
	return tea.Tick(after, func(time.Time) tea.Msg { return check() })
}

// errMsg reports a failure the learner should see, such as progress that
// could not be saved.
type errMsg struct{ err error }

// Update routes messages: global keys first, then the current screen.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	footer := lipgloss.Height(m.footer())
	next, cmd := m.update(msg)
	if n, ok := next.(Model); ok && !n.quitting && lipgloss.Height(n.footer()) != footer {
		// The keys on show changed (a view opened, a result came in) and
		// the footer's height with them: give the screen what is left.
		n.layout()
		return n, cmd
	}
	return next, cmd
}

// update is Update without the footer's bookkeeping.
func (m Model) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.c.Width, m.c.Height = msg.Width, msg.Height
		m.layout()
		return m, nil
	case healthMsg:
		m.health = msg.h
		if every := m.c.Backend.PingEvery; every > 0 {
			return m, m.pingCmd(every)
		}
		return m, nil
	case pythonFoundMsg:
		if note := m.c.pythonFound(msg); note != "" {
			m.home.notice = note
		}
		// An exercise in Python waiting for it is graded now, or says why
		// it cannot be.
		return m, m.exercises.pythonFound()
	case flashExpiredMsg:
		m.c.flashExpired(msg)
		m.exercises.refresh()
		return m, nil
	case errMsg:
		m.err = msg.err.Error()
		return m, nil
	case ExerciseMsg:
		// A grading that finishes while another screen shows still counts.
		var cmd tea.Cmd
		m.exercises, cmd = m.exercises.Update(msg)
		return m, cmd
	case actionMsg:
		// Results are kept even when the learner left the lesson meanwhile.
		if m.c.results[msg.lesson] == nil {
			m.c.results[msg.lesson] = map[int]*runner.Result{}
		}
		m.c.results[msg.lesson][msg.index] = msg.res
		var cmds []tea.Cmd
		if !msg.res.Done {
			cmds = append(cmds, waitActionCmd(msg.lesson, msg.index, msg.next))
		}
		if m.screen == screenLesson {
			var cmd tea.Cmd
			m.lesson, cmd = m.lesson.Update(msg)
			cmds = append(cmds, cmd)
		}
		return m, tea.Batch(cmds...)
	case openLessonMsg:
		m.show(screenLesson)
		m.lesson = newLesson(m.c, msg.lesson, msg.step)
		m.layout()
		return m, m.c.saveCmd()
	case goHomeMsg:
		m.show(screenHome)
		m.prev = nil
		m.home.focus(msg.lesson)
		m.layout()
		return m, nil
	case backMsg:
		if n := len(m.prev); n > 0 {
			m.show(m.prev[n-1])
			m.prev = m.prev[:n-1]
		} else {
			m.show(screenHome)
		}
		m.layout()
		return m, nil
	case tea.KeyMsg:
		if next, cmd, done := m.globalKey(msg); done {
			return next, cmd
		}
		m.err = ""
	}
	var cmd tea.Cmd
	switch m.screen {
	case screenHome:
		m.home, cmd = m.home.Update(msg)
	case screenLesson:
		m.lesson, cmd = m.lesson.Update(msg)
	case screenBrowser:
		m.browser, cmd = m.browser.Update(msg)
	case screenExercises:
		m.exercises, cmd = m.exercises.Update(msg)
	case screenAudit:
		m.audit, cmd = m.audit.Update(msg)
	}
	return m, cmd
}

// globalKey handles the keys that act on every screen (quit, help, the
// browser, the exercises, the audit trail) and keys typed together; done is false when the
// key is the current screen's.
func (m Model) globalKey(msg tea.KeyMsg) (tea.Model, tea.Cmd, bool) {
	if msg.Type == tea.KeyRunes && !m.capturing() && (len(msg.Runes) > 1 || msg.Paste) {
		next, cmd := m.splitRunes(msg)
		return next, cmd, true
	}
	if msg.Type == tea.KeyCtrlC {
		next, cmd := m.quit()
		return next, cmd, true
	}
	if !m.capturing() {
		switch {
		case key.Matches(msg, m.c.Keys.Quit):
			next, cmd := m.quit()
			return next, cmd, true
		case key.Matches(msg, m.c.Keys.Help):
			m.fullHelp = !m.fullHelp
			m.layout()
			return m, nil, true
		case key.Matches(msg, m.c.Keys.Browser) && m.screen != screenBrowser:
			m.push(screenBrowser)
			cmd := m.openBrowser()
			m.layout()
			return m, cmd, true
		case key.Matches(msg, m.c.Keys.Exercises) && m.screen != screenExercises:
			m.push(screenExercises)
			m.exercises = m.exercises.reopen(m.c)
			m.layout()
			return m, m.exercises.Init(), true
		case key.Matches(msg, m.c.Keys.Audit) && m.screen != screenAudit:
			if why := audit.Unavailable(m.c.Backend); why != "" {
				m.err = why
				return m, nil, true
			}
			m.push(screenAudit)
			cmd := m.openAudit()
			m.layout()
			return m, cmd, true
		}
	}
	return m, nil, false
}

// splitRunes handles keys typed faster than Bubble Tea reads them: v1 hands
// them over as one KeyMsg with several runes, which key.Matches rejects.
// Outside a text input each rune is one keypress, delivered in order; once a
// key opens a text input (/ in the browser), the rest is typed into it whole.
// A paste outside a text input is dropped: pasted text is not commands.
func (m Model) splitRunes(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	if msg.Paste {
		return m, nil
	}
	var cmds []tea.Cmd
	for i, r := range msg.Runes {
		one := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt}
		if m.capturing() {
			one.Runes = msg.Runes[i:]
		}
		next, cmd := m.Update(one)
		m = next.(Model)
		cmds = append(cmds, cmd)
		if len(one.Runes) > 1 {
			break
		}
	}
	return m, tea.Sequence(cmds...)
}

// quit ends the program on a cleared, blank frame: tmux keeps the rows a
// resize added to the alternate screen when the program leaves it, so a last
// frame drawn there would stay on the learner's terminal.
func (m Model) quit() (tea.Model, tea.Cmd) {
	m.quitting = true
	return m, tea.Sequence(tea.ClearScreen, tea.Quit)
}

// backMsg asks the root to return to the screen shown before this one.
type backMsg struct{}

func backCmd() tea.Msg { return backMsg{} }

// push shows screen s, remembering the current one for back.
func (m *Model) push(s screen) {
	m.prev = append(m.prev, m.screen)
	m.show(s)
}

// show switches to screen s. Leaving the browser drops every value it
// fetched, so nothing revealed stays in memory behind another screen.
func (m *Model) show(s screen) {
	if m.screen == screenBrowser && s != screenBrowser {
		m.browser.Leave()
	}
	m.screen = s
}

// capturing reports that the current screen takes every key (a text input
// has focus), so q, ?, s and e must reach it instead of acting globally.
func (m Model) capturing() bool {
	switch m.screen {
	case screenBrowser:
		return m.browser.Capturing()
	case screenExercises:
		return m.exercises.Capturing()
	case screenAudit:
		return m.audit.Capturing()
	}
	return false
}

// layout gives the current screen the space left by help and the status bar.
func (m *Model) layout() {
	w := max(0, m.c.Width-2) // the App style's padding
	m.help.Width = w         // before measuring the footer, which wraps at it
	h := max(0, m.c.Height-lipgloss.Height(m.footer()))
	switch m.screen {
	case screenHome:
		m.home.SetSize(w, h)
	case screenLesson:
		m.lesson.SetSize(w, h)
	case screenBrowser:
		m.browser.SetSize(w, h)
	case screenExercises:
		m.exercises.SetSize(w, h)
	case screenAudit:
		m.audit.SetSize(w, h)
	}
}

// keyMap is the help of the screen shown; every screen but the audit
// trail's own lists A among the keys that open another (see withAudit).
func (m Model) keyMap() help.KeyMap {
	switch m.screen {
	case screenLesson:
		return withAudit{m.lesson, m.c.Keys}
	case screenBrowser:
		return withAudit{m.browser, m.c.Keys}
	case screenExercises:
		return withAudit{m.exercises, m.c.Keys}
	case screenAudit:
		return m.audit
	}
	return withAudit{m.home, m.c.Keys}
}

// footer is the error line, the help and the status bar.
func (m Model) footer() string {
	s := m.c.Styles
	var lines []string
	if m.err != "" {
		lines = append(lines, s.App.Render(s.Error.Width(max(1, m.c.Width-2)).Render("✗ "+m.err)))
	}
	lines = append(lines, s.HelpBox.Render(m.helpView(max(1, m.c.Width-2))))
	lines = append(lines, statusBar(m.c, m.health, m.c.Width))
	return strings.Join(lines, "\n")
}

// helpView is the full help, or the short help wrapped onto as many lines
// as it needs: bubbles' short help drops the keys that do not fit, and those
// are the last ones, ? and q.
func (m Model) helpView(width int) string {
	hm := m.help
	if m.fullHelp {
		hm.ShowAll = true
		var lines []string
		for _, l := range strings.Split(hm.View(m.keyMap()), "\n") {
			lines = append(lines, truncate(l, width))
		}
		return strings.Join(lines, "\n")
	}
	sep := hm.Styles.ShortSeparator.Render(hm.ShortSeparator)
	var lines []string
	line := ""
	for _, b := range m.keyMap().ShortHelp() {
		if !b.Enabled() {
			continue
		}
		item := hm.Styles.ShortKey.Render(b.Help().Key) + " " + hm.Styles.ShortDesc.Render(b.Help().Desc)
		switch {
		case line == "":
			line = item
		case lipgloss.Width(line+sep+item) <= width:
			line += sep + item
		default:
			lines = append(lines, line)
			line = item
		}
	}
	return strings.Join(append(lines, truncate(line, width)), "\n")
}

// View draws the current screen, help and status bar, filling the terminal.
func (m Model) View() string {
	if m.c.Width == 0 || m.quitting {
		return ""
	}
	if m.c.Width < minWidth || m.c.Height < minHeight {
		return m.c.Styles.Notice.Width(m.c.Width).MaxHeight(m.c.Height).Render("secretlings needs at least 40×12 cells: make the terminal larger (q quits)")
	}
	footer := m.footer()
	bodyHeight := max(0, m.c.Height-lipgloss.Height(footer))
	var body string
	switch m.screen {
	case screenHome:
		body = m.home.View()
	case screenLesson:
		body = m.lesson.View()
	case screenBrowser:
		body = m.browser.View()
	case screenExercises:
		body = m.exercises.View()
	case screenAudit:
		body = m.audit.View()
	}
	body = m.c.Styles.App.Width(m.c.Width).Height(bodyHeight).MaxHeight(bodyHeight).Render(body)
	return body + "\n" + footer
}
