// Package common is what every screen of the UI shares: the size it may
// draw in, the styles, the keys, the clock and the backend, plus small
// drawing helpers, so that screens in their own packages (the browser) and
// the root in package ui use one of each.
package common

import (
	"context"
	"time"

	"github.com/charmbracelet/x/ansi"

	"secretlings/aws"
)

// Common travels to every screen: the size of the whole terminal, the
// styles, the keys, the clock, the backend and whether changes are allowed.
type Common struct {
	Width, Height int
	Styles        *Styles
	Keys          *KeyMap
	Now           func() time.Time
	Backend       Backend
	// ReadOnly hides every key that would change a secret (--read-only).
	ReadOnly bool
}

// Backend is the Secrets Manager the lessons talk to, as the UI sees it.
type Backend struct {
	Target aws.Target
	// Conn is nil when the backend could not be started; Err says why.
	Conn *aws.Conn
	Err  error
	// Ping checks that the backend answers; nil means never.
	Ping func(context.Context) aws.Health
	// PingEvery is how often the status bar re-checks; 0 checks once.
	PingEvery time.Duration
}

// Truncate cuts a rendered line to width cells, keeping ANSI sequences whole.
func Truncate(s string, width int) string {
	return ansi.Truncate(s, max(width, 1), "…")
}
