package checker

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// stackTrace matches a Go panic's trace and a Python traceback.
var stackTrace = regexp.MustCompile(`(?m)^panic: |^goroutine \d+ \[|\.go:\d+ \+0x|^Traceback \(most recent call last\):`)

func gradeConfigManager(ctx context.Context, r *run) {
	suffix := randHex(3)
	db := map[string]any{
		"host":     "db-" + suffix + ".internal",
		"port":     5000 + randInt(999),
		"username": "app_" + randHex(2),
		// A random length, so a mask as long as the password shows.
		"password": "pw-" + randHex(9+int(randInt(6))),
		"dbname":   "orders_" + randHex(2),
	}
	raw, _ := json.Marshal(db)
	name, err := r.create(ctx, "db/"+randHex(4), string(raw), "")
	if err != nil {
		r.fatal = err
		return
	}
	r.protect(db["password"].(string))

	p := r.exec(ctx, map[string]string{"DATABASE_SECRET_NAME": name}, nil)

	reqs := r.requests()
	var others []string
	for _, q := range reqs {
		if q.Operation == "GetSecretValue" && q.SecretID != name && !slices.Contains(others, q.SecretID) {
			others = append(others, q.SecretID)
		}
	}
	why := ""
	if count(reqs, "GetSecretValue", name) == 0 {
		why = "it never read the secret named in DATABASE_SECRET_NAME (" + name + ")"
		if len(others) > 0 {
			why += "; it read " + strings.Join(others, ", ") + " instead: take the name from " + r.say(`os.Getenv("DATABASE_SECRET_NAME")`) + ", not from the code"
		}
	}
	r.check("reads the secret named by $DATABASE_SECRET_NAME", 1, why)
	r.check("runs and exits with status 0", 1, failIf(p.Code != 0, p.summary(r.known)))

	var missing []string
	for _, k := range []string{"host", "port", "username", "dbname"} {
		if !strings.Contains(p.Stdout, fmt.Sprint(db[k])) {
			missing = append(missing, k)
		}
	}
	r.check("prints host, port, user and database", 2, failIf(len(missing) > 0, "the output lacks the "+strings.Join(missing, ", ")+" from the secret"))

	r.proxy.Reset()
	missingName := r.ns + "db/missing-" + randHex(3)
	q := r.exec(ctx, map[string]string{"DATABASE_SECRET_NAME": missingName}, nil)
	out := q.Stdout + q.Stderr
	r.check("a missing secret exits with a non-zero status", 3, failIf(q.Code == 0 || q.TimedOut, "with DATABASE_SECRET_NAME naming a secret that does not exist, "+q.summary(r.known)))
	// The README asks for a message on stderr that names the secret (the
	// SDK's own error does not).
	r.check("a missing secret gets a clear message", 3, failIf(!strings.Contains(q.Stderr, missingName), "the message on stderr should name the secret ("+missingName+") and say it was not found"))
	r.check("no panic or stack trace", 3, failIf(stackTrace.MatchString(out), "the program printed a panic or a stack trace: handle the error and exit with "+r.say("os.Exit(1)")+" instead"))
	// Judged over both runs: a password printed on the way out counts too.
	r.outputJudged = true
	why = r.leakReason(r.output.String(), "the password")
	if why == "" && lengthMask(p.Stdout, len(db["password"].(string))) {
		why = "the mask has one character per character of the password, so it tells the password's length: print a fixed-width mask (" + r.say("mask.Mask") + ")"
	}
	r.check("never prints the password", 2, why)
}

var passwordField = regexp.MustCompile(`(?i)password\s*[=:]\s*"?([^\s"]+)`)

// lengthMask reports whether out prints the password as a mask of n equal
// characters, which gives its length away.
func lengthMask(out string, n int) bool {
	for _, m := range passwordField.FindAllStringSubmatch(out, -1) {
		rs := []rune(m[1])
		if len(rs) == n && strings.Count(m[1], string(rs[0])) == n {
			return true
		}
	}
	return false
}
