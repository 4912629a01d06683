package checker

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"secretlings/mask"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// A program told to write only into its working directory and $TMPDIR may
// still write beside itself (a cache file next to its script or binary:
// run by hand, that is the learner's checkout) or into a temp dir named in
// its code ("/tmp/app.log"). The sandbox watches those places too: the
// program's own folder, whole, and the system's temp dirs, for what
// changed while the program ran, within bounds, since they are shared with
// every other program on the machine.

// Bounds on a look at the temp dirs, so a crowded /tmp costs little.
const (
	outsideDepth   = 3       // folder levels below a temp dir
	outsideEntries = 20000   // directory entries looked at per look
	outsideFiles   = 64      // files read per look, smallest first
	outsideEnd     = 1 << 20 // bytes read from each end of a file
	outsideTotal   = 16 << 20
)

// tempRoots are the system's temp dirs, each once: /tmp, /var/tmp,
// /dev/shm and the checker's own os.TempDir, where they exist.
var tempRoots = sync.OnceValue(func() []string {
	var roots []string
	for _, d := range []string{"/tmp", "/var/tmp", "/dev/shm", os.TempDir()} {
		p, err := filepath.EvalSymlinks(d)
		if err != nil {
			continue
		}
		if fi, err := os.Stat(p); err == nil && fi.IsDir() && !slices.Contains(roots, p) {
			roots = append(roots, p)
		}
	}
	return roots
})

// watchOutside starts watching outside the sandbox: prog is the program's
// own folder ("" for none). It does nothing after the first call.
func (b *sandbox) watchOutside(prog string) {
	if !b.since.IsZero() {
		return
	}
	b.since = time.Now().Add(-time.Second)
	b.prog, b.progBefore = prog, map[string]fileStamp{}
	if prog != "" {
		_ = filepath.WalkDir(prog, func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() {
				if fi, err := d.Info(); err == nil {
					b.progBefore[p] = fileStamp{fi.Size(), fi.ModTime()}
				}
			}
			return nil
		})
	}
	b.tempBefore, b.outside = map[string]bool{}, map[string]outsideFile{}
	for _, root := range tempRoots() {
		entries, _ := readDirN(root, outsideEntries)
		for _, e := range entries {
			b.tempBefore[filepath.Join(root, e.Name())] = true
		}
	}
}

// readDirN reads at most n entries of dir.
func readDirN(dir string, n int) ([]fs.DirEntry, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.ReadDir(n)
}

// outsideCandidate is a file that may be the program's.
type outsideCandidate struct {
	path, shown string
	size        int64
	made        bool
}

// collectOutside reads what the program wrote outside its sandbox since
// watchOutside: every new or changed file of its own folder, and the files
// made in the temp dirs since (in a temp dir itself, or in a folder made
// there since). A file that was there before is not the program's to
// answer for: other programs on the machine write logs there too, this
// grading's own test output among them. So an old file appended to goes
// unseen.
func (b *sandbox) collectOutside() {
	if b.since.IsZero() {
		return
	}
	var found []outsideCandidate
	left := outsideEntries
	if b.prog != "" {
		_ = filepath.WalkDir(b.prog, func(p string, d fs.DirEntry, err error) error {
			if err != nil || left <= 0 {
				return filepath.SkipDir
			}
			left--
			if !d.Type().IsRegular() {
				return nil
			}
			fi, err := d.Info()
			if err != nil || b.progBefore[p] == (fileStamp{fi.Size(), fi.ModTime()}) {
				return nil
			}
			rel, _ := filepath.Rel(b.prog, p)
			found = append(found, outsideCandidate{path: p, shown: filepath.ToSlash(rel) + " beside the program itself", size: fi.Size()})
			return nil
		})
	}
	var walk func(dir string, depth int, made bool)
	walk = func(dir string, depth int, made bool) {
		entries, _ := readDirN(dir, left)
		left -= len(entries)
		for _, e := range entries {
			p := filepath.Join(dir, e.Name())
			if isOwn(p) || e.Type()&fs.ModeSymlink != 0 {
				continue
			}
			fi, err := e.Info()
			if err != nil || fi.ModTime().Before(b.since) {
				continue
			}
			m := made || depth == 0 && !b.tempBefore[p]
			switch {
			case fi.IsDir() && depth < outsideDepth && left > 0:
				walk(p, depth+1, m)
			case fi.Mode().IsRegular() && fi.Size() > 0 && m:
				found = append(found, outsideCandidate{path: p, shown: p, size: fi.Size(), made: true})
			}
		}
	}
	for _, root := range tempRoots() {
		walk(root, 0, false)
	}
	// The smallest first: a program's log or cache before the toolchains'
	// archives and binaries that other programs write beside it.
	sort.SliceStable(found, func(i, j int) bool { return found[i].size < found[j].size })
	total := 0
	for i, c := range found {
		if i >= outsideFiles || total >= outsideTotal {
			break
		}
		data, err := readEnds(c.path, outsideEnd)
		if err != nil {
			continue
		}
		total += len(data)
		b.outside[c.path] = outsideFile{data: data, shown: c.shown, made: c.made}
	}
}

// readEnds reads the first n bytes of the file at p and, if it is longer,
// its last n bytes too (what a program appended to a long log).
func readEnds(p string, n int) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	head, err := io.ReadAll(io.LimitReader(f, int64(n)))
	if err != nil || len(head) < n {
		return head, err
	}
	fi, err := f.Stat()
	if err != nil || fi.Size() <= int64(n) {
		return head, nil
	}
	tail := make([]byte, n)
	k, err := f.ReadAt(tail, max(int64(n), fi.Size()-int64(n)))
	if err != nil && err != io.EOF {
		return head, nil
	}
	return append(append(head, '\n'), tail[:k]...), nil
}

// outsideLeaks lists the files outside the sandbox that hold a secret,
// each with where, and removes those the grading made, so it leaves no
// secret behind (the program's own folder goes with the run anyway).
func (r *run) outsideLeaks() []string {
	paths := make([]string, 0, len(r.box.outside))
	for p := range r.box.outside {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	var found []string
	for _, p := range paths {
		f := r.box.outside[p]
		leaks := r.secret.Scan(f.data)
		if f.made {
			leaks = wholeValues(leaks)
		}
		if len(leaks) == 0 {
			continue
		}
		what := fmt.Sprintf("%s (%s)", f.shown, leaks[0])
		if f.made && (r.box.prog == "" || !strings.HasPrefix(p, r.box.prog+string(filepath.Separator))) {
			// Read again: remove it only if it still holds a secret.
			if data, err := readEnds(p, outsideEnd); err == nil && r.secret.Found(data) && os.Remove(p) == nil {
				what += " (removed: it held a secret value)"
			}
		}
		found = append(found, what)
	}
	return found
}

// wholeValues drops the leaks that are a part of a value: in a temp dir,
// among every other program's files (a Go build's hex-filled importcfg,
// source code), eight characters of a value turn up by chance; a whole
// value, in any form, does not.
func wholeValues(leaks []mask.Leak) []mask.Leak {
	var whole []mask.Leak
	for _, l := range leaks {
		if !strings.Contains(l.Form, mask.FormFragment) {
			whole = append(whole, l)
		}
	}
	return whole
}
