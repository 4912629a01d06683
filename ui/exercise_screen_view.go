package ui

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/lipgloss"
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
		in := fmt.Sprintf(" · in %s, %s switches", langName(v.lang), k.Lang.Help().Key)
		head = append(head, s.Muted.Render(truncate(fmt.Sprintf("%s edits in $EDITOR · %s · %s re-checks now%s", k.Edit.Help().Key, how, k.Recheck.Help().Key, in), w)))
	}
	head = append(head, v.statusLines()...)
	// Notes stay in sight: the body below scrolls, and a note at its end
	// would be below the fold.
	for _, note := range []string{v.note, v.c.flashText, v.notice} {
		if note != "" {
			head = append(head, wrapLines(s.Notice, note, w, 4)...)
		}
	}
	return append(head, "")
}

// wrapLines wraps text at width into at most max lines in style, the last
// one cut with an ellipsis when there is more.
func wrapLines(style lipgloss.Style, text string, width, max int) []string {
	lines := strings.Split(ansi.Wrap(text, width, " "), "\n")
	if len(lines) > max {
		lines = lines[:max]
		lines[max-1] = truncate(lines[max-1]+" …", width)
	}
	for i, l := range lines {
		lines[i] = style.Render(l)
	}
	return lines
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
	case v.showOutput:
		body = append(body, s.PanelTitle.Render("What the program printed")+s.Muted.Render(fmt.Sprintf("  (secret values masked · %s or esc goes back to the checks)", v.c.Keys.Output.Help().Key)))
		out := ""
		if v.res != nil {
			out = strings.TrimRight(v.res.Output, "\n")
		}
		if out == "" {
			out = "(nothing: no grading has run the program yet, or it printed nothing)"
		}
		for _, line := range strings.Split(out, "\n") {
			body = append(body, s.Code.Render(truncate(line, w)))
		}
		body = append(body, "", s.Muted.Render(ansi.Wordwrap(v.runItYourself(), max(1, w), " ")))
	case v.solution != "":
		body = append(body, s.PanelTitle.Render("Reference solution")+s.Muted.Render("  (S or esc hides it)"))
		for _, line := range strings.Split(v.solution, "\n") {
			body = append(body, s.Code.Render(truncate(line, w)))
		}
	case v.showInstructions:
		text := instructionsIn(v.instructions, v.lang)
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
	return body, hintRows
}

// runItYourself says how to run the program by hand, seeded as for a
// grading.
func (v *exerciseScreen) runItYourself() string {
	cmd := "secretlings run " + v.ex.ID
	if v.lang == checker.Python {
		cmd += " --lang python"
	}
	return "Run it yourself, against a Secrets Manager seeded as for a grading, with the variables its README names: " + cmd
}

func (v *exerciseScreen) resetQuestion() string {
	if v.ex.Kind == checker.State {
		return fmt.Sprintf("Reset %s: delete every secret under %s and seed the exercise again? (y/n)", v.ex.ID, v.ns)
	}
	return fmt.Sprintf("Reset %s: overwrite %s with the original stub? Your version is kept in .secretlings/backups/%s/ (secretlings reset --undo %s puts it back). (y/n)", v.ex.ID, strings.Join(v.editFiles(), ", "), v.ex.ID, v.ex.ID)
}

// statusLines say how the grading stands: waiting for Python or why it
// cannot run, checking, passed, or how many checks pass.
func (v *exerciseScreen) statusLines() []string {
	s := v.c.Styles
	if why := v.c.notReady(v.lang); why != "" {
		if v.c.pythonPending() {
			return []string{s.BadgeWait.Render(why)}
		}
		return wrapLines(s.Error, why+fmt.Sprintf(" (%s grades this exercise in Go instead.)", v.c.Keys.Lang.Help().Key), max(1, v.width), 6)
	}
	return []string{v.statusLine()}
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
	extra := ""
	if v.passed() {
		extra = " · it passed before, and fails now"
	}
	if v.res.Output != "" {
		extra += fmt.Sprintf(" · %s shows what the program printed", k.Output.Help().Key)
	}
	return truncate(s.CheckFail.Render(fmt.Sprintf("%d of %d checks pass", passed, len(v.res.Checks)))+s.Muted.Render(extra)+suffix, w)
}

func (v *exerciseScreen) checkLines() []string {
	s, w := v.c.Styles, v.width
	if v.res == nil {
		return nil
	}
	out := []string{s.PanelTitle.Render("Checks")}
	// In the words of the exercise's language (check names are the
	// graders', in Go's).
	say := func(text string) string { return checker.Shown(text, v.lang) }
	for _, c := range v.res.Checks {
		if c.Passed {
			line := say(c.Name)
			if c.Reason != "" {
				line += " · " + say(c.Reason) // e.g. which test caught a mutant
			}
			out = append(out, s.CheckPass.Render(" ✓ ")+truncate(line, w-3))
			continue
		}
		name := say(c.Name)
		if c.Hint > 0 && len(v.hints) > 0 {
			name += s.Muted.Render(fmt.Sprintf(" · hint %d", c.Hint))
		}
		out = append(out, s.CheckFail.Render(" ✗ ")+truncate(name, w-3))
		if c.Name == "compiles" && v.res.Compile != "" {
			for _, line := range strings.Split(v.res.Compile, "\n") {
				out = append(out, "     "+s.Code.Render(truncate(line, w-5)))
			}
			continue
		}
		for _, line := range strings.Split(ansi.Wordwrap(say(c.Reason), max(20, w-5), " "), "\n") {
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
		// Which hint goes with which check is on the check's line.
		label := fmt.Sprintf("Hints: %d of %d shown · %s for the next", shown, len(v.hints), v.c.Keys.Hint.Help().Key)
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
