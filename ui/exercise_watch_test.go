package ui

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestExerciseWatcherNotices(t *testing.T) {
	for _, events := range []bool{true, false} {
		name := "polling"
		if events {
			name = "events"
		}
		t.Run(name, func(t *testing.T) {
			old := exerciseEvents
			exerciseEvents = events
			defer func() { exerciseEvents = old }()
			f := filepath.Join(t.TempDir(), "main.go")
			if err := os.WriteFile(f, []byte("package main\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			w := startExerciseWatcher([]string{f}, 20*time.Millisecond)
			defer w.stop()
			if w.usingEvents != events {
				t.Fatalf("usingEvents = %v", w.usingEvents)
			}
			got := make(chan any, 1)
			go func() { got <- w.waitCmd()() }()
			time.Sleep(50 * time.Millisecond)
			if err := os.WriteFile(f, []byte("package main\n\nfunc main() {}\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			select {
			case msg := <-got:
				if m, ok := msg.(exerciseWatchMsg); !ok || !m.changed || m.w != w {
					t.Fatalf("got %#v, want a change", msg)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("the change was not noticed")
			}
		})
	}
}

// A watcher nobody waits on stops by itself, so leaving the screen leaks
// nothing.
func TestExerciseWatcherStopsWhenIdle(t *testing.T) {
	old := exerciseIdleStop
	exerciseIdleStop = 50 * time.Millisecond
	defer func() { exerciseIdleStop = old }()
	w := startExerciseWatcher([]string{filepath.Join(t.TempDir(), "x.go")}, 10*time.Millisecond)
	deadline := time.Now().Add(5 * time.Second)
	for !w.stopped.Load() && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if !w.stopped.Load() {
		t.Fatal("the idle watcher still runs")
	}
}
