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

// namedSecret is a value the program must not reveal, by the name the
// reasons give it.
type namedSecret struct {
	name, value string
	scan        *mask.LeakScanner
}

// leakFound is one leak of one secret, as a span of safeLog.all.
type leakFound struct {
	secret     string
	form       string
	class      string
	start, end int
	line       int // index in safeLog.lines of the line it starts on
}

// findLeaks scans the whole output for each secret (so that a value
// spelled over several lines is found), and each line with a backslash
// once more with its JSON escapes undone, so that a value inside JSON is
// found whatever encoder escaped it: \u0022 or \" for a quote, \u003c or
// \u003C or < for "<", \/ for "/", any character as \uXXXX. A leak found
// only that way is inside JSON (or, if it is encoded, encoded).
func (l *safeLog) findLeaks(secrets []namedSecret) []leakFound {
	var found []leakFound
	for _, s := range secrets {
		var mine []leakFound
		for _, lk := range s.scan.Scan([]byte(l.all)) {
			mine = append(mine, leakFound{secret: s.name, form: lk.Form, class: leakClass(lk.Form), start: lk.Start, end: lk.End})
		}
		for _, ol := range l.lines {
			if !strings.Contains(ol.text, `\`) {
				continue
			}
			for _, v := range unescapedLeaks(ol.text, s.scan) {
				v.secret, v.start, v.end = s.name, ol.at+v.start, ol.at+v.end
				// A leak the plain scan found around it is the same
				// leak, as the scanner named it; what the plain scan
				// saw inside it (a fragment between two escapes) is
				// part of this one.
				if slices.ContainsFunc(mine, func(f leakFound) bool { return f.start <= v.start && v.end <= f.end }) {
					continue
				}
				mine = slices.DeleteFunc(mine, func(f leakFound) bool {
					return v.start <= f.start && f.end <= v.end
				})
				mine = append(mine, v)
			}
		}
		found = append(found, mine...)
	}
	slices.SortStableFunc(found, func(a, b leakFound) int { return a.start - b.start })
	for i := range found {
		found[i].line = l.lineAt(found[i].start)
	}
	return found
}

// lineAt returns the index of the line that holds byte at of l.all.
func (l *safeLog) lineAt(at int) int {
	i, _ := slices.BinarySearchFunc(l.lines, at, func(ol outLine, at int) int {
		if ol.at <= at {
			return -1
		}
		return 1
	})
	return max(0, i-1)
}

// unescapedLeaks scans line with its JSON string escapes undone, up to
// three times over (JSON inside a JSON string, as a JSON handler writes a
// JSON document), and returns the leaks as spans of line, with their
// class: json, or encoded for an encoded run that was escaped.
func unescapedLeaks(line string, scan *mask.LeakScanner) []leakFound {
	var out []leakFound
	view := line
	from := make([]int, len(line)+1)
	to := make([]int, len(line)+1)
	for i := range from {
		from[i], to[i] = i, i+1
	}
	for range 3 {
		v, f, t := unescapeJSON(view)
		if v == view {
			break
		}
		// Compose the maps: a byte of the new view came from a span of
		// the old view, which came from a span of line.
		nf, nt := make([]int, len(v)), make([]int, len(v))
		for i := range v {
			nf[i], nt[i] = from[f[i]], to[t[i]-1]
		}
		view, from, to = v, nf, nt
		for _, lk := range scan.Scan([]byte(view)) {
			class := "json"
			if leakClass(lk.Form) == "encoded" {
				class = "encoded"
			}
			start, end := from[lk.Start], to[lk.End-1]
			if !strings.Contains(line[start:end], `\`) {
				continue // no escape in it: the plain scan sees it as it is
			}
			if slices.ContainsFunc(out, func(f leakFound) bool { return f.start <= start && end <= f.end }) {
				continue
			}
			out = append(out, leakFound{form: lk.Form + ", JSON-escaped", class: class, start: start, end: end})
		}
	}
	return out
}

// unescapeJSON undoes the JSON string escapes in s (\" \\ \/ \b \f \n \r
// \t and \uXXXX, a surrogate pair as one character), leaving any other
// backslash as it is. For each byte of the result it returns the span of
// s it came from: the escape, or the byte itself.
func unescapeJSON(s string) (view string, from, to []int) {
	var b []byte
	for i := 0; i < len(s); {
		if s[i] != '\\' || i+1 >= len(s) {
			b, from, to = append(b, s[i]), append(from, i), append(to, i+1)
			i++
			continue
		}
		var c []byte
		n := 2
		switch e := s[i+1]; e {
		case '"', '\\', '/':
			c = []byte{e}
		case 'b':
			c = []byte{'\b'}
		case 'f':
			c = []byte{'\f'}
		case 'n':
			c = []byte{'\n'}
		case 'r':
			c = []byte{'\r'}
		case 't':
			c = []byte{'\t'}
		case 'u':
			r, ok := hex4(s, i+2)
			if !ok {
				break
			}
			n = 6
			if 0xd800 <= r && r < 0xdc00 && i+11 < len(s) && s[i+6] == '\\' && s[i+7] == 'u' {
				if lo, ok := hex4(s, i+8); ok && 0xdc00 <= lo && lo < 0xe000 {
					r, n = 0x10000+(r-0xd800)<<10+(lo-0xdc00), 12
				}
			}
			c = []byte(string(rune(r)))
		}
		if c == nil {
			b, from, to = append(b, s[i]), append(from, i), append(to, i+1)
			i++
			continue
		}
		for _, x := range c {
			b, from, to = append(b, x), append(from, i), append(to, i+n)
		}
		i += n
	}
	return string(b), from, to
}

// hex4 reads four hex digits of s at i.
func hex4(s string, i int) (int, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	r := 0
	for _, c := range []byte(s[i : i+4]) {
		switch {
		case '0' <= c && c <= '9':
			r = r<<4 | int(c-'0')
		case 'a' <= c && c <= 'f':
			r = r<<4 | int(c-'a'+10)
		case 'A' <= c && c <= 'F':
			r = r<<4 | int(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// leakReason describes the leaks of one class: which secret, in what
// form, where (the line and the record, the line shown with every leak
// masked), and what the logger must do for that record; "" for none.
// all are every leak found, so the line shown is masked of all of them.
func (l *safeLog) leakReason(mine, all []leakFound, recs []slRecord, known *mask.LeakScanner, py bool) string {
	if len(mine) == 0 {
		return ""
	}
	first := mine[0]
	s := fmt.Sprintf("the %s appears %s in %s: %s", first.secret, describeForm(first.form), l.where(first.line, recs), l.excerpt(first, all, known))
	if l.lines[first.line].logErr {
		s += "; Python's logging wrote the record and its arguments to stderr because a handler, filter or formatter of yours raised an exception (“--- Logging error ---”): fix that exception"
	} else if k := l.record(first.line, recs); k >= 0 && !recs[k].noSecret {
		how := recs[k].goHow
		if py {
			how = recs[k].pyHow
		}
		s += "; " + how
	} else {
		s += "; mask every value the logger is given, wherever it is written"
	}
	var more []string
	seen := map[int]bool{first.line: true}
	for _, f := range mine[1:] {
		if !seen[f.line] {
			seen[f.line] = true
			more = append(more, l.where(f.line, recs))
		}
	}
	if len(more) > 3 {
		more = append(more[:3], fmt.Sprintf("%d more", len(more)-3))
	}
	if len(more) > 0 {
		s += fmt.Sprintf(" (also in %s)", strings.Join(more, "; "))
	}
	return s
}

// describeForm says a leak's form in words.
func describeForm(form string) string {
	base, escaped := strings.CutSuffix(form, ", JSON-escaped")
	if escaped {
		switch base {
		case mask.FormRaw, mask.FormCaseFolded:
			return "escaped inside JSON (with escapes such as \\u0022 for a quote or \\u003C for <)"
		case mask.FormJSON:
			return "escaped inside JSON that is itself inside a JSON (or quoted) string"
		}
		return describeForm(base) + ", escaped inside JSON"
	}
	switch base {
	case mask.FormRaw:
		return "as it is"
	case mask.FormCaseFolded:
		return "with its case changed"
	case mask.FormReversed:
		return "reversed"
	case mask.FormFragment:
		return "in part"
	case mask.FormInterleaved:
		return "spelled out with separators"
	case mask.FormURL:
		return "URL-escaped"
	case mask.FormJSON:
		return "escaped as in a JSON (or Go-quoted) string"
	}
	return "as " + base
}

// excerpt is the line of leak f with every leak on it masked (and
// anything else that looks like a secret), cut to about 120 bytes around
// f's mask.
func (l *safeLog) excerpt(f leakFound, all []leakFound, known *mask.LeakScanner) string {
	ol := l.lines[f.line]
	text := ol.text
	end := ol.at + len(text)
	var spans [][2]int
	for _, g := range all {
		if g.start < end && g.end > ol.at {
			spans = append(spans, [2]int{max(g.start, ol.at) - ol.at, min(g.end, end) - ol.at})
		}
	}
	slices.SortFunc(spans, func(a, b [2]int) int { return a[0] - b[0] })
	var b strings.Builder
	done := 0  // text[:done] is written
	focus := 0 // where f's mask starts in b
	for _, sp := range spans {
		if sp[1] <= done {
			continue // inside a mask already written
		}
		if sp[0] >= done {
			b.WriteString(text[done:sp[0]])
			if sp[0] <= f.start-ol.at {
				focus = b.Len()
			}
			b.WriteString(mask.Masked)
		}
		done = sp[1]
	}
	b.WriteString(text[done:])
	masked := b.String()
	text = scrub(known, masked)
	focus = min(len(text), len(scrub(known, masked[:focus])))
	const width = 120
	if len(text) > width {
		from := max(0, min(focus-40, len(text)-width))
		for from > 0 && from < len(text) && !utf8RuneStart(text[from]) {
			from++
		}
		to := min(len(text), from+width)
		for to < len(text) && !utf8RuneStart(text[to]) {
			to--
		}
		cut := text[from:to]
		if from > 0 {
			cut = "…" + cut
		}
		if to < len(text) {
			cut += "…"
		}
		text = cut
	}
	return text
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
