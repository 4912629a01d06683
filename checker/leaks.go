package checker

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"secretlings/mask"
)

// leakReason reports where a secret occurs in text, by form and position,
// never quoting it; "" when it does not.
func (r *run) leakReason(text, what string) string {
	leaks := r.secret.Scan([]byte(text))
	if len(leaks) == 0 {
		return ""
	}
	return fmt.Sprintf("%s appears in the output (%s): print it masked, e.g. with %s", what, leaks[0], r.say("mask.Mask"))
}

// fileLeaks lists the files that hold a secret, each with where: those of
// the sandbox, then those the program wrote outside it (see outsideLeaks).
func (r *run) fileLeaks() []string {
	var found []string
	for _, name := range r.box.fileNames() {
		if leaks := r.secret.Scan(r.box.files[name]); len(leaks) > 0 {
			found = append(found, fmt.Sprintf("%s (%s)", boxPath(name), leaks[0]))
		}
	}
	return append(found, r.outsideLeaks()...)
}

// boxPath names a sandbox file as the program saw it: $HOME/…, $TMPDIR/…
// or ./… for its working directory.
func boxPath(rel string) string {
	for dir, name := range map[string]string{"home/": "$HOME/", "tmp/": "$TMPDIR/", "work/": "./"} {
		if rest, ok := strings.CutPrefix(rel, dir); ok {
			return name + rest
		}
	}
	return rel
}

// Names of the checks every code exercise gets (see run.sandboxChecks).
const (
	checkNoPrintedSecret = "never prints a secret value"
	checkNoFileSecret    = "writes no secret value into files"
	checkCheckout        = "writes nothing into the checkout outside its folder"
	checkOwnRequests     = "calls Secrets Manager itself, not through another program"
)

// sandboxChecks are the checks every code exercise gets once its program
// ran: no secret in the files it left, no writes into the checkout, and
// no secret in its output unless the grader judged the output itself.
func (r *run) sandboxChecks() {
	if r.box.dir == "" || r.ex == nil || r.ex.Kind != Code {
		return
	}
	hint := r.ex.leakHint
	r.check(checkCheckout, hint, checkoutReason(r.removeSecretFiles(r.box.checkoutChanges())))
	if n := r.proxy.Foreign(); n > 0 {
		r.check(checkOwnRequests, hint, fmt.Sprintf("%d request(s) came from a process the checker did not start (another program the exercise's program ran) and were refused: the program must do the work itself", n))
	} else {
		r.check(checkOwnRequests, hint, "")
	}
	if len(r.protected) == 0 {
		return // nothing secret to look for
	}
	if !r.outputJudged {
		r.check(checkNoPrintedSecret, hint, r.leakReason(r.output.String(), "a secret value"))
	}
	why := ""
	if found := r.fileLeaks(); len(found) > 0 {
		why = fmt.Sprintf("a secret value is in %s: a file is output too; write no secret to disk", strings.Join(found, ", "))
	}
	r.check(checkNoFileSecret, hint, why)
}

// removeSecretFiles deletes the files of changed that the program created
// in the checkout and that hold a secret value, so that a grading leaves
// no secret behind in the learner's checkout, and marks them so. A file
// that was there before is only reported: it may be the learner's.
func (r *run) removeSecretFiles(changed []string) []string {
	out := make([]string, len(changed))
	for i, rel := range changed {
		out[i] = rel
		if _, existed := r.box.before[rel]; existed {
			continue
		}
		p := filepath.Join(r.box.root, filepath.FromSlash(rel))
		data, err := readHead(p, maxSandboxFile)
		if err != nil || len(r.secret.Scan(data)) == 0 {
			continue
		}
		if os.Remove(p) == nil {
			out[i] = rel + " (removed: it held a secret value)"
		}
	}
	return out
}

func checkoutReason(changed []string) string {
	if len(changed) == 0 {
		return ""
	}
	return fmt.Sprintf("it changed %s: a program writes only where it is told to (its working directory, $TMPDIR)", strings.Join(changed, ", "))
}

// protect registers values the program must never reveal; they are
// masked wherever the checker shows the program's output, too.
func (r *run) protect(values ...string) {
	r.secret.Add(values...)
	r.known.Add(values...)
	r.protected = append(r.protected, values...)
}

// scrub masks known values and anything that looks like a secret, for text
// from the learner's program that goes into a reason.
func scrub(known *mask.LeakScanner, s string) string {
	s = known.RedactString(s)
	fs := mask.Detect(s)
	for i := len(fs) - 1; i >= 0; i-- {
		s = s[:fs[i].Start] + mask.Masked + s[fs[i].End:]
	}
	return s
}
