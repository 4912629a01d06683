package ui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"secretlings/internal/filewatch"
)

// exerciseWatcher tells the exercise screen when one of the learner's files
// is saved: a filewatch.Watcher (events, with polling as the fallback)
// turned into messages, with a heartbeat that lets state exercises re-check.
//
// Bubble Tea gives a screen no "you are hidden" hook, so the watcher stops
// itself when nobody has waited on it for a while, and the screen starts a
// new one when it is shown again.
type exerciseWatcher struct {
	*filewatch.Watcher
	heartbeat time.Duration
}

// exerciseWatchMsg is a change (or, when changed is false, a heartbeat that
// keeps the watcher alive and lets state exercises re-check).
type exerciseWatchMsg struct {
	w       *exerciseWatcher
	changed bool
}

// Timings of watch mode; tests shorten them.
var (
	exercisePoll      = time.Second            // the polling fallback's period
	exerciseDebounce  = 150 * time.Millisecond // editors write a file in several steps
	exerciseStateFor  = 3 * time.Second        // state exercises are re-checked this often
	exerciseHeartbeat = 2 * time.Second        // how long a waitCmd waits before a heartbeat
	exerciseIdleStop  = 10 * time.Second       // no wait for this long means nobody listens
	// exerciseEvents turns filesystem events off, so tests can prove that
	// polling alone notices a save.
	exerciseEvents = true
)

// startExerciseWatcher watches files (none for a state exercise, whose
// watcher only beats).
func startExerciseWatcher(files []string) *exerciseWatcher {
	w := filewatch.Start(files, filewatch.Options{
		Poll: exercisePoll, Debounce: exerciseDebounce, IdleStop: exerciseIdleStop, NoEvents: !exerciseEvents,
	})
	return &exerciseWatcher{Watcher: w, heartbeat: exerciseHeartbeat}
}

// waitCmd waits for the next change, or a heartbeat.
func (w *exerciseWatcher) waitCmd() tea.Cmd {
	return func() tea.Msg {
		w.KeepAlive()
		select {
		case <-w.Changes():
			return exerciseWatchMsg{w: w, changed: true}
		case <-time.After(w.heartbeat):
			return exerciseWatchMsg{w: w}
		case <-w.Done():
			return nil
		}
	}
}
