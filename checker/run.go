package checker

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"time"

	"secretlings/mask"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// pristine holds the original stubs and provided driver files, so reset
// works on any checkout and the provided files cannot be edited into a pass.
// Each file is stored as <id>/<name>.txt, so the go tool does not build it.
//
//go:embed pristine
var pristine embed.FS

func pristinePath(id, file string) string { return path.Join("pristine", id, file+".txt") }

// run is one grading in progress.
type run struct {
	c  *Checker
	ex *Exercise
	// client reads and seeds state, straight to the backend (not through
	// the proxy, so none of it counts as the learner's traffic).
	client *secretsmanager.Client
	ns     string
	proxy  *proxy
	bin    string
	// known holds every secret value of the namespace, for scanning and
	// masking output.
	known *mask.Redactor
	names []string // secrets to delete afterwards
	res   Result
	// fatal is set when grading itself failed (the backend is down).
	fatal error
	// output collects what the program printed, for Result.Output.
	output bytes.Buffer
}

func (c *Checker) newRun(ex *Exercise, ns string) *run {
	r := &run{c: c, ex: ex, ns: ns, client: c.Backend.Client, known: mask.NewRedactor()}
	if ex != nil {
		r.res.Exercise = ex.ID
	}
	r.res.Namespace = ns
	return r
}

// start puts the recording proxy in front of the backend.
func (r *run) start() error {
	b := r.c.Backend
	upstream := b.Endpoint
	var sign func(*http.Request, []byte) error
	if upstream == "" {
		upstream = "https://secretsmanager." + b.Region + ".amazonaws.com"
	}
	if !b.Local && b.Client != nil {
		sign = sigV4Signer(b.Client.Options().Credentials, b.Region)
	}
	p, err := startProxy(upstream, sign)
	if err != nil {
		return fmt.Errorf("starting the recording proxy: %w", err)
	}
	r.proxy = p
	return nil
}

func (r *run) stop() {
	if r.proxy != nil {
		_ = r.proxy.Close()
	}
}

func (r *run) cleanup() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_ = r.deleteNamespace(ctx)
}

// check records one check: an empty reason means it passed.
func (r *run) check(name string, hint int, reason string) bool {
	c := Check{Name: name, Passed: reason == "", Reason: reason}
	if !c.Passed {
		c.Hint = hint
	}
	r.res.Checks = append(r.res.Checks, c)
	return c.Passed
}

// skip records checks that cannot be judged because an earlier one failed.
func (r *run) skip(why string, hint int, names ...string) {
	for _, n := range names {
		r.check(n, hint, "not checked: "+why)
	}
}

func (r *run) finish(start time.Time) *Result {
	res := r.res
	res.Passed = len(res.Checks) > 0
	for _, c := range res.Checks {
		if !c.Passed {
			res.Passed = false
		}
	}
	if f := res.FirstFailed(); f != nil && f.Hint > 0 && r.ex != nil {
		if hints, err := Hints(r.c.Root, r.ex); err == nil && f.Hint <= len(hints) {
			res.NextHint = hints[f.Hint-1]
		}
	}
	res.Output = tail(r.known.Redact(r.output.String()), 40)
	res.Duration = time.Since(start)
	return &res
}

// seedName registers a secret the run creates, so cleanup deletes it.
func (r *run) seedName(suffix string) string {
	n := r.ns + suffix
	r.names = append(r.names, n)
	return n
}

type buildResult struct {
	bin     string
	compile string // trimmed compiler output when the build failed
	err     error  // the build could not run at all
}

// build compiles the exercise's program (the learner's, the solution or the
// stub) and records the "compiles" check.
func (r *run) build(ctx context.Context) bool {
	dir := r.ex.Dir()
	overlay := map[string][]byte{}
	src := dir
	if r.c.Source == Solution {
		src = filepath.Join(dir, "solution")
	}
	for _, f := range r.ex.Provided {
		data, err := pristine.ReadFile(pristinePath(r.ex.ID, f))
		if err != nil {
			r.fatal = err
			return false
		}
		overlay[filepath.Join(r.c.Root, src, f)] = data
	}
	if r.c.Source == Stub {
		for _, f := range r.ex.Files {
			data, err := pristine.ReadFile(pristinePath(r.ex.ID, f))
			if err != nil {
				r.fatal = err
				return false
			}
			overlay[filepath.Join(r.c.Root, src, f)] = data
		}
	}
	for f, data := range r.c.replace {
		overlay[filepath.Join(r.c.Root, src, f)] = data
	}
	b := r.c.buildProgram(ctx, src, overlay)
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
	r.check("compiles", 0, "")
	return true
}

// buildProgram runs go build for the package at src (relative to Root),
// with overlay replacing files, and reuses a binary built from the same
// sources earlier by this Checker.
func (c *Checker) buildProgram(ctx context.Context, src string, overlay map[string][]byte) buildResult {
	tmp, err := c.tempDir()
	if err != nil {
		return buildResult{err: err}
	}
	key, err := sourceKey(filepath.Join(c.Root, src), overlay)
	if err != nil {
		return buildResult{err: fmt.Errorf("reading %s: %w", src, err)}
	}
	v, _, _ := c.builds.Do(key, func() (any, error) {
		c.mu.Lock()
		b, ok := c.built[key]
		c.mu.Unlock()
		if ok {
			return b, nil
		}
		b = c.goBuild(ctx, tmp, key, src, overlay)
		if b.err == nil {
			c.mu.Lock()
			c.built[key] = b
			c.mu.Unlock()
		}
		return b, nil
	})
	return v.(buildResult)
}

func (c *Checker) goBuild(ctx context.Context, tmp, key, src string, overlay map[string][]byte) buildResult {
	goBin := c.GoBin
	if goBin == "" {
		var err error
		if goBin, err = exec.LookPath("go"); err != nil {
			return buildResult{err: errors.New("the Go toolchain is not on PATH: exercises are built from their source in lessons/, so install Go (https://go.dev/dl/) and try again")}
		}
	}
	// The name starts with the package, so older builds of it can go: an
	// app in watch mode builds on every save.
	stem := "prog-" + strings.NewReplacer("/", "_", "\\", "_", ".", "_").Replace(filepath.ToSlash(src)) + "-"
	if old, _ := filepath.Glob(filepath.Join(tmp, stem+"*")); len(old) > 0 {
		c.mu.Lock()
		for _, f := range old {
			for k, b := range c.built {
				if b.bin == f {
					delete(c.built, k)
				}
			}
			_ = os.Remove(f)
		}
		c.mu.Unlock()
	}
	out := filepath.Join(tmp, stem+key[:16])
	if runtime.GOOS == "windows" {
		out += ".exe"
	}
	args := []string{"build", "-o", out}
	if len(overlay) > 0 {
		replace := map[string]string{}
		for target, data := range overlay {
			f := filepath.Join(tmp, "overlay-"+key[:16]+"-"+filepath.Base(target)+".go")
			if err := os.WriteFile(f, data, 0o600); err != nil {
				return buildResult{err: err}
			}
			defer os.Remove(f)
			replace[target] = f
		}
		doc, _ := json.Marshal(map[string]any{"Replace": replace})
		of := filepath.Join(tmp, "overlay-"+key[:16]+".json")
		if err := os.WriteFile(of, doc, 0o600); err != nil {
			return buildResult{err: err}
		}
		defer os.Remove(of)
		args = append(args, "-overlay", of)
	}
	args = append(args, "./"+filepath.ToSlash(src))
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

// sourceKey hashes the package's Go files as the build will see them.
func sourceKey(dir string, overlay map[string][]byte) (string, error) {
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
		files[p] = data
	}
	names := make([]string, 0, len(files))
	for p := range files {
		names = append(names, p)
	}
	sort.Strings(names)
	h := sha256.New()
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
		line = strings.ReplaceAll(line, root+string(filepath.Separator), "")
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
