package checker

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// sandbox is where a grading runs the learner's program: a fresh working
// directory, HOME and TMPDIR, shared by the runs of one grading. What the
// program leaves there is read back and scanned for secrets, and the
// checkout is compared before and after, so writing a value to a file, or
// writing into the repository, cannot go unseen. So is what the program
// writes where it was not told to but may well write: beside itself (its
// own folder) and in the system's temp dirs (see watchOutside).
//
// Its folders have neutral names (a temp dir named as os.MkdirTemp names
// any), so that nothing in the program's paths says it is being graded.
type sandbox struct {
	dir, work, home, tmp string
	// files holds the latest content of every file found in the sandbox,
	// by path relative to dir.
	files map[string][]byte
	// before is the checkout as it was when the first run started.
	before map[string]fileStamp
	root   string
	skip   func(rel string) bool

	// Outside the sandbox (see watchOutside): prog is the program's own
	// folder and progBefore its files as the checker put them there; since
	// is when watching started, less a second of clock slack; tempBefore
	// holds the entries of the system's temp dirs then; outside holds the
	// latest content of the files the program wrote there, by path.
	prog       string
	progBefore map[string]fileStamp
	since      time.Time
	tempBefore map[string]bool
	outside    map[string]outsideFile
}

// outsideFile is a file the program wrote outside its sandbox.
type outsideFile struct {
	data  []byte
	shown string // how a reason names it
	// made says the file, or the folder it is in, appeared during the
	// grading: one that holds a secret is removed afterwards.
	made bool
}

type fileStamp struct {
	size int64
	mod  time.Time
}

// Bounds on what is read back from a sandbox, so a program that writes
// without end cannot exhaust memory.
const (
	maxSandboxFile  = 4 << 20
	maxSandboxTotal = 32 << 20
)

// open creates the sandbox on the first run of a grading.
func (b *sandbox) open(r *run) error {
	if b.dir != "" {
		return nil
	}
	dir, err := neutralDir()
	if err != nil {
		return fmt.Errorf("making the program's sandbox: %w", err)
	}
	b.work, b.home, b.tmp = filepath.Join(dir, "work"), filepath.Join(dir, "home"), filepath.Join(dir, "tmp")
	for _, d := range []string{b.work, b.home, b.tmp} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return fmt.Errorf("making the program's sandbox: %w", err)
		}
	}
	b.dir, b.files, b.root = dir, map[string][]byte{}, r.c.Root
	b.skip = checkoutSkipper(r.ex)
	b.before = stampCheckout(b.root, b.skip)
	return nil
}

// close removes the sandbox.
func (b *sandbox) close() {
	if b.dir != "" {
		removeOwn(b.dir)
	}
}

// clear empties the working directory, HOME and TMPDIR (what they held
// was collected already), so that the next run starts as the first did
// and cannot take anything over from an earlier one.
func (b *sandbox) clear() error {
	for _, d := range []string{b.work, b.home, b.tmp} {
		if err := os.RemoveAll(d); err != nil {
			return fmt.Errorf("emptying the program's sandbox: %w", err)
		}
		if err := os.MkdirAll(d, 0o700); err != nil {
			return fmt.Errorf("emptying the program's sandbox: %w", err)
		}
	}
	return nil
}

// ownDirs are the folders the checker made for programs (sandboxes, the
// programs' own folders, build directories) in this process: a scan of
// the temp dirs leaves them out, as each grading reads its own.
var ownDirs sync.Map

// neutralDir makes a folder of the checker's own under the system's temp
// dir, named as any program's temp dir is ("tmp" and digits).
func neutralDir() (string, error) {
	dir, err := os.MkdirTemp("", "tmp")
	if err != nil {
		return "", err
	}
	addOwn(dir)
	return dir, nil
}

// addOwn registers dir among ownDirs, as named and as the temp dirs'
// scan finds it (through symbolic links resolved).
func addOwn(dir string) {
	ownDirs.Store(dir, true)
	if p, err := filepath.EvalSymlinks(dir); err == nil {
		ownDirs.Store(p, true)
	}
}

// removeOwn removes a folder neutralDir made.
func removeOwn(dir string) {
	p, err := filepath.EvalSymlinks(dir)
	_ = os.RemoveAll(dir)
	ownDirs.Delete(dir)
	if err == nil {
		ownDirs.Delete(p)
	}
}

func isOwn(p string) bool {
	_, ok := ownDirs.Load(p)
	return ok
}

// collect reads every regular file in the sandbox, within the bounds.
func (b *sandbox) collect() {
	if b.dir == "" {
		return
	}
	total := 0
	_ = filepath.WalkDir(b.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() || total >= maxSandboxTotal {
			return nil
		}
		data, err := readHead(p, min(maxSandboxFile, maxSandboxTotal-total))
		if err != nil {
			return nil
		}
		total += len(data)
		rel, _ := filepath.Rel(b.dir, p)
		b.files[filepath.ToSlash(rel)] = data
		return nil
	})
}

// readHead reads at most limit bytes of the file at p.
func readHead(p string, limit int) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, int64(limit)))
}

// fileNames lists the files the program left, sorted.
func (b *sandbox) fileNames() []string {
	names := make([]string, 0, len(b.files))
	for n := range b.files {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// checkoutSkipper says which paths of the checkout a program may change:
// its own exercise folder, every exercise's learner files (the learner may
// be editing them while grading runs) and solution folders, and what git
// and builds keep.
func checkoutSkipper(ex *Exercise) func(rel string) bool {
	own := map[string]bool{}
	var solutions []string
	for _, e := range All() {
		for _, f := range e.learnerFiles() {
			own[filepath.ToSlash(filepath.Join(e.Dir(), f))] = true
		}
		solutions = append(solutions, filepath.ToSlash(SolutionDir(e))+"/")
	}
	var dir string
	if ex != nil {
		dir = filepath.ToSlash(ex.Dir()) + "/"
	}
	return func(rel string) bool {
		switch {
		case rel == ".git" || strings.HasPrefix(rel, ".git/"), rel == "bin" || strings.HasPrefix(rel, "bin/"),
			rel == ".secretlings" || strings.HasPrefix(rel, ".secretlings/"):
			return true
		case dir != "" && (strings.HasPrefix(rel, dir) || rel+"/" == dir):
			return true
		case slices.ContainsFunc(solutions, func(s string) bool { return strings.HasPrefix(rel+"/", s) }):
			return true // written by WriteSolution, maybe while this runs
		}
		return own[rel]
	}
}

// stampCheckout records the size and time of every file of the checkout.
func stampCheckout(root string, skip func(string) bool) map[string]fileStamp {
	stamps := map[string]fileStamp{}
	if root == "" {
		return stamps
	}
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if rel != "." && skip(rel) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				stamps[rel] = fileStamp{fi.Size(), fi.ModTime()}
			}
		}
		return nil
	})
	return stamps
}

// checkoutChanges lists the files of the checkout that appeared, changed or
// went away since the first run started.
func (b *sandbox) checkoutChanges() []string {
	if b.dir == "" {
		return nil
	}
	after := stampCheckout(b.root, b.skip)
	var changed []string
	for p, s := range after {
		if old, ok := b.before[p]; !ok || old != s {
			changed = append(changed, p)
		}
	}
	for p := range b.before {
		if _, ok := after[p]; !ok {
			changed = append(changed, p)
		}
	}
	slices.Sort(changed)
	return changed
}
