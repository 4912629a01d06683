package ui

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"secretlings/checker"
)

// View draws the header, the body scrolled to where it is, and a scroll
// indicator when the body does not fit.
func (v *exerciseScreen) View() string {
	lines := append(v.head(), v.vp.View())
	if ind := v.scrollIndicator(); ind != "" {
		lines = append(lines, ind)
	}
	return strings.Join(lines, "\n")
}

// refresh lays the body out again for the current state and size, keeping
// the scroll position where the content allows.
func (v *exerciseScreen) refresh() {
	body, hintRows := v.body()
	v.hintRows = hintRows
	room := max(1, v.height-len(v.head()))
	if len(body) > room {
		room = max(1, room-1) // the last line says there is more
	}
	v.vp.Width, v.vp.Height = v.width, room
	v.vp.SetContent(strings.Join(body, "\n"))
	if len(body) <= room {
		v.vp.GotoTop() // all of it fits: nothing may stay scrolled away
	}
}

// scrollIndicator says where the view is when the body does not fit.
func (v *exerciseScreen) scrollIndicator() string {
	total, shown := v.vp.TotalLineCount(), v.vp.VisibleLineCount()
	if total <= v.vp.Height {
		return ""
	}
	k := v.c.Keys
	below := total - v.vp.YOffset - shown
	var text string
	switch {
	case below > 0 && v.vp.YOffset > 0:
		text = fmt.Sprintf("↑ %d lines above · ↓ %d more below (%s, %s) · %d%%", v.vp.YOffset, below, k.Down.Help().Key, k.PageDown.Help().Key, int(v.vp.ScrollPercent()*100))
	case below > 0:
		text = fmt.Sprintf("↓ %d more lines below (%s, %s)", below, k.Down.Help().Key, k.PageDown.Help().Key)
	default:
		text = fmt.Sprintf("↑ %d lines above (%s, %s) · end", v.vp.YOffset, k.Up.Help().Key, k.PageUp.Help().Key)
	}
	return v.c.Styles.Muted.Render(truncate(text, v.width))
}

// head is what stays on top: which exercise, what to edit, the result.
func (v *exerciseScreen) head() []string {
	s, ex, w := v.c.Styles, v.ex, v.width
	head := []string{truncate(s.Title.Render(fmt.Sprintf("Exercise %d of %d", v.index+1, v.total))+s.Subtitle.Render("  "+ex.Title), w)}
	if ex.Kind == checker.State {
		head = append(head, s.Muted.Render(truncate("Do it in the app (s opens the secrets), with the aws CLI or in any language; re-checked every few seconds.", w)))
		for _, n := range checker.SecretNames(ex) {
			head = append(head, truncate(s.Label.Render("Secret: ")+s.Value.Render(v.ns+n), w))
		}
		if len(ex.Files) > 0 {
			files := make([]string, len(ex.Files))
			for i, f := range ex.Files {
				files[i] = filepath.ToSlash(filepath.Join(ex.Dir(), f))
			}
			head = append(head, truncate(s.Label.Render("Files: ")+s.Value.Render(strings.Join(files, ", "))+s.Muted.Render(" · "+v.c.Keys.Edit.Help().Key+" edits · README.md beside them"), w))
		}
	} else {
		edit := v.editFiles()
		files := make([]string, len(edit))
		for i, f := range edit {
			files[i] = filepath.ToSlash(filepath.Join(ex.Dir(), f))
		}
		how := "watching for saves"
		if v.watch != nil && !v.watch.UsingEvents() {
			how = "checking for saves every second"
		}
		k := v.c.Keys
		head = append(head, truncate(s.Label.Render("Edit ")+s.Value.Render(strings.Join(files, ", "))+s.Muted.Render(" · README.md beside it"), w))
		in := ""
		if len(v.c.langs) > 1 {
			in = fmt.Sprintf(" · in %s, %s switches", langName(v.lang), k.Lang.Help().Key)
		}
		head = append(head, s.Muted.Render(truncate(fmt.Sprintf("%s edits in $EDITOR · %s · %s re-checks now%s", k.Edit.Help().Key, how, k.Recheck.Help().Key, in), w)))
	}
	return append(head, v.statusLine(), "")
}

// body is everything below the header, and the lines where hints start.
func (v *exerciseScreen) body() (body []string, hintRows []int) {
	s, w := v.c.Styles, v.width
	switch v.confirm {
	case "solution":
		body = append(body, s.Question.Render(ansi.Wordwrap("Show the reference solution before you have passed? (y/n)", w, " ")))
	case "reset":
		body = append(body, s.Question.Render(ansi.Wordwrap(v.resetQuestion(), w, " ")))
	}
	switch {
	case v.solution != "":
		body = append(body, s.PanelTitle.Render("Reference solution")+s.Muted.Render("  (S or esc hides it)"))
		for _, line := range strings.Split(v.solution, "\n") {
			body = append(body, s.Code.Render(truncate(line, w)))
		}
	case v.showInstructions:
		text := v.instructions
		if text == "" && v.textErr != nil {
			text = "The instructions could not be read: " + v.textErr.Error()
		}
		body = append(body, strings.Split(v.c.Markdown.Render(text, w), "\n")...)
	default:
		body = append(body, v.checkLines()...)
		var hints []string
		hints, hintRows = v.hintLines()
		for i := range hintRows {
			hintRows[i] += len(body)
		}
		body = append(body, hints...)
	}
	if v.note != "" {
		// Wrapped, not cut: a note can name a path to open.
		body = append(body, "", s.Notice.Render(ansi.Wrap(v.note, max(1, w), " ")))
	}
	if v.notice != "" {
		body = append(body, s.Notice.Render(ansi.Wordwrap(v.notice, w, " ")))
	}
	return body, hintRows
}

func (v *exerciseScreen) resetQuestion() string {
	if v.ex.Kind == checker.State {
		return fmt.Sprintf("Reset %s: delete every secret under %s and seed the exercise again? (y/n)", v.ex.ID, v.ns)
	}
	return fmt.Sprintf("Reset %s: overwrite %s with the original stub? Your changes are lost. (y/n)", v.ex.ID, strings.Join(v.editFiles(), ", "))
}

func (v *exerciseScreen) statusLine() string {
	s, k, w := v.c.Styles, v.c.Keys, v.width
	switch {
	case v.grading && v.res == nil:
		return s.BadgeWait.Render("Checking…")
	case v.err != nil:
		return s.Error.Render(truncate("Grading could not run: "+v.err.Error(), w))
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
		return truncate(s.PassedBanner.Render("✓ Passed!")+s.Muted.Render(fmt.Sprintf("  %s next exercise · %s solution", k.NextExercise.Help().Key, k.Solution.Help().Key))+suffix, w)
	}
	return truncate(s.CheckFail.Render(fmt.Sprintf("%d of %d checks pass", passed, len(v.res.Checks)))+suffix, w)
}

func (v *exerciseScreen) checkLines() []string {
	s, w := v.c.Styles, v.width
	if v.res == nil {
		return nil
	}
	out := []string{s.PanelTitle.Render("Checks")}
	for _, c := range v.res.Checks {
		if c.Passed {
			line := c.Name
			if c.Reason != "" {
				line += " · " + c.Reason // e.g. which test caught a mutant
			}
			out = append(out, s.CheckPass.Render(" ✓ ")+truncate(line, w-3))
			continue
		}
		out = append(out, s.CheckFail.Render(" ✗ ")+truncate(c.Name, w-3))
		if c.Name == "compiles" && v.res.Compile != "" {
			for _, line := range strings.Split(v.res.Compile, "\n") {
				out = append(out, "     "+s.Code.Render(truncate(line, w-5)))
			}
			continue
		}
		for _, line := range strings.Split(ansi.Wordwrap(c.Reason, max(20, w-5), " "), "\n") {
			out = append(out, "     "+s.CheckReason.Render(truncate(line, w-5)))
		}
	}
	return out
}

// hintLines are the hints shown so far, as Markdown, and the line each
// starts at.
func (v *exerciseScreen) hintLines() (out []string, starts []int) {
	s, w := v.c.Styles, v.width
	shown := min(v.c.Progress.Exercise(v.ex.ID).Hints, len(v.hints))
	if len(v.hints) > 0 {
		out = append(out, "")
		label := fmt.Sprintf("Hints: %d of %d shown · %s for the next", shown, len(v.hints), v.c.Keys.Hint.Help().Key)
		if v.res != nil && !v.res.Passed {
			if f := v.res.FirstFailed(); f != nil && f.Hint > 0 {
				label += fmt.Sprintf(" (hint %d helps with the first failed check)", f.Hint)
			}
		}
		out = append(out, s.Muted.Render(truncate(label, w)))
	}
	for i := range shown {
		if i > 0 {
			out = append(out, "")
		}
		starts = append(starts, len(out))
		out = append(out, s.HintTitle.Render(fmt.Sprintf("Hint %d", i+1)))
		for _, line := range strings.Split(v.c.Markdown.Render(v.hints[i], w), "\n") {
			out = append(out, truncate(line, w))
		}
	}
	return out, starts
}
