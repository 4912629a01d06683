package common

import (
	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
)

// KeyMap is every key binding of the app. Screens match keys only through
// it, and bubbles/help draws the help from it.
type KeyMap struct {
	Up       key.Binding
	Down     key.Binding
	Open     key.Binding
	Continue key.Binding
	Next     key.Binding
	Prev     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Top      key.Binding
	Bottom   key.Binding
	Back     key.Binding
	Help     key.Binding
	Quit     key.Binding

	// Browser opens the secret browser from anywhere.
	Browser key.Binding
	// Exercises opens the exercise list from anywhere.
	Exercises key.Binding
	// Audit opens the embedded emulator's audit trail from anywhere.
	Audit key.Binding
	// Lang switches the language of the code exercises (on home and the
	// list: all of them; on an exercise: that one).
	Lang key.Binding
	// LangGo and LangPython answer the home screen's first-run question,
	// which language the code exercises are in.
	LangGo     key.Binding
	LangPython key.Binding

	// Lesson actions.
	Run     key.Binding // run the action of the step
	Reveal  key.Binding // reveal one masked value; it re-masks on leaving
	Tab     key.Binding // switch between request, response and snippets
	Reset   key.Binding // reset a lesson (asks first)
	Longer  key.Binding // double the TTL of the running cache demo
	Shorter key.Binding // halve it

	// Browser: keys only the secret browser uses (owned by its author).
	Filter        key.Binding // fuzzy filter of the secret list
	Sort          key.Binding // sort by name or by last change
	ShowDeleted   key.Binding // include secrets scheduled for deletion
	Refresh       key.Binding // reload the list (and the open secret)
	Copy          key.Binding // copy the value or one field with OSC 52
	Raw           key.Binding // switch a value between key/value and plaintext
	NewSecret     key.Binding
	PutValue      key.Binding // store a new value as a new version
	EditSecret    key.Binding // edit description and tags
	MoveLabel     key.Binding // move a staging label to another version
	DeleteSecret  key.Binding
	RestoreSecret key.Binding
	Submit        key.Binding // save a form
	NextField     key.Binding
	PrevField     key.Binding
	AddRow        key.Binding // add a key/value row to a value in a form
	ValueMode     key.Binding // switch a form's value between text and key/value rows

	// Exercises: keys only the exercise screens use (owned by their author).
	Recheck       key.Binding // grade the open exercise now (when saves go unnoticed)
	Hint          key.Binding // reveal the next hint
	Solution      key.Binding // show the reference solution (asks first before a pass)
	ResetExercise key.Binding // restore the stub and the exercise's secrets (asks first)
	NextExercise  key.Binding // move on once the exercise passes
	Instructions  key.Binding // switch between the checklist and the instructions
	Edit          key.Binding // open the exercise's file in $VISUAL or $EDITOR
	Output        key.Binding // switch between the checklist and what the program printed
	Yes           key.Binding // confirm a question
	No            key.Binding // decline a question
}

// DefaultKeyMap returns the bindings: arrows beside vim keys, ? for help,
// esc to go back, q and ctrl+c to quit.
func DefaultKeyMap() *KeyMap {
	return &KeyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		Continue: key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "continue")),
		Next:     key.NewBinding(key.WithKeys("n", "right", "l"), key.WithHelp("n/→", "next step")),
		Prev:     key.NewBinding(key.WithKeys("p", "left", "h"), key.WithHelp("p/←", "previous step")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", " ", "f", "ctrl+d"), key.WithHelp("pgdn/space", "page down")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g/home", "top")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G/end", "bottom")),
		Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Help:     key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:     key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),

		Browser:    key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "secrets")),
		Exercises:  key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "exercises")),
		Audit:      key.NewBinding(key.WithKeys("A"), key.WithHelp("A", "audit trail")),
		Lang:       key.NewBinding(key.WithKeys("L"), key.WithHelp("L", "language")),
		LangGo:     key.NewBinding(key.WithKeys("1"), key.WithHelp("1", "Go")),
		LangPython: key.NewBinding(key.WithKeys("2"), key.WithHelp("2", "Python")),

		Run:     key.NewBinding(key.WithKeys("r", "x"), key.WithHelp("r", "run")),
		Reveal:  key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "reveal")),
		Tab:     key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "request/response/code")),
		Reset:   key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "reset lesson")),
		Longer:  key.NewBinding(key.WithKeys("+", "="), key.WithHelp("+", "double TTL")),
		Shorter: key.NewBinding(key.WithKeys("-", "_"), key.WithHelp("-", "halve TTL")),

		// Browser
		Filter:        key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Sort:          key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort name/date")),
		ShowDeleted:   key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "show deleted")),
		Refresh:       key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh")),
		Copy:          key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy")),
		Raw:           key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "plaintext view")),
		NewSecret:     key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "new secret")),
		PutValue:      key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "new value")),
		EditSecret:    key.NewBinding(key.WithKeys("E"), key.WithHelp("E", "edit desc/tags")),
		MoveLabel:     key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "move label")),
		DeleteSecret:  key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "delete")),
		RestoreSecret: key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "restore")),
		Submit:        key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "save")),
		NextField:     key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab", "next field")),
		PrevField:     key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab", "previous field")),
		AddRow:        key.NewBinding(key.WithKeys("ctrl+n"), key.WithHelp("ctrl+n", "add key/value row")),
		ValueMode:     key.NewBinding(key.WithKeys("ctrl+t"), key.WithHelp("ctrl+t", "text or key/value")),

		// Exercises
		Recheck:       key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "re-check now")),
		Hint:          key.NewBinding(key.WithKeys("h"), key.WithHelp("h", "next hint")),
		Solution:      key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "solution")),
		ResetExercise: key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "reset exercise")),
		NextExercise:  key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next exercise")),
		Instructions:  key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "instructions/checks")),
		Edit:          key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit")),
		Output:        key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "program output")),
		Yes:           key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes")),
		No:            key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n", "no")),
	}
}

// PageViewport moves vp for the paging keys (page up and down, top, bottom)
// and reports whether k was one of them, so every scrolling screen pages
// alike.
func PageViewport(vp *viewport.Model, keys *KeyMap, k tea.KeyMsg) bool {
	switch {
	case key.Matches(k, keys.PageDown):
		vp.PageDown()
	case key.Matches(k, keys.PageUp):
		vp.PageUp()
	case key.Matches(k, keys.Top):
		vp.GotoTop()
	case key.Matches(k, keys.Bottom):
		vp.GotoBottom()
	default:
		return false
	}
	return true
}

// NewFilterInput returns the "/" filter input every list uses.
func NewFilterInput(s *Styles, placeholder string) textinput.Model {
	f := textinput.New()
	f.Prompt = "/ "
	f.Placeholder = placeholder
	f.Cursor.SetMode(cursor.CursorStatic)
	f.PromptStyle = s.Cursor
	f.PlaceholderStyle = s.Muted
	return f
}

// CancelBinding describes esc in forms and confirmations, which read other
// keys as text, so it is not in the KeyMap.
func CancelBinding() key.Binding {
	return key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel"))
}
