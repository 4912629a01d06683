package browser

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"secretlings/ui/common"
)

var truncate = common.Truncate

// fit pads or cuts s to exactly w cells.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if sw := ansi.StringWidth(s); sw > w {
		return ansi.Truncate(s, w, "…")
	} else if sw < w {
		return s + strings.Repeat(" ", w-sw)
	}
	return s
}

// cutMiddle shortens s to w cells by dropping its middle: the end of a
// secret's name (its last path part) tells secrets apart more often than
// the start, which they tend to share.
func cutMiddle(s string, w int) string {
	if ansi.StringWidth(s) <= w {
		return s
	}
	if w <= 2 {
		return ansi.Truncate(s, max(w, 0), "")
	}
	head := (w - 1) / 3
	tail := w - 1 - head
	return ansi.Truncate(s, head, "") + "…" + ansi.TruncateLeft(s, ansi.StringWidth(s)-tail, "")
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04")
}

func fmtDate(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.UTC().Format("2006-01-02")
}

// plural is "1 secret", "2 secrets".
func plural(n int, one string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %ss", n, one)
}

// label is a field name in the key/value lists, padded to one column.
func label(s *common.Styles, l string) string {
	return s.Label.Render(fmt.Sprintf("%-12s", l)) + " "
}

// stage draws a staging label from the backend, made safe to print.
func stage(s *common.Styles, l string) string {
	l = cleanLine(l)
	return common.StageStyle(s, l).Render(l)
}

// shortID shortens a version id for status lines.
func shortID(id string) string {
	if len(id) > 8 {
		return id[:8] + "…"
	}
	return id
}

// wrapAt breaks s into lines of at most w cells, preferring to break after
// one of the separators (an ARN's colons and slashes), so that nothing of
// an identifier is cut off.
func wrapAt(s string, w int, seps string) []string {
	w = max(w, 1)
	var out []string
	for ansi.StringWidth(s) > w {
		cut := strings.LastIndexAny(ansi.Truncate(s, w, ""), seps) + 1
		if cut <= 0 {
			cut = len(ansi.Truncate(s, w, ""))
		}
		out = append(out, s[:cut])
		s = s[cut:]
	}
	return append(out, s)
}

// cleanLine makes text from the backend safe to draw on one line: control
// characters (an escape sequence in a description or a revealed value
// could restyle the terminal, or even set its clipboard) are shown as
// escapes, and newlines and tabs too.
func cleanLine(s string) string { return escapeControls(s, false) }

// cleanText is cleanLine for multi-line text: newlines stay, tabs become
// spaces.
func cleanText(s string) string { return escapeControls(s, true) }

func isControl(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }

func escapeControls(s string, multiline bool) string {
	if !strings.ContainsFunc(s, isControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case multiline && r == '\n':
			b.WriteByte('\n')
		case multiline && r == '\t':
			b.WriteString("    ")
		case isControl(r):
			fmt.Fprintf(&b, "\\x%02x", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
