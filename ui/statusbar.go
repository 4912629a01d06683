package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"secretlings/aws"
)

// health is what the status bar knows about the backend.
type health struct {
	checked bool
	aws.Health
}

// statusBar draws the one-line backend status: backend, endpoint, region and
// whether it answers.
func statusBar(c *Common, h health, width int) string {
	s := c.Styles
	t := c.Backend.Target
	endpoint := t.Endpoint
	if endpoint == "" {
		endpoint = "AWS regional endpoint"
	} else if from := endpointFrom(t); from != "" {
		endpoint += " (" + from + ")"
	}
	var badge, state string
	switch {
	case c.Backend.Err != nil:
		badge, state = s.BadgeDown.Render("✗ "+string(t.Backend)), "unavailable: "+c.Backend.Err.Error()
		endpoint = ""
	case !h.checked:
		badge, state = s.BadgeWait.Render("◌ "+string(t.Backend)), "checking…"
	case h.OK:
		badge, state = s.BadgeOK.Render("● "+string(t.Backend)), "answers in "+roundLatency(h.Latency)
	default:
		badge, state = s.BadgeDown.Render("✗ "+string(t.Backend)), "not answering: "+h.Err.Error()
	}
	return s.StatusBar.Width(width).Render(fitStatus(s, badge, []string{endpoint, t.Region}, state, max(1, width-2)))
}

// endpointFrom is where a configured endpoint came from, short: the
// variable, flag or profile ("profile dev's services section"), so a
// learner sees why the app talks to it; "" for the backends' defaults.
func endpointFrom(t aws.Target) string {
	switch t.Backend {
	case aws.Embedded:
		return ""
	}
	src := t.EndpointSource
	if i := strings.LastIndex(src, " in "); i > 0 && strings.Contains(src, "profile ") {
		src = src[:i] // the file's path is in --help and the errors, too long here
	}
	if src == "LocalStack default" {
		return ""
	}
	return strings.TrimPrefix(src, "the ")
}

// fitStatus lays out the status line in width cells. The state says what
// is wrong and how to fix it, so it is never cut: the region goes first,
// then the endpoint, and a state still too long wraps onto more lines.
func fitStatus(s *Styles, badge string, context []string, state string, width int) string {
	sep := s.StatusText.Render(" · ")
	for keep := len(context); keep >= 0; keep-- {
		parts := []string{badge}
		for _, p := range context[:keep] {
			if p != "" {
				parts = append(parts, s.StatusText.Render(p))
			}
		}
		line := strings.Join(append(parts, s.StatusText.Render(state)), sep)
		if lipgloss.Width(line) <= width {
			return line
		}
	}
	indent := lipgloss.Width(badge) + 1
	wrapped := strings.Split(wrapWords(state, max(10, width-indent)), "\n")
	lines := []string{badge + " " + s.StatusText.Render(wrapped[0])}
	for _, w := range wrapped[1:] {
		lines = append(lines, strings.Repeat(" ", indent)+s.StatusText.Render(truncate(w, width-indent)))
	}
	return strings.Join(lines, "\n")
}

func roundLatency(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return "<1 ms"
	case d < time.Second:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	default:
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
}

// wrapWords wraps plain text at spaces only, so a name like
// secretlings/json-and-versions/ is never split at its hyphens (x/ansi
// always breaks at -, so they travel as non-breaking hyphens meanwhile).
func wrapWords(s string, width int) string {
	s = strings.ReplaceAll(s, "-", "\u2011")
	return strings.ReplaceAll(ansi.Wordwrap(s, max(width, 1), ""), "\u2011", "-")
}
