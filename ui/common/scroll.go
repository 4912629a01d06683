package common

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// Scroll is a cursor over the rows a filter keeps, and the window of them
// drawn: what the filterable lists (the secrets browser, the audit view)
// move through alike.
type Scroll struct {
	Visible []int // indexes of the rows the filter keeps, in order
	Cursor  int   // index into Visible
	Offset  int   // the first of Visible drawn
	Height  int   // how many rows fit (at least one is drawn)
}

// Rows is how many rows the window shows.
func (s *Scroll) Rows() int { return max(1, s.Height) }

// Clamp keeps the cursor on a row and inside the window.
func (s *Scroll) Clamp() {
	n := len(s.Visible)
	s.Cursor = max(0, min(s.Cursor, n-1))
	h := s.Rows()
	if s.Cursor < s.Offset {
		s.Offset = s.Cursor
	}
	if s.Cursor >= s.Offset+h {
		s.Offset = s.Cursor - h + 1
	}
	s.Offset = max(0, min(s.Offset, n-h))
}

// Move moves the cursor by d rows.
func (s *Scroll) Move(d int) {
	s.Cursor += d
	s.Clamp()
}

// Window is the part of Visible drawn: Visible[start:end].
func (s *Scroll) Window() (start, end int) {
	return s.Offset, min(len(s.Visible), s.Offset+s.Rows())
}

// Key moves for a navigation key (up, down, a page, top, bottom) and
// reports whether k was one.
func (s *Scroll) Key(k tea.KeyMsg, keys *KeyMap) bool {
	switch {
	case key.Matches(k, keys.Up):
		s.Move(-1)
	case key.Matches(k, keys.Down):
		s.Move(1)
	case key.Matches(k, keys.PageUp):
		s.Move(-s.Rows())
	case key.Matches(k, keys.PageDown):
		s.Move(s.Rows())
	case key.Matches(k, keys.Top):
		s.Move(-len(s.Visible))
	case key.Matches(k, keys.Bottom):
		s.Move(len(s.Visible))
	default:
		return false
	}
	return true
}

// FilterKey moves for the arrow keys while a filter is typed (letters,
// j and k too, belong to the filter) and reports whether k was one.
func (s *Scroll) FilterKey(k tea.KeyMsg) bool {
	switch k.Type {
	case tea.KeyUp:
		s.Move(-1)
	case tea.KeyDown:
		s.Move(1)
	default:
		return false
	}
	return true
}
