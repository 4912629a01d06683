package ui

import (
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"secretlings/ui/common"
)

// The styles, keys and backend live in ui/common so that screens in their
// own packages share them; these names keep package ui's code as it was.
type (
	// Styles holds every style the UI draws with (built in ui/common).
	Styles = common.Styles
	// KeyMap is every key binding of the app (defined in ui/common).
	KeyMap = common.KeyMap
	// Backend is the Secrets Manager the lessons talk to, as the UI sees it.
	Backend = common.Backend
)

// DefaultStyles returns the styles for the current terminal.
func DefaultStyles() *Styles { return common.DefaultStyles() }

// DefaultKeyMap returns the bindings.
func DefaultKeyMap() *KeyMap { return common.DefaultKeyMap() }

// Labels Secrets Manager gives versions itself.
const (
	stageCurrent  = common.StageCurrent
	stagePrevious = common.StagePrevious
	stagePending  = common.StagePending
)

func stageStyle(s *Styles, stage string) lipgloss.Style { return common.StageStyle(s, stage) }

func pageViewport(vp *viewport.Model, keys *KeyMap, k tea.KeyMsg) bool {
	return common.PageViewport(vp, keys, k)
}

func cancelBinding() key.Binding { return common.CancelBinding() }

// truncate cuts a rendered line to width cells, keeping ANSI sequences whole.
func truncate(s string, width int) string { return common.Truncate(s, width) }
