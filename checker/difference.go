package checker

import (
	"fmt"
	"strings"
)

// What a program prints may not depend on a secret it was given: not its
// length (a mask of one "*" a character), not a few of its characters, not
// a hash or any encoding of it. No scanner can know every function of a
// value, so the checker asks the program instead: it runs it twice with the
// secret (A1, A2) and twice with another of a different length and content
// (B1, B2), everything else the same, in the order A1, B1, A2, B2, and
// counts the tokens each run prints.
//
// A token printed a different number of times by the two runs with the
// same secret is noise (a time, a duration, a version id) and is ignored;
// one printed as often in both runs of each secret, but not as often with
// one secret as with the other, depends on it. Counting rather than
// comparing place by place keeps an order that changes from run to run (a
// Go map ranged over) from looking like a dependence; what it cannot see
// is a secret that only reorders what is printed. The order of the runs
// makes a clock never look like a dependence: a time the same in A1 and A2
// is the same in B1, which ran between them, whatever its resolution.
//
// A value that is random and yet the same twice in a row by chance in both
// pairs could look like one: a timestamp's milliseconds seldom, but a
// duration rounded to the millisecond ("read in 9ms") often, for a program
// whose runs all take about as long (one grading in five, for a Go program
// that logs how long its read took). So a dependence the four runs show is
// only a suspicion: the checker runs the program again, once with each
// secret (A3, B3, A4, B4, …, keeping the alternation), and a token is a
// dependence only if every run of one secret prints it as often, and every
// run of the other as often, but not as often as the first. A length or a
// hash stays in every run; a duration's coincidence does not (it would
// have to come up in every run of one secret: about one grading in a
// thousand with three more pairs, where it was one in five).

// tokens splits text into lines of tokens: words (letters, digits, "_",
// any non-ASCII byte, and "." between two of them, so "1.25s" and
// "10.0.0.1" are one each), runs of blanks, and runs of one punctuation
// character ("********" is one token, whose length is its content).
func tokens(text string) [][]string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.TrimSuffix(text, "\n")
	if text == "" {
		return nil
	}
	var lines [][]string
	for _, line := range strings.Split(text, "\n") {
		var toks []string
		for i := 0; i < len(line); {
			j := i + 1
			switch c := line[i]; {
			case wordByte(c):
				for j < len(line) && (wordByte(line[j]) || line[j] == '.' && j+1 < len(line) && wordByte(line[j+1])) {
					j++
				}
			case c == ' ' || c == '\t' || c == '\r':
				for j < len(line) && (line[j] == ' ' || line[j] == '\t' || line[j] == '\r') {
					j++
				}
			default:
				for j < len(line) && line[j] == c {
					j++
				}
			}
			toks = append(toks, line[i:j])
			i = j
		}
		lines = append(lines, toks)
	}
	return lines
}

func wordByte(c byte) bool {
	return c >= 0x80 || c == '_' || isAlnumByte(c)
}

func isAlnumByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// dependence is where an output depends on the secret: the line (from 1)
// and the line as a run printed it, with every token that is not printed
// as often in all four runs shown as "…".
type dependence struct {
	line  int
	shown string
	lines [2]int // how many lines each secret gets, when that differs
}

// lineCount is the pseudo-token that counts an output's lines in its bag,
// so that a number of lines that depends on the secret shows too.
const lineCount = "\n"

// dependsOn compares one stream (stdout or stderr) of the four runs: a1
// and a2 with one secret, b1 and b2 with the other. It returns nil when
// nothing in it depends on the secret.
func dependsOn(a1, a2, b1, b2 string) *dependence {
	return dependsOnRuns([]string{a1, a2}, []string{b1, b2})
}

// dependsOnRuns compares one stream of runs with one secret (as) and runs
// with the other (bs), at least one of each: a token depends on the secret
// when every run of as prints it as often, every run of bs as often, and
// the two counts differ.
func dependsOnRuns(as, bs []string) *dependence {
	ta, tb := tokens(as[0]), tokens(bs[0])
	bagsA, bagsB := []map[string]int{bag(ta)}, []map[string]int{bag(tb)}
	for _, a := range as[1:] {
		bagsA = append(bagsA, bag(tokens(a)))
	}
	for _, b := range bs[1:] {
		bagsB = append(bagsB, bag(tokens(b)))
	}
	same := func(bags []map[string]int, t string, n int) bool {
		for _, b := range bags {
			if b[t] != n {
				return false
			}
		}
		return true
	}
	stable := func(t string) bool {
		n := bagsA[0][t]
		return same(bagsA, t, n) && same(bagsB, t, n)
	}
	depends := func(t string) bool {
		n, m := bagsA[0][t], bagsB[0][t]
		return n != m && same(bagsA, t, n) && same(bagsB, t, m)
	}
	for _, t := range [][][]string{ta, tb} {
		for i, line := range t {
			for _, tok := range line {
				if depends(tok) {
					return &dependence{line: i + 1, shown: showLine(line, func(j int) bool { return stable(line[j]) })}
				}
			}
		}
	}
	if depends(lineCount) {
		return &dependence{line: min(len(ta), len(tb)) + 1, lines: [2]int{len(ta), len(tb)}}
	}
	return nil
}

// bag counts the tokens of an output, and its lines as lineCount.
func bag(lines [][]string) map[string]int {
	n := map[string]int{lineCount: len(lines)}
	for _, line := range lines {
		for _, t := range line {
			n[t]++
		}
	}
	return n
}

// showLine joins a line's tokens, each one keep rejects as "…" (and a run
// of them as one; blanks as one space, or as part of the "…" before them),
// at most 120 characters.
func showLine(toks []string, keep func(j int) bool) string {
	var b strings.Builder
	hidden := false
	for j, t := range toks {
		switch {
		case keep(j):
			b.WriteString(t)
			hidden = false
		case strings.Trim(t, " \t\r") == "":
			if !hidden {
				b.WriteString(" ")
			}
		case !hidden:
			b.WriteString("…")
			hidden = true
		}
	}
	if rs := []rune(b.String()); len(rs) > 120 {
		return string(rs[:120]) + "…"
	}
	return b.String()
}

// String describes where, as a reason quotes it.
func (d *dependence) String() string {
	s := fmt.Sprintf("line %d (%q)", d.line, d.shown)
	if d.lines != [2]int{} {
		s += fmt.Sprintf(", and it has %d lines with one password, %d with the other,", d.lines[0], d.lines[1])
	}
	return s
}
