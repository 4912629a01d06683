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
// compares what they print, token by token.
//
// What differs between the two runs with the same secret is noise (a time,
// a duration, a version id) and is ignored; what is the same in both runs
// of each secret but differs from one secret to the other depends on it.
// The order makes a clock never look like that: a time the same in A1 and
// A2 is the same in B1, which ran between them, whatever its resolution.
// Only a value that is random and yet the same twice in a row by chance
// in both pairs could, about one chance in a million for milliseconds.

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

// sameShape reports whether a and b have as many lines, and each line as
// many tokens.
func sameShape(a, b [][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
	}
	return true
}

// dependence is where an output depends on the secret: the line (from 1)
// and the line as the first run printed it, with every token that is not
// the same in all four runs shown as "…".
type dependence struct {
	line  int
	shown string
	lines [2]int // how many lines each password gets, when that differs
}

// dependsOn compares one stream (stdout or stderr) of the four runs: a1
// and a2 with one secret, b1 and b2 with the other. It returns nil when
// nothing in it depends on the secret.
func dependsOn(a1, a2, b1, b2 string) *dependence {
	ta, tA, tb, tB := tokens(a1), tokens(a2), tokens(b1), tokens(b2)
	bags := []map[string]int{bag(ta), bag(tA), bag(tb), bag(tB)}
	stable := func(t string) bool {
		n := bags[0][t]
		return bags[1][t] == n && bags[2][t] == n && bags[3][t] == n
	}
	if sameShape(ta, tA) && sameShape(tb, tB) {
		if sameShape(ta, tb) {
			// Token by token.
			for i := range ta {
				for j := range ta[i] {
					if ta[i][j] == tA[i][j] && tb[i][j] == tB[i][j] && ta[i][j] != tb[i][j] {
						return &dependence{line: i + 1, shown: showLine(ta[i], func(j int) bool {
							return ta[i][j] == tA[i][j] && ta[i][j] == tb[i][j] && ta[i][j] == tB[i][j]
						})}
					}
				}
			}
			return nil
		}
		// The same shape with each secret, another with the other: the
		// shape (how many lines, or tokens in a line) depends on it.
		var d *dependence
		for i := 0; d == nil; i++ {
			switch {
			case i >= len(ta):
				d = &dependence{line: i + 1, shown: showLine(tb[i], func(j int) bool { return stable(tb[i][j]) })}
			case i >= len(tb) || len(ta[i]) != len(tb[i]):
				d = &dependence{line: i + 1, shown: showLine(ta[i], func(j int) bool { return stable(ta[i][j]) })}
			}
		}
		if len(ta) != len(tb) {
			d.lines = [2]int{len(ta), len(tb)}
		}
		return d
	}
	// The runs with one secret differ in shape (noise that adds a token
	// or a line): compare how often each token occurs instead.
	for _, t := range [][][]string{ta, tb} {
		for i, line := range t {
			for _, tok := range line {
				if n := bags[0][tok]; bags[1][tok] == n && bags[3][tok] == bags[2][tok] && bags[2][tok] != n {
					return &dependence{line: i + 1, shown: showLine(line, func(j int) bool { return stable(line[j]) })}
				}
			}
		}
	}
	return nil
}

// bag counts the tokens of an output.
func bag(lines [][]string) map[string]int {
	n := map[string]int{}
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
