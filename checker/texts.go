package checker

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// FindRoot finds the secretlings checkout that holds the exercises: dir or
// one of its parents with a go.mod for module secretlings and a lessons/
// folder.
func FindRoot(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := abs; ; {
		if data, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil && modulePath(data) == "secretlings" {
			if fi, err := os.Stat(filepath.Join(d, "lessons")); err == nil && fi.IsDir() {
				return d, nil
			}
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fmt.Errorf("no secretlings checkout found in %s or its parents: exercises are files in the repository, so run secretlings from your clone (git clone, then cd into it)", abs)
		}
		d = parent
	}
}

func modulePath(gomod []byte) string {
	for _, line := range strings.Split(string(gomod), "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "module "); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`)
		}
	}
	return ""
}

// Instructions returns the exercise's README.md.
func Instructions(root string, ex *Exercise) (string, error) {
	data, err := os.ReadFile(filepath.Join(root, ex.Dir(), "README.md"))
	return string(data), err
}

// Hints returns the exercise's tiered hints, from its hints.md: one per
// "## " section, in order.
func Hints(root string, ex *Exercise) ([]string, error) {
	data, err := os.ReadFile(filepath.Join(root, ex.Dir(), "hints.md"))
	if err != nil {
		return nil, err
	}
	return parseHints(string(data)), nil
}

func parseHints(doc string) []string {
	var hints []string
	// A "## " heading starts a line: at the start of doc or after a newline.
	for _, section := range strings.Split("\n"+doc, "\n## ")[1:] {
		_, body, _ := strings.Cut(section, "\n") // drop the heading's own line
		hints = append(hints, strings.TrimSpace(body))
	}
	return hints
}
