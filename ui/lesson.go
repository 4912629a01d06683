package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"secretlings/aws"
	lessonprogress "secretlings/internal/progress"
	"secretlings/lessons"
	"secretlings/lessons/runner"
)

// lessonModel reads one lesson, one step at a time, and runs its actions.
type lessonModel struct {
	c      *Common
	index  int // into c.Lessons
	step   int
	vp     viewport.Model
	width  int
	height int

	spin     spinner.Model
	running  int // global index of the action running, or -1
	selected int // global index of the result whose tabs are shown, or -1
	tab      int // into resultTabs
	revealed bool
	confirm  confirmKind
	// resultTop is the content line where the selected result starts, or -1.
	resultTop int
}

// confirmKind names the question the lesson is asking, if any.
type confirmKind int

const (
	confirmNone confirmKind = iota
	confirmReset
	confirmCost
)

var resultTabs = []string{"Response", "Request", "Go", "aws CLI", "boto3"}

const lessonHeaderLines = 2 // title line and rule

func newLesson(c *Common, index, step int) lessonModel {
	m := lessonModel{c: c, index: index, vp: viewport.New(0, 0), running: -1, selected: -1, resultTop: -1}
	m.vp.KeyMap = viewport.KeyMap{} // scrolling goes through the app's KeyMap
	m.spin = spinner.New(spinner.WithSpinner(spinner.MiniDot))
	m.step = max(0, min(step, len(m.lesson().Steps)-1))
	c.Progress.Visit(m.lesson().ID, m.step)
	return m
}

func (m lessonModel) lesson() *lessons.Lesson { return m.c.Lessons[m.index] }

// results are this session's results of the lesson's actions, by index in
// the lesson's script. They live in Common so that leaving and reopening a
// lesson keeps them.
func (m lessonModel) results() map[int]*runner.Result {
	id := m.lesson().ID
	if m.c.results[id] == nil {
		m.c.results[id] = map[int]*runner.Result{}
	}
	return m.c.results[id]
}

// stepActions returns the script indices of the current step's actions.
func (m lessonModel) stepActions() []int {
	first := 0
	for _, s := range m.lesson().Steps[:m.step] {
		first += countActions(s)
	}
	out := make([]int, countActions(m.lesson().Steps[m.step]))
	for i := range out {
		out[i] = first + i
	}
	return out
}

func countActions(s lessons.Step) int {
	n := 0
	for _, b := range s.Blocks {
		if b.Action != nil {
			n++
		}
	}
	return n
}

// SetSize sets the area the lesson may draw in and re-renders the step.
func (m *lessonModel) SetSize(w, h int) {
	m.width, m.height = w, h
	m.vp.Width, m.vp.Height = w, max(1, h-lessonHeaderLines)
	m.render()
}

func (m *lessonModel) render() {
	if m.width == 0 {
		return
	}
	content, top := m.renderStep()
	m.vp.SetContent(content)
	m.resultTop = top
}

// showResult scrolls so the selected result's panel starts near the top.
func (m *lessonModel) showResult() {
	if m.resultTop >= 0 {
		m.vp.SetYOffset(max(0, m.resultTop-1))
	}
}

// goHomeMsg asks the root to show the home screen, with the cursor on lesson.
type goHomeMsg struct{ lesson int }

func goHomeCmd(lesson int) tea.Cmd { return func() tea.Msg { return goHomeMsg{lesson} } }

// actionMsg carries a result of an action: a snapshot while a demo runs
// (more follow on next), or the final result.
type actionMsg struct {
	lesson string
	index  int
	res    *runner.Result
	next   <-chan *runner.Result
}

// resetDoneMsg reports that a lesson's secrets were removed.
type resetDoneMsg struct {
	lesson string
	err    error
}

// runActionCmd runs one action in the background; demos stream snapshots.
func runActionCmd(r *runner.Runner, l *lessons.Lesson, i int) tea.Cmd {
	ch := make(chan *runner.Result, 16)
	go func() {
		defer close(ch)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		res := r.Run(ctx, l, i, func(snapshot runner.Result) {
			select {
			case ch <- &snapshot:
			default: // the UI is behind; it will get a later snapshot
			}
		})
		ch <- res
	}()
	return waitActionCmd(l.ID, i, ch)
}

func waitActionCmd(lesson string, i int, ch <-chan *runner.Result) tea.Cmd {
	return func() tea.Msg {
		res, ok := <-ch
		if !ok {
			return nil
		}
		return actionMsg{lesson: lesson, index: i, res: res, next: ch}
	}
}

// Update handles the lesson reader's keys and the results of its actions.
func (m lessonModel) Update(msg tea.Msg) (lessonModel, tea.Cmd) {
	switch msg := msg.(type) {
	case spinner.TickMsg:
		if m.running < 0 {
			return m, nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		m.render()
		return m, cmd
	case actionMsg:
		// The root has stored the result and keeps waiting for the next.
		if msg.lesson != m.lesson().ID {
			return m, nil
		}
		m.selected = msg.index
		if msg.res.Done {
			m.running = -1
		}
		m.render()
		m.showResult()
		return m, nil
	case resetDoneMsg:
		if msg.err != nil {
			return m, func() tea.Msg {
				return errMsg{fmt.Errorf("resetting the lesson: %s", aws.Explain(msg.err, m.c.Backend.Target))}
			}
		}
		return m, nil
	case tea.KeyMsg:
		return m.handleKey(msg)
	}
	return m, nil
}

func (m lessonModel) handleKey(k tea.KeyMsg) (lessonModel, tea.Cmd) {
	keys, l := m.c.Keys, m.lesson()
	if m.confirm != confirmNone {
		kind := m.confirm
		m.confirm = confirmNone
		if !key.Matches(k, keys.Yes) { // any other key cancels
			m.render()
			return m, nil
		}
		switch kind {
		case confirmReset:
			return m.reset()
		case confirmCost:
			m.c.costAccepted = true
			return m.run()
		}
	}
	switch {
	case key.Matches(k, keys.Next):
		m.c.Progress.Complete(l.ID, m.step)
		if m.step == len(l.Steps)-1 {
			return m, tea.Batch(m.c.saveCmd(), goHomeCmd(m.nextUnfinished()))
		}
		m.goTo(m.step + 1)
		return m, m.c.saveCmd()
	case key.Matches(k, keys.Prev):
		if m.step > 0 {
			m.goTo(m.step - 1)
			return m, m.c.saveCmd()
		}
	case key.Matches(k, keys.Back):
		return m, goHomeCmd(m.index)
	case key.Matches(k, keys.Run):
		if m.c.Backend.Target.Backend == aws.AWS && !m.c.costAccepted {
			m.confirm = confirmCost
			m.render()
			return m, nil
		}
		return m.run()
	case key.Matches(k, keys.Tab):
		if m.selected >= 0 {
			m.tab = (m.tab + 1) % len(m.c.tabs())
			m.render()
			m.showResult()
		}
	case key.Matches(k, keys.Reveal):
		if m.canReveal() {
			m.revealed = !m.revealed
			m.render()
			m.showResult()
		}
	case key.Matches(k, keys.Reset):
		m.confirm = confirmReset
		m.render()
	case key.Matches(k, keys.Longer, keys.Shorter) && m.running >= 0 && m.c.Runner != nil:
		f := 2.0
		if key.Matches(k, keys.Shorter) {
			f = 0.5
		}
		m.c.Runner.ScaleTTL(f) // the next snapshot shows the new TTL
	case key.Matches(k, keys.Down):
		m.vp.ScrollDown(1)
	case key.Matches(k, keys.Up):
		m.vp.ScrollUp(1)
	default:
		pageViewport(&m.vp, keys, k)
	}
	return m, nil
}

// canReveal reports that the selected result has a value masked in it, so
// v has something to show.
func (m lessonModel) canReveal() bool {
	if m.selected < 0 {
		return false
	}
	res := m.results()[m.selected]
	return res != nil && res.Done && res.Revealed() != "" && res.Revealed() != res.Response
}

// nextUnfinished is the first lesson after this one, going round, that is
// not done; this one when every lesson is.
func (m lessonModel) nextUnfinished() int {
	n := len(m.c.Lessons)
	for d := 1; d < n; d++ {
		i := (m.index + d) % n
		l := m.c.Lessons[i]
		if m.c.Progress.State(l.ID, len(l.Steps)) != lessonprogress.Done {
			return i
		}
	}
	return m.index
}

// run runs the step's next action that has not run yet, or the last one
// again when all have.
func (m lessonModel) run() (lessonModel, tea.Cmd) {
	actions := m.stepActions()
	if len(actions) == 0 || m.running >= 0 {
		return m, nil
	}
	if m.c.Runner == nil {
		return m, func() tea.Msg {
			return errMsg{fmt.Errorf("the backend is not available, so actions cannot run: %v", m.c.Backend.Err)}
		}
	}
	next := actions[len(actions)-1]
	for _, i := range actions {
		if m.results()[i] == nil {
			next = i
			break
		}
	}
	m.running, m.selected, m.tab, m.revealed = next, next, 0, false
	m.render()
	return m, tea.Batch(runActionCmd(m.c.Runner, m.lesson(), next), m.spin.Tick)
}

func (m lessonModel) reset() (lessonModel, tea.Cmd) {
	l := m.lesson()
	m.c.Progress.Reset(l.ID)
	delete(m.c.results, l.ID)
	m.selected, m.revealed = -1, false
	m.goTo(0)
	r := m.c.Runner
	cmds := []tea.Cmd{m.c.saveCmd()}
	if r != nil {
		cmds = append(cmds, func() tea.Msg {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			return resetDoneMsg{lesson: l.ID, err: r.Reset(ctx, l.ID)}
		})
	}
	return m, tea.Batch(cmds...)
}

func (m *lessonModel) goTo(step int) {
	m.step = step
	m.revealed = false // a revealed value re-masks when the learner moves on
	m.selected = -1
	m.c.Progress.Visit(m.lesson().ID, step)
	m.render()
	m.vp.GotoTop()
}

// View draws the step header and the scrollable step.
func (m lessonModel) View() string {
	s, l := m.c.Styles, m.lesson()
	dots := m.stepDots()
	title := s.Title.Render(l.Title) + s.Muted.Render(fmt.Sprintf("  step %d/%d  ", m.step+1, len(l.Steps))) + s.Selected.Render(l.Steps[m.step].Title)
	if room := m.width - lipgloss.Width(dots) - 1; lipgloss.Width(title) > room {
		if room < 20 {
			dots = ""
			room = m.width
		}
		title = truncate(title, room)
	}
	gap := max(1, m.width-lipgloss.Width(title)-lipgloss.Width(dots))
	header := title + strings.Repeat(" ", gap) + dots
	// A question wraps rather than lose its y/n, which comes first.
	switch m.confirm {
	case confirmReset:
		header = s.Warning.Render(wrapWords(fmt.Sprintf("Reset %q? y/n — this force-deletes its secrets (%s*) and forgets its progress.", l.Title, runner.Namespace(l.ID)), m.width))
	case confirmCost:
		header = s.Warning.Render(wrapWords("Run on real AWS? y/n — $0.40 per secret per month, $0.05 per 10,000 calls.", m.width))
	}
	scroll := ""
	if !m.vp.AtBottom() || m.vp.YOffset > 0 {
		scroll = fmt.Sprintf(" %d%% ", int(m.vp.ScrollPercent()*100))
	}
	rule := s.Rule.Render(strings.Repeat("─", max(0, m.width-lipgloss.Width(scroll)))) + s.Muted.Render(scroll)
	body := m.vp.View()
	if extra := lipgloss.Height(header) - 1; extra > 0 {
		lines := strings.Split(body, "\n")
		body = strings.Join(lines[:max(0, len(lines)-extra)], "\n")
	}
	return header + "\n" + rule + "\n" + body
}

func (m lessonModel) stepDots() string {
	s, l := m.c.Styles, m.lesson()
	var b strings.Builder
	for i := range l.Steps {
		done := m.c.Progress.DoneCount(l.ID, i+1) > m.c.Progress.DoneCount(l.ID, i)
		switch {
		case i == m.step:
			b.WriteString(s.StepCurrent.Render("◆"))
		case done:
			b.WriteString(s.StepDone.Render("●"))
		default:
			b.WriteString(s.StepTodo.Render("○"))
		}
	}
	return b.String()
}

// ShortHelp is the one-line help of the lesson reader.
func (m lessonModel) ShortHelp() []key.Binding {
	k := m.c.Keys
	if m.selected >= 0 && m.canReveal() {
		return []key.Binding{k.Run, k.Tab, k.Reveal, k.Next, k.Prev, k.Back, k.Help, k.Quit}
	}
	if m.selected >= 0 {
		return []key.Binding{k.Run, k.Tab, k.Next, k.Prev, k.Back, k.Help, k.Quit}
	}
	if len(m.stepActions()) > 0 {
		return []key.Binding{k.Run, k.Next, k.Prev, k.Down, k.Back, k.Help, k.Quit}
	}
	return []key.Binding{k.Next, k.Prev, k.Down, k.Up, k.Back, k.Help, k.Quit}
}

// FullHelp is the lesson reader's help in columns.
func (m lessonModel) FullHelp() [][]key.Binding {
	k := m.c.Keys
	return [][]key.Binding{{k.Next, k.Prev}, {k.Run, k.Tab, k.Reveal, k.Reset}, {k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}, {k.Browser, k.Back, k.Help, k.Quit}}
}
