package ui

import (
	"fmt"
	"os"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

func TestZZDump(t *testing.T) {
	if os.Getenv("DUMP") == "" {
		t.Skip()
	}
	var w, h int
	fmt.Sscan(os.Getenv("DUMP"), &w, &h)
	var m tea.Model = newModel(t, &harness{}, nil)
	m = send(m, tea.WindowSizeMsg{Width: w, Height: h})
	for _, k := range []string{"enter"} {
		m = send(m, press(k))
	}
	mm := m.(Model)
	for i := range mm.lesson.lesson().Steps {
		mm.lesson.goTo(i)
		fmt.Println("=====", i)
		fmt.Println(mm.lesson.vp.View())
	}
}
