package ui

import (
	"strings"

	"github.com/charmbracelet/glamour"
	"github.com/charmbracelet/lipgloss"
)

// Markdown renders lesson prose for the terminal, caching by width and text,
// since glamour takes milliseconds per render and View runs on every key.
type Markdown struct {
	style string
	width int
	r     *glamour.TermRenderer
	cache map[string]string
}

// NewMarkdown returns a renderer using a glamour standard style (dark or
// light), in the colour profile lipgloss uses, so NO_COLOR and tests get the
// same layout without colour.
func NewMarkdown(style string) *Markdown {
	if style == "" {
		style = "dark"
	}
	return &Markdown{style: style, cache: map[string]string{}}
}

// Render renders src wrapped to width columns.
func (m *Markdown) Render(src string, width int) string {
	width = max(width, 20)
	if width != m.width || m.r == nil {
		r, err := glamour.NewTermRenderer(glamour.WithStandardStyle(m.style), glamour.WithColorProfile(lipgloss.ColorProfile()), glamour.WithWordWrap(width-4))
		if err != nil {
			return src
		}
		m.r, m.width, m.cache = r, width, map[string]string{}
	}
	if out, ok := m.cache[src]; ok {
		return out
	}
	out, err := m.r.Render(src)
	if err != nil {
		return src
	}
	out = strings.Trim(out, "\n")
	m.cache[src] = out
	return out
}
