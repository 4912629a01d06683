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

// With Python ready and nothing chosen, home asks once; p answers, the
// choice is saved, and the question is gone.
func TestLanguageAskedOnceWhenPythonIsReady(t *testing.T) {
	h := &harness{}
	tm := start(t, newModelWith(t, h, nil, withPython(nil)), 100, 30)
	waitFor(t, tm, "Which language will you write the code exercises in?")
	tm.Send(press("p"))
	waitFor(t, tm, "Code exercises are now in Python")
	view := finalView(t, tm)
	if strings.Contains(view, "Which language") {
		t.Errorf("still asking after the answer:\n%s", view)
	}
	if last := h.last(); last == nil || last.Lang != "python" {
		t.Errorf("the choice was not saved: %+v", last)
	}
}

// Without Python, nothing is asked, and L says why Python is not there.
func TestLanguageOnlyGoWithoutPython(t *testing.T) {
	tm := start(t, newModelWith(t, &harness{}, nil, withPython(errors.New("no python3 on PATH"))), 100, 30)
	waitFor(t, tm, "in Go, L changes")
	tm.Send(press("L"))
	waitFor(t, tm, "no python3 on PATH")
	if view := finalView(t, tm); strings.Contains(view, "Which language") {
		t.Errorf("asked for a language with only Go to choose:\n%s", view)
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
	m.c.langs = append(m.c.langs, checker.Python)
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
