package checker

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// stackTrace matches a Go panic's trace or goroutine dump and a Python
// traceback, whole (traceback.print_exc) or as frames alone
// (traceback.print_stack), or faulthandler's dump.
var stackTrace = regexp.MustCompile(`(?m)^panic: |^goroutine \d+ \[|\.go:\d+ \+0x|^Traceback \(most recent call last\):|^\s*File "[^"\n]*", line \d+, in |\(most recent call first\):`)

// notFoundWords are the words that tell a missing secret from any other
// failure (access denied, no network), however the message words it: "not
// found", "wasn't found", "could not be found", "does not exist",
// "doesn’t exist" (a typographic apostrophe), "unable to find", "no such
// secret". Some words count only in a message that says nothing of
// access: "missing" ("missing permission" is another failure), "no
// secret" ("there is no secret x", but not "no secret access").
var (
	notFoundWords = regexp.MustCompile(`(?i)not (be )?found|n['’]?t (be )?found|not exist|n['’]?t exist|no such|non-?existent|ResourceNotFound|unknown secret|(can['’]?t|cannot|could ?not|couldn['’]?t|unable to|failed to|did ?not|didn['’]?t) (find|locate)|not (been )?created|never (been )?created`)
	missingWord   = regexp.MustCompile(`(?i)\bmissing\b|\bno secret\b|\babsent\b`)
	accessWords   = regexp.MustCompile(`(?i)permission|access|denied|authori[sz]|forbidden|allowed`)
)

// saysNotFound reports whether msg says a secret does not exist.
func saysNotFound(msg string) bool {
	return notFoundWords.MatchString(msg) || missingWord.MatchString(msg) && !accessWords.MatchString(msg)
}

// Names of the checks of config-manager that other code refers to.
const (
	checkNoName       = "without DATABASE_SECRET_NAME it stops and names the variable"
	checkNoDependence = "never prints anything that depends on the password"
)

// dbPasswordChars are what the seeded passwords are made of: what a
// password generator uses, less quotes and backslashes (which JSON and
// shells escape) and "*" (which masks are made of).
const dbPasswordChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.@#%+=!"

// randomFrom returns n characters drawn from chars.
func randomFrom(chars string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = chars[randInt(int64(len(chars)))]
	}
	return string(b)
}

// otherPassword returns a password for the runs that compare outputs: of
// another length (4 to 19 characters shorter) and made only of characters
// pw does not have, so that its length, any of its characters at any
// place, and any function of them, differ from pw's.
func otherPassword(pw string) string {
	var rest strings.Builder
	for i := 0; i < len(dbPasswordChars); i++ {
		if !strings.ContainsRune(pw, rune(dbPasswordChars[i])) {
			rest.WriteByte(dbPasswordChars[i])
		}
	}
	return randomFrom(rest.String(), 12+int(randInt(5)))
}

// seedDBConfig returns the database settings a grading seeds: random, and
// shaped like real ones, so that nothing in them says "being graded".
func seedDBConfig() map[string]any {
	hosts := []string{"db-%s.internal", "%s.cluster-ro.eu-west-1.rds.amazonaws.com", "postgres-%s.data.svc.cluster.local", "mysql-%s.prod.example.net"}
	users := []string{"app", "svc", "api", "orders", "billing", "reporting"}
	dbs := []string{"orders", "billing", "inventory", "customers", "payments"}
	return map[string]any{
		"host":     fmt.Sprintf(hosts[randInt(int64(len(hosts)))], randHex(3)),
		"port":     5000 + randInt(999),
		"username": users[randInt(int64(len(users)))] + "_" + randHex(2),
		// A random length, so a mask as long as the password shows.
		"password": randomFrom(dbPasswordChars, 20+int(randInt(12))),
		"dbname":   dbs[randInt(int64(len(dbs)))] + "_" + randHex(2),
	}
}

func gradeConfigManager(ctx context.Context, r *run) {
	sc, err := seedConfigManager(ctx, r)
	if err != nil {
		r.fatal = err
		return
	}
	db, name, password := sc.db, sc.name, sc.password()
	env := configManagerEnv(name)

	p := r.exec(ctx, env, nil)
	runs := []namedRun{{"with the secret present", p, false}}

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
	onStderr := true
	for _, k := range []string{"host", "port", "username", "dbname"} {
		if !strings.Contains(p.Stdout, fmt.Sprint(db[k])) {
			missing = append(missing, k)
			onStderr = onStderr && strings.Contains(p.Stderr, fmt.Sprint(db[k]))
		}
	}
	why = ""
	switch {
	case len(missing) > 0 && onStderr:
		// A settings line written through a logger goes to stderr: say
		// so, rather than that it is not printed at all.
		why = "stdout lacks the " + strings.Join(missing, ", ") + " from the secret: they are printed on stderr only (as a logger writes); print the connection settings on stdout (" + r.say("fmt.Println") + ") and keep stderr for messages"
	case len(missing) > 0:
		why = "the output lacks the " + strings.Join(missing, ", ") + " from the secret"
	}
	r.check("prints host, port, user and database", 2, why)

	// The same secret with another password, everything else the same.
	other := otherPassword(password)
	r.protect(other)
	dependence, more := r.passwordRuns(ctx, name, db, other, p)
	runs = append(runs, more...)

	r.proxy.Reset()
	n := r.exec(ctx, nil, nil)
	runs = append(runs, namedRun{"without DATABASE_SECRET_NAME", n, true})
	r.check(checkNoName, 1, r.noNameReason(n))

	r.proxy.Reset()
	missingName := r.ns + "db/missing-" + randHex(3)
	q := r.exec(ctx, configManagerEnv(missingName), nil)
	runs = append(runs, namedRun{"with a missing secret", q, true})
	r.check("a missing secret exits with a non-zero status", 3, failIf(q.Code == 0 || q.TimedOut, "with DATABASE_SECRET_NAME naming a secret that does not exist, "+q.summary(r.known)))
	// The README asks for a message on stderr that names the secret (the
	// SDK's own error does not) and says it does not exist: a missing
	// secret is not a denied access, and the fix is not the same.
	why = ""
	switch {
	case !strings.Contains(q.Stderr, missingName):
		why = "the message on stderr should name the secret (" + missingName + ") and say it was not found"
	case !saysNotFound(strings.ReplaceAll(q.Stderr, missingName, "")):
		why = "the message on stderr names the secret (" + missingName + ") but does not say it does not exist: say \"not found\" (the error is ResourceNotFoundException), so the reader knows to create it or fix the name, not to ask for access"
	}
	r.check("a missing secret gets a clear message", 3, why)

	why = ""
	for _, run := range runs {
		if !stackTrace.MatchString(run.p.Stdout) && !stackTrace.MatchString(run.p.Stderr) {
			continue
		}
		why = "the program printed a panic or a stack trace (" + run.name + "): "
		if !run.fails {
			why += "a run that succeeds prints no stack trace; handle what you expect to go wrong and say it in one line if it matters"
		} else {
			why += "handle the error, print one line that says what went wrong, and exit with " + r.say("os.Exit(1)") + " instead"
		}
		break
	}
	r.check("no panic or stack trace", 3, why)

	// Judged over every run: a password printed on the way out counts too.
	r.outputJudged = true
	// A mask as long as the password fails the check after it, which
	// tells a length from a fixed mask that happens to be as long.
	r.check("never prints the password", 2, r.leakReason(r.output.String(), "the password"))
	r.check(checkNoDependence, 2, dependence)
}

// namedRun is one run of a grading, named for a reason; fails says the
// program should fail in it.
type namedRun struct {
	name  string
	p     proc
	fails bool
}

// passwordRuns runs the program three more times (see difference.go): with
// the password other, with the seeded one again and with other again,
// each time as a new version of the secret and in an emptied sandbox, and
// says where its output depends on the password ("" when nowhere); first
// is the first run, with the seeded password. When those four runs show
// a dependence, it runs the program again with each password, up to
// confirmRounds times, and reports only a dependence that every run
// confirms: a duration that happened to be the same twice in a row (as
// "read in 9ms" often is) does not stay the same.
func (r *run) passwordRuns(ctx context.Context, name string, db map[string]any, other string, first proc) (string, []namedRun) {
	if first.Code != 0 {
		return "not checked: the program did not run to the end with the secret present", nil
	}
	values := make([]string, 2)
	for i, pw := range []any{db["password"], other} {
		v := map[string]any{}
		for k, x := range db {
			v[k] = x
		}
		v["password"] = pw
		raw, _ := json.Marshal(v)
		values[i] = string(raw)
	}
	// procs[0] holds the runs with the seeded password, procs[1] those
	// with the other, in the order they ran: A1, B1, A2, B2, A3, B3, …
	procs := [2][]proc{{first}, nil}
	var runs []namedRun
	// runWith runs the program with password i (0 the seeded one, 1 the
	// other) and says why it failed; it stops, saying nothing, on a
	// failure of the backend or the sandbox (r.fatal).
	runWith := func(i int) string {
		if err := r.put(ctx, name, values[i], ""); err != nil {
			r.fatal = err
			return ""
		}
		if err := r.box.clear(); err != nil {
			r.fatal = err
			return ""
		}
		p := r.exec(ctx, configManagerEnv(name), nil)
		what := "with another password"
		if i == 0 {
			what = "with the secret present, again"
		}
		runs = append(runs, namedRun{what, p, false})
		if p.Code != 0 {
			return fmt.Sprintf("with the password changed (a new version of the secret, every other field the same), %s: a program that works with one password must work with any", p.summary(r.known))
		}
		procs[i] = append(procs[i], p)
		return ""
	}
	for _, i := range []int{1, 0, 1} {
		if why := runWith(i); why != "" || r.fatal != nil {
			return why, runs
		}
	}
	streams := []struct {
		stream string
		of     func(proc) string
	}{{"stdout", func(p proc) string { return p.Stdout }}, {"stderr", func(p proc) string { return p.Stderr }}}
	judge := func() (string, *dependence) {
		for _, s := range streams {
			var as, bs []string
			for _, p := range procs[0] {
				as = append(as, s.of(p))
			}
			for _, p := range procs[1] {
				bs = append(bs, s.of(p))
			}
			if d := dependsOnRuns(as, bs); d != nil {
				return s.stream, d
			}
		}
		return "", nil
	}
	stream, d := judge()
	for round := 0; d != nil && round < confirmRounds; round++ {
		for _, i := range []int{0, 1} {
			if why := runWith(i); why != "" || r.fatal != nil {
				return why, runs
			}
		}
		stream, d = judge()
	}
	if d != nil {
		return fmt.Sprintf("its output depends on the password: with a password of another length and other characters (every other field the same), %s %s changes (… marks what changed), though it stays the same in every run with the same password (%d runs with each). Print nothing computed from the password: not its length (a mask of one * per character), not a few of its characters, not a hash, fingerprint or encoding of it: %s",
			stream, scrub(r.known, d.String()), len(procs[1]), r.say("print mask.Mask(…) in its place")), runs
	}
	return "", runs
}

// confirmRounds is how many more pairs of runs (one with each password)
// confirm a dependence the first four runs show.
const confirmRounds = 3

// noNameReason judges the run without DATABASE_SECRET_NAME: it must fail,
// say which variable is missing, and read no secret (a name written into
// the code as a fallback would be read instead).
func (r *run) noNameReason(n proc) string {
	var read []string
	for _, q := range r.requests() {
		if (q.Operation == "GetSecretValue" || q.Operation == "BatchGetSecretValue") && !slices.Contains(read, q.SecretID) {
			read = append(read, q.SecretID)
		}
	}
	fix := "check it before anything else: if it is empty, print that DATABASE_SECRET_NAME is not set to stderr and exit with " + r.say("os.Exit(1)")
	switch {
	case len(read) > 0:
		return fmt.Sprintf("with DATABASE_SECRET_NAME unset, it still read a secret (%s): a name written into the code as a fallback reads a secret nobody asked for; %s", strings.Join(quoteAll(read), ", "), fix)
	case n.TimedOut || n.Code == 0:
		return "with DATABASE_SECRET_NAME unset, " + n.summary(r.known) + ": a missing setting is an error; " + fix
	case !strings.Contains(n.Stdout+n.Stderr, "DATABASE_SECRET_NAME"):
		return fmt.Sprintf("with DATABASE_SECRET_NAME unset, %s, but its message does not name the variable: %s", n.summary(r.known), fix)
	}
	return ""
}
