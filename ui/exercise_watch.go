package ui

import (
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/fsnotify/fsnotify"
)

// exerciseWatcher tells the exercise screen when one of the learner's files
// changes. It uses filesystem events where they work and polls the files'
// size and modification time as well, since WSL's Windows drives, network
// filesystems and some containers never deliver events (rustlings #417,
// #1225): a save is noticed within a poll period either way.
//
// Bubble Tea gives a screen no "you are hidden" hook, so the watcher stops
// itself when nobody has waited on it for a while, and the screen starts a
// new one when it is shown again.
type exerciseWatcher struct {
	files       []string
	usingEvents bool // filesystem events work; otherwise only polling
	heartbeat   time.Duration
	idleStop    time.Duration
	changes     chan struct{}
	lastWait    atomic.Int64 // unix nanoseconds of the last waitCmd
	stopped     atomic.Bool
	done        chan struct{}
	stopOnce    sync.Once
}

// exerciseWatchMsg is a change (or, when changed is false, a heartbeat that
// keeps the watcher alive and lets state exercises re-check).
type exerciseWatchMsg struct {
	w       *exerciseWatcher
	changed bool
}

// How long a waitCmd waits before a heartbeat, and how long without a wait
// means nobody is listening.
var (
	exerciseHeartbeat = 2 * time.Second
	exerciseIdleStop  = 10 * time.Second
	// exerciseEvents turns filesystem events off, so tests can prove that
	// polling alone notices a save.
	exerciseEvents = true
)

type fileStamp struct {
	size int64
	mod  time.Time
	ok   bool
}

func stampFiles(files []string) []fileStamp {
	out := make([]fileStamp, len(files))
	for i, f := range files {
		if fi, err := os.Stat(f); err == nil {
			out[i] = fileStamp{size: fi.Size(), mod: fi.ModTime(), ok: true}
		}
	}
	return out
}

func sameStamps(a, b []fileStamp) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].ok != b[i].ok || a[i].size != b[i].size || !a[i].mod.Equal(b[i].mod) {
			return false
		}
	}
	return true
}

// startExerciseWatcher watches files (none for a state exercise, whose
// watcher only beats) and polls them every poll.
func startExerciseWatcher(files []string, poll time.Duration) *exerciseWatcher {
	w := &exerciseWatcher{
		files: files, heartbeat: exerciseHeartbeat, idleStop: exerciseIdleStop,
		changes: make(chan struct{}, 1), done: make(chan struct{}),
	}
	w.lastWait.Store(time.Now().UnixNano())
	var fsw *fsnotify.Watcher
	if len(files) > 0 && exerciseEvents {
		if fw, err := fsnotify.NewWatcher(); err == nil {
			dirs := map[string]bool{}
			ok := true
			for _, f := range files {
				// Editors replace files by renaming over them, so the
				// folder is watched, not the file.
				if d := filepath.Dir(f); !dirs[d] {
					dirs[d] = true
					ok = ok && fw.Add(d) == nil
				}
			}
			if ok {
				fsw, w.usingEvents = fw, true
			} else {
				fw.Close()
			}
		}
	}
	go w.loop(fsw, poll)
	return w
}

func (w *exerciseWatcher) loop(fsw *fsnotify.Watcher, poll time.Duration) {
	defer w.stopped.Store(true)
	var events chan fsnotify.Event
	var errs chan error
	if fsw != nil {
		defer fsw.Close()
		events, errs = fsw.Events, fsw.Errors
	}
	watched := map[string]bool{}
	for _, f := range w.files {
		watched[filepath.Clean(f)] = true
	}
	stamps := stampFiles(w.files)
	tick := time.NewTicker(poll)
	defer tick.Stop()
	for {
		select {
		case <-w.done:
			return
		case ev, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			if watched[filepath.Clean(ev.Name)] && ev.Op&(fsnotify.Write|fsnotify.Create|fsnotify.Rename|fsnotify.Remove) != 0 {
				stamps = stampFiles(w.files)
				w.notify()
			}
		case <-errs:
			// An overflow or a lost watch: polling still covers it.
		case <-tick.C:
			if time.Since(time.Unix(0, w.lastWait.Load())) > w.idleStop {
				return
			}
			if s := stampFiles(w.files); !sameStamps(s, stamps) {
				stamps = s
				w.notify()
			}
		}
	}
}

func (w *exerciseWatcher) notify() {
	select {
	case w.changes <- struct{}{}:
	default: // a change is already pending; one re-grade covers both
	}
}

func (w *exerciseWatcher) stop() { w.stopOnce.Do(func() { close(w.done) }) }

// waitCmd waits for the next change, or a heartbeat.
func (w *exerciseWatcher) waitCmd() tea.Cmd {
	return func() tea.Msg {
		w.lastWait.Store(time.Now().UnixNano())
		select {
		case <-w.changes:
			return exerciseWatchMsg{w: w, changed: true}
		case <-time.After(w.heartbeat):
			return exerciseWatchMsg{w: w}
		case <-w.done:
			return nil
		}
	}
}
