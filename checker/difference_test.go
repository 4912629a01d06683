package checker

import (
	"fmt"
	"strings"
	"testing"
)

// dependsOn tells output computed from the secret from output that only
// varies from run to run, whatever the noise does to the shape of a line.
func TestDependsOn(t *testing.T) {
	const p1, p2 = "Xk3#pQ9-vT2@mW7!zR", "abcdEFGH1456"
	stars := func(s string) string { return strings.Repeat("*", len(s)) }
	list := func(s string) string { return fmt.Sprintf("%q", strings.Split(s, "")) }
	line := func(ts, pw string) string { return ts + " host=db port=5432 password=" + pw + "\n" }
	cases := []struct {
		name           string
		a1, a2, b1, b2 string
		want           string // the line shown ("(no line)" for none), "" for no dependence
	}{
		{"fixed mask", line("", "********"), line("", "********"), line("", "********"), line("", "********"), ""},
		{"nothing at all", "", "", "", "", ""},
		{"a time that ticks", line("10:00:01.120", "****"), line("10:00:01.480", "****"), line("10:00:01.300", "****"), line("10:00:01.650", "****"), ""},
		{"a second that turns between the pairs", line("10:00:01", "****"), line("10:00:02", "****"), line("10:00:01", "****"), line("10:00:02", "****"), ""},
		{"a duration of another shape", "took 850ms\n" + line("", "****"), "took 1.2s\n" + line("", "****"), "took 990ms\n" + line("", "****"), "took 1.01s\n" + line("", "****"), ""},
		{"noise that adds a line", "retrying\nok\n", "ok\n", "ok\n", "retrying\nok\n", ""},
		{"length mask", line("", stars(p1)), line("", stars(p1)), line("", stars(p2)), line("", stars(p2)), " host=db port=5432 password=…"},
		{"length mask beside a time", line("10:00:01.1", stars(p1)), line("10:00:01.4", stars(p1)), line("10:00:01.2", stars(p2)), line("10:00:01.6", stars(p2)), "10:00:… host=db port=5432 password=…"},
		{"last four", line("", "****"+p1[len(p1)-4:]), line("", "****"+p1[len(p1)-4:]), line("", "****"+p2[len(p2)-4:]), line("", "****"+p2[len(p2)-4:]), " host=db port=5432 password=****…"},
		{"list of characters", list(p1), list(p1), list(p2), list(p2), "[…]"},
		{"an extra line for long passwords", "warning: long password\nok\n", "warning: long password\nok\n", "ok\n", "ok\n", "…"},
		{"an order that changes from run to run", "a=1 b=2 c=3 password=****\n", "c=3 password=**** a=1 b=2\n", "b=2 c=3 password=**** a=1\n", "b=2 c=3 password=**** a=1\n", ""},
		{"a blank line per character", "ok\n" + strings.Repeat("\n", len(p1)), "ok\n" + strings.Repeat("\n", len(p1)), "ok\n" + strings.Repeat("\n", len(p2)), "ok\n" + strings.Repeat("\n", len(p2)), "(no line)"},
		{"length mask amid noise that adds a line", "retry\n" + line("", stars(p1)), line("", stars(p1)), line("", stars(p2)), "retry\n" + line("", stars(p2)), " host=db port=5432 password=…"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := dependsOn(c.a1, c.a2, c.b1, c.b2)
			switch {
			case c.want == "" && d != nil:
				t.Errorf("found a dependence at %s", d)
			case c.want != "" && d == nil:
				t.Error("found no dependence")
			case d != nil && d.shown != strings.TrimSuffix(c.want, "(no line)"):
				t.Errorf("shows %q, want %q", d.shown, c.want)
			}
			if d != nil && (strings.Contains(d.shown, p1[len(p1)-4:]) || strings.Contains(d.shown, p2[len(p2)-4:])) {
				t.Errorf("shows part of a password: %q", d.shown)
			}
		})
	}
}

// A duration rounded to the millisecond is often the same twice in a row:
// four runs can take it for a dependence, which the runs that confirm it
// (A3, B3, A4, B4) undo; a length stays a dependence in every run.
func TestDependsOnRunsConfirms(t *testing.T) {
	took := func(d string) string { return "read db/orders in " + d + "\nhost=db port=5432 password=********\n" }
	stars := func(n int) string { return "host=db password=" + strings.Repeat("*", n) + "\n" }
	// The four first runs: A1 and A2 took 9ms, B1 and B2 10ms.
	if dependsOn(took("9ms"), took("9ms"), took("10ms"), took("10ms")) == nil {
		t.Fatal("four runs whose durations pair up by chance should look like a dependence (the suspicion the confirming runs check)")
	}
	if d := dependsOnRuns([]string{took("9ms"), took("9ms"), took("8ms")}, []string{took("10ms"), took("10ms"), took("11ms")}); d != nil {
		t.Errorf("a duration that changed in a confirming run is taken for a dependence at %s", d)
	}
	if d := dependsOnRuns([]string{took("9ms"), took("9ms"), took("9ms"), took("12ms")}, []string{took("10ms"), took("10ms"), took("11ms"), took("10ms")}); d != nil {
		t.Errorf("a duration that changed in the last confirming run is taken for a dependence at %s", d)
	}
	a, b := stars(24), stars(13)
	if d := dependsOnRuns([]string{a, a, a, a}, []string{b, b, b, b}); d == nil || d.shown != "host=db password=…" {
		t.Errorf("a length mask in every run: got %v, want a dependence shown as %q", d, "host=db password=…")
	}
	// A time of day, alternating A1 B1 A2 B2 A3 B3: a second that turns
	// between runs is never the same in every run of one password only.
	at := func(s string) string { return "10:00:0" + s + " host=db password=********\n" }
	if d := dependsOnRuns([]string{at("1"), at("2"), at("3")}, []string{at("1"), at("2"), at("3")}); d != nil {
		t.Errorf("a clock is taken for a dependence at %s", d)
	}
}
