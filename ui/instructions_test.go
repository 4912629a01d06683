package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"secretlings/checker"
)

// In Python, every code exercise's instructions open with the Python
// section, and nothing of the README is lost; in Go they are as written.
func TestInstructionsPutTheLanguageFirst(t *testing.T) {
	root, err := checker.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, ex := range checker.All() {
		if ex.Kind != checker.Code || !ex.Has(checker.Python) {
			continue
		}
		data, err := os.ReadFile(filepath.Join(root, ex.Dir(), "README.md"))
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		if got := instructionsIn(text, checker.Go); got != text {
			t.Errorf("%s: the Go instructions are not the README as written", ex.ID)
		}
		got := instructionsIn(text, checker.Python)
		title, rest, _ := strings.Cut(got, "\n")
		if !strings.HasPrefix(title, "# ") || !strings.HasPrefix(strings.TrimLeft(rest, "\n"), pythonSection+"\n") {
			t.Errorf("%s: the Python instructions do not open with %q:\n%s", ex.ID, pythonSection, got)
		}
		// Every line of the README is still there, once.
		for _, line := range strings.Split(text, "\n") {
			if line = strings.TrimSpace(line); line != "" && strings.Count(got, line) < strings.Count(text, line) {
				t.Errorf("%s: the Python instructions lost %q", ex.ID, line)
			}
		}
		if py, goSteps := strings.Index(got, pythonSection), strings.Index(got, "written for Go"); py < 0 || goSteps < py {
			t.Errorf("%s: the Go text comes before the Python section", ex.ID)
		}
	}
}
