package ui

import (
	"cmp"
	"fmt"
	"regexp"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"secretlings/checker"
	"secretlings/lessons"
	"secretlings/lessons/runner"
	"secretlings/mask"
)

// renderStep renders the step's prose with glamour, its actions as panels,
// and under each action the result of its last run.
func (m lessonModel) renderStep() (content string, resultTop int) {
	c, width := m.c, m.width
	var parts []string
	resultTop = -1
	idx := m.stepActions()
	k := 0
	results := m.results()
	for _, b := range m.lesson().Steps[m.step].Blocks {
		if b.Action == nil {
			parts = append(parts, c.Markdown.Render(b.Markdown, width))
			continue
		}
		i := idx[k]
		k++
		hint := ""
		if results[i] == nil && m.running != i && m.nextToRun() == i {
			hint = "press r to run it"
		}
		parts = append(parts, renderAction(c.Styles, b.Action, width, hint))
		switch {
		case m.running == i && results[i] == nil:
			parts = append(parts, "  "+m.spin.View()+c.Styles.Muted.Render(" running "+b.Action.Operation+"…"))
		case results[i] != nil:
			if i == m.selected {
				resultTop = 0
				for _, p := range parts {
					resultTop += lipgloss.Height(p) + 1 // parts are joined by a blank line
				}
			}
			parts = append(parts, m.renderResult(results[i], i == m.selected, width))
		}
	}
	if m.step == len(m.lesson().Steps)-1 {
		parts = append(parts, m.renderExercisesNext(width))
	}
	return strings.Join(parts, "\n\n") + "\n", resultTop
}

// renderExercisesNext ends the last step with what to do next: the lesson's
// exercises and the key that opens them, and where n goes.
func (m lessonModel) renderExercisesNext(width int) string {
	s, k := m.c.Styles, m.c.Keys
	inner := max(10, width-4-2-2)
	lines := []string{s.PanelTitle.Render("Put it to work")}
	var ids []string
	for _, e := range checker.All() {
		if e.Lesson == m.lesson().Dir {
			ids = append(ids, e.ID)
			lines = append(lines, truncate("  "+s.Value.Render(e.ID)+s.Muted.Render(" — "+e.Title), inner))
		}
	}
	switch len(ids) {
	case 0:
		lines = append(lines, s.Muted.Render(wrapWords("This lesson has no exercise of its own.", inner)))
	default:
		lines = append(lines, s.Muted.Render(wrapWords(fmt.Sprintf("%s opens the exercises (or run secretlings check %s).", k.Exercises.Keys()[0], ids[0]), inner)))
	}
	lines = append(lines, s.Muted.Render(wrapWords(k.Next.Keys()[0]+" finishes the lesson and goes home, to the next one not done.", inner)))
	return s.Panel.MarginLeft(2).Width(inner + 2).Render(strings.Join(lines, "\n"))
}

func (m lessonModel) nextToRun() int {
	for _, i := range m.stepActions() {
		if m.results()[i] == nil {
			return i
		}
	}
	return -1
}

func renderAction(s *Styles, a *lessons.Action, width int, hint string) string {
	keyWidth := 0
	for _, p := range a.Params {
		keyWidth = max(keyWidth, len(p.Name))
	}
	inner := max(10, width-4-2-2) // margins, border, padding
	title := "▶ " + a.Operation
	if a.IsDemo() {
		title = "▶ demo: " + a.Operation
	}
	lines := []string{s.ActionTitle.Render(title)}
	for _, p := range a.Params {
		value := showParam(p.Value)
		if runner.Sensitive(p.Name) {
			value = mask.Value(value)
		}
		line := s.ActionKey.Render(fmt.Sprintf("  %-*s  ", keyWidth, p.Name)) + s.ActionValue.Render(value)
		lines = append(lines, truncate(line, inner))
	}
	if a.As != "" {
		lines = append(lines, s.Muted.Render(truncate("  signed as "+runner.Principal(a.As), inner)))
	}
	if a.Expect != "" {
		lines = append(lines, s.Expect.Render(truncate("  expected to fail with "+a.Expect, inner)))
	}
	if hint != "" {
		lines = append(lines, s.Muted.Render(truncate("  "+hint, inner)))
	}
	return s.Action.Width(inner + 2).Render(strings.Join(lines, "\n"))
}

// renderResult draws what an action did: outcome, then the selected tab
// (response, request or one of the snippets), the version picture and notes.
func (m lessonModel) renderResult(res *runner.Result, selected bool, width int) string {
	s := m.c.Styles
	inner := max(10, width-4-2-2)
	var lines []string
	took := ""
	if res.Duration > 0 {
		took = " · " + roundLatency(res.Duration)
	}
	switch {
	case !res.Done:
		hint := ""
		if res.Operation == "ReadThroughCache" {
			hint = " (+ doubles the TTL, - halves it)"
		}
		lines = append(lines, s.Muted.Render(m.spin.View()+" "+res.Operation+" running…"+hint))
	case res.Skipped != "":
		lines = append(lines, s.Muted.Render("○ "+res.Operation+" not run on this backend"))
		lines = append(lines, s.Value.Width(inner).Render(res.Skipped))
	case res.Expected:
		lines = append(lines, s.Success.Render("✓ "+res.Operation+" failed as the lesson expected"+took))
		lines = append(lines, s.Value.Width(inner).Render(res.Explanation))
	case !res.OK():
		lines = append(lines, s.Error.Render("✗ "+res.Operation+took))
		lines = append(lines, s.Error.Width(inner).Render(res.Explanation))
	default:
		lines = append(lines, s.Success.Render("✓ "+res.Operation+took))
	}
	if res.As != "" && res.Skipped == "" && res.Done {
		lines = append(lines, s.Muted.Render(truncate("ran as "+res.As, inner)))
	}
	if selected && res.Done {
		// Brackets mark the selected tab, so it reads without colour too.
		var tabs []string
		for i, t := range m.c.tabs() {
			if i == m.tab {
				tabs = append(tabs, s.TabActive.Render("["+t+"]"))
			} else {
				tabs = append(tabs, s.TabInactive.Render(" "+t+" "))
			}
		}
		lines = append(lines, truncate(strings.Join(tabs, " "), inner))
		// JSON and code are cut in the middle with …, never wrapped inside
		// a string: the end of a line (an ARN's random suffix) matters.
		lines = append(lines, s.Code.Render(cutMiddles(strings.ReplaceAll(m.tabContent(res), "\t", "    "), inner)))
	}
	for _, l := range res.Lines {
		lines = append(lines, s.Value.Width(inner).Render(l))
	}
	if len(res.Versions) > 0 {
		lines = append(lines, renderVersions(s, res.Versions, inner))
	}
	for _, n := range res.Notes {
		lines = append(lines, s.Muted.Width(inner).Render(n))
	}
	return s.Panel.MarginLeft(2).Width(inner + 2).Render(strings.Join(lines, "\n"))
}

func (m lessonModel) tabContent(res *runner.Result) string {
	switch m.c.tabs()[m.tab] {
	case "Response":
		switch {
		case res.Skipped != "":
			return "(not sent on this backend)"
		case res.Response == "" && res.Err != nil:
			return "(no response: the call failed)"
		case res.Response == "" && len(res.Lines) > 0:
			return "(this demo's output is below)"
		case res.Response == "":
			return "(no response body)"
		case m.revealed && res.Revealed() != "":
			return res.Revealed() + "\n" + m.c.Styles.Revealed.Render("values revealed: they mask again when you leave this step (v hides them now)")
		}
		hint := ""
		if res.Revealed() != "" && res.Revealed() != res.Response {
			hint = "\n" + m.c.Styles.Muted.Render("values masked: v reveals them")
		}
		return res.Response + hint
	case "Request":
		return res.Request
	case "Go":
		return cmp.Or(res.Go, "(no Go equivalent)")
	case "aws CLI":
		return cmp.Or(res.CLI, "(no aws CLI equivalent: this demo runs in secretlings)")
	default:
		return cmp.Or(res.Python, "(no boto3 equivalent: this demo runs in secretlings)")
	}
}

// renderVersions draws a secret's versions oldest first, with their labels,
// so the learner sees where AWSCURRENT, AWSPREVIOUS and AWSPENDING sit.
// Ids are whole, as in the response, when every line fits; otherwise every
// id is cut to the same 8 characters and marked with ….
func renderVersions(s *Styles, vs []runner.Version, width int) string {
	draw := func(short bool) []string {
		lines := []string{s.Label.Render("versions, oldest first")}
		for _, v := range vs {
			id := v.ID
			if short && len(id) > 8 {
				id = id[:8] + "…"
			}
			dot, labels := s.Muted.Render("○"), []string{}
			for _, st := range v.Stages {
				labels = append(labels, stageStyle(s, st).Render(st))
				dot = s.StageCurrent.Render("●")
			}
			if len(labels) == 0 {
				labels = append(labels, s.Muted.Render("no label (deprecated)"))
			}
			lines = append(lines, "  "+dot+" "+s.Value.Render(id)+"  "+strings.Join(labels, " "))
		}
		return lines
	}
	lines := draw(false)
	for _, l := range lines {
		if lipgloss.Width(l) > width {
			lines = draw(true)
			break
		}
	}
	return strings.Join(lines, "\n")
}

// placeholder matches the lesson's fill-ins, which the runner resolves
// only when the action runs.
var placeholder = regexp.MustCompile(`\{\{\s*(stage\s+(\S+)|key\s+(\S+)|arn\s+(\S+)|demo-rotation-arn)\s*\}\}`)

// showParam says what a placeholder will become, before the run.
func showParam(v string) string {
	return placeholder.ReplaceAllStringFunc(v, func(p string) string {
		m := placeholder.FindStringSubmatch(p)
		switch {
		case m[2] != "":
			return "‹id of the version labelled " + m[2] + "›"
		case m[3] != "":
			return "‹id of the lesson's KMS key " + m[3] + "›"
		case m[4] != "":
			return "‹ARN of the secret " + m[4] + "›"
		}
		return "‹the demo rotation function's ARN›"
	})
}

// cutMiddles fits every line of s in width cells by cutting its middle.
func cutMiddles(s string, width int) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > width && width > 10 {
			head := ansi.Truncate(l, width*3/5, "")
			lines[i] = head + "…" + ansi.TruncateLeft(l, w-(width-ansi.StringWidth(head)-1), "")
		}
	}
	return strings.Join(lines, "\n")
}
