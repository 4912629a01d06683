package ui

import (
	"fmt"
	"strings"
	"time"

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
	parts := []string{badge}
	for _, p := range []string{endpoint, t.Region, state} {
		if p != "" {
			parts = append(parts, s.StatusText.Render(p))
		}
	}
	line := strings.Join(parts, s.StatusText.Render(" · "))
	return s.StatusBar.Width(width).MaxHeight(1).Render(truncate(line, width-2))
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
