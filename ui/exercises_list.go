package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"secretlings/checker"
	"secretlings/ui/common"
)

// exerciseList is every exercise under its lesson, with its state, a
// filter and "continue" to the first unfinished one.
type exerciseList struct {
	c             *Common
	all           []*checker.Exercise
	width, height int
	err           error  // why exercises cannot be graded at all
	notice        string // set by the exercise screens

	cursor int // among the visible exercises
	filter common.Filter
}

func newExerciseList(c *Common, all []*checker.Exercise) exerciseList {
	return exerciseList{c: c, all: all, filter: common.NewFilter(c.Styles, "filter exercises")}
}

// SetSize sets the area the list may draw in.
func (l *exerciseList) SetSize(w, h int) {
	l.width, l.height = w, h
	l.filter.Input.Width = max(10, w-4)
}

// Update handles the list's keys; opening an exercise is an
// exerciseOpenMsg for the exercise screens.
func (l exerciseList) Update(msg tea.KeyMsg) (exerciseList, tea.Cmd) {
	if l.filter.Active {
		return l.updateFilter(msg)
	}
	k := l.c.Keys
	visible := l.visible()
	switch {
	case key.Matches(msg, k.Back):
		if l.filter.Input.Value() != "" {
			l.filter.Clear()
			l.cursor = 0
			return l, nil
		}
		return l, backCmd
	case key.Matches(msg, k.Up):
		l.cursor = max(0, l.cursor-1)
	case key.Matches(msg, k.Down):
		l.cursor = min(max(0, len(visible)-1), l.cursor+1)
	case key.Matches(msg, k.Top):
		l.cursor = 0
	case key.Matches(msg, k.Bottom):
		l.cursor = max(0, len(visible)-1)
	case key.Matches(msg, k.Filter):
		return l, l.filter.Start()
	case key.Matches(msg, k.Lang):
		l.notice = ""
		return l, l.c.switchLang()
	case key.Matches(msg, k.Open):
		if l.cursor < len(visible) {
			return l, openExerciseCmd(visible[l.cursor])
		}
	case key.Matches(msg, k.Continue):
		for i, ex := range l.all {
			if e := l.c.Progress.Exercises[ex.ID]; e == nil || !e.Passed { // not done, or failing since
				return l, openExerciseCmd(i)
			}
		}
		l.notice = "Every exercise is done: pick one to revisit."
	}
	return l, nil
}

func (l exerciseList) updateFilter(msg tea.KeyMsg) (exerciseList, tea.Cmd) {
	cmd, changed := l.filter.Key(msg)
	if changed {
		l.cursor = 0
	}
	return l, cmd
}

// visible lists the indexes of the exercises matching the filter.
func (l exerciseList) visible() []int {
	q := strings.ToLower(strings.TrimSpace(l.filter.Input.Value()))
	var out []int
	for i, ex := range l.all {
		hay := strings.ToLower(ex.ID + " " + ex.Title + " " + ex.Lesson + " " + l.lessonTitle(ex) + " " + ex.Kind.String() + " " + l.kind(ex))
		if q == "" || strings.Contains(hay, q) {
			out = append(out, i)
		}
	}
	return out
}

// passed reports whether exercise id has passed once (see
// progress.Exercise.Done); failing reports whether it did, and its last
// grading failed.
func (l exerciseList) passed(id string) bool { return l.c.Progress.Exercises[id].Done() }

func (l exerciseList) failing(id string) bool {
	e := l.c.Progress.Exercises[id]
	return e.Done() && !e.Passed
}

// kind is what the type column says: the language a code exercise is in,
// or "state" for one done in any language.
func (l exerciseList) kind(ex *checker.Exercise) string {
	if ex.Kind != checker.Code {
		return ex.Kind.String()
	}
	return strings.ToLower(langName(l.c.langFor(ex)))
}

// lessonTitle is "Lesson 1 · Store and retrieve" for the exercise's lesson,
// or its folder when the lesson is not loaded.
func (l exerciseList) lessonTitle(ex *checker.Exercise) string {
	for _, le := range l.c.Lessons {
		if le.Dir == ex.Lesson {
			return fmt.Sprintf("Lesson %d · %s", le.Number, le.Title)
		}
	}
	return ex.Lesson
}

// View draws the exercises grouped under their lessons, scrolled so the
// cursor's row shows.
func (l exerciseList) View() string {
	s := l.c.Styles
	done, failing := 0, 0
	for _, ex := range l.all {
		if l.passed(ex.ID) {
			done++
		}
		if l.failing(ex.ID) {
			failing++
		}
	}
	count := fmt.Sprintf("%d of %d done", done, len(l.all))
	if failing > 0 {
		count += fmt.Sprintf(" (%d failing since)", failing)
	}
	head := []string{truncate(s.Title.Render("Exercises")+s.Subtitle.Render(fmt.Sprintf("  %s · in %s (L changes) · solve them in your editor, graded on every save", count, langName(l.c.lang()))), l.width)}
	if why := l.c.notReady(l.c.lang()); why != "" {
		head = append(head, wrapLines(s.Error, why, max(1, l.width), 4)...)
	}
	head = append(head, "")
	if l.err != nil {
		head = append(head, wrapLines(s.Error, l.err.Error(), max(1, l.width), 4)...)
		head = append(head, "")
	}
	var foot []string
	if l.filter.Active || l.filter.Input.Value() != "" {
		foot = append(foot, l.filter.Input.View())
	}
	for _, note := range []string{l.c.flashText, l.notice} {
		if note != "" {
			foot = append(foot, wrapLines(s.Notice, note, max(1, l.width), 4)...)
		}
	}
	rows, at := l.rows()
	room := max(1, l.height-len(head)-len(foot)-1)
	// Scroll only as far as the cursor's row needs.
	first := max(0, at-room+1)
	rows = rows[first:min(len(rows), first+room)]
	return strings.Join(append(append(head, rows...), append([]string{""}, foot...)...), "\n")
}

// rows are the list's lines, lesson headings included, and the line of the
// cursor's exercise.
func (l exerciseList) rows() (rows []string, at int) {
	s := l.c.Styles
	visible := l.visible()
	if len(visible) == 0 {
		return []string{s.Muted.Render("  No exercise matches the filter.")}, 0
	}
	lesson := ""
	for row, i := range visible {
		ex := l.all[i]
		if ex.Lesson != lesson {
			lesson = ex.Lesson
			rows = append(rows, s.PanelTitle.Render(truncate(l.lessonTitle(ex), l.width)))
		}
		if row == l.cursor {
			at = len(rows)
		}
		rows = append(rows, l.row(i, row == l.cursor))
	}
	return rows, at
}

func (l exerciseList) row(i int, selected bool) string {
	s, ex := l.c.Styles, l.all[i]
	mark := "  "
	name := fmt.Sprintf("%2d  %-17s", i+1, ex.ID)
	if selected {
		mark = s.Cursor.Render("▸ ")
		name = s.Selected.Render(name)
	}
	state := s.StateNew.Render("PENDING")
	switch {
	case l.failing(ex.ID):
		state = s.StateActive.Render("FAILING") // passed once, fails now
	case l.passed(ex.ID):
		state = s.StateDone.Render("DONE   ")
	}
	right := state
	if l.width >= 60 { // narrower, the title needs the room more
		right = s.Muted.Render(fmt.Sprintf("%-6s ", l.kind(ex))) + state
	}
	used := ansi.StringWidth(mark) + ansi.StringWidth(name) + ansi.StringWidth(right)
	title := truncate(ex.Title, max(1, l.width-used-3))
	gap := max(1, l.width-used-1-ansi.StringWidth(title))
	return truncate(mark+name+" "+s.LessonTitle.Render(title)+strings.Repeat(" ", gap)+right, l.width)
}

// ShortHelp is the list's one-line help.
func (l exerciseList) ShortHelp() []key.Binding {
	k := l.c.Keys
	if l.filter.Active {
		return []key.Binding{key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "done")), cancelBinding()}
	}
	return []key.Binding{k.Up, k.Down, k.Open, k.Continue, k.Filter, k.Back, k.Help, k.Quit}
}

// FullHelp is the list's help in columns.
func (l exerciseList) FullHelp() [][]key.Binding {
	k := l.c.Keys
	return [][]key.Binding{{k.Up, k.Down, k.Top, k.Bottom}, {k.Open, k.Continue, k.Filter, k.Lang}, {k.Back, k.Help, k.Quit}}
}
