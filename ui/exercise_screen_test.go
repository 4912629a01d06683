package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"

	"secretlings/checker"
	"secretlings/internal/progress"
)

// fakeGrader stands in for the checker: canned results, counted calls, and
// a copy of the exercise folders in a temporary root.
type fakeGrader struct {
	root string

	mu       sync.Mutex
	grades   map[string]int
	prepares map[string]int
	resets   []string
	langs    map[string]checker.Lang // the language of each exercise's latest grading
	// pass decides a grading's outcome from the exercise and the number
	// of gradings of it so far (1 for the first).
	pass func(id string, n int) bool
	// output is what a failed grading's program printed.
	output string
}

func (g *fakeGrader) Root() string { return g.root }

func (g *fakeGrader) Grade(_ context.Context, ex *checker.Exercise, ns string, lang checker.Lang) (*checker.Result, error) {
	g.mu.Lock()
	if g.langs == nil {
		g.langs = map[string]checker.Lang{}
	}
	g.langs[ex.ID] = lang
	g.grades[ex.ID]++
	n := g.grades[ex.ID]
	g.mu.Unlock()
	res := &checker.Result{Exercise: ex.ID, Namespace: ns, Passed: g.pass(ex.ID, n)}
	res.Checks = []checker.Check{{Name: "compiles", Passed: true}}
	if res.Passed {
		res.Checks = append(res.Checks, checker.Check{Name: "reads the secret named by $DATABASE_SECRET_NAME", Passed: true})
	} else {
		res.Checks = append(res.Checks, checker.Check{Name: "reads the secret named by $DATABASE_SECRET_NAME", Reason: "it read secretlings/prod/database instead: take the name from the environment", Hint: 1})
		res.NextHint = "hint one"
		res.Output = g.output
	}
	return res, nil
}

func (g *fakeGrader) Prepare(_ context.Context, ex *checker.Exercise, _ string) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.prepares[ex.ID]++
	return nil
}

func (g *fakeGrader) Reset(_ context.Context, ex *checker.Exercise, _ string) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.resets = append(g.resets, ex.ID)
	return nil
}

func (g *fakeGrader) count(id string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.grades[id]
}

// useFakeGrader makes the exercise screens grade with a fake whose root
// holds copies of the real exercise folders, and shortens watch mode's
// timings.
func useFakeGrader(t *testing.T, pass func(id string, n int) bool) *fakeGrader {
	t.Helper()
	src, err := checker.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	for _, ex := range checker.All() {
		copyDir(t, filepath.Join(src, ex.Dir()), filepath.Join(root, ex.Dir()))
	}
	g := &fakeGrader{root: root, grades: map[string]int{}, prepares: map[string]int{}, pass: pass}
	oldNew, oldPoll, oldDebounce := newExerciseGrader, exercisePoll, exerciseDebounce
	newExerciseGrader = func(*Common) (exerciseGrader, error) { return g, nil }
	exercisePoll, exerciseDebounce = 50*time.Millisecond, 20*time.Millisecond
	t.Cleanup(func() { newExerciseGrader, exercisePoll, exerciseDebounce = oldNew, oldPoll, oldDebounce })
	return g
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func never(string, int) bool { return false }

// openExercises starts the app and opens the exercise list with e.
func openExercises(t *testing.T, h *harness, p *progress.Progress) *teatest.TestModel {
	t.Helper()
	tm := start(t, newModel(t, h, p), 100, 30)
	waitFor(t, tm, "Store and retrieve")
	tm.Send(press("e"))
	waitFor(t, tm, "graded on every save")
	return tm
}

func TestExerciseList(t *testing.T) {
	useFakeGrader(t, never)
	p := progress.New()
	p.Exercise("create-secret").Passed = true
	tm := openExercises(t, &harness{}, p)
	tm.Send(press("j"))
	waitFor(t, tm, "▸  2  config-manager")
	view := finalView(t, tm)
	for _, ex := range checker.All() {
		if !strings.Contains(view, ex.ID) {
			t.Errorf("the list lacks %s", ex.ID)
		}
	}
	if !strings.Contains(view, fmt.Sprintf("1 of %d done", len(checker.All()))) || strings.Count(view, "DONE") != 1 {
		t.Errorf("the list does not show the progress:\n%s", view)
	}
	// Each exercise shows under its lesson.
	for _, want := range []string{"Lesson 1 · Store and retrieve", "Lesson 4 · Caching", "Lesson 5 · Masking"} {
		if !strings.Contains(view, want) {
			t.Errorf("the list lacks the heading %q:\n%s", want, view)
		}
	}
	teatest.RequireEqualOutput(t, []byte(view))
}

func TestExerciseFilter(t *testing.T) {
	useFakeGrader(t, never)
	tm := openExercises(t, &harness{}, nil)
	tm.Send(press("/"))
	for _, r := range "cach" {
		tm.Send(press(string(r)))
	}
	waitFor(t, tm, "/ cach")
	tm.Send(press("enter"))
	view := finalView(t, tm)
	if !strings.Contains(view, "ttl-cache") || strings.Contains(view, "config-manager") {
		t.Errorf("the filter does not narrow the list:\n%s", view)
	}
	teatest.RequireEqualOutput(t, []byte(view))
}

// Saving the file re-grades; a pass is shown, saved to the progress, and
// does not move on by itself.
func TestExerciseWatchRegradesOnSave(t *testing.T) {
	g := useFakeGrader(t, func(id string, n int) bool { return n >= 2 })
	h := &harness{}
	tm := openConfigManager(t, h, 100, 30)
	if g.count("config-manager") != 1 {
		t.Fatalf("graded %d times on opening", g.count("config-manager"))
	}
	file := filepath.Join(g.root, "lessons", "01-store-and-retrieve", "config-manager", "main.go")
	// Saved as editors save, in one change: written beside the file with a
	// later modification time than the copy's (so polling sees it too), then
	// renamed over it. Writing in place and then setting the time would be
	// two changes, and a second grading could be under way at the end.
	saved := file + ".new"
	if err := os.WriteFile(saved, []byte("package main\n\nfunc main() {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(2 * time.Second)
	if err := os.Chtimes(saved, later, later); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(saved, file); err != nil {
		t.Fatal(err)
	}
	waitFor(t, tm, "Passed!")
	view := finalView(t, tm)
	if !strings.Contains(view, exerciseOf(2)) {
		t.Errorf("passing moved on by itself:\n%s", view)
	}
	if last := h.last(); last == nil || !last.Exercises["config-manager"].Passed {
		t.Error("the pass was not saved to the progress")
	}
	teatest.RequireEqualOutput(t, []byte(view))
}

// r re-checks by hand, for filesystems that miss saves.
func TestExerciseManualRecheck(t *testing.T) {
	g := useFakeGrader(t, never)
	tm := openConfigManager(t, &harness{}, 100, 30)
	tm.Send(press("r"))
	deadline := time.Now().Add(5 * time.Second)
	for g.count("config-manager") < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := g.count("config-manager"); n != 2 {
		t.Fatalf("graded %d times, want 2", n)
	}
	finalView(t, tm)
}

func TestExerciseHintsOneByOne(t *testing.T) {
	useFakeGrader(t, never)
	h := &harness{}
	tm := openExercises(t, h, nil)
	tm.Send(press("j"))
	tm.Send(press("enter"))
	waitFor(t, tm, "Hints: 0 of 3 shown")
	tm.Send(press("h"))
	waitFor(t, tm, "Hints: 1 of 3 shown")
	view := finalView(t, tm)
	if !strings.Contains(view, "Hint 1") || strings.Contains(view, "Hint 2") {
		t.Errorf("want exactly the first hint:\n%s", view)
	}
	if last := h.last(); last == nil || last.Exercises["config-manager"].Hints != 1 {
		t.Error("the revealed hint was not saved")
	}
	teatest.RequireEqualOutput(t, []byte(view))
}

// Before a pass, the solution needs a yes; no keeps it hidden.
func TestExerciseSolutionAsksBeforeAPass(t *testing.T) {
	useFakeGrader(t, never)
	tm := openConfigManager(t, &harness{}, 100, 30)
	tm.Send(press("S"))
	waitFor(t, tm, "before you have passed? (y/n)")
	tm.Send(press("n"))
	tm.Send(press("S"))
	tm.Send(press("y"))
	waitFor(t, tm, "Reference solution")
	view := finalView(t, tm)
	if !strings.Contains(view, "config-manager/solution/main.go") {
		t.Errorf("the solution is not shown:\n%s", view)
	}
}

// After a pass the solution is offered without a question.
func TestExerciseSolutionAfterAPass(t *testing.T) {
	useFakeGrader(t, func(string, int) bool { return true })
	tm := openExercises(t, &harness{}, nil)
	tm.Send(press("j"))
	tm.Send(press("enter"))
	waitFor(t, tm, "Passed!")
	tm.Send(press("S"))
	waitFor(t, tm, "Reference solution")
	tm.Send(press("n"))
	waitFor(t, tm, exerciseOf(3))
	finalView(t, tm)
}

func TestExerciseResetAsksFirst(t *testing.T) {
	g := useFakeGrader(t, never)
	tm := openConfigManager(t, &harness{}, 100, 30)
	tm.Send(press("R"))
	waitFor(t, tm, "(secretlings reset --undo config-manager puts it back). (y/n)")
	tm.Send(press("n"))
	tm.Send(press("R"))
	tm.Send(press("y"))
	waitFor(t, tm, "back at its start")
	finalView(t, tm)
	g.mu.Lock()
	defer g.mu.Unlock()
	if fmt.Sprint(g.resets) != "[config-manager]" {
		t.Fatalf("resets %v, want one of config-manager", g.resets)
	}
}

// A state exercise shows the exact name to create, from a namespace kept in
// the progress, and its starting state is prepared.
func TestExerciseStateShowsTheName(t *testing.T) {
	g := useFakeGrader(t, never)
	p := progress.New()
	p.Exercise("rollback").Namespace = "secretlings/ex/rollback/0badcafe/"
	tm := openExercises(t, &harness{}, p)
	tm.Send(press("j"))
	tm.Send(press("j"))
	tm.Send(press("enter"))
	// The grading's result, not the name: the name is drawn before it.
	waitFor(t, tm, "1 of 2 checks pass")
	view := finalView(t, tm)
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.prepares["rollback"] == 0 {
		t.Error("the seeded state was not prepared")
	}
	teatest.RequireEqualOutput(t, []byte(view))
}

// When the last exercise passes, every exercise is graded once more.
func TestExerciseAllPassReverifies(t *testing.T) {
	g := useFakeGrader(t, func(string, int) bool { return true })
	p := progress.New()
	for _, ex := range checker.All() {
		if ex.ID != "config-manager" {
			p.Exercise(ex.ID).Passed = true
		}
	}
	tm := openExercises(t, &harness{}, p)
	tm.Send(press("c"))
	waitFor(t, tm, "re-verified")
	finalView(t, tm)
	for _, ex := range checker.All() {
		if g.count(ex.ID) == 0 {
			t.Errorf("%s was not re-verified", ex.ID)
		}
	}
}

// Without a backend the list still shows and says why nothing can be graded.
func TestExerciseWithoutBackend(t *testing.T) {
	tm := openExercises(t, &harness{}, nil)
	view := finalView(t, tm)
	if !strings.Contains(view, "no backend is connected") {
		t.Errorf("no explanation:\n%s", view)
	}
}

// i shows the exercise's instructions, and i again the checklist.
func TestExerciseInstructions(t *testing.T) {
	useFakeGrader(t, never)
	tm := openConfigManager(t, &harness{}, 100, 30)
	tm.Send(press("i"))
	waitFor(t, tm, "DATABASE_SECRET_NAME")
	tm.Send(press("i"))
	view := finalView(t, tm)
	if !strings.Contains(view, "Checks") {
		t.Errorf("i did not switch back to the checks:\n%s", view)
	}
}

// A revealed hint scrolls into view, even when the checks fill the screen,
// and is rendered as Markdown: code reads as code, not as backticks.
func TestExerciseHintScrollsIntoView(t *testing.T) {
	useFakeGrader(t, never)
	tm := openConfigManager(t, &harness{}, 60, 16)
	tm.Send(press("h"))
	// The end of hint 1, which the view scrolls to: at this height the
	// "Hints: 1 of 3" label above it may be off screen by the frame drawn.
	waitFor(t, tm, "exit with status 1")
	tm.Send(press("h"))
	waitFor(t, tm, "the value itself")
	view := finalView(t, tm)
	// The end of hint 2, the one just revealed, is on screen.
	if !strings.Contains(view, "the value itself") {
		t.Errorf("the new hint is not in view:\n%s", view)
	}
	if strings.Contains(view, "`") {
		t.Errorf("the hint shows raw Markdown:\n%s", view)
	}
	if !strings.Contains(view, "↑") {
		t.Errorf("no scroll indicator says there is more above:\n%s", view)
	}
	teatest.RequireEqualOutput(t, []byte(view))
}

// openConfigManager opens the second exercise, config-manager, and waits
// for its first grading.
func openConfigManager(t *testing.T, h *harness, w, height int) *teatest.TestModel {
	t.Helper()
	tm := start(t, newModel(t, h, nil), w, height)
	waitFor(t, tm, "Store and retrieve")
	tm.Send(press("e"))
	waitFor(t, tm, "config-manager")
	tm.Send(press("j"))
	tm.Send(press("enter"))
	waitFor(t, tm, "1 of 2 checks pass")
	return tm
}

// e suspends the app and runs $EDITOR on the exercise's file; the save is
// graded when the editor exits.
func TestExerciseEditOpensTheEditor(t *testing.T) {
	g := useFakeGrader(t, func(id string, n int) bool { return n >= 2 })
	dir := t.TempDir()
	editor := filepath.Join(dir, "editor")
	script := "#!/bin/sh\necho \"$@\" > " + filepath.Join(dir, "args") + "\nfor f; do :; done\nprintf 'package main\\n\\nfunc main() {}\\n' > \"$f\"\n"
	if err := os.WriteFile(editor, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("VISUAL", "")
	t.Setenv("EDITOR", editor+" --wait")
	tm := openConfigManager(t, &harness{}, 100, 30)
	tm.Send(press("e"))
	waitFor(t, tm, "Passed!")
	finalView(t, tm)
	args, err := os.ReadFile(filepath.Join(dir, "args"))
	if err != nil {
		t.Fatalf("the editor did not run: %v", err)
	}
	file := filepath.Join(g.root, "lessons", "01-store-and-retrieve", "config-manager", "main.go")
	if got := strings.TrimSpace(string(args)); got != "--wait "+file {
		t.Errorf("the editor got %q, want %q", got, "--wait "+file)
	}
}

// Without an editor, e says which file to open and how to set one; an
// editor that cannot start says so.
func TestExerciseEditWithoutAnEditor(t *testing.T) {
	for _, tt := range []struct{ name, editor, want string }{
		{"unset", "", "export EDITOR=vim"},
		{"missing", "/nonexistent/editor", `The editor "/nonexistent/editor" could not run`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			useFakeGrader(t, never)
			t.Setenv("VISUAL", "")
			t.Setenv("EDITOR", tt.editor)
			tm := openConfigManager(t, &harness{}, 100, 30)
			tm.Send(press("e"))
			waitFor(t, tm, tt.want)
			view := finalView(t, tm)
			if tt.editor == "" && !strings.Contains(view, "config-manager/main.go in your editor") {
				t.Errorf("the note does not name the file:\n%s", view)
			}
		})
	}
}

// The exercise screen lives across visits: leaving for the browser and
// coming back with e shows the exercise still open, graded by the same
// grader, built once.
func TestExerciseScreenKeptAcrossVisits(t *testing.T) {
	g := useFakeGrader(t, never)
	built := 0
	newExerciseGrader = func(*Common) (exerciseGrader, error) { built++; return g, nil }
	tm := openConfigManager(t, &harness{}, 100, 30)
	tm.Send(press("s"))
	waitFor(t, tm, "Secrets")
	tm.Send(press("e"))
	waitFor(t, tm, exerciseOf(2))
	view := finalView(t, tm)
	if !strings.Contains(view, "1 of 2 checks pass") {
		t.Errorf("the exercise was not kept:\n%s", view)
	}
	if built != 1 {
		t.Errorf("the grader was built %d times, want once", built)
	}
}

// On a small terminal the list scrolls to the cursor, headings and all.
func TestExerciseListScrollsToTheCursor(t *testing.T) {
	useFakeGrader(t, never)
	tm := start(t, newModel(t, &harness{}, nil), 40, 12)
	waitFor(t, tm, "Store and ret")
	tm.Send(press("e"))
	waitFor(t, tm, "create-secret")
	tm.Send(press("G"))
	all := checker.All()
	waitFor(t, tm, fmt.Sprintf("▸ %d  %s", len(all), all[len(all)-1].ID))
	view := finalView(t, tm)
	if !strings.Contains(view, "Lesson 7 · Develop") {
		t.Errorf("the heading of the cursor's lesson is not in view:\n%s", view)
	}
	teatest.RequireEqualOutput(t, []byte(view))
}

func (g *fakeGrader) langOf(id string) checker.Lang {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.langs[id]
}

// exerciseOf is the exercise screen's position line for exercise n.
func exerciseOf(n int) string { return fmt.Sprintf("Exercise %d of %d", n, len(checker.All())) }

// o shows what the program printed (as the checker masked it), and o or
// esc goes back to the checks; the status line says the key is there.
func TestExerciseShowsTheProgramOutput(t *testing.T) {
	g := useFakeGrader(t, never)
	g.output = "── run 1 · exit status 1 · DATABASE_SECRET_NAME=secretlings/ex/x/db ──\nTraceback (most recent call last):\n  File \"lessons/01-store-and-retrieve/config-manager/main.py\", line 6, in main\nNameError: name 'os' is not defined"
	tm := openConfigManager(t, &harness{}, 100, 30)
	tm.Send(press("o"))
	// The output and, below it, how to run the program by hand.
	waitFor(t, tm, "names: secretlings run config-manager")
	tm.Send(press("o"))
	view := finalView(t, tm)
	if !strings.Contains(view, "Checks") || strings.Contains(view, "NameError") || !strings.Contains(view, "o shows what the program printed") {
		t.Errorf("o did not go back to the checks, or they do not say o is there:\n%s", view)
	}
}

// A note (here: no editor) is in view even when the checks and hints fill
// the screen.
func TestExerciseNoteStaysInView(t *testing.T) {
	useFakeGrader(t, never)
	t.Setenv("VISUAL", "")
	t.Setenv("EDITOR", "")
	tm := openConfigManager(t, &harness{}, 60, 16)
	tm.Send(press("h"))
	tm.Send(press("h"))
	tm.Send(press("e"))
	waitFor(t, tm, "No editor is set")
	view := finalView(t, tm)
	if !strings.Contains(view, "No editor is set") {
		t.Errorf("the note is out of view:\n%s", view)
	}
}

// In Python, the checks speak Python, and i opens the README at its
// Python section.
func TestExerciseInstructionsInPython(t *testing.T) {
	useFakeGrader(t, never)
	p := progress.New()
	p.Lang = "python"
	tm := start(t, newModelWith(t, &harness{}, p, withPython(nil)), 100, 30)
	waitFor(t, tm, "Store and retrieve")
	tm.Send(press("e"))
	tm.Send(press("j"))
	tm.Send(press("enter"))
	// The checks in Python's words.
	waitFor(t, tm, "✓ parses (no syntax error)")
	tm.Send(press("i"))
	waitFor(t, tm, "In Python")
	view := ansi.Strip(finalView(t, tm))
	if !strings.Contains(view, "Edit main.py instead") || strings.Contains(view, "Edit main.go so that") {
		t.Errorf("the Python instructions do not come first:\n%s", view)
	}
}

// A pass is kept when a later save fails: the list says FAILING, not
// PENDING, and counts it as done; the exercise says it passed before.
func TestExercisePassKeptWhenASaveFails(t *testing.T) {
	g := useFakeGrader(t, func(id string, n int) bool { return n == 1 })
	h := &harness{}
	tm := start(t, newModel(t, h, nil), 100, 30)
	waitFor(t, tm, "Store and retrieve")
	tm.Send(press("e"))
	waitFor(t, tm, "config-manager")
	tm.Send(press("j"))
	tm.Send(press("enter"))
	waitFor(t, tm, "Passed!")
	tm.Send(press("r"))
	waitFor(t, tm, "it passed before, and fails now")
	if g.count("config-manager") != 2 {
		t.Fatalf("graded %d times", g.count("config-manager"))
	}
	tm.Send(press("esc"))
	waitFor(t, tm, "FAILING")
	view := finalView(t, tm)
	if !strings.Contains(view, "1 of 10 done (1 failing since)") {
		t.Errorf("the list forgot the pass:\n%s", view)
	}
	if last := h.last(); last == nil || !last.Exercises["config-manager"].Solved || last.Exercises["config-manager"].Passed {
		t.Errorf("saved %+v", last.Exercises["config-manager"])
	}
}
