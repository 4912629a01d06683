package ui

import (
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"secretlings/lessons"
)

var (
	fencedCode = regexp.MustCompile("(?s)```.*?```")
	listMarker = regexp.MustCompile(`^(•|-|\*|\d+\.) `)
)

// TestProseWrapsOnceAtTheWidthShown renders every paragraph of every lesson
// at the lesson's width for 100 and 60 columns, in each style, and checks the
// wrapping is one greedy pass: no line is wider than the column, and no line
// ends early although the next line's first word would have fitted — the
// orphan a second wrap leaves ("good folders for / IAM / policies").
func TestProseWrapsOnceAtTheWidthShown(t *testing.T) {
	all, err := lessons.All()
	if err != nil {
		t.Fatal(err)
	}
	for _, style := range []string{"dark", "light", "notty"} {
		for _, cols := range []int{100, 60} {
			width := cols - 2 // the App style's padding
			md := NewMarkdown(style)
			for _, l := range all {
				for _, st := range l.Steps {
					for _, b := range st.Blocks {
						if b.Action != nil {
							continue
						}
						prose := fencedCode.ReplaceAllString(b.Markdown, "")
						checkGreedy(t, style, cols, st.Title, md.Render(prose, width), width)
					}
				}
			}
		}
	}
}

func checkGreedy(t *testing.T, style string, cols int, step, out string, width int) {
	t.Helper()
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > width {
			t.Errorf("%s at %d columns, %q: a line is %d cells in a %d-cell column: %q", style, cols, step, w, width, ansi.Strip(l))
		}
		if i+1 == len(lines) {
			break
		}
		cur := strings.TrimRight(ansi.Strip(l), " ")
		next := strings.TrimRight(ansi.Strip(lines[i+1]), " ")
		body := strings.TrimLeft(next, " ")
		if cur == "" || body == "" || listMarker.MatchString(body) {
			continue
		}
		word, _, _ := strings.Cut(body, " ")
		if ansi.StringWidth(cur)+1+ansi.StringWidth(word) <= width {
			t.Errorf("%s at %d columns, %q: %q would have fitted after\n%q", style, cols, step, word, cur)
		}
	}
}

// TestNoColorProseHasNoMarkdownMarkers checks that NO_COLOR's style shows
// emphasis without raw ** (which glamour repeats around every text run).
func TestNoColorProseHasNoMarkdownMarkers(t *testing.T) {
	out := NewMarkdown("notty").Render("What it costs: **$0.40 per secret per month** and **$0.05 per\n10,000 API calls**, _roughly_.", 58)
	plain := ansi.Strip(out)
	if strings.Contains(plain, "**") || strings.Contains(plain, "_roughly_") {
		t.Fatalf("NO_COLOR prose shows Markdown markers:\n%s", plain)
	}
	if !strings.Contains(plain, "$0.05 per") || !strings.Contains(out, "\x1b[") {
		t.Fatalf("the emphasis is lost (no bold attribute):\n%q", out)
	}
}

// TestLongCodeLinesAreCutNotWrapped checks that a code line wider than the
// column ends in … instead of wrapping inside a string literal.
func TestLongCodeLinesAreCutNotWrapped(t *testing.T) {
	arn := "arn:aws:secretsmanager:us-east-1:123456789012:secret:secretlings/02-json-and-versions/app-config-a1B2c3"
	out := NewMarkdown("dark").Render("```\nsecretId := \""+arn+"\"\n```", 58)
	var code string
	for _, l := range strings.Split(ansi.Strip(out), "\n") {
		if strings.Contains(l, "secretId") {
			code = l
		}
		if ansi.StringWidth(l) > 58 {
			t.Errorf("a line is wider than the column: %q", l)
		}
		if strings.Contains(l, "a1B2c3") && !strings.Contains(l, "secretId") {
			t.Errorf("the string literal wrapped onto another line: %q", l)
		}
	}
	if !strings.HasSuffix(strings.TrimRight(code, " "), "…") {
		t.Errorf("the cut line has no … marker: %q", code)
	}
}

// TestTabIndentedCodeFits checks Go code indented with tabs is measured as
// the terminal shows it, so its long lines are cut too.
func TestTabIndentedCodeFits(t *testing.T) {
	out := NewMarkdown("dark").Render("```go\nif err != nil {\n\t\treturn fmt.Errorf(\"reading secret %s: %w\", name, err)\n}\n```", 50)
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "\t") || ansi.StringWidth(l) > 50 {
			t.Errorf("a code line would overflow 50 cells on a terminal: %q", ansi.Strip(l))
		}
	}
}
