package checker

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

type buildResult struct {
	bin     string
	compile string // trimmed compiler output when the build failed
	err     error  // the build could not run at all
}

// slowBuild is how long a build may take before the checker says what it
// is doing: the first build compiles the AWS SDK, later ones take a second.
const slowBuild = 2 * time.Second

// build compiles the exercise's program (the learner's, the solution or the
// stub) and records the "compiles" check.
func (r *run) build(ctx context.Context) bool {
	if r.c.lang(r.ex) == Python {
		return r.pyBuild(ctx)
	}
	overlay, err := r.c.overlay(r.ex)
	if err != nil {
		r.fatal = err
		return false
	}
	if note := r.c.Notify; note != nil {
		t := time.AfterFunc(slowBuild, func() {
			note(fmt.Sprintf("building %s: the first build compiles the AWS SDK and takes a minute or two; later builds take a second", r.ex.ID))
		})
		defer t.Stop()
	}
	variant, extra := "", []string(nil)
	if r.ex.tests {
		// go's cover step reads a covered file from disk, not from the
		// overlay: only an untouched copy may be built with coverage.
		// Without it, every mutant is tried.
		r.covered = !r.c.editedOnDisk && r.c.pristineOnDisk(r.ex, catchFile)
		variant = "baseline"
		if r.covered {
			extra = coverFlags
		}
	}
	b := r.c.buildVariant(ctx, r.ex, variant, extra, overlay)
	if b.err != nil {
		r.fatal = b.err
		return false
	}
	if b.compile != "" {
		r.res.Compile = b.compile
		r.check("compiles", 0, "the program does not compile:\n"+b.compile)
		return false
	}
	r.bin = b.bin
	r.prog = program{path: b.bin}
	if !r.ex.tests {
		// The program runs from a folder of its own, as the python
		// files do: what it writes beside itself (os.Executable) is seen
		// and goes with the run, not into the build cache.
		dir, path, err := placeProgram(b.bin, r.ex.ID)
		if err != nil {
			r.fatal = err
			return false
		}
		r.prog = program{path: path, dir: dir}
	}
	r.check("compiles", 0, "")
	return true
}

// placeProgram links (or, across file systems, copies) the built program
// bin into a new folder of its own, named as go build names it.
func placeProgram(bin, name string) (dir, path string, err error) {
	dir, err = neutralDir()
	if err != nil {
		return "", "", fmt.Errorf("making the program's folder: %w", err)
	}
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	path = filepath.Join(dir, name)
	if os.Link(bin, path) == nil {
		return dir, path, nil
	}
	data, err := os.ReadFile(bin)
	if err == nil {
		err = os.WriteFile(path, data, 0o700)
	}
	if err != nil {
		removeOwn(dir)
		return "", "", fmt.Errorf("placing the program in its folder: %w", err)
	}
	return dir, path, nil
}

// pristineOnDisk reports whether ex's file f in the checkout is the
// checker's original.
func (c *Checker) pristineOnDisk(ex *Exercise, f string) bool {
	want, err := pristineFile(ex, f)
	if err != nil {
		return false
	}
	got, err := os.ReadFile(filepath.Join(c.Root, ex.Dir(), f))
	return err == nil && bytes.Equal(got, want)
}

// overlay is what the build sees in place of the exercise folder's files
// (a nil value hides a file): the provided drivers always from the pristine
// copies; for a stub or a solution, only the embedded files, whatever else
// the folder holds; then the files a test substitutes.
func (c *Checker) overlay(ex *Exercise) (map[string][]byte, error) {
	dir := filepath.Join(c.Root, ex.Dir())
	overlay := map[string][]byte{}
	if c.Source != Learner {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".go") {
				overlay[filepath.Join(dir, e.Name())] = nil
			}
		}
	}
	for _, f := range ex.Provided {
		data, err := pristineFile(ex, f)
		if err != nil {
			return nil, err
		}
		overlay[filepath.Join(dir, f)] = data
	}
	switch c.Source {
	case Stub:
		for _, f := range ex.Files {
			data, err := pristineFile(ex, f)
			if err != nil {
				return nil, err
			}
			overlay[filepath.Join(dir, f)] = data
		}
	case Solution:
		files, err := SolutionOf(ex)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			overlay[filepath.Join(dir, f.Name)] = f.Data
		}
	}
	for f, data := range c.replace {
		overlay[filepath.Join(dir, f)] = data
	}
	return overlay, nil
}

// ProgramFlags are go build's flags for every program secretlings builds
// (exercises, examples): no VCS stamp (the checkout may be mid-edit) and no
// debug tables, which halves the link, the slow part of a build (stack
// traces keep their file:line). (Not -trimpath: it would hide the
// checkout's path from the program, but also keep the build from reusing
// the packages `go test` and earlier builds compiled, a minute or two on a
// fresh machine.)
func ProgramFlags() []string {
	return []string{"-buildvcs=false", "-ldflags=-s -w"}
}

// BuildFlags are go build's flags for ex, the checker's and secretlings
// run's: ProgramFlags, and -race where the exercise is about concurrency.
func BuildFlags(ex *Exercise) []string {
	flags := ProgramFlags()
	if ex.Race {
		flags = append(flags, "-race")
	}
	return flags
}

// buildCache keeps built programs by source key. Each Checker has its own,
// pruned to the newest program per exercise and source, as an app in watch
// mode builds on every save. A test process shares one that keeps
// everything (sharedBuilds), so the same sources graded on a second
// backend, or by a second Checker, are not built again.
type buildCache struct {
	group singleflight.Group
	mu    sync.Mutex
	built map[string]buildResult
	dir   string // where the programs go; "" is the Checker's build directory
	keep  bool   // never prune
}

func newBuildCache() *buildCache { return &buildCache{built: map[string]buildResult{}} }

// sharedBuilds, when set (by a test binary's TestMain), is the cache every
// new Checker uses.
var sharedBuilds *buildCache

// buildVariant runs go build for ex's package (go test -c for a test
// exercise) with overlay replacing files and extra flags, and reuses a
// binary built from the same sources earlier. variant names the build
// among an exercise's others ("" for its program).
func (c *Checker) buildVariant(ctx context.Context, ex *Exercise, variant string, extra []string, overlay map[string][]byte) buildResult {
	tmp, err := c.tempDir()
	if err != nil {
		return buildResult{err: err}
	}
	flags := append(BuildFlags(ex), extra...)
	key, err := sourceKey(filepath.Join(c.Root, ex.Dir()), overlay, append(flags, "variant="+variant))
	if err != nil {
		return buildResult{err: fmt.Errorf("reading %s: %w", ex.Dir(), err)}
	}
	bc := c.cache
	v, _, _ := bc.group.Do(key, func() (any, error) {
		bc.mu.Lock()
		b, ok := bc.built[key]
		bc.mu.Unlock()
		if ok {
			return b, nil
		}
		out := tmp
		if bc.dir != "" {
			out = bc.dir
			addOwn(bc.dir)
		}
		b = c.goBuild(ctx, tmp, out, key, ex, variant, flags, overlay)
		if b.err == nil {
			bc.mu.Lock()
			bc.built[key] = b
			bc.mu.Unlock()
		}
		return b, nil
	})
	return v.(buildResult)
}

// goBuild builds ex into outDir with flags, the overlay's files written in
// tmp.
func (c *Checker) goBuild(ctx context.Context, tmp, outDir, key string, ex *Exercise, variant string, flags []string, overlay map[string][]byte) buildResult {
	goBin := c.GoBin
	if goBin == "" {
		var err error
		if goBin, err = exec.LookPath("go"); err != nil {
			return buildResult{err: errors.New("the Go toolchain is not on PATH: exercises are built from their source in lessons/, so install Go (https://go.dev/dl/) and try again")}
		}
	}
	// The name starts with the exercise and source, so older builds of it
	// can go: an app in watch mode builds on every save.
	stem := fmt.Sprintf("prog-%s-%d-%s-", ex.ID, c.Source, variant)
	if !c.cache.keep {
		c.cache.remove(filepath.Join(outDir, stem+"*"))
	}
	out := filepath.Join(outDir, stem+key[:16])
	if runtime.GOOS == "windows" {
		out += ".exe"
	}
	args := []string{"build"}
	if ex.tests {
		// vet is for the learner's own go test; here it would double the
		// time of a build.
		args = []string{"test", "-c", "-vet=off"}
	}
	args = append(append(args, "-o", out), flags...)
	if len(overlay) > 0 {
		of, cleanup, err := writeOverlay(tmp, key, overlay)
		defer cleanup()
		if err != nil {
			return buildResult{err: err}
		}
		args = append(args, "-overlay", of)
	}
	args = append(args, "./"+filepath.ToSlash(ex.Dir()))
	cmd := exec.CommandContext(ctx, goBin, args...)
	cmd.Dir = c.Root
	var msg bytes.Buffer
	cmd.Stdout, cmd.Stderr = &msg, &msg
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			return buildResult{err: fmt.Errorf("running go build: %w", err)}
		}
		text := trimCompile(msg.String(), c.Root)
		if text == "" {
			text = err.Error()
		}
		return buildResult{compile: text}
	}
	return buildResult{bin: out}
}

// remove deletes the built programs matching pattern and forgets them.
func (bc *buildCache) remove(pattern string) {
	old, _ := filepath.Glob(pattern)
	bc.mu.Lock()
	defer bc.mu.Unlock()
	for _, f := range old {
		for k, b := range bc.built {
			if b.bin == f {
				delete(bc.built, k)
			}
		}
		_ = os.Remove(f)
	}
}

// writeOverlay writes go build's -overlay file and the files it points to.
func writeOverlay(tmp, key string, overlay map[string][]byte) (string, func(), error) {
	var written []string
	cleanup := func() {
		for _, f := range written {
			_ = os.Remove(f)
		}
	}
	replace := map[string]string{}
	for target, data := range overlay {
		if data == nil {
			replace[target] = "" // hidden from the build
			continue
		}
		f := filepath.Join(tmp, "overlay-"+key[:16]+"-"+filepath.Base(target))
		if err := os.WriteFile(f, data, 0o600); err != nil {
			return "", cleanup, err
		}
		written = append(written, f)
		replace[target] = f
	}
	doc, _ := json.Marshal(map[string]any{"Replace": replace})
	of := filepath.Join(tmp, "overlay-"+key[:16]+".json")
	if err := os.WriteFile(of, doc, 0o600); err != nil {
		return "", cleanup, err
	}
	written = append(written, of)
	return of, cleanup, nil
}

// sourceKey hashes the package's Go files as the build will see them, and
// the build flags.
func sourceKey(dir string, overlay map[string][]byte, flags []string) (string, error) {
	files := map[string][]byte{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") {
			continue
		}
		p := filepath.Join(dir, e.Name())
		data, err := os.ReadFile(p)
		if err != nil {
			return "", err
		}
		files[p] = data
	}
	for p, data := range overlay {
		if data == nil {
			delete(files, p)
		} else {
			files[p] = data
		}
	}
	names := make([]string, 0, len(files))
	for p := range files {
		names = append(names, p)
	}
	sort.Strings(names)
	h := sha256.New()
	fmt.Fprintf(h, "%q\x00", flags)
	for _, p := range names {
		fmt.Fprintf(h, "%s\x00%d\x00", p, len(files[p]))
		h.Write(files[p])
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

var compileNoise = regexp.MustCompile(`^(# |go: downloading )`)

// trimCompile keeps the compiler's own lines, with paths relative to the
// repository, and at most ten of them: the first errors are the ones that
// matter, the rest often follow from them.
func trimCompile(out, root string) string {
	var keep []string
	more := 0
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line == "" || compileNoise.MatchString(line) {
			continue
		}
		if root != "" {
			line = strings.ReplaceAll(line, root+string(filepath.Separator), "")
		}
		line = strings.TrimPrefix(line, "./")
		if len(keep) == 10 {
			more++
			continue
		}
		keep = append(keep, line)
	}
	if more > 0 {
		keep = append(keep, fmt.Sprintf("(%d more lines)", more))
	}
	return strings.Join(keep, "\n")
}
