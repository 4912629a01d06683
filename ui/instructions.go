package ui

import (
	"strings"

	"secretlings/checker"
)

// pythonSection is the heading of an exercise README's Python section.
const pythonSection = "## In Python"

// instructionsIn is an exercise's README as a learner of lang reads it. In
// Python, the "In Python" section comes first, under the title, and the
// rest (written for Go, with the steps and checks both languages share)
// follows under a heading that says so; in Go, and for a README without
// that section, it is the README as written.
func instructionsIn(text string, lang checker.Lang) string {
	if lang != checker.Python {
		return text
	}
	start := strings.Index(text, "\n"+pythonSection+"\n")
	if start < 0 {
		return text
	}
	before, section := text[:start+1], text[start+1:]
	after := ""
	if end := strings.Index(section[len(pythonSection):], "\n## "); end >= 0 {
		end += len(pythonSection) + 1
		section, after = section[:end], section[end:]
	}
	title, goPart := "", before
	if strings.HasPrefix(before, "# ") {
		title, goPart, _ = strings.Cut(before, "\n")
		title += "\n\n"
	}
	var b strings.Builder
	b.WriteString(title)
	b.WriteString(strings.TrimRight(section, "\n") + "\n\n")
	b.WriteString("## The exercise in full (written for Go; the steps and checks are the same in Python)\n\n")
	b.WriteString(strings.TrimSpace(goPart) + "\n")
	if after = strings.TrimSpace(after); after != "" {
		b.WriteString("\n" + after + "\n")
	}
	return b.String()
}
