package filewatch

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestWatcherNotices(t *testing.T) {
	for _, events := range []bool{true, false} {
		name := "polling"
		if events {
			name = "events"
		}
		t.Run(name, func(t *testing.T) {
			f := filepath.Join(t.TempDir(), "main.go")
			if err := os.WriteFile(f, []byte("package main\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			w := Start([]string{f}, Options{Poll: 20 * time.Millisecond, Debounce: 10 * time.Millisecond, NoEvents: !events})
			defer w.Stop()
			if w.UsingEvents() != events {
				t.Fatalf("UsingEvents = %v", w.UsingEvents())
			}
			// A later modification time and another size, so polling sees
			// it whatever the filesystem's timestamp resolution.
			if err := os.WriteFile(f, []byte("package main\n\nfunc main() {}\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			later := time.Now().Add(2 * time.Second)
			_ = os.Chtimes(f, later, later)
			select {
			case <-w.Changes():
			case <-time.After(10 * time.Second):
				t.Fatal("the change was not noticed")
			}
		})
	}
}

// A change is held back until the writes settle: a save arrives in
// several writes, and one grading should follow it, not the first write.
func TestWatcherDebounces(t *testing.T) {
	f := filepath.Join(t.TempDir(), "main.go")
	if err := os.WriteFile(f, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	w := Start([]string{f}, Options{Poll: 5 * time.Millisecond, Debounce: time.Hour})
	defer w.Stop()
	for i := range 5 {
		if err := os.WriteFile(f, []byte{byte('a' + i)}, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Undebounced, events and polls report within milliseconds.
	select {
	case <-w.Changes():
		t.Fatal("a change was reported before the writes settled")
	case <-time.After(300 * time.Millisecond):
	}
}

// A watcher nobody keeps alive stops by itself, so leaving a screen leaks
// nothing; Stop stops one at once.
func TestWatcherStops(t *testing.T) {
	w := Start([]string{filepath.Join(t.TempDir(), "x.go")}, Options{Poll: 10 * time.Millisecond, IdleStop: 50 * time.Millisecond})
	select {
	case <-w.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the idle watcher still runs")
	}
	w2 := Start(nil, Options{})
	w2.Stop()
	w2.Stop()
	select {
	case <-w2.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("Stop did not stop the watcher")
	}
	if !w2.Stopped() {
		t.Fatal("Stopped is false after Done")
	}
}
