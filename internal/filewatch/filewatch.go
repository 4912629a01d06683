// Package filewatch reports saves to a set of files, from filesystem events
// where they work and by polling the files' size and modification time as
// well, since WSL's Windows drives, network filesystems and some containers
// never deliver events (rustlings #417, #1225): a save is noticed within a
// poll period either way. The exercise screen and `secretlings watch` both
// grade on save through it.
package filewatch

import (
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Options tune a Watcher; the zero value polls every second and reports
// every change at once.
type Options struct {
	// Poll is how often the files are polled; 0 means a second.
	Poll time.Duration
	// Debounce makes a burst of writes one change: editors write a file in
	// several steps. 0 reports each at once.
	Debounce time.Duration
	// IdleStop stops the watcher when KeepAlive was not called for this
	// long, for a caller that cannot tell when it stops listening (a
	// Bubble Tea screen has no "you are hidden" hook). 0 never stops.
	IdleStop time.Duration
	// NoEvents polls only, so tests can prove polling alone notices.
	NoEvents bool
}

// Watcher watches a fixed set of files until Stop (or IdleStop).
type Watcher struct {
	files       []string
	o           Options
	usingEvents bool
	changes     chan struct{}
	lastAlive   atomic.Int64 // unix nanoseconds of the last KeepAlive
	quit        chan struct{}
	exited      chan struct{}
	stopOnce    sync.Once
}

// Start watches files. With no files the watcher only idles until it
// stops, which lets a caller treat every exercise alike.
func Start(files []string, o Options) *Watcher {
	if o.Poll <= 0 {
		o.Poll = time.Second
	}
	w := &Watcher{
		files: files, o: o,
		changes: make(chan struct{}, 1), quit: make(chan struct{}), exited: make(chan struct{}),
	}
	w.KeepAlive()
	var fsw *fsnotify.Watcher
	if len(files) > 0 && !o.NoEvents {
		fsw = watchDirs(files)
		w.usingEvents = fsw != nil
	}
	// Stamped before returning, so a save right after Start counts.
	go w.loop(fsw, stampFiles(files))
	return w
}

// watchDirs watches the files' folders (editors replace a file by renaming
// over it, which a watch on the file itself would lose), or returns nil when
// events do not work here.
func watchDirs(files []string) *fsnotify.Watcher {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil
	}
	dirs := map[string]bool{}
	for _, f := range files {
		if d := filepath.Dir(f); !dirs[d] {
			dirs[d] = true
			if fw.Add(d) != nil {
				fw.Close()
				return nil
			}
		}
	}
	return fw
}

// Files are the watched files.
func (w *Watcher) Files() []string { return w.files }

// UsingEvents reports that filesystem events work; otherwise only polling
// notices saves.
func (w *Watcher) UsingEvents() bool { return w.usingEvents }

// Changes receives once per change (or burst of changes within Debounce);
// changes that arrive while one is pending are merged into it.
func (w *Watcher) Changes() <-chan struct{} { return w.changes }

// Done is closed once the watcher has stopped, by Stop or by IdleStop.
func (w *Watcher) Done() <-chan struct{} { return w.exited }

// Stopped reports that the watcher has stopped.
func (w *Watcher) Stopped() bool {
	select {
	case <-w.exited:
		return true
	default:
		return false
	}
}

// KeepAlive tells a watcher with IdleStop that someone still listens.
func (w *Watcher) KeepAlive() { w.lastAlive.Store(time.Now().UnixNano()) }

// Stop stops the watcher; it is safe to call more than once.
func (w *Watcher) Stop() { w.stopOnce.Do(func() { close(w.quit) }) }

func (w *Watcher) loop(fsw *fsnotify.Watcher, stamps []fileStamp) {
	defer close(w.exited)
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
	tick := time.NewTicker(w.o.Poll)
	defer tick.Stop()
	var settle <-chan time.Time // fires once a burst of writes is over
	changed := func() {
		if w.o.Debounce <= 0 {
			w.notify()
			return
		}
		settle = time.After(w.o.Debounce)
	}
	for {
		select {
		case <-w.quit:
			return
		case ev, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			if watched[filepath.Clean(ev.Name)] && ev.Op&(fsnotify.Write|fsnotify.Create|fsnotify.Rename|fsnotify.Remove) != 0 {
				stamps = stampFiles(w.files)
				changed()
			}
		case <-errs:
			// An overflow or a lost watch: polling still covers it.
		case <-settle:
			settle = nil
			w.notify()
		case <-tick.C:
			if w.o.IdleStop > 0 && time.Since(time.Unix(0, w.lastAlive.Load())) > w.o.IdleStop {
				return
			}
			if s := stampFiles(w.files); !sameStamps(s, stamps) {
				stamps = s
				changed()
			}
		}
	}
}

func (w *Watcher) notify() {
	select {
	case w.changes <- struct{}{}:
	default: // a change is already pending; one re-grade covers both
	}
}

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
