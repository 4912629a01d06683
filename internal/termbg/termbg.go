// Package termbg decides whether the terminal background is dark without
// asking the terminal, before Bubble Tea's init would ask it.
//
// Bubble Tea v1's init calls lipgloss.HasDarkBackground, which writes
// ESC]11;? and ESC[6n to the terminal and waits up to 5 s for answers. That
// eats the keys a learner types in the first moments, and makes commands that
// draw no TUI (version, check) hang on a terminal that does not answer. Go
// initialises packages in import-path order among those whose imports are
// ready, so this package, whose path sorts before github.com/…, runs right
// after lipgloss and before bubbletea, and tells lipgloss the answer instead.
// It is its own module only to get that path.
package termbg

import (
	"os"
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// Dark is the decision this package gave lipgloss.
var Dark = FromCOLORFGBG(os.Getenv("COLORFGBG"))

func init() { lipgloss.SetHasDarkBackground(Dark) }

// FromCOLORFGBG reads the background from $COLORFGBG ("15;0" is white on
// black), which rxvt, Konsole and others set; without it the terminal is
// assumed dark, the common default.
func FromCOLORFGBG(v string) bool {
	parts := strings.Split(v, ";")
	bg, err := strconv.Atoi(parts[len(parts)-1])
	if len(parts) < 2 || err != nil {
		return true
	}
	// ANSI colours 7 (white) and 9 to 15 (bright) are light backgrounds.
	return !(bg == 7 || (bg >= 9 && bg <= 15))
}
