package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"secretlings/checker"
)

// The exercise screens: a list of every exercise with its state, a filter
// and "continue"; and one exercise in watch mode, re-graded whenever one of
// its files is saved (fsnotify, with polling as the fallback for
// filesystems that miss events, and r to re-check by hand), with the
// checklist, hints revealed one by one, the reference solution after a pass
// (or after an explicit, confirmed "show me"), and a confirmed reset.
// Passing does not move on by itself: n does.

// exerciseGrader is what the screens need from the checker; tests replace
// it with a fake.
type exerciseGrader interface {
	Root() string
	Grade(ctx context.Context, ex *checker.Exercise, ns string) (*checker.Result, error)
	Prepare(ctx context.Context, ex *checker.Exercise, ns string) error
	Reset(ctx context.Context, ex *checker.Exercise, ns string) error
}

// checkerGrader adapts *checker.Checker.
type checkerGrader struct{ c *checker.Checker }

func (g checkerGrader) Root() string { return g.c.Root }
func (g checkerGrader) Grade(ctx context.Context, ex *checker.Exercise, ns string) (*checker.Result, error) {
	return g.c.Grade(ctx, ex, ns)
}
func (g checkerGrader) Prepare(ctx context.Context, ex *checker.Exercise, ns string) error {
	return g.c.Prepare(ctx, ex, ns)
}
func (g checkerGrader) Reset(ctx context.Context, ex *checker.Exercise, ns string) error {
	return g.c.Reset(ctx, ex, ns)
}

// newExerciseGrader builds the grader for the app's backend.
var newExerciseGrader = func(c *Common) (exerciseGrader, error) {
	if c.Backend.Conn == nil {
		why := "no backend is connected"
		if c.Backend.Err != nil {
			why = c.Backend.Err.Error()
		}
		return nil, fmt.Errorf("exercises are graded on the backend, and %s: fix that and restart secretlings", why)
	}
	root, err := checker.FindRoot(".")
	if err != nil {
		return nil, err
	}
	ch := checker.New(checker.BackendFor(c.Backend.Conn), root)
	if dir, err := os.UserCacheDir(); err == nil {
		ch.BuildDir = filepath.Join(dir, "secretlings", "build")
	}
	return checkerGrader{ch}, nil
}

// Timings of watch mode; tests shorten them.
var (
	exercisePoll     = time.Second            // the polling fallback's period
	exerciseDebounce = 150 * time.Millisecond // editors write a file in several steps
	exerciseStateFor = 3 * time.Second        // state exercises are re-checked this often
)

// exercisesModel is the exercise list and, when one is open, the exercise.
type exercisesModel struct {
	c             *Common
	width, height int
	all           []*checker.Exercise
	grader        exerciseGrader
	err           error // why exercises cannot be graded at all

	cursor    int
	filter    textinput.Model
	filtering bool

	open *exerciseView // nil on the list

	// verifying is true while every exercise is re-verified after the last
	// one passed; verified keeps that from running twice.
	verifying, verified bool
	notice              string
}

// exerciseView is one open exercise.
type exerciseView struct {
	ex    *checker.Exercise
	index int
	ns    string // namespace of a state exercise

	res      *checker.Result
	err      error
	grading  bool
	gen      int       // counts gradings started
	started  time.Time // when the running grading started
	again    bool      // a change arrived while grading
	changeN  int       // counts changes, for debouncing
	watch    *exerciseWatcher
	lastAuto time.Time

	hints        []string
	instructions string
	textErr      error

	showInstructions bool
	solution         string // shown when not empty
	confirm          string // "solution" or "reset" while asking
	note             string
	scroll           int
}

func newExercises(c *Common) exercisesModel {
	f := newFilterInput(c.Styles, "filter exercises")
	m := exercisesModel{c: c, all: checker.All(), filter: f}
	// The app's one checker: its build directory and cached programs
	// outlive this screen, which the root rebuilds on every visit.
	if c.grader == nil {
		c.grader, m.err = newExerciseGrader(c)
	}
	m.grader = c.grader
	return m
}

// Init has nothing to load: the list comes from the progress.
func (m exercisesModel) Init() tea.Cmd { return nil }

// SetSize sets the area the exercise screens may draw in.
func (m *exercisesModel) SetSize(w, h int) {
	m.width, m.height = w, h
	m.filter.Width = max(10, w-4)
}

// Capturing reports that a text input or a question has the keys, so
// global keys must not fire.
func (m exercisesModel) Capturing() bool {
	return m.filtering || (m.open != nil && m.open.confirm != "")
}

// ---- messages ----

// ExerciseMsg marks the exercise screens' messages. The root should hand
// them to the exercise screen whatever screen is shown, so a grading that
// finishes while the learner looks at the browser is not lost:
//
//	case ui.ExerciseMsg: m.exercises, cmd = m.exercises.Update(msg)
type ExerciseMsg interface{ exerciseMsg() }

func (exerciseGradedMsg) exerciseMsg()    {}
func (exerciseTextsMsg) exerciseMsg()     {}
func (exerciseSolutionMsg) exerciseMsg()  {}
func (exerciseResetMsg) exerciseMsg()     {}
func (exerciseDebounceMsg) exerciseMsg()  {}
func (exercisesVerifiedMsg) exerciseMsg() {}
func (exerciseWatchMsg) exerciseMsg()     {}

type exerciseGradedMsg struct {
	id  string
	gen int // which grading; an older one's result is dropped
	res *checker.Result
	err error
}

type exerciseTextsMsg struct {
	id           string
	hints        []string
	instructions string
	err          error
}

type exerciseSolutionMsg struct {
	id   string
	text string
	err  error
}

type exerciseResetMsg struct {
	id  string
	err error
}

type exerciseDebounceMsg struct {
	id string
	n  int
}

type exercisesVerifiedMsg struct {
	failed []string
	err    error
}

// ---- commands ----

func (m exercisesModel) gradeCmd(v *exerciseView) tea.Cmd {
	v.gen++
	v.started = time.Now()
	g, ex, ns, gen := m.grader, v.ex, v.ns, v.gen
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		if ex.Kind == checker.State {
			// Seeds the starting state once; a no-op when it is there.
			if err := g.Prepare(ctx, ex, ns); err != nil {
				return exerciseGradedMsg{id: ex.ID, gen: gen, err: err}
			}
		}
		res, err := g.Grade(ctx, ex, ns)
		return exerciseGradedMsg{id: ex.ID, gen: gen, res: res, err: err}
	}
}

func textsCmd(root string, ex *checker.Exercise) tea.Cmd {
	return func() tea.Msg {
		hints, err := checker.Hints(root, ex)
		text, err2 := checker.Instructions(root, ex)
		return exerciseTextsMsg{id: ex.ID, hints: hints, instructions: text, err: errors.Join(err, err2)}
	}
}

// solutionCmd writes the reference solution into the exercise's solution/
// folder (the checker keeps it out of the checkout until asked) and returns
// its files for the screen: the learner's files, or the whole program of a
// state exercise.
func solutionCmd(root string, ex *checker.Exercise) tea.Cmd {
	return func() tea.Msg {
		dir, err := checker.WriteSolution(root, ex)
		if err != nil {
			return exerciseSolutionMsg{id: ex.ID, err: err}
		}
		files, err := checker.SolutionOf(ex)
		if err != nil {
			return exerciseSolutionMsg{id: ex.ID, err: err}
		}
		var b strings.Builder
		for _, f := range files {
			fmt.Fprintf(&b, "── %s ──\n%s\n", filepath.Join(dir, f.Name), strings.TrimRight(string(f.Data), "\n"))
		}
		return exerciseSolutionMsg{id: ex.ID, text: b.String()}
	}
}

func (m exercisesModel) resetCmd(v *exerciseView) tea.Cmd {
	g, ex, ns := m.grader, v.ex, v.ns
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		return exerciseResetMsg{id: ex.ID, err: g.Reset(ctx, ex, ns)}
	}
}

// verifyCmd grades every exercise once more, as rustlings does when the
// last one passes, so a pass that no longer holds shows up.
func (m exercisesModel) verifyCmd() tea.Cmd {
	g, all := m.grader, m.all
	ns := map[string]string{}
	for _, ex := range all {
		if ex.Kind == checker.State {
			ns[ex.ID] = m.c.Progress.Exercise(ex.ID).Namespace
		}
	}
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		var failed []string
		for _, ex := range all {
			res, err := g.Grade(ctx, ex, ns[ex.ID])
			if err != nil {
				return exercisesVerifiedMsg{err: err}
			}
			if !res.Passed {
				failed = append(failed, ex.ID)
			}
		}
		return exercisesVerifiedMsg{failed: failed}
	}
}

// ---- update ----

// Update handles the exercise screens' messages.
func (m exercisesModel) Update(msg tea.Msg) (exercisesModel, tea.Cmd) {
	var cmds []tea.Cmd
	// A watcher stops when nobody listens (the learner left the screen);
	// coming back starts it again.
	if v := m.open; v != nil && v.watch != nil && v.watch.stopped.Load() {
		v.watch = startExerciseWatcher(v.watch.files, exercisePoll)
		cmds = append(cmds, v.watch.waitCmd(), m.startGrade(true))
	}
	switch msg := msg.(type) {
	case tea.KeyMsg:
		var cmd tea.Cmd
		m, cmd = m.updateKey(msg)
		return m, tea.Batch(append(cmds, cmd)...)
	case exerciseWatchMsg:
		v := m.open
		if v == nil || v.watch != msg.w {
			return m, tea.Batch(cmds...) // a watcher of an exercise no longer open
		}
		cmds = append(cmds, v.watch.waitCmd())
		if msg.changed {
			v.changeN++
			n, id := v.changeN, v.ex.ID
			cmds = append(cmds, tea.Tick(exerciseDebounce, func(time.Time) tea.Msg { return exerciseDebounceMsg{id: id, n: n} }))
		} else if v.ex.Kind == checker.State && m.c.Now().Sub(v.lastAuto) >= exerciseStateFor {
			// The learner changes state elsewhere (the browser, the aws
			// CLI): check again now and then.
			v.lastAuto = m.c.Now()
			cmds = append(cmds, m.startGrade(false))
		}
		return m, tea.Batch(cmds...)
	case exerciseDebounceMsg:
		if v := m.open; v != nil && v.ex.ID == msg.id && v.changeN == msg.n {
			v.note = ""
			cmds = append(cmds, m.startGrade(false))
		}
		return m, tea.Batch(cmds...)
	case exerciseGradedMsg:
		return m.graded(msg, cmds)
	case exerciseTextsMsg:
		if v := m.open; v != nil && v.ex.ID == msg.id {
			v.hints, v.instructions, v.textErr = msg.hints, msg.instructions, msg.err
		}
	case exerciseSolutionMsg:
		if v := m.open; v != nil && v.ex.ID == msg.id {
			if msg.err != nil {
				v.note = "The solution could not be read: " + msg.err.Error()
			} else {
				v.solution, v.showInstructions, v.scroll = msg.text, false, 0
			}
		}
	case exerciseResetMsg:
		if v := m.open; v != nil && v.ex.ID == msg.id {
			if msg.err != nil {
				v.note = "Reset failed: " + msg.err.Error()
				return m, tea.Batch(cmds...)
			}
			v.note, v.res, v.solution = "Reset: the exercise is back at its start.", nil, ""
			e := m.c.Progress.Exercise(msg.id)
			e.Passed = false
			cmds = append(cmds, m.c.saveCmd(), m.startGrade(true))
		}
	case exercisesVerifiedMsg:
		m.verifying = false
		switch {
		case msg.err != nil:
			m.notice = "Re-verifying every exercise failed: " + msg.err.Error()
		case len(msg.failed) == 0:
			m.notice = fmt.Sprintf("All %d exercises pass, re-verified. Well done!", len(m.all))
		default:
			for _, id := range msg.failed {
				m.c.Progress.Exercise(id).Passed = false
			}
			m.notice = "Re-verifying every exercise: " + strings.Join(msg.failed, ", ") + " no longer pass."
			cmds = append(cmds, m.c.saveCmd())
		}
	}
	return m, tea.Batch(cmds...)
}

// startGrade grades the open exercise, or notes that another grading must
// follow the one running. force starts one anyway (the learner asked, or
// the running one's result may have been lost while the screen was hidden);
// the older result is then dropped.
func (m *exercisesModel) startGrade(force bool) tea.Cmd {
	v := m.open
	if v == nil || m.grader == nil {
		return nil
	}
	if v.grading && !force && time.Since(v.started) < 5*time.Minute {
		v.again = true
		return nil
	}
	v.grading = true
	return m.gradeCmd(v)
}

func (m exercisesModel) graded(msg exerciseGradedMsg, cmds []tea.Cmd) (exercisesModel, tea.Cmd) {
	v := m.open
	if v == nil || v.ex.ID != msg.id || v.gen != msg.gen {
		return m, tea.Batch(cmds...)
	}
	v.grading = false
	v.res, v.err = msg.res, msg.err
	if v.again {
		v.again = false
		cmds = append(cmds, m.startGrade(false))
	}
	if msg.err != nil {
		return m, tea.Batch(cmds...)
	}
	e := m.c.Progress.Exercise(v.ex.ID)
	if e.Passed != msg.res.Passed {
		e.Passed = msg.res.Passed
		cmds = append(cmds, m.c.saveCmd())
	}
	if msg.res.Passed && !m.verified && !m.verifying && m.allPassed() {
		m.verifying, m.verified = true, true
		m.notice = "Every exercise passes: re-verifying them all once…"
		cmds = append(cmds, m.verifyCmd())
	}
	return m, tea.Batch(cmds...)
}

func (m exercisesModel) allPassed() bool {
	for _, ex := range m.all {
		if e := m.c.Progress.Exercises[ex.ID]; e == nil || !e.Passed {
			return false
		}
	}
	return true
}

func (m exercisesModel) updateKey(msg tea.KeyMsg) (exercisesModel, tea.Cmd) {
	k := m.c.Keys
	if m.filtering {
		switch msg.Type {
		case tea.KeyEsc:
			m.filtering = false
			m.filter.SetValue("")
			m.filter.Blur()
			m.cursor = 0
			return m, nil
		case tea.KeyEnter:
			m.filtering = false
			m.filter.Blur()
			return m, nil
		}
		var cmd tea.Cmd
		m.filter, cmd = m.filter.Update(msg)
		m.cursor = 0
		return m, cmd
	}
	if m.open != nil {
		return m.updateOpenKey(msg)
	}
	visible := m.visible()
	switch {
	case key.Matches(msg, k.Back):
		if m.filter.Value() != "" {
			m.filter.SetValue("")
			m.cursor = 0
			return m, nil
		}
		return m, backCmd
	case key.Matches(msg, k.Up):
		m.cursor = max(0, m.cursor-1)
	case key.Matches(msg, k.Down):
		m.cursor = min(max(0, len(visible)-1), m.cursor+1)
	case key.Matches(msg, k.Top):
		m.cursor = 0
	case key.Matches(msg, k.Bottom):
		m.cursor = max(0, len(visible)-1)
	case key.Matches(msg, k.Filter):
		m.filtering = true
		return m, m.filter.Focus()
	case key.Matches(msg, k.Open):
		if m.cursor < len(visible) {
			return m.openExercise(visible[m.cursor])
		}
	case key.Matches(msg, k.Continue):
		for i, ex := range m.all {
			if e := m.c.Progress.Exercises[ex.ID]; e == nil || !e.Passed {
				return m.openExercise(i)
			}
		}
		m.notice = "Every exercise passes: pick one to revisit."
	}
	return m, nil
}

// visible lists the indexes of the exercises matching the filter.
func (m exercisesModel) visible() []int {
	q := strings.ToLower(strings.TrimSpace(m.filter.Value()))
	var out []int
	for i, ex := range m.all {
		hay := strings.ToLower(ex.ID + " " + ex.Title + " " + ex.Lesson + " " + ex.Kind.String())
		if q == "" || strings.Contains(hay, q) {
			out = append(out, i)
		}
	}
	return out
}

// openExercise opens exercise i in watch mode and grades it.
func (m exercisesModel) openExercise(i int) (exercisesModel, tea.Cmd) {
	m.closeOpen()
	ex := m.all[i]
	v := &exerciseView{ex: ex, index: i}
	m.open = v
	if m.grader == nil {
		return m, nil
	}
	var cmds []tea.Cmd
	if ex.Kind == checker.State {
		e := m.c.Progress.Exercise(ex.ID)
		if !checker.ValidNamespace(ex.ID, e.Namespace) {
			e.Namespace = checker.NewNamespace(ex.ID)
			cmds = append(cmds, m.c.saveCmd())
		}
		v.ns = e.Namespace
		v.lastAuto = m.c.Now()
		// No files to watch: the watcher's ticks drive the re-checks.
		v.watch = startExerciseWatcher(nil, exercisePoll)
	} else {
		var files []string
		for _, f := range ex.Files {
			files = append(files, filepath.Join(m.grader.Root(), ex.Dir(), f))
		}
		v.watch = startExerciseWatcher(files, exercisePoll)
	}
	v.grading = true
	cmds = append(cmds, textsCmd(m.grader.Root(), ex), m.gradeCmd(v), v.watch.waitCmd())
	return m, tea.Batch(cmds...)
}

func (m *exercisesModel) closeOpen() {
	if m.open != nil && m.open.watch != nil {
		m.open.watch.stop()
	}
	m.open = nil
}

func (m exercisesModel) updateOpenKey(msg tea.KeyMsg) (exercisesModel, tea.Cmd) {
	k, v := m.c.Keys, m.open
	if v.confirm != "" {
		switch {
		case key.Matches(msg, k.Yes):
			what := v.confirm
			v.confirm = ""
			if what == "reset" {
				v.note = "Resetting…"
				return m, m.resetCmd(v)
			}
			return m, solutionCmd(m.grader.Root(), v.ex)
		case key.Matches(msg, k.No):
			v.confirm = ""
		}
		return m, nil
	}
	switch {
	case key.Matches(msg, k.Back):
		if v.solution != "" || v.showInstructions {
			v.solution, v.showInstructions, v.scroll = "", false, 0
			return m, nil
		}
		m.closeOpen()
		return m, nil
	case m.grader == nil:
		return m, nil
	case key.Matches(msg, k.Recheck):
		v.note = ""
		return m, m.startGrade(true)
	case key.Matches(msg, k.Hint):
		e := m.c.Progress.Exercise(v.ex.ID)
		if e.Hints < len(v.hints) {
			e.Hints++
			v.showInstructions, v.solution = false, ""
			return m, m.c.saveCmd()
		}
		v.note = "That was the last hint: S shows the solution."
	case key.Matches(msg, k.Solution):
		if v.solution != "" {
			v.solution = ""
			return m, nil
		}
		if m.passed(v.ex.ID) {
			return m, solutionCmd(m.grader.Root(), v.ex)
		}
		v.confirm = "solution"
	case key.Matches(msg, k.ResetExercise):
		v.confirm = "reset"
	case key.Matches(msg, k.Instructions):
		v.showInstructions, v.solution, v.scroll = !v.showInstructions, "", 0
	case key.Matches(msg, k.NextExercise) && m.passed(v.ex.ID):
		if v.index+1 < len(m.all) {
			return m.openExercise(v.index + 1)
		}
		m.closeOpen()
	case key.Matches(msg, k.Down), key.Matches(msg, k.PageDown):
		v.scroll++
	case key.Matches(msg, k.Up), key.Matches(msg, k.PageUp):
		v.scroll = max(0, v.scroll-1)
	}
	return m, nil
}

func (m exercisesModel) passed(id string) bool {
	e := m.c.Progress.Exercises[id]
	return e != nil && e.Passed
}

// ---- view ----

// View draws the list or the open exercise.
func (m exercisesModel) View() string {
	if m.open != nil {
		return m.viewOpen()
	}
	return m.viewList()
}

func (m exercisesModel) viewList() string {
	s := m.c.Styles
	var b strings.Builder
	done := 0
	for _, ex := range m.all {
		if m.passed(ex.ID) {
			done++
		}
	}
	b.WriteString(s.Title.Render("Exercises") + s.Subtitle.Render(fmt.Sprintf("  %d of %d pass · solve them in your editor, graded on every save", done, len(m.all))) + "\n\n")
	if m.err != nil {
		b.WriteString(s.Error.Render(ansi.Wordwrap(m.err.Error(), m.width, " ")) + "\n\n")
	}
	visible := m.visible()
	if len(visible) == 0 {
		b.WriteString(s.Muted.Render("  No exercise matches the filter.") + "\n")
	}
	for row, i := range visible {
		ex := m.all[i]
		mark := "  "
		name := fmt.Sprintf("%d  %-17s", i+1, ex.ID)
		if row == m.cursor {
			mark = s.Cursor.Render("▸ ")
			name = s.Selected.Render(name)
		}
		state := s.StateNew.Render("PENDING")
		if m.passed(ex.ID) {
			state = s.StateDone.Render("DONE   ")
		}
		right := s.Muted.Render(fmt.Sprintf("%-5s ", ex.Kind)) + state
		title := truncate(ex.Title, max(1, m.width-ansi.StringWidth(mark)-ansi.StringWidth(name)-ansi.StringWidth(right)-3))
		gap := max(1, m.width-ansi.StringWidth(mark)-ansi.StringWidth(name)-1-ansi.StringWidth(title)-ansi.StringWidth(right))
		b.WriteString(mark + name + " " + s.LessonTitle.Render(title) + strings.Repeat(" ", gap) + right + "\n")
	}
	b.WriteString("\n")
	if m.filtering || m.filter.Value() != "" {
		b.WriteString(m.filter.View() + "\n")
	}
	if m.notice != "" {
		b.WriteString(s.Notice.Render(ansi.Wordwrap(m.notice, m.width, " ")) + "\n")
	}
	return b.String()
}

func (m exercisesModel) viewOpen() string {
	s, v := m.c.Styles, m.open
	ex := v.ex
	var head []string
	head = append(head, s.Title.Render(fmt.Sprintf("Exercise %d of %d", v.index+1, len(m.all)))+s.Subtitle.Render("  "+ex.Title))
	if ex.Kind == checker.State {
		head = append(head, s.Muted.Render(truncate("Do it in the app (s opens the secrets), with the aws CLI or in any language; re-checked every few seconds.", m.width)))
		for _, n := range checker.SecretNames(ex) {
			head = append(head, s.Label.Render("Secret: ")+s.Value.Render(v.ns+n))
		}
	} else {
		files := make([]string, len(ex.Files))
		for i, f := range ex.Files {
			files[i] = filepath.ToSlash(filepath.Join(ex.Dir(), f))
		}
		how := "watching for saves"
		if v.watch != nil && !v.watch.usingEvents {
			how = "checking for saves every second"
		}
		head = append(head, s.Label.Render("Edit ")+s.Value.Render(strings.Join(files, ", "))+s.Muted.Render(" · README.md beside it"))
		head = append(head, s.Muted.Render(truncate(how+"; "+m.c.Keys.Recheck.Help().Key+" re-checks now if a save goes unnoticed", m.width)))
	}
	head = append(head, m.statusLine(), "")

	var body []string
	switch {
	case v.confirm == "solution":
		body = append(body, s.Question.Render("Show the reference solution before you have passed? (y/n)"))
	case v.confirm == "reset":
		body = append(body, s.Question.Render(ansi.Wordwrap(m.resetQuestion(), m.width, " ")))
	}
	switch {
	case v.solution != "":
		body = append(body, s.PanelTitle.Render("Reference solution")+s.Muted.Render("  (S or esc hides it)"))
		for _, line := range strings.Split(v.solution, "\n") {
			body = append(body, s.Code.Render(truncate(line, m.width)))
		}
	case v.showInstructions:
		text := v.instructions
		if text == "" && v.textErr != nil {
			text = "The instructions could not be read: " + v.textErr.Error()
		}
		body = append(body, strings.Split(strings.TrimRight(m.c.Markdown.Render(text, m.width), "\n"), "\n")...)
	default:
		body = append(body, m.checkLines()...)
		body = append(body, m.hintLines()...)
	}
	if v.note != "" {
		body = append(body, "", s.Notice.Render(truncate(v.note, m.width)))
	}
	if m.notice != "" {
		body = append(body, s.Notice.Render(truncate(m.notice, m.width)))
	}

	// The header stays; the body scrolls within what is left.
	room := max(1, m.height-len(head))
	v.scroll = min(v.scroll, max(0, len(body)-room))
	body = body[v.scroll:]
	if len(body) > room {
		body = body[:room]
	}
	return strings.Join(append(head, body...), "\n")
}

func (m exercisesModel) resetQuestion() string {
	v := m.open
	if v.ex.Kind == checker.State {
		return fmt.Sprintf("Reset %s: delete every secret under %s and seed the exercise again? (y/n)", v.ex.ID, v.ns)
	}
	return fmt.Sprintf("Reset %s: overwrite %s with the original stub? Your changes are lost. (y/n)", v.ex.ID, strings.Join(v.ex.Files, ", "))
}

func (m exercisesModel) statusLine() string {
	s, v := m.c.Styles, m.open
	k := m.c.Keys
	switch {
	case v.grading && v.res == nil:
		return s.BadgeWait.Render("Checking…")
	case v.err != nil:
		return s.Error.Render(truncate("Grading could not run: "+v.err.Error(), m.width))
	case v.res == nil:
		return ""
	}
	passed := 0
	for _, c := range v.res.Checks {
		if c.Passed {
			passed++
		}
	}
	suffix := ""
	if v.grading {
		suffix = s.Muted.Render("  checking again…")
	}
	if v.res.Passed {
		return s.PassedBanner.Render("✓ Passed!") + s.Muted.Render(fmt.Sprintf("  %s next exercise · %s solution", k.NextExercise.Help().Key, k.Solution.Help().Key)) + suffix
	}
	return s.CheckFail.Render(fmt.Sprintf("%d of %d checks pass", passed, len(v.res.Checks))) + suffix
}

func (m exercisesModel) checkLines() []string {
	s, v := m.c.Styles, m.open
	if v.res == nil {
		return nil
	}
	var out []string
	out = append(out, s.PanelTitle.Render("Checks"))
	for _, c := range v.res.Checks {
		if c.Passed {
			out = append(out, s.CheckPass.Render(" ✓ ")+truncate(c.Name, m.width-3))
			continue
		}
		out = append(out, s.CheckFail.Render(" ✗ ")+truncate(c.Name, m.width-3))
		if c.Name == "compiles" && v.res.Compile != "" {
			for _, line := range strings.Split(v.res.Compile, "\n") {
				out = append(out, "     "+s.Code.Render(truncate(line, m.width-5)))
			}
			continue
		}
		for _, line := range strings.Split(ansi.Wordwrap(c.Reason, max(20, m.width-5), " "), "\n") {
			out = append(out, "     "+s.CheckReason.Render(truncate(line, m.width-5)))
		}
	}
	return out
}

func (m exercisesModel) hintLines() []string {
	s, v := m.c.Styles, m.open
	shown := min(m.c.Progress.Exercise(v.ex.ID).Hints, len(v.hints))
	var out []string
	if len(v.hints) > 0 {
		out = append(out, "")
		label := fmt.Sprintf("Hints: %d of %d shown · %s for the next", shown, len(v.hints), m.c.Keys.Hint.Help().Key)
		if v.res != nil && !v.res.Passed {
			if f := v.res.FirstFailed(); f != nil && f.Hint > 0 {
				label += fmt.Sprintf(" (hint %d helps with the first failed check)", f.Hint)
			}
		}
		out = append(out, s.Muted.Render(truncate(label, m.width)))
	}
	for i := range shown {
		out = append(out, s.HintTitle.Render(fmt.Sprintf("Hint %d", i+1)))
		for _, line := range strings.Split(ansi.Wordwrap(v.hints[i], max(20, m.width-2), " "), "\n") {
			out = append(out, "  "+truncate(line, m.width-2))
		}
	}
	return out
}

// ShortHelp is the one-line help of the exercise screens.
func (m exercisesModel) ShortHelp() []key.Binding {
	k := m.c.Keys
	switch {
	case m.filtering:
		return []key.Binding{key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "done")), cancelBinding()}
	case m.open != nil && m.open.confirm != "":
		return []key.Binding{k.Yes, k.No}
	case m.open != nil:
		keys := []key.Binding{k.Recheck, k.Hint, k.Solution, k.Instructions, k.ResetExercise}
		if m.passed(m.open.ex.ID) {
			keys = append([]key.Binding{k.NextExercise}, keys...)
		}
		return append(keys, k.Back, k.Help)
	}
	return []key.Binding{k.Up, k.Down, k.Open, k.Continue, k.Filter, k.Back, k.Help, k.Quit}
}

// FullHelp is the exercise screens' help in columns.
func (m exercisesModel) FullHelp() [][]key.Binding {
	k := m.c.Keys
	if m.open != nil {
		return [][]key.Binding{
			{k.Recheck, k.Hint, k.Instructions},
			{k.Solution, k.ResetExercise, k.NextExercise},
			{k.Up, k.Down, k.Back},
			{k.Browser, k.Help, k.Quit},
		}
	}
	return [][]key.Binding{{k.Up, k.Down, k.Top, k.Bottom}, {k.Open, k.Continue, k.Filter}, {k.Back, k.Help, k.Quit}}
}
