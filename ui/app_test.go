package ui

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"secretlings/aws"
	"secretlings/internal/progress"
	"secretlings/internal/uitest"
	"secretlings/lessons"
	"secretlings/lessons/runner"
	"secretlings/ui/common"
)

// The shared test helpers, by the names these tests use.
var (
	waitFor = uitest.WaitFor
	press   = uitest.Key
)

func init() {
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
}

var fixedNow = func() time.Time { return time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC) }

// harness builds the app as main does, with a fixed clock, a fixed backend
// status and progress that is saved to memory.
type harness struct {
	mu    sync.Mutex
	saved []*progress.Progress
}

func (h *harness) save(p *progress.Progress) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.saved = append(h.saved, p)
	return nil
}

func (h *harness) last() *progress.Progress {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.saved) == 0 {
		return nil
	}
	return h.saved[len(h.saved)-1]
}

func newModel(t *testing.T, h *harness, p *progress.Progress) Model {
	t.Helper()
	return newModelWith(t, h, p, nil)
}

// newModelWith is newModel with its Options changed by mod first.
func newModelWith(t *testing.T, h *harness, p *progress.Progress, mod func(*Options)) Model {
	t.Helper()
	all, err := lessons.All()
	if err != nil {
		t.Fatal(err)
	}
	if p == nil {
		p = progress.New()
	}
	o := Options{
		Lessons:  all,
		Progress: p,
		Save:     h.save,
		Backend: Backend{
			Target: aws.Target{Backend: aws.Embedded, Endpoint: "http://127.0.0.1:4566", Region: "us-east-1"},
			Ping: func(context.Context) aws.Health {
				return aws.Health{OK: true, Latency: 2 * time.Millisecond}
			},
		},
		Now:           fixedNow,
		MarkdownStyle: "dark",
	}
	if mod != nil {
		mod(&o)
	}
	return New(o)
}

func start(t *testing.T, m Model, w, h int) *teatest.TestModel {
	t.Helper()
	return teatest.NewTestModel(t, m, teatest.WithInitialTermSize(w, h))
}

// finalView quits and returns the last frame.
func finalView(t *testing.T, tm *teatest.TestModel) string {
	t.Helper()
	tm.Send(press("q"))
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	if fm.View() != "" {
		t.Errorf("the frame drawn on quitting is not blank, so it can outlive the alternate screen:\n%s", fm.View())
	}
	fm.quitting = false // the frame the learner saw before q
	return fm.View()
}

func TestHomeListsEveryLesson(t *testing.T) {
	tm := start(t, newModel(t, &harness{}, nil), 100, 30)
	waitFor(t, tm, "answers in 2 ms")
	view := finalView(t, tm)
	for _, title := range []string{"Store and retrieve", "JSON secrets and versions", "Rotation", "Caching", "Masking", "Who may read it, and who did", "Develop and test locally"} {
		if !strings.Contains(view, title) {
			t.Errorf("home does not list %q", title)
		}
	}
	teatest.RequireEqualOutput(t, []byte(view))
}

func TestEnterOpensLessonOneAtItsFirstStep(t *testing.T) {
	h := &harness{}
	tm := start(t, newModel(t, h, nil), 100, 30)
	waitFor(t, tm, "Store and retrieve")
	tm.Send(press("enter"))
	waitFor(t, tm, "Why a secrets manager?")
	view := finalView(t, tm)
	if !strings.Contains(view, "step 1/12") {
		t.Errorf("lesson header should say step 1/12:\n%s", view)
	}
	teatest.RequireEqualOutput(t, []byte(view))
}

func TestNextAdvancesAndRecordsProgress(t *testing.T) {
	h := &harness{}
	tm := start(t, newModel(t, h, nil), 100, 30)
	waitFor(t, tm, "Store and retrieve")
	tm.Send(press("enter"))
	waitFor(t, tm, "Why a secrets manager?")
	tm.Send(press("n"))
	waitFor(t, tm, "step 2/12")
	tm.Send(press("n"))
	waitFor(t, tm, "step 3/12")
	tm.Send(press("p"))
	waitFor(t, tm, "The last six characters are random")
	view := finalView(t, tm)
	if !strings.Contains(view, "Names and ARNs") {
		t.Errorf("after n, n, p the reader should be on step 2:\n%s", view)
	}
	teatest.RequireEqualOutput(t, []byte(view))
	p := h.last()
	if p == nil || p.DoneCount("store-and-retrieve", 12) != 2 || p.Lessons["store-and-retrieve"].Step != 1 {
		t.Fatalf("saved progress = %+v", p)
	}
}

func TestQuestionMarkTogglesFullHelp(t *testing.T) {
	tm := start(t, newModel(t, &harness{}, nil), 100, 30)
	waitFor(t, tm, "Store and retrieve")
	tm.Send(press("enter"))
	waitFor(t, tm, "Why a secrets manager?")
	tm.Send(press("?"))
	waitFor(t, tm, "page down")
	view := finalView(t, tm)
	for _, want := range []string{"next step", "previous step", "page down", "bottom", "quit"} {
		if !strings.Contains(view, want) {
			t.Errorf("full help lacks %q", want)
		}
	}
	teatest.RequireEqualOutput(t, []byte(view))
}

func TestQuitEndsTheProgram(t *testing.T) {
	for _, k := range []string{"q", "ctrl+c"} {
		t.Run(k, func(t *testing.T) {
			tm := start(t, newModel(t, &harness{}, nil), 100, 30)
			waitFor(t, tm, "Store and retrieve")
			tm.Send(press("enter"))
			waitFor(t, tm, "Why a secrets manager?")
			tm.Send(press(k))
			tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
		})
	}
}

func TestContinueResumesAtTheNextPendingStep(t *testing.T) {
	p := progress.New()
	for s := range 12 {
		p.Complete("store-and-retrieve", s)
	}
	p.Complete("json-and-versions", 0)
	p.Visit("json-and-versions", 1)
	tm := start(t, newModel(t, &harness{}, p), 100, 30)
	waitFor(t, tm, "done")
	tm.Send(press("c"))
	waitFor(t, tm, "step 2/")
	view := finalView(t, tm)
	all, _ := lessons.All()
	if !strings.Contains(view, "JSON secrets and versions") || !strings.Contains(view, all[1].Steps[1].Title) {
		t.Fatalf("continue should open lesson 2 at step 2:\n%s", view)
	}
}

func TestEscGoesBackHome(t *testing.T) {
	tm := start(t, newModel(t, &harness{}, nil), 100, 30)
	waitFor(t, tm, "Store and retrieve")
	tm.Send(press("j"))
	tm.Send(press("enter"))
	waitFor(t, tm, "One secret, many fields")
	tm.Send(press("esc"))
	waitFor(t, tm, "learn AWS Secrets Manager by doing")
	view := finalView(t, tm)
	if !strings.Contains(view, "▸ 2  JSON secrets and versions") {
		t.Fatalf("home should keep the cursor on lesson 2:\n%s", view)
	}
}

// Every frame must fit the terminal: no line wider than it, no more lines.
func assertFits(t *testing.T, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) > h {
		t.Errorf("%d lines in a %d-line terminal", len(lines), h)
	}
	for i, l := range lines {
		if lw := lipgloss.Width(l); lw > w {
			t.Errorf("line %d is %d cells wide in a %d-cell terminal: %q", i+1, lw, w, l)
		}
	}
}

func TestSmallTerminalLayout(t *testing.T) {
	h := &harness{}
	m := newModel(t, h, nil)
	sizes := [][2]int{{60, 20}, {100, 30}, {40, 12}, {200, 60}, {30, 8}}
	var model tea.Model = m
	for _, sz := range sizes {
		model, _ = model.Update(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		assertFits(t, model.View(), sz[0], sz[1])
	}
	model, _ = model.Update(tea.WindowSizeMsg{Width: 60, Height: 20})
	model, _ = model.Update(press("enter"))
	model, _ = model.Update(openLessonMsg{0, 0})
	for _, k := range []string{"?", "n", "n", "n", "?", "G"} {
		model, _ = model.Update(press(k))
		for _, sz := range sizes {
			model, _ = model.Update(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
			assertFits(t, model.View(), sz[0], sz[1])
		}
		model, _ = model.Update(tea.WindowSizeMsg{Width: 60, Height: 20})
	}
	teatest.RequireEqualOutput(t, []byte(model.View()))
}

// secretValues are the secret values the lessons use in their actions.
func secretValues(t *testing.T) []string {
	t.Helper()
	all, err := lessons.All()
	if err != nil {
		t.Fatal(err)
	}
	var values []string
	for _, l := range all {
		for _, s := range l.Steps {
			for _, b := range s.Blocks {
				if b.Action == nil {
					continue
				}
				for _, p := range b.Action.Params {
					if runner.Sensitive(p.Name) {
						values = append(values, p.Value)
					}
				}
			}
		}
	}
	if len(values) == 0 {
		t.Fatal("the lessons use no secret values: this test would prove nothing")
	}
	return values
}

func TestStatusBarShowsBackendState(t *testing.T) {
	c := &Common{Common: &common.Common{Styles: DefaultStyles(), Backend: Backend{Target: aws.Target{Backend: aws.LocalStack, Endpoint: "http://localhost:4566", Region: "eu-west-1"}}}}
	for _, tc := range []struct {
		name string
		h    health
		err  error
		want []string
	}{
		{"checking", health{}, nil, []string{"localstack", "http://localhost:4566", "eu-west-1", "checking"}},
		{"up", health{checked: true, Health: aws.Health{OK: true, Latency: 1500 * time.Microsecond}}, nil, []string{"● localstack", "answers in 1 ms"}},
		{"down", health{checked: true, Health: aws.Health{Err: errString("LocalStack is not running at http://localhost:4566: start it with `make localstack-up`")}}, nil, []string{"✗ localstack", "make localstack-up"}},
		{"failed to start", health{}, errString("the embedded emulator is not built yet"), []string{"✗ localstack", "unavailable: the embedded emulator is not built yet"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c.Backend.Err = tc.err
			line := statusBar(c, tc.h, 200)
			for _, w := range tc.want {
				if !strings.Contains(line, w) {
					t.Errorf("status bar %q lacks %q", line, w)
				}
			}
			// Narrower, context goes and the state wraps, but no word of
			// what is wrong or of the fix is lost.
			for _, w := range []int{100, 60, 40} {
				bar := statusBar(c, tc.h, w)
				if lipgloss.Width(bar) > w {
					t.Errorf("status bar does not fit %d cells: %q", w, bar)
				}
				state := tc.h.Err
				if tc.err != nil {
					state = tc.err
				}
				if state != nil && !strings.Contains(strings.Join(strings.Fields(bar), " "), state.Error()) {
					t.Errorf("at %d cells the status bar cut the state %q:\n%s", w, state, bar)
				}
			}
		})
	}
}

type errString string

func (e errString) Error() string { return string(e) }

// TestKeysTypedInOneReadEachCount sends keys as Bubble Tea v1 delivers keys
// typed faster than it reads them: one KeyMsg with several runes.
func TestKeysTypedInOneReadEachCount(t *testing.T) {
	var m tea.Model = newModel(t, &harness{}, nil)
	m = send(m, tea.WindowSizeMsg{Width: 100, Height: 30})
	m = send(m, press("jjj"))
	if got := m.(Model).home.cursor; got != 3 {
		t.Fatalf("jjj in one read moved the home cursor to row %d, want 3", got)
	}
	m = send(m, press("enter"))
	m = send(m, press("nnn"))
	if got := m.(Model).lesson.step; got != 3 {
		t.Fatalf("nnn in one read reached step %d, want 3", got)
	}
	m = send(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("nnnq"), Paste: true})
	if got := m.(Model).lesson.step; got != 3 {
		t.Fatalf("a paste outside a text input acted as keys: step %d, want 3", got)
	}
}

// TestFastKeysAfterSlashAreTypedIntoTheFilter checks that once a key opens a
// text input, the rest of the same read is typed into it, not run as keys.
func TestFastKeysAfterSlashAreTypedIntoTheFilter(t *testing.T) {
	var m tea.Model = newModel(t, &harness{}, nil)
	m = send(m, tea.WindowSizeMsg{Width: 100, Height: 30})
	m = send(m, press("e"))
	m = send(m, press("/qqq"))
	if !m.(Model).capturing() {
		t.Fatal("/ did not open the exercise filter")
	}
	if !strings.Contains(m.View(), "qqq") {
		t.Fatalf("the filter does not show the typed qqq:\n%s", m.View())
	}
}

// TestFooterKeepsEveryKey checks the short help wraps instead of dropping
// its last keys (? and q) on narrow terminals.
func TestFooterKeepsEveryKey(t *testing.T) {
	for _, w := range []int{100, 60, 40} {
		var m tea.Model = newModel(t, &harness{}, nil)
		m = send(m, tea.WindowSizeMsg{Width: w, Height: 20})
		m = send(m, openLessonMsg{0, 2})
		view := m.View()
		for _, want := range []string{"r run", "esc back", "? help", "q quit"} {
			if !strings.Contains(view, want) {
				t.Errorf("at %d columns the footer lacks %q:\n%s", w, want, view)
			}
		}
		assertFits(t, view, w, 20)
	}
}

// TestHomeWithNoLessonsIgnoresMoves: with no lessons (they failed to load),
// moving and opening do nothing instead of dividing by zero.
func TestHomeWithNoLessonsIgnoresMoves(t *testing.T) {
	m := New(Options{Progress: progress.New(), Now: fixedNow, MarkdownStyle: "dark"})
	var tm tea.Model = m
	tm, _ = tm.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	for _, k := range []string{"j", "k", "G", "g", "enter", "c"} {
		tm, _ = tm.Update(press(k))
	}
	if tm.(Model).screen != screenHome {
		t.Errorf("a key opened screen %d with no lessons", tm.(Model).screen)
	}
}

// TestStatusBarSaysWhereTheEndpointCameFrom: a configured endpoint is shown
// with its source, so a learner sees why the app talks to it.
func TestStatusBarSaysWhereTheEndpointCameFrom(t *testing.T) {
	for _, c := range []struct {
		target aws.Target
		want   string
	}{
		{aws.Target{Backend: aws.Endpoint, Endpoint: "http://127.0.0.1:4566", EndpointSource: "the services section of profile dev in /home/x/.aws/config"}, "http://127.0.0.1:4566 (services section of profile dev)"},
		{aws.Target{Backend: aws.Endpoint, Endpoint: "http://127.0.0.1:5000", EndpointSource: "AWS_ENDPOINT_URL"}, "http://127.0.0.1:5000 (AWS_ENDPOINT_URL)"},
		{aws.Target{Backend: aws.LocalStack, Endpoint: aws.LocalStackURL, EndpointSource: "LocalStack default"}, aws.LocalStackURL + " · "},
	} {
		m := New(Options{Progress: progress.New(), Now: fixedNow, MarkdownStyle: "dark", Backend: Backend{Target: c.target}})
		got := statusBar(m.c, health{checked: true, Health: aws.Health{OK: true}}, 140)
		if !strings.Contains(got, c.want) {
			t.Errorf("status bar %q lacks %q", got, c.want)
		}
	}
}
