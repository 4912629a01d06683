package ui

import (
	"fmt"
	"path/filepath"
	"slices"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

	"secretlings/checker"
)

// exerciseScreen is one exercise in watch mode: re-graded whenever one of
// its files is saved (fsnotify, with polling as the fallback for
// filesystems that miss events, and r to re-check by hand), with the
// checklist, hints revealed one by one, the reference solution after a pass
// (or after an explicit, confirmed "show me"), a confirmed reset, and e to
// edit the file in $VISUAL or $EDITOR. Passing does not move on by itself:
// n does.
type exerciseScreen struct {
	c      *Common
	g      exerciseGrader
	ex     *checker.Exercise
	index  int // in checker.All
	total  int
	ns     string // namespace of a state exercise
	lang   checker.Lang
	width  int
	height int

	res      *checker.Result
	err      error
	grading  bool
	gen      int       // counts gradings started
	started  time.Time // when the running grading started
	again    bool      // a change arrived while grading
	watch    *exerciseWatcher
	lastAuto time.Time

	hints        []string
	instructions string
	textErr      error

	showInstructions bool
	showOutput       bool   // what the program printed, instead of the checks
	solution         string // shown when not empty
	confirm          string // "solution" or "reset" while asking
	note             string
	notice           string // the exercise screens' notice, set by their owner

	// The body below the header scrolls; hintRows are the body lines where
	// the shown hints start, so a new hint can be scrolled into view.
	vp       viewport.Model
	hintRows []int
}

// newExerciseScreen opens exercise index of all in watch mode; its command
// reads the texts, grades and starts watching. ns is a state exercise's
// namespace; g is nil when nothing can be graded.
func newExerciseScreen(c *Common, g exerciseGrader, all []*checker.Exercise, index int, ns string) (*exerciseScreen, tea.Cmd) {
	ex := all[index]
	v := &exerciseScreen{c: c, g: g, ex: ex, index: index, total: len(all), ns: ns, lang: c.langFor(ex)}
	v.vp.KeyMap = viewport.KeyMap{} // scrolling goes through the app's KeyMap
	if g == nil {
		return v, nil
	}
	v.lastAuto = c.Now()
	// A state exercise has no files: the watcher's beats drive re-checks.
	v.watch = startExerciseWatcher(v.files())
	return v, tea.Batch(textsCmd(g.Root(), ex, v.lang), v.startGrade(true), v.watch.waitCmd())
}

// editFiles are the files the learner edits, in the exercise's language.
func (v *exerciseScreen) editFiles() []string {
	files, _ := v.ex.FilesIn(v.lang)
	return files
}

// switchLang moves this exercise alone to the next language that has a
// version of it, and grades it there.
func (v *exerciseScreen) switchLang() tea.Cmd {
	next := nextLang(v.lang)
	switch {
	case v.ex.Kind != checker.Code:
		return v.c.flash("This exercise has no program: do it in any language, or none.")
	case !v.ex.Has(next):
		return v.c.flash(fmt.Sprintf("%s has no %s version yet: it stays in %s.", v.ex.ID, langName(next), langName(v.lang)))
	}
	v.lang = next
	e := v.c.Progress.Exercise(v.ex.ID)
	e.Lang = next.String()
	if v.c.lang() == next {
		e.Lang = "" // the same as everywhere else: follow the learner's choice
	}
	flash := v.c.flash(fmt.Sprintf("This exercise is now in %s; the others stay in %s.", langName(next), langName(v.c.lang())))
	v.res, v.err, v.hints, v.hintRows, v.solution, v.showOutput = nil, nil, nil, nil, "", false
	v.close()
	v.watch = startExerciseWatcher(v.files())
	return tea.Batch(v.c.saveCmd(), flash, textsCmd(v.g.Root(), v.ex, v.lang), v.watch.waitCmd(), v.startGrade(true))
}

// files are the absolute paths of the files the learner edits.
func (v *exerciseScreen) files() []string {
	var files []string
	if v.ex.Kind == checker.State {
		return nil
	}
	for _, f := range v.editFiles() {
		files = append(files, filepath.Join(v.g.Root(), v.ex.Dir(), f))
	}
	return files
}

// SetSize sets the area the screen may draw in.
func (v *exerciseScreen) SetSize(w, h int) {
	v.width, v.height = w, h
	v.refresh()
}

// close stops watching.
func (v *exerciseScreen) close() {
	if v.watch != nil {
		v.watch.Stop()
	}
}

// resume starts watching again (and grades, since a save may have gone
// unseen) when the watcher stopped while the screen was hidden.
func (v *exerciseScreen) resume() tea.Cmd {
	if v.watch == nil || !v.watch.Stopped() {
		return nil
	}
	v.watch = startExerciseWatcher(v.watch.Files())
	return tea.Batch(v.watch.waitCmd(), v.startGrade(true))
}

// Update handles the open exercise's messages and keys.
func (v *exerciseScreen) Update(msg tea.Msg) (*exerciseScreen, tea.Cmd) {
	cmds := []tea.Cmd{v.resume()}
	switch msg := msg.(type) {
	case tea.KeyMsg:
		cmds = append(cmds, v.updateKey(msg))
	case exerciseWatchMsg:
		cmds = append(cmds, v.watched(msg))
	case exerciseGradedMsg:
		cmds = append(cmds, v.graded(msg))
	case exerciseTextsMsg:
		if v.ex.ID == msg.id {
			v.hints, v.instructions, v.textErr = msg.hints, msg.instructions, msg.err
		}
	case exerciseSolutionMsg:
		if v.ex.ID == msg.id {
			if msg.err != nil {
				v.note = "The solution could not be read: " + msg.err.Error()
			} else {
				v.solution, v.showInstructions = msg.text, false
				v.refresh()
				v.vp.GotoTop()
			}
		}
	case exerciseResetMsg:
		cmds = append(cmds, v.wasReset(msg))
	case exerciseEditedMsg:
		v.edited(msg)
	}
	v.refresh()
	return v, tea.Batch(cmds...)
}

func (v *exerciseScreen) watched(msg exerciseWatchMsg) tea.Cmd {
	if v.watch != msg.w {
		return nil // a watcher of an exercise no longer open
	}
	cmds := []tea.Cmd{v.watch.waitCmd()}
	if msg.changed {
		v.note = ""
		cmds = append(cmds, v.startGrade(false))
	} else if v.ex.Kind == checker.State && v.c.Now().Sub(v.lastAuto) >= exerciseStateFor {
		// The learner changes state elsewhere (the browser, the aws CLI):
		// check again now and then.
		v.lastAuto = v.c.Now()
		cmds = append(cmds, v.startGrade(false))
	}
	return tea.Batch(cmds...)
}

// startGrade grades the exercise, or notes that another grading must
// follow the one running. force starts one anyway (the learner asked, or
// the running one's result may have been lost while the screen was hidden);
// the older result is then dropped.
func (v *exerciseScreen) startGrade(force bool) tea.Cmd {
	if v.g == nil {
		return nil
	}
	if v.c.notReady(v.lang) != "" {
		// Nothing is graded in another language instead: the head says
		// why, and the grading starts once Python is found.
		v.grading, v.again = false, false
		return nil
	}
	if v.grading && !force && time.Since(v.started) < 5*time.Minute {
		v.again = true
		return nil
	}
	v.grading = true
	v.gen++
	v.started = time.Now()
	return gradeCmd(v.g, v.ex, v.ns, v.gen, v.lang)
}

func (v *exerciseScreen) graded(msg exerciseGradedMsg) tea.Cmd {
	if v.ex.ID != msg.id || v.gen != msg.gen {
		return nil
	}
	v.grading = false
	v.res, v.err = msg.res, msg.err
	var cmds []tea.Cmd
	if v.again {
		v.again = false
		cmds = append(cmds, v.startGrade(false))
	}
	if msg.err == nil {
		// A pass is kept (Solved) when a later save fails.
		if e := v.c.Progress.Exercise(v.ex.ID); e.Passed != msg.res.Passed || (msg.res.Passed && !e.Solved) {
			e.Passed = msg.res.Passed
			e.Solved = e.Solved || msg.res.Passed
			cmds = append(cmds, v.c.saveCmd())
		}
	}
	return tea.Batch(cmds...)
}

func (v *exerciseScreen) wasReset(msg exerciseResetMsg) tea.Cmd {
	if v.ex.ID != msg.id {
		return nil
	}
	if msg.err != nil {
		v.note = "Reset failed: " + msg.err.Error()
		return nil
	}
	v.note, v.res, v.solution, v.showOutput = "Reset: the exercise is back at its start.", nil, "", false
	e := v.c.Progress.Exercise(msg.id)
	e.Passed, e.Solved = false, false
	return tea.Batch(v.c.saveCmd(), v.startGrade(true))
}

// passed reports whether the exercise has passed once, now or before: the
// solution is earned, and n moves on.
func (v *exerciseScreen) passed() bool {
	return v.c.Progress.Exercises[v.ex.ID].Done()
}

func (v *exerciseScreen) updateKey(msg tea.KeyMsg) tea.Cmd {
	k := v.c.Keys
	if v.confirm != "" {
		return v.answer(msg)
	}
	switch {
	case key.Matches(msg, k.Back):
		if v.solution != "" || v.showInstructions || v.showOutput {
			v.solution, v.showInstructions, v.showOutput = "", false, false
			v.refresh()
			v.vp.GotoTop()
			return nil
		}
		return closeExerciseCmd
	case v.g == nil:
		return nil
	case key.Matches(msg, k.Recheck):
		v.note = ""
		return v.startGrade(true)
	case key.Matches(msg, k.Edit):
		return v.editCmd()
	case key.Matches(msg, k.Lang):
		return v.switchLang()
	case key.Matches(msg, k.Hint):
		return v.nextHint()
	case key.Matches(msg, k.Solution):
		if v.solution != "" {
			v.solution = ""
			return nil
		}
		if v.passed() {
			return solutionCmd(v.g.Root(), v.ex, v.lang)
		}
		v.confirm = "solution"
	case key.Matches(msg, k.ResetExercise):
		v.confirm = "reset"
	case key.Matches(msg, k.Instructions):
		v.showInstructions, v.solution, v.showOutput = !v.showInstructions, "", false
		v.refresh()
		v.vp.GotoTop()
	case key.Matches(msg, k.Output):
		v.showOutput, v.solution, v.showInstructions = !v.showOutput, "", false
		v.refresh()
		v.vp.GotoTop()
	case key.Matches(msg, k.NextExercise) && v.passed():
		if v.index+1 < v.total {
			return openExerciseCmd(v.index + 1)
		}
		return closeExerciseCmd
	case key.Matches(msg, k.Down):
		v.vp.ScrollDown(1)
	case key.Matches(msg, k.Up):
		v.vp.ScrollUp(1)
	default:
		pageViewport(&v.vp, k, msg)
	}
	return nil
}

// answer handles y or n to the question asked.
func (v *exerciseScreen) answer(msg tea.KeyMsg) tea.Cmd {
	k := v.c.Keys
	switch {
	case key.Matches(msg, k.Yes):
		what := v.confirm
		v.confirm = ""
		if what == "reset" {
			v.note = "Resetting…"
			return resetCmd(v.g, v.ex, v.ns)
		}
		return solutionCmd(v.g.Root(), v.ex, v.lang)
	case key.Matches(msg, k.No):
		v.confirm = ""
	}
	return nil
}

// nextHint reveals the next hint and scrolls it into view: the whole hint
// with as much as fits above it, or its start when it is taller than the
// screen.
func (v *exerciseScreen) nextHint() tea.Cmd {
	e := v.c.Progress.Exercise(v.ex.ID)
	if e.Hints >= len(v.hints) {
		v.note = "That was the last hint: S shows the solution."
		v.refresh()
		v.vp.GotoBottom()
		return nil
	}
	e.Hints++
	v.showInstructions, v.solution, v.showOutput = false, "", false
	v.refresh()
	if n := e.Hints; n <= len(v.hintRows) {
		start, end := v.hintRows[n-1], v.vp.TotalLineCount()
		if n < len(v.hintRows) {
			end = v.hintRows[n]
		}
		v.vp.SetYOffset(max(0, min(start, end-v.vp.Height)))
	}
	return v.c.saveCmd()
}

// ShortHelp is the open exercise's one-line help.
func (v *exerciseScreen) ShortHelp() []key.Binding {
	k := v.c.Keys
	if v.confirm != "" {
		return []key.Binding{k.Yes, k.No}
	}
	keys := []key.Binding{k.Recheck, k.Hint, k.Edit, k.Solution, k.Instructions, k.ResetExercise}
	if v.ex.Kind == checker.State {
		keys = slices.DeleteFunc(keys, func(b key.Binding) bool { return b.Help().Key == k.Edit.Help().Key })
	}
	if v.res != nil && v.res.Output != "" {
		keys = append(keys, k.Output)
	}
	if v.passed() {
		keys = append([]key.Binding{k.NextExercise}, keys...)
	}
	return append(keys, k.Back, k.Help)
}

// FullHelp is the open exercise's help in columns.
func (v *exerciseScreen) FullHelp() [][]key.Binding {
	k := v.c.Keys
	return [][]key.Binding{
		{k.Recheck, k.Hint, k.Instructions, k.Output, k.Edit},
		{k.Solution, k.ResetExercise, k.NextExercise, k.Lang},
		{k.Up, k.Down, k.PageDown, k.Back},
		{k.Browser, k.Help, k.Quit},
	}
}
