package ui

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The screen's watcher turns a save into a change message; with events off,
// polling alone notices it.
func TestExerciseWatcherNotices(t *testing.T) {
	for _, events := range []bool{true, false} {
		name := "polling"
		if events {
			name = "events"
		}
		t.Run(name, func(t *testing.T) {
			oldEvents, oldPoll := exerciseEvents, exercisePoll
			exerciseEvents, exercisePoll = events, 20*time.Millisecond
			defer func() { exerciseEvents, exercisePoll = oldEvents, oldPoll }()
			f := filepath.Join(t.TempDir(), "main.go")
			if err := os.WriteFile(f, []byte("package main\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			w := startExerciseWatcher([]string{f})
			defer w.Stop()
			if w.UsingEvents() != events {
				t.Fatalf("UsingEvents = %v", w.UsingEvents())
			}
			got := make(chan any, 1)
			go func() {
				for {
					msg := w.waitCmd()()
					if m, ok := msg.(exerciseWatchMsg); ok && !m.changed {
						continue // a heartbeat
					}
					got <- msg
					return
				}
			}()
			if err := os.WriteFile(f, []byte("package main\n\nfunc main() {}\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			later := time.Now().Add(2 * time.Second)
			_ = os.Chtimes(f, later, later)
			select {
			case msg := <-got:
				if m, ok := msg.(exerciseWatchMsg); !ok || !m.changed || m.w != w {
					t.Fatalf("got %#v, want a change", msg)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("the change was not noticed")
			}
		})
	}
}

// A watcher nobody waits on stops by itself, so leaving the screen leaks
// nothing.
func TestExerciseWatcherStopsWhenIdle(t *testing.T) {
	oldIdle, oldPoll := exerciseIdleStop, exercisePoll
	exerciseIdleStop, exercisePoll = 50*time.Millisecond, 10*time.Millisecond
	defer func() { exerciseIdleStop, exercisePoll = oldIdle, oldPoll }()
	w := startExerciseWatcher([]string{filepath.Join(t.TempDir(), "x.go")})
	select {
	case <-w.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the idle watcher still runs")
	}
}
