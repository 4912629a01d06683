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
		var cmd tea.Cmd
		l.notice, cmd = l.c.switchLang()
		return l, cmd
	case key.Matches(msg, k.Open):
		if l.cursor < len(visible) {
			return l, openExerciseCmd(visible[l.cursor])
		}
	case key.Matches(msg, k.Continue):
		for i, ex := range l.all {
			if !l.passed(ex.ID) {
				return l, openExerciseCmd(i)
			}
		}
		l.notice = "Every exercise passes: pick one to revisit."
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
		hay := strings.ToLower(ex.ID + " " + ex.Title + " " + ex.Lesson + " " + l.lessonTitle(ex) + " " + ex.Kind.String())
		if q == "" || strings.Contains(hay, q) {
			out = append(out, i)
		}
	}
	return out
}

func (l exerciseList) passed(id string) bool {
	e := l.c.Progress.Exercises[id]
	return e != nil && e.Passed
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
	done := 0
	for _, ex := range l.all {
		if l.passed(ex.ID) {
			done++
		}
	}
	head := []string{truncate(s.Title.Render("Exercises")+s.Subtitle.Render(fmt.Sprintf("  %d of %d pass · in %s (L changes) · solve them in your editor, graded on every save", done, len(l.all), langName(l.c.lang()))), l.width), ""}
	if l.err != nil {
		head = append(head, s.Error.Render(ansi.Wordwrap(l.err.Error(), l.width, " ")), "")
	}
	var foot []string
	if l.filter.Active || l.filter.Input.Value() != "" {
		foot = append(foot, l.filter.Input.View())
	}
	if l.notice != "" {
		foot = append(foot, s.Notice.Render(ansi.Wordwrap(l.notice, l.width, " ")))
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
	name := fmt.Sprintf("%d  %-17s", i+1, ex.ID)
	if selected {
		mark = s.Cursor.Render("▸ ")
		name = s.Selected.Render(name)
	}
	state := s.StateNew.Render("PENDING")
	if l.passed(ex.ID) {
		state = s.StateDone.Render("DONE   ")
	}
	right := state
	if l.width >= 60 { // narrower, the title needs the room more
		kind := ex.Kind.String()
		if ex.Kind == checker.Code && l.c.langFor(ex) == checker.Python {
			kind = "py"
		}
		right = s.Muted.Render(fmt.Sprintf("%-5s ", kind)) + state
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
