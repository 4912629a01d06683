package checker

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"secretlings/internal/pyfork"
	"secretlings/mask"
)

// proc is one finished run of the learner's program.
type proc struct {
	Stdout, Stderr string
	Code           int  // exit status; -1 when it did not exit normally
	TimedOut       bool // killed after the timeout
	Err            error
	// At is where it failed, when its output says: the innermost frame
	// of a Python traceback, or of a Go panic, fatal error or race
	// report, in the learner's files (else in the exercise's folder), as
	// "lessons/…/main.py:12 (in main)", the path as in the checkout, not
	// the checker's copy. See run.locate.
	At string
}

// summary describes how the program ended, with the line of stderr that
// says why (secret values masked), for a failed check's reason.
func (p proc) summary(known *mask.LeakScanner) string {
	var s string
	switch {
	case p.TimedOut:
		s = "it did not finish in time and was stopped"
	case p.Err != nil:
		s = "it could not run: " + p.Err.Error()
	default:
		s = fmt.Sprintf("it exited with status %d", p.Code)
	}
	if p.At != "" {
		s += " at " + p.At
	}
	if last := lastLine(p.Stderr); last != "" {
		s += ": " + truncate(scrub(known, last), 300)
	}
	return s
}

// raceReport is how the race detector starts its report.
const raceReport = "WARNING: DATA RACE"

// lastLine returns the line that best says why a program failed: a data
// race or a panic's first line rather than the last frame of its stack
// trace, else the last line.
func lastLine(s string) string {
	for _, line := range strings.Split(s, "\n") {
		if strings.HasPrefix(line, "panic: ") || strings.HasPrefix(line, "fatal error: ") || strings.HasPrefix(line, raceReport) {
			return strings.TrimSpace(line)
		}
	}
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// env is the program's whole environment: nothing of the user's (no
// credentials, no PATH, no settings that would send it elsewhere), only the
// proxy's endpoint, the region, dummy credentials, the fresh HOME and
// TMPDIR of its sandbox, and extra: the variables the exercise's README
// names (and, for a Python program, what its interpreter needs: see
// pyenv.Python.Env).
//
// Nothing in it tells a grading from a learner's own run: the credentials
// are random and shaped like real ones, new for every grading (the proxy
// signs every request again with the checker's own, see run.start), and
// no shared config is named: HOME is the sandbox's, where the SDKs find
// no ~/.aws at all.
func (r *run) env(extras ...map[string]string) []string {
	if r.keyID == "" {
		r.keyID, r.keySecret = dummyCredentials()
	}
	set := map[string]string{
		"AWS_ENDPOINT_URL_SECRETS_MANAGER": r.proxy.URL,
		"AWS_REGION":                       r.c.Backend.Region,
		"AWS_ACCESS_KEY_ID":                r.keyID,
		"AWS_SECRET_ACCESS_KEY":            r.keySecret,
		"AWS_EC2_METADATA_DISABLED":        "true",
		"HOME":                             r.box.home,
		"TMPDIR":                           r.box.tmp,
	}
	if r.ex != nil && r.ex.Kind == State {
		// A state exercise's program works in the learner's namespace.
		set["SECRETLINGS_PREFIX"] = r.ns
	}
	for _, extra := range extras {
		for k, v := range extra {
			set[k] = v
		}
	}
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	env := make([]string, 0, len(keys))
	for _, k := range keys {
		env = append(env, k+"="+set[k])
	}
	return env
}

// command prepares a run of the built program in its sandbox: cmd to set
// its input and output on, p to start it with.
func (r *run) command(ctx context.Context, extra map[string]string, args ...string) (cmd *exec.Cmd, p pyfork.Process, err error) {
	if err := r.box.open(r); err != nil {
		return nil, nil, err
	}
	r.box.watchOutside(r.prog.dir)
	cmd = exec.CommandContext(ctx, r.prog.path, append(slices.Clone(r.prog.args), args...)...)
	cmd.Env = r.env(r.prog.env, extra)
	cmd.Dir = r.box.work
	cmd.WaitDelay = 2 * time.Second
	return cmd, start(ctx, cmd, r.prog.python), nil
}

// exec runs the built program to completion with extra in its environment
// and stdin as its input.
func (r *run) exec(ctx context.Context, extra map[string]string, stdin io.Reader, args ...string) proc {
	ctx, cancel := context.WithTimeout(ctx, r.c.timeout())
	defer cancel()
	cmd, process, err := r.command(ctx, extra, args...)
	if err != nil {
		return proc{Code: -1, Err: err}
	}
	cmd.Stdin = stdin
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &limitWriter{w: &stdout, n: 1 << 20}
	cmd.Stderr = &limitWriter{w: &stderr, n: 1 << 20}
	err = process.Run()
	p := proc{Stdout: stdout.String(), Stderr: stderr.String()}
	p.exited(ctx, err)
	p.At = r.locate(p.Stderr)
	r.recordOutput(p, extra)
	return p
}

// converse runs the program, and when it prints a line starting with
// trigger, calls act and then sends a newline to its stdin. It returns the
// lines printed on stdout.
func (r *run) converse(ctx context.Context, env map[string]string, trigger string, act func() error) ([]string, proc, error) {
	ctx, cancel := context.WithTimeout(ctx, r.c.timeout())
	defer cancel()
	cmd, process, err := r.command(ctx, env)
	if err != nil {
		return nil, proc{Code: -1, Err: err}, nil
	}
	stdin, err := process.StdinPipe()
	if err != nil {
		return nil, proc{}, err
	}
	stdout, err := process.StdoutPipe()
	if err != nil {
		return nil, proc{}, err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &limitWriter{w: &stderr, n: 1 << 20}
	if err := process.Start(); err != nil {
		return nil, proc{Code: -1, Err: err}, nil
	}
	var lines []string
	var actErr error
	sc := bufio.NewScanner(stdout)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		lines = append(lines, line)
		if strings.HasPrefix(line, trigger) {
			actErr = act()
			_, _ = stdin.Write([]byte("\n"))
		}
	}
	_, _ = io.Copy(io.Discard, stdout) // a line too long for the scanner
	_ = stdin.Close()
	err = process.Wait()
	p := proc{Stdout: strings.Join(lines, "\n"), Stderr: stderr.String()}
	p.exited(ctx, err)
	p.At = r.locate(p.Stderr)
	r.recordOutput(p, env)
	return lines, p, actErr
}

// recordOutput keeps what a run printed, for the leak checks and, under
// a line that says which run it was, with what and how it ended, for
// Result.Output; and looks at the files it left in its sandbox.
func (r *run) recordOutput(p proc, extra map[string]string) {
	r.output.WriteString(p.Stdout)
	if p.Stdout != "" && !strings.HasSuffix(p.Stdout, "\n") {
		r.output.WriteByte('\n')
	}
	r.output.WriteString(p.Stderr)
	r.runs++
	// How it ended first: the variables can be long, and a narrow screen
	// cuts the line's end.
	head := fmt.Sprintf("── run %d", r.runs)
	switch {
	case p.TimedOut:
		head += " · stopped: it did not finish in time"
	case p.Err != nil:
		head += " · could not run: " + p.Err.Error()
	default:
		head += fmt.Sprintf(" · exit status %d", p.Code)
	}
	keys := make([]string, 0, len(extra))
	for k := range extra {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		head += " · " + k + "=" + truncate(extra[k], 80)
	}
	r.transcript.WriteString(head + " ──\n")
	for _, s := range []string{p.Stdout, p.Stderr} {
		if s == "" {
			continue
		}
		r.transcript.WriteString(r.inCheckout(s))
		if !strings.HasSuffix(s, "\n") {
			r.transcript.WriteByte('\n')
		}
	}
	r.box.collect()
	r.box.collectOutside()
}

// inCheckout rewrites the paths of the program's files in s (the
// checker's copy of a Python program, the checkout's absolute path of a
// Go one) as the learner knows them: lessons/….
func (r *run) inCheckout(s string) string {
	if r.prog.dir != "" && r.ex != nil {
		s = strings.ReplaceAll(s, r.prog.dir+string(filepath.Separator), filepath.ToSlash(r.ex.Dir())+"/")
	}
	if r.c.Root != "" {
		s = strings.ReplaceAll(s, r.c.Root+string(filepath.Separator), "")
	}
	return s
}

// A frame of a Python traceback, and the file line of a Go stack frame.
var (
	pyFrame = regexp.MustCompile(`^\s*File "([^"]+)", line (\d+), in (.+)$`)
	goFrame = regexp.MustCompile(`^\s+(\S+\.go):(\d+)(?: \+0x[0-9a-f]+)?$`)
)

// locate finds where the program failed in stderr (see proc.At): the
// innermost frame of the last Python traceback, or the first frame of a
// Go panic, fatal error or race report, that is in one of the learner's
// files, else in another file of the exercise's folder (a provided
// driver); "" when there is none.
func (r *run) locate(stderr string) string {
	if r.ex == nil || stderr == "" {
		return ""
	}
	learner, _ := r.ex.FilesIn(r.c.lang(r.ex))
	// rel is a frame's file as the learner knows it, and whether it is
	// one they edit; "" for a file outside the exercise's folder.
	rel := func(path string) (string, bool) {
		path = filepath.ToSlash(path)
		var name string
		if dir := filepath.ToSlash(r.prog.dir); dir != "" && strings.HasPrefix(path, dir+"/") {
			name = strings.TrimPrefix(path, dir+"/")
		} else if _, after, ok := strings.Cut(path, "/"+filepath.ToSlash(r.ex.Dir())+"/"); ok {
			name = after
		} else {
			return "", false
		}
		return filepath.ToSlash(r.ex.Dir()) + "/" + name, slices.Contains(learner, name)
	}
	lines := strings.Split(stderr, "\n")
	var best, fallback string
	if i := lastIndexPrefix(lines, "Traceback (most recent call last):"); i >= 0 {
		// Innermost last: the last frame in a file of the learner's wins.
		for _, line := range lines[i+1:] {
			m := pyFrame.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			if f, mine := rel(m[1]); f != "" {
				at := fmt.Sprintf("%s:%s (in %s)", f, m[2], strings.TrimSpace(m[3]))
				if mine {
					best = at
				} else {
					fallback = at
				}
			}
		}
	} else {
		start := slices.IndexFunc(lines, func(l string) bool {
			return strings.HasPrefix(l, "panic: ") || strings.HasPrefix(l, "fatal error: ") || strings.HasPrefix(l, raceReport)
		})
		if start < 0 {
			return ""
		}
		// Innermost first: the first frame in a file of the learner's.
		for i := start + 1; i < len(lines) && best == ""; i++ {
			m := goFrame.FindStringSubmatch(lines[i])
			if m == nil {
				continue
			}
			f, mine := rel(m[1])
			if f == "" {
				continue
			}
			fn := ""
			if i > 0 {
				fn, _, _ = strings.Cut(strings.TrimSpace(lines[i-1]), "(")
			}
			at := f + ":" + m[2]
			if fn != "" {
				at += " (in " + fn + ")"
			}
			if mine {
				best = at
			} else if fallback == "" {
				fallback = at
			}
		}
	}
	if best != "" {
		return best
	}
	return fallback
}

func lastIndexPrefix(lines []string, prefix string) int {
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.HasPrefix(strings.TrimSpace(lines[i]), prefix) {
			return i
		}
	}
	return -1
}

// exited records how the program ended, from the context it ran under and
// the error Wait or Run returned.
func (p *proc) exited(ctx context.Context, err error) {
	code, exited := pyfork.ExitCode(err)
	switch {
	case ctx.Err() != nil:
		p.TimedOut, p.Code = true, -1
	case err == nil:
	case exited:
		p.Code = code
	default:
		p.Code, p.Err = -1, err
	}
}

// dummyCredentials returns an access key id and a secret access key shaped
// like real ones ("AKIA" and 16 characters of base32; 40 of base64), new
// each time: the same fixed pair in every grading would tell a program it
// is being graded.
func dummyCredentials() (id, secret string) {
	const upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	const b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	pick := func(alphabet string, n int) string {
		b := make([]byte, n)
		_, _ = rand.Read(b)
		for i := range b {
			b[i] = alphabet[int(b[i])%len(alphabet)]
		}
		return string(b)
	}
	return "AKIA" + pick(upper, 16), pick(b64, 40)
}

// limitWriter keeps the first n bytes and drops the rest, so a program that
// prints without end cannot exhaust memory.
type limitWriter struct {
	w io.Writer
	n int
}

func (l *limitWriter) Write(p []byte) (int, error) {
	if l.n > 0 {
		k := min(len(p), l.n)
		l.n -= k
		_, _ = l.w.Write(p[:k])
	}
	return len(p), nil
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// How much of the program's output a Result keeps.
const (
	outputLines = 200
	outputBytes = 32 << 10
)

// tailBytes keeps the last n bytes of s, from a line's start.
func tailBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[len(s)-n:]
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	return "(earlier output left out)\n" + s
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
