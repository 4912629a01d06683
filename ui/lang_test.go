package ui

import (
	"errors"
	"strings"
	"testing"
	"time"

	"secretlings/checker"
	"secretlings/internal/progress"
	"secretlings/internal/pyenv"
)

// withPython makes the app find a Python track interpreter (err nil) or
// fail to, with err.
func withPython(err error) func(*Options) {
	return func(o *Options) {
		o.FindPython = func() (*pyenv.Python, error) {
			if err != nil {
				return nil, err
			}
			return &pyenv.Python{}, nil
		}
	}
}

// With Python ready and nothing chosen, home asks once; 2 answers, the
// choice is saved, and the question is gone. g still goes to the top.
func TestLanguageAskedOnceWhenPythonIsReady(t *testing.T) {
	h := &harness{}
	tm := start(t, newModelWith(t, h, nil, withPython(nil)), 100, 30)
	waitFor(t, tm, "Which language will you write the code exercises in? 1 Go · 2 Python")
	tm.Send(press("g"))
	tm.Send(press("2"))
	waitFor(t, tm, "Code exercises are now in Python")
	view := finalView(t, tm)
	if strings.Contains(view, "Which language") || strings.Contains(view, "not chosen") {
		t.Errorf("still asking after the answer:\n%s", view)
	}
	if last := h.last(); last == nil || last.Lang != "python" {
		t.Errorf("the choice was not saved: %+v", last)
	}
}

// Without Python, the question is asked anyway, with what Python needs;
// choosing it keeps the choice and says it is not ready, and the list
// says so too, with the fix; nothing is graded in Go instead.
func TestLanguageAskedWithoutPython(t *testing.T) {
	g := useFakeGrader(t, never)
	h := &harness{}
	tm := start(t, newModelWith(t, h, nil, withPython(errors.New("The Python track needs boto3: install it with `/usr/bin/python3 -m pip install boto3`."))), 100, 30)
	// The question and the fix come in one frame.
	waitFor(t, tm, "pip install boto3`.)")
	tm.Send(press("2"))
	waitFor(t, tm, "Code exercises are now in Python")
	tm.Send(press("e"))
	waitFor(t, tm, "Python is not ready here, so nothing is graded in Python yet")
	tm.Send(press("j"))
	tm.Send(press("enter"))
	waitFor(t, tm, "L grades this exercise in Go instead")
	view := finalView(t, tm)
	if !strings.Contains(view, "config-manager/main.py") || !strings.Contains(view, "pip install boto3") {
		t.Errorf("the exercise does not say what Python needs:\n%s", view)
	}
	if n := g.count("config-manager"); n != 0 {
		t.Errorf("graded %d times, in Go, for a learner who chose Python", n)
	}
	if last := h.last(); last == nil || last.Lang != "python" {
		t.Errorf("the choice was not saved: %+v", last)
	}
}

// An exercise in Python opened while the app still looks for Python waits
// for it, then is graded in Python.
func TestExerciseWaitsForPython(t *testing.T) {
	g := useFakeGrader(t, never)
	found := make(chan struct{})
	p := progress.New()
	p.Lang = "python"
	tm := start(t, newModelWith(t, &harness{}, p, func(o *Options) {
		o.FindPython = func() (*pyenv.Python, error) { <-found; return &pyenv.Python{}, nil }
	}), 100, 30)
	waitFor(t, tm, "Store and retrieve")
	tm.Send(press("e"))
	tm.Send(press("j"))
	tm.Send(press("enter"))
	waitFor(t, tm, "Looking for Python…")
	if n := g.count("config-manager"); n != 0 {
		t.Fatalf("graded %d times before Python was found", n)
	}
	close(found)
	waitForCond(t, func() bool { return g.langOf("config-manager") == checker.Python })
	finalView(t, tm)
}

// A language flash goes away by itself.
func TestLanguageFlashExpires(t *testing.T) {
	m := newModelWith(t, &harness{}, nil, withPython(nil))
	m.c.chooseLang(checker.Python)
	if m.c.flashText == "" {
		t.Fatal("no flash")
	}
	seq := m.c.flashSeq
	m.c.chooseLang(checker.Go) // a newer flash: the older one's end leaves it
	next, _ := m.Update(flashExpiredMsg{seq})
	m = next.(Model)
	if !strings.Contains(m.c.flashText, "now in Go") {
		t.Errorf("a newer flash ended with an older one: %q", m.c.flashText)
	}
	next, _ = m.Update(flashExpiredMsg{m.c.flashSeq})
	if m = next.(Model); m.c.flashText != "" {
		t.Errorf("the flash stayed: %q", m.c.flashText)
	}
}

// L in the list moves every exercise to Python; L on one exercise moves
// it alone back to Go, and it is graded in the language it is in; a state
// exercise stays language-free.
func TestLanguageSwitchesForAllAndForOne(t *testing.T) {
	g := useFakeGrader(t, never)
	p := progress.New()
	p.Lang = "go"
	h := &harness{}
	tm := start(t, newModelWith(t, h, p, withPython(nil)), 100, 30)
	waitFor(t, tm, "Store and retrieve")
	tm.Send(press("e"))
	waitFor(t, tm, "in Go (L changes)")
	tm.Send(press("L"))
	waitFor(t, tm, "in Python (L changes)")
	tm.Send(press("j")) // config-manager, a code exercise
	tm.Send(press("enter"))
	waitForCond(t, func() bool { return g.langOf("config-manager") == checker.Python })
	waitFor(t, tm, "config-manager/main.py")
	tm.Send(press("L"))
	waitFor(t, tm, "now in Go; the others stay in Python")
	waitForCond(t, func() bool { return g.langOf("config-manager") == checker.Go })
	if view := finalView(t, tm); !strings.Contains(view, "config-manager/main.go") {
		t.Errorf("the screen does not name the Go file:\n%s", view)
	}
	last := h.last()
	if last == nil || last.Lang != "python" || last.LangOf("config-manager") != "go" {
		t.Errorf("saved %+v, want python for all and go for config-manager", last)
	}
}

// A lesson's result opens its code on the chosen language: with Python,
// the first code tab is boto3.
func TestLessonTabsPutTheChosenLanguageFirst(t *testing.T) {
	m := newModelWith(t, &harness{}, nil, withPython(nil))
	m.c.Progress.Lang = "python"
	m.c.python.Store(&pyenv.Python{})
	if tabs := m.c.tabs(); tabs[2] != "boto3" {
		t.Errorf("tabs %v, want boto3 first among the code", tabs)
	}
	m.c.Progress.Lang = "go"
	if tabs := m.c.tabs(); tabs[2] != "Go" {
		t.Errorf("tabs %v, want Go first among the code", tabs)
	}
}

// waitForCond polls cond for up to 5 s.
func waitForCond(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("condition not met after 5s")
}
