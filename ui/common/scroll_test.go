package common

import "testing"

func TestScrollKeepsTheCursorInTheWindow(t *testing.T) {
	s := Scroll{Visible: []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, Height: 3}
	for _, c := range []struct {
		move, cursor, offset int
	}{
		{1, 1, 0}, {1, 2, 0}, {1, 3, 1}, {100, 9, 7}, {-1, 8, 7}, {-8, 0, 0}, {-1, 0, 0},
	} {
		s.Move(c.move)
		if s.Cursor != c.cursor || s.Offset != c.offset {
			t.Fatalf("move %d: cursor %d offset %d, want %d %d", c.move, s.Cursor, s.Offset, c.cursor, c.offset)
		}
	}
	// A filter that keeps fewer rows pulls the cursor and window back.
	s.Cursor, s.Offset = 9, 7
	s.Visible = s.Visible[:2]
	s.Clamp()
	if start, end := s.Window(); s.Cursor != 1 || start != 0 || end != 2 {
		t.Errorf("after filtering: cursor %d, window %d-%d", s.Cursor, start, end)
	}
	// Nothing kept, or no height: still one row's worth, no negative index.
	s.Visible, s.Height = nil, 0
	s.Clamp()
	if s.Cursor != 0 || s.Offset != 0 || s.Rows() != 1 {
		t.Errorf("empty: cursor %d offset %d rows %d", s.Cursor, s.Offset, s.Rows())
	}
}
