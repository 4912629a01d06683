package ui

import (
	"regexp"
	"strings"

	"github.com/charmbracelet/glamour"
	"github.com/charmbracelet/glamour/ansi"
	"github.com/charmbracelet/glamour/styles"
	"github.com/charmbracelet/lipgloss"
	xansi "github.com/charmbracelet/x/ansi"
)

// Markdown renders lesson prose for the terminal, caching by width and text,
// since glamour takes milliseconds per render and View runs on every key.
type Markdown struct {
	style string
	width int
	r     *glamour.TermRenderer
	cache map[string]string
}

// markdownMargin is the left margin of rendered prose. It is the only
// margin: glamour wraps at exactly the width shown, so nothing wraps twice.
const markdownMargin = 2

// NewMarkdown returns a renderer using a glamour standard style: dark,
// light, or notty (also ascii) for NO_COLOR, in the colour profile lipgloss
// uses, so NO_COLOR and tests get the same layout without colour.
func NewMarkdown(style string) *Markdown {
	if style == "" {
		style = "dark"
	}
	return &Markdown{style: style, cache: map[string]string{}}
}

// markdownStyle is the glamour style named, adjusted so that it wraps once
// and reads without colour.
func markdownStyle(name string) ansi.StyleConfig {
	var c ansi.StyleConfig
	switch name {
	case "light":
		c = styles.LightStyleConfig
	case "notty", "ascii":
		c = styles.NoTTYStyleConfig
		// The ASCII style marks emphasis with ** and *, around every text
		// run inside it: a bold phrase broken over two source lines reads
		// "**$0.05**** per ****10,000 API calls**". Bold and italic are not
		// colour, so NO_COLOR keeps them.
		c.Strong = ansi.StylePrimitive{Bold: boolPtr(true)}
		c.Emph = ansi.StylePrimitive{Italic: boolPtr(true)}
	default:
		c = styles.DarkStyleConfig
	}
	// Glamour's word wrap does not count inline code's padding spaces (nor
	// the ASCII style's backticks), so a line with code overflowed and was
	// wrapped a second time, leaving an orphan word ("folders for / IAM /
	// policies"). Without colour, inline code reads as plain text.
	c.Code.Prefix, c.Code.Suffix, c.Code.BlockPrefix, c.Code.BlockSuffix = "", "", "", ""
	margin := uint(markdownMargin)
	c.Document.Margin = &margin
	return c
}

func boolPtr(b bool) *bool { return &b }

// Render renders src for a column width cells wide. Prose wraps to it; a
// longer line (code, an ARN) is cut with … rather than wrapped inside it.
func (m *Markdown) Render(src string, width int) string {
	width = max(width, 20)
	if width != m.width || m.r == nil {
		// A line is the margin plus WordWrap minus both margins wide.
		r, err := m.renderer(width + markdownMargin)
		if err != nil {
			return src
		}
		m.r, m.width, m.cache = r, width, map[string]string{}
	}
	if out, ok := m.cache[src]; ok {
		return out
	}
	var parts []string
	for _, seg := range splitFences(src) {
		r := m.r
		if seg.code {
			// Glamour wraps a whole document again at its width, breaking
			// code at - and . inside string literals: render code as wide
			// as it is, then cut it.
			var err error
			if r, err = m.renderer(10000); err != nil {
				return src
			}
		}
		// A tab is no cells wide to the width functions but several on the
		// terminal, so a line of tab-indented Go would overflow unseen.
		text := strings.ReplaceAll(seg.text, "\t", "    ")
		if !seg.code {
			// Glamour's word wrap breaks after a hyphen without counting it,
			// so each hyphen let a line run one cell long, and the document
			// was wrapped again ("a 5- / second / TTL"). A non-breaking
			// hyphen is counted; it goes back to - after rendering.
			for range 2 { // twice, for a-b-c, whose matches overlap
				text = wordHyphen.ReplaceAllString(text, "$1\u2011$2")
			}
		}
		out, err := r.Render(text)
		if err != nil {
			return src
		}
		out = strings.ReplaceAll(out, "\u2011", "-")
		if out = trimBlankLines(out); out != "" {
			parts = append(parts, fitLines(out, width))
		}
	}
	out := strings.Join(parts, "\n\n")
	m.cache[src] = out
	return out
}

func (m *Markdown) renderer(wordWrap int) (*glamour.TermRenderer, error) {
	return glamour.NewTermRenderer(glamour.WithStyles(markdownStyle(m.style)), glamour.WithColorProfile(lipgloss.ColorProfile()), glamour.WithWordWrap(wordWrap))
}

// trimBlankLines drops the blank (or only padded) lines glamour puts
// around a document, so segments join with exactly one blank line.
func trimBlankLines(s string) string {
	lines := strings.Split(s, "\n")
	blank := func(l string) bool { return strings.TrimSpace(xansi.Strip(l)) == "" }
	for len(lines) > 0 && blank(lines[0]) {
		lines = lines[1:]
	}
	for len(lines) > 0 && blank(lines[len(lines)-1]) {
		lines = lines[:len(lines)-1]
	}
	return strings.Join(lines, "\n")
}

// fitLines cuts every line to width cells: the padding glamour adds simply,
// content with a … marker.
func fitLines(out string, width int) string {
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		if xansi.StringWidth(l) <= width {
			continue
		}
		tail := ""
		if xansi.StringWidth(strings.TrimRight(xansi.Strip(l), " ")) > width {
			tail = "…"
		}
		lines[i] = xansi.Truncate(l, width, tail)
	}
	return strings.Join(lines, "\n")
}

// segment is a run of Markdown: prose, or one fenced code block.
type segment struct {
	text string
	code bool
}

// splitFences splits src into prose and fenced code blocks, and joins each
// prose paragraph's and list item's source lines: glamour keeps a list
// item's line breaks, and then wraps again at the column, which left words
// alone on a line at widths below the source's.
func splitFences(src string) []segment {
	var segs []segment
	var cur []string
	inCode := false
	flush := func(code bool) {
		if len(cur) > 0 {
			segs = append(segs, segment{text: strings.Join(cur, "\n"), code: code})
		}
		cur = nil
	}
	for _, line := range strings.Split(src, "\n") {
		fence := strings.HasPrefix(strings.TrimSpace(line), "```")
		switch {
		case fence && !inCode:
			flush(false)
			inCode = true
			cur = append(cur, line)
		case fence && inCode:
			cur = append(cur, line)
			flush(true)
			inCode = false
		case !inCode && len(cur) > 0 && continues(cur[len(cur)-1], line):
			cur[len(cur)-1] += " " + strings.TrimSpace(line)
		default:
			cur = append(cur, line)
		}
	}
	flush(inCode)
	return segs
}

var wordHyphen = regexp.MustCompile(`(\w)-(\w)`)

var blockStart = regexp.MustCompile(`^\s*([-*+•]|\d+[.)]|#|>|\|)(\s|$)`)

// continues reports that line is a soft-wrapped continuation of prev.
func continues(prev, line string) bool {
	if strings.TrimSpace(prev) == "" || strings.TrimSpace(line) == "" {
		return false
	}
	if strings.HasSuffix(prev, "  ") || strings.HasSuffix(prev, "\\") || strings.HasPrefix(strings.TrimSpace(prev), "#") || strings.HasPrefix(strings.TrimSpace(prev), "|") {
		return false // a hard break, a heading or a table row
	}
	if strings.HasPrefix(prev, "    ") && !blockStart.MatchString(prev) && !strings.HasPrefix(line, "    ") {
		return false
	}
	return !blockStart.MatchString(line)
}
