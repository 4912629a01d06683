// Package uitest holds what the screens' tests share: key messages by name,
// waiting for text in a teatest program's output, and a host that runs one
// screen as the root model would.
package uitest

import (
	"bytes"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
)

// named are the keys tests send by name; anything else is typed as runes.
var named = map[string]tea.KeyType{
	"enter": tea.KeyEnter, "esc": tea.KeyEsc, "ctrl+c": tea.KeyCtrlC,
	"tab": tea.KeyTab, "shift+tab": tea.KeyShiftTab, "backspace": tea.KeyBackspace,
	"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
	"pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "home": tea.KeyHome, "end": tea.KeyEnd,
	"ctrl+s": tea.KeyCtrlS, "ctrl+t": tea.KeyCtrlT, "ctrl+n": tea.KeyCtrlN,
}

// Key is the message of the key named s ("enter", "ctrl+c", "pgdown"), or
// of typing s.
func Key(s string) tea.KeyMsg {
	if t, ok := named[s]; ok {
		return tea.KeyMsg{Type: t}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

// Type sends s one character at a time, as a learner types it.
func Type(tm *teatest.TestModel, s string) {
	for _, r := range s {
		tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

// WaitFor waits up to 5 s for text in what the program has drawn since the
// last wait.
func WaitFor(t *testing.T, tm *teatest.TestModel, text string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(text)) },
		teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
}

// Screen is a component of the app a test hosts on its own.
type Screen[M any] interface {
	Init() tea.Cmd
	Update(tea.Msg) (M, tea.Cmd)
	View() string
	Capturing() bool // typing goes to a text field: q and ? are text
	help.KeyMap
}

// Host runs a Screen as the root model does: the help line under it, quit
// and help keys unless the screen captures them, and the size it leaves.
type Host[M Screen[M]] struct {
	Screen     M
	quit, keys key.Binding
	help       help.Model
	fullHelp   bool
	w, h       int
	// OnView, when set, sees every frame drawn.
	OnView func(frame string)
}

// NewHost hosts s; quit and helpKey are the app's bindings, sep the help
// line's separator.
func NewHost[M Screen[M]](s M, quit, helpKey key.Binding, sep string) Host[M] {
	h := help.New()
	h.ShortSeparator = sep
	return Host[M]{Screen: s, quit: quit, keys: helpKey, help: h}
}

func (a Host[M]) Init() tea.Cmd { return a.Screen.Init() }

func (a Host[M]) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.w, a.h = msg.Width, msg.Height
		a.layout()
		return a, nil
	case tea.KeyMsg:
		if msg.Type == tea.KeyCtrlC || (!a.Screen.Capturing() && key.Matches(msg, a.quit)) {
			return a, tea.Quit
		}
		if !a.Screen.Capturing() && key.Matches(msg, a.keys) {
			a.fullHelp = !a.fullHelp
			a.layout()
			return a, nil
		}
	}
	var cmd tea.Cmd
	a.Screen, cmd = a.Screen.Update(msg)
	return a, cmd
}

// SetFullHelp shows the full help (or the short line) and lays out again,
// as ? does.
func (a *Host[M]) SetFullHelp(on bool) {
	a.fullHelp = on
	a.layout()
}

// layout gives the screen what the help line leaves. SetSize has a pointer
// receiver on the screens, so it is reached through the field's address.
func (a *Host[M]) layout() {
	a.help.Width = a.w
	if s, ok := any(&a.Screen).(interface{ SetSize(w, h int) }); ok {
		s.SetSize(a.w, max(1, a.h-lipgloss.Height(a.helpView())))
	}
}

func (a Host[M]) helpView() string {
	hm := a.help
	hm.ShowAll = a.fullHelp
	return hm.View(a.Screen)
}

func (a Host[M]) View() string {
	v := a.Screen.View() + "\n" + a.helpView()
	if a.OnView != nil {
		a.OnView(v)
	}
	return v
}
