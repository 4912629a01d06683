package checker

// Where a secret leaked in the safe-logger's log: each line scanned as
// printed and with its JSON escapes undone, and a reason that shows the
// line with the leak masked.

import (
	"fmt"
	"slices"
	"strings"

	"secretlings/mask"
)

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
