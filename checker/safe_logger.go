package checker

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"secretlings/mask"
)

// The safe-logger's checks.
const (
	checkSLRuns    = "runs and exits with status 0"
	checkSLStream  = "writes the log to the stream it is given"
	checkSLKeeps   = "keeps the messages, host, user and request_id"
	checkSLOnce    = "writes each record once"
	checkPlainLeak = "no secret value in plain text"
	// checkEncodedLeak and checkJSONLeak: see leakClass.
	checkEncodedLeak = "no secret value encoded (base64, hex, base32, compressed)"
	checkJSONLeak    = "no secret value inside JSON"
)

// The safe-logger's hints (hints.md and hints-python.md, same order).
const (
	hintSLRedact = 1 // register the values; a filter on the handler (2: the forms a value takes)
	hintSLKeep   = 3 // mask only the secrets
	hintSLPaths  = 4 // every path a record takes, the stream, a second call
)

// notRunToEnd is why an output check is not checked: the output of a
// program that stopped early says nothing of the records it never logged.
const notRunToEnd = "it did not run to the end (see “" + checkSLRuns + "”)"

func gradeSafeLogger(ctx context.Context, r *run) {
	sc, err := seedSafeLogger(ctx, r)
	if err != nil {
		r.fatal = err
		return
	}
	creds, reqID := sc.creds, sc.reqID
	p := r.exec(ctx, sc.env(), nil)
	ran := p.Code == 0 && !p.TimedOut && p.Err == nil
	r.check(checkSLRuns, hintSLPaths, failIf(!ran, p.summary(r.known)))

	py := r.c.lang(r.ex) == Python
	recs := safeLoggerRecords(creds["host"], creds["username"], reqID)
	out := readSafeLog(p.Stdout, p.Stderr)
	r.outputJudged = true

	if ran {
		stream := out.strayReason(recs, py)
		r.check(checkSLStream, hintSLPaths, stream)
		keeps := out.keepsReason(recs, r.known, creds["host"], creds["username"], reqID, py)
		if stream != "" && keeps != "" {
			keeps = "not checked: the records are not in the log (see “" + checkSLStream + "”)"
		}
		r.check(checkSLKeeps, hintSLKeep, keeps)
		r.check(checkSLOnce, hintSLPaths, out.onceReason(recs, py))
	} else {
		r.skip(notRunToEnd, 0, checkSLStream, checkSLKeeps, checkSLOnce)
	}

	// Leaks are judged in everything the program printed, the log or not;
	// a leak in the output of a program that stopped early is a leak all
	// the same.
	secrets := []namedSecret{
		{"password", creds["password"], mask.NewLeakScanner(creds["password"])},
		{"api_key", creds["api_key"], mask.NewLeakScanner(creds["api_key"])},
	}
	found := out.findLeaks(secrets)
	for _, c := range []struct{ name, class string }{
		{checkPlainLeak, "plain"}, {checkEncodedLeak, "encoded"}, {checkJSONLeak, "json"},
	} {
		var mine []leakFound
		for _, f := range found {
			if f.class == c.class {
				mine = append(mine, f)
			}
		}
		reason := out.leakReason(mine, found, recs, r.known, py)
		if reason == "" && !ran {
			r.skip(notRunToEnd, 0, c.name)
			continue
		}
		r.check(c.name, hintSLRedact, reason)
	}
}

// leakClass sorts a leak's form into the three checks: inside JSON,
// encoded (any chain through an encoding or compression), or plain (the
// value as text: whole, in part, reversed, case-folded, interleaved or
// URL-escaped, and any form the scanner may add).
func leakClass(form string) string {
	switch {
	case form == mask.FormJSON:
		return "json"
	case strings.ContainsAny(form, "+") || slices.Contains([]string{mask.FormHex, mask.FormBase32, mask.FormBase32Hex, mask.FormBase64, mask.FormBase64URL, mask.FormGzip, mask.FormZlib, mask.FormDeflate}, form):
		return "encoded"
	default:
		return "plain"
	}
}

// slRecord is a record the driver logs: its message, the non-secret values
// it carries (each on the record's own line), and how the driver logs it
// in Go and in Python, for a reason that says what the logger must handle
// when that record leaks.
type slRecord struct {
	msg      string
	fields   []string
	goHow    string
	pyHow    string
	noSecret bool
}

// safeLoggerRecords are the records main.go and main.py log, in order.
// The drivers log the same cases: what is an attribute in Go is a %s
// argument in Python, a logger made with With or WithGroup a child logger,
// an error attribute an exception.
func safeLoggerRecords(host, user, reqID string) []slRecord {
	return []slRecord{
		{msg: "starting", fields: []string{reqID}, noSecret: true},
		{"connecting to database", []string{host, user},
			"it holds the password as an attribute",
			"it holds the password as a %s argument", false},
		{"calling partner API", []string{reqID},
			"its header is the base64 of username:api_key: redact a value inside base64 too",
			"its header is the base64 of username:api_key: decode base64-looking tokens and mask those that hold a secret", false},
		{"loaded configuration", []string{reqID},
			"it holds the secret's JSON as stored, written by Go's encoder (< > & as \\u003c \\u003e \\u0026)",
			"it holds the secret's JSON as stored, written by Go's encoder, which escapes < > & as \\u003c \\u003e \\u0026 where json.dumps does not: mask both spellings", false},
		{"parsed configuration", []string{reqID},
			"it holds JSON the program wrote without HTML escaping (< > & as they are)",
			"it holds json.dumps of the credentials: mask the value as json.dumps(secret)[1:-1] spells it", false},
		{"partner API refused the call", []string{reqID},
			"it holds an error value (fmt.Errorf) as an attribute: redact err.Error(), not only string attributes",
			"it holds an exception as a %r argument: redact the formatted message, record.getMessage()", false},
		{"partner API call failed", []string{reqID},
			"it holds a *url.Error as an attribute: redact what any value prints, not only string attributes",
			"it is logged with log.exception: the traceback (record.exc_info, formatted into record.exc_text) is written apart from the message: redact it too", false},
		{"sending credentials", []string{reqID},
			"it holds a group (slog.Group): redact the attributes inside groups too",
			"it holds a dict as a %s argument: redact the formatted message, record.getMessage()", false},
		{"pool opened", []string{host},
			"it comes through log.With(…): the handler that With returns (WithAttrs) must redact the attributes it is given",
			"it comes through a child logger, log.getChild(\"db\"): a logger's filters do not see its children's records; add the filter to the handler", false},
		{"retrying the call", []string{reqID},
			"it comes through log.WithGroup(…): the handler that WithGroup returns must still redact",
			"it comes through a child logger, log.getChild(\"partner\"): a logger's filters do not see its children's records; add the filter to the handler", false},
		{"rotating credentials for", []string{user},
			"the message itself holds the password: redact the record's message, not only its attributes",
			"the message itself holds the password (an f-string, no arguments): redact record.getMessage(), not only the arguments", false},
		{msg: "done", fields: []string{user}, noSecret: true},
	}
}

// logMarker starts every line the drivers' stream writes.
const logMarker = "log| "

// Where an output line came from.
const (
	fromLog    = iota // through the stream the logger was given
	fromStdout        // stdout, not through the stream
	fromStderr
)

// outLine is one line of the program's output.
type outLine struct {
	from int
	n    int    // its number among the lines of its source, from 1
	text string // without the log marker
	// at is where text starts in safeLog.all.
	at int
	// logErr marks a line of a "--- Logging error ---" report, which
	// Python's logging writes to stderr when a handler raises.
	logErr bool
}

// safeLog is the safe-logger program's output, line by line.
type safeLog struct {
	all   string // stdout, a newline if it lacks its last, then stderr
	lines []outLine
}

func readSafeLog(stdout, stderr string) *safeLog {
	l := &safeLog{}
	var b strings.Builder
	add := func(text string, isStdout bool) {
		var n [3]int
		inLogErr := false
		for _, line := range strings.SplitAfter(text, "\n") {
			if line == "" {
				continue
			}
			at := b.Len()
			b.WriteString(line)
			line = strings.TrimSuffix(line, "\n")
			ol := outLine{from: fromStderr, text: line, at: at}
			switch {
			case isStdout && strings.HasPrefix(line, logMarker):
				ol.from, ol.text, ol.at = fromLog, line[len(logMarker):], at+len(logMarker)
			case isStdout:
				ol.from = fromStdout
			case line == "--- Logging error ---":
				inLogErr = true
			}
			ol.logErr = inLogErr
			if inLogErr && strings.HasPrefix(line, "Arguments: ") {
				inLogErr = false
			}
			n[ol.from]++
			ol.n = n[ol.from]
			l.lines = append(l.lines, ol)
		}
	}
	add(stdout, true)
	if stdout != "" && !strings.HasSuffix(stdout, "\n") {
		b.WriteByte('\n')
	}
	add(stderr, false)
	l.all = b.String()
	return l
}

// record returns the index in recs of the record line i belongs to: the
// last line of its source, at or before it, that holds a record's
// message (a traceback belongs to the record before it); -1 for none.
func (l *safeLog) record(i int, recs []slRecord) int {
	for j := i; j >= 0; j-- {
		if l.lines[j].from != l.lines[i].from {
			continue
		}
		for k, rec := range recs {
			if strings.Contains(l.lines[j].text, rec.msg) {
				return k
			}
		}
	}
	return -1
}

// where names line i for a reason: "log line 7 (the record “pool
// opened”)", "stderr line 2".
func (l *safeLog) where(i int, recs []slRecord) string {
	ol := l.lines[i]
	var s string
	switch ol.from {
	case fromLog:
		s = fmt.Sprintf("log line %d", ol.n)
	case fromStdout:
		s = fmt.Sprintf("stdout line %d (outside the log)", ol.n)
	default:
		s = fmt.Sprintf("stderr line %d", ol.n)
	}
	if k := l.record(i, recs); k >= 0 {
		s += fmt.Sprintf(" (the record “%s”)", recs[k].msg)
	}
	return s
}

// strayReason says which records were written outside the log: to
// stderr, or to stdout but not through the stream.
func (l *safeLog) strayReason(recs []slRecord, py bool) string {
	var stray []string
	toStderr := false
	for _, rec := range recs {
		for _, ol := range l.lines {
			if ol.from != fromLog && !ol.logErr && strings.Contains(ol.text, rec.msg) {
				stray = append(stray, "“"+rec.msg+"”")
				toStderr = toStderr || ol.from == fromStderr
				break
			}
		}
	}
	if len(stray) == 0 {
		return ""
	}
	dest := "to stdout directly"
	if toStderr {
		dest = "to stderr"
	}
	fix := "write to w, the io.Writer main.go passes to newLogger (it marks each line of the log “" + strings.TrimSpace(logMarker) + "”), not to os.Stdout or os.Stderr"
	if py {
		fix = "write to stream, the one main.py passes to new_logger (logging.StreamHandler(stream); it marks each line of the log “" + strings.TrimSpace(logMarker) + "”), not to sys.stdout or sys.stderr"
	}
	return fmt.Sprintf("%d record(s) went %s, not to the log: %s; %s", len(stray), dest, strings.Join(stray, ", "), fix)
}

// keepsReason says which records are missing from the log, or lack one
// of their non-secret values on their own line (so a value that survives
// only inside another record, such as the configuration JSON, does not
// count).
func (l *safeLog) keepsReason(recs []slRecord, known *mask.LeakScanner, host, user, reqID string, py bool) string {
	var lacks []string
	missing := 0
	for _, rec := range recs {
		i := slices.IndexFunc(l.lines, func(ol outLine) bool { return ol.from == fromLog && strings.Contains(ol.text, rec.msg) })
		if i < 0 {
			lacks = append(lacks, fmt.Sprintf("no record %q", rec.msg))
			missing++
			continue
		}
		for _, f := range rec.fields {
			if !strings.Contains(l.lines[i].text, f) {
				lacks = append(lacks, fmt.Sprintf("the record %q lacks %s", rec.msg, f))
			}
		}
	}
	if len(lacks) == 0 {
		return ""
	}
	var s string
	if missing == len(recs) {
		s = "the log holds none of the records (" + strings.Join(lacks[:min(3, len(lacks))], "; ") + ", …): the logger must write every record to w, the io.Writer newLogger is given"
		if py {
			s = "the log holds none of the records (" + strings.Join(lacks[:min(3, len(lacks))], "; ") + ", …): the logger must write every record to stream, the one new_logger is given"
		}
	} else {
		s = fmt.Sprintf("%s: mask only the secret values (host %s, user %s and request_id %s are not secret)", strings.Join(lacks, "; "), host, user, reqID)
	}
	if e := l.loggingError(); e != "" {
		s += fmt.Sprintf("; logging reported an error on stderr, so a record was not written: %s", scrub(known, truncate(e, 200)))
	}
	return s
}

// loggingError is the exception line of the first "--- Logging error ---"
// report on stderr: the line before "Call stack:" (or "Message: ").
func (l *safeLog) loggingError() string {
	last := ""
	for _, ol := range l.lines {
		if !ol.logErr {
			continue
		}
		if strings.HasPrefix(ol.text, "Call stack:") || strings.HasPrefix(ol.text, "Message: ") {
			return last
		}
		if t := strings.TrimSpace(ol.text); t != "" && t != "--- Logging error ---" {
			last = t
		}
	}
	return last
}

// onceReason says which records the log holds more than once.
func (l *safeLog) onceReason(recs []slRecord, py bool) string {
	var twice []string
	for _, rec := range recs {
		n := 0
		for _, ol := range l.lines {
			if ol.from == fromLog && strings.Contains(ol.text, rec.msg) {
				n++
			}
		}
		if n > 1 {
			twice = append(twice, fmt.Sprintf("“%s” %d times", rec.msg, n))
		}
	}
	if len(twice) == 0 {
		return ""
	}
	fix := "main.go calls newLogger twice, the first time with no secrets: each call must return a logger of its own, with no handler shared through package-level state (one left from the first call redacts nothing)"
	if py {
		fix = "main.py calls new_logger twice, the first time with no secrets, and logging.getLogger(name) returns the same logger both times: replace its handlers (logger.handlers[:] = [handler]) instead of adding one more (one left from the first call redacts nothing)"
	}
	return fmt.Sprintf("the log holds %s: %s", strings.Join(twice, ", "), fix)
}
