package ui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"secretlings/checker"
	"secretlings/internal/progress"
)

// BenchmarkExerciseScreenKey is one scroll key on an open exercise with
// its checks and three hints shown: Update (which lays the body out again)
// and View, what a keypress costs.
func BenchmarkExerciseScreenKey(b *testing.B) {
	p := progress.New()
	p.Exercise("config-manager").Hints = 3
	c := New(Options{Progress: p, Now: fixedNow, MarkdownStyle: "dark"}).c
	all := checker.All()
	v, _ := newExerciseScreen(c, nil, all, 1, "")
	v.hints = []string{"Use `os.Getenv(\"DATABASE_SECRET_NAME\")` for the name.", "Decode with `json.Unmarshal` into a struct.", "A missing secret is a `*types.ResourceNotFoundException`."}
	v.res = &checker.Result{Checks: []checker.Check{{Name: "compiles", Passed: true}, {Name: "reads the secret", Reason: "it read prod/database instead", Hint: 1}}}
	v.SetSize(98, 26)
	down := tea.KeyMsg{Type: tea.KeyDown}
	b.ResetTimer()
	for range b.N {
		v, _ = v.Update(down)
		_ = v.View()
	}
}
