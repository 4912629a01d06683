package browser

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/teatest"

	"secretlings/aws"
	"secretlings/mask"
)

func TestBrowserList(t *testing.T) {
	f := newFixture(t)
	f.seed(t)
	tm := openBrowser(t, f.client, aws.Embedded, false)
	view := finalView(t, tm)
	for _, want := range []string{"secretlings/api-key", "Database credentials", "2026-11-23 12:00", "on 2026-12-23", "7 secrets"} {
		if !strings.Contains(view, want) {
			t.Errorf("the list lacks %q", want)
		}
	}
	if strings.Contains(view, "legacy/token") {
		t.Error("a secret scheduled for deletion is listed without the toggle")
	}
	assertFits(t, view, 100, 30)
	teatest.RequireEqualOutput(t, []byte(view))
}

func TestBrowserListWithDeletedSortedByDate(t *testing.T) {
	f := newFixture(t)
	f.seed(t)
	tm := openBrowser(t, f.client, aws.Embedded, false)
	tm.Send(press("a"))
	waitFor(t, tm, "legacy/token")
	tm.Send(press("s"))
	waitFor(t, tm, "newest change first")
	view := finalView(t, tm)
	if !strings.Contains(view, "✗ legacy/token") {
		t.Errorf("the deleted secret has no marker:\n%s", view)
	}
	// Newest change first: team/other-service (24th) above secretlings/api-key (21st).
	if strings.Index(view, "team/other-service") > strings.Index(view, "secretlings/api-key") {
		t.Errorf("not sorted by last change:\n%s", view)
	}
	teatest.RequireEqualOutput(t, []byte(view))
}

func TestBrowserFilter(t *testing.T) {
	f := newFixture(t)
	f.seed(t)
	tm := openBrowser(t, f.client, aws.Embedded, false)
	tm.Send(press("/"))
	typeText(tm, "paymnts") // fuzzy: a tag value, with a letter missing
	waitFor(t, tm, "1 of 7 secrets")
	tm.Send(press("enter"))
	view := finalView(t, tm)
	if !strings.Contains(view, "secretlings/app/db") || strings.Contains(view, "secretlings/api-key") {
		t.Errorf("the filter by tag value did not narrow to the db secret:\n%s", view)
	}
	teatest.RequireEqualOutput(t, []byte(view))
}

func TestBrowserDetailsTimeline(t *testing.T) {
	f := newFixture(t)
	f.seed(t)
	tm := openBrowser(t, f.client, aws.Embedded, false)
	tm.Send(press("j")) // the second row by name: secretlings/app/db
	tm.Send(press("enter"))
	waitFor(t, tm, "Versions (4)")
	view := finalView(t, tm)
	for _, want := range []string{"AWSPENDING", "AWSCURRENT blue", "AWSPREVIOUS", "no label: deprecated", "env=dev, team=payments", "arn:aws:secretsmanager:us-east-1:123456789012:secret:secretlings/app/db-"} {
		if !strings.Contains(view, want) {
			t.Errorf("details lack %q:\n%s", want, view)
		}
	}
	// The timeline is newest first: pending above current above previous.
	if p, c, pr := strings.Index(view, "AWSPENDING"), strings.Index(view, "AWSCURRENT blue"), strings.Index(view, "AWSPREVIOUS"); !(p < c && c < pr) {
		t.Errorf("the timeline is not in order: pending %d, current %d, previous %d", p, c, pr)
	}
	teatest.RequireEqualOutput(t, []byte(view))
}

// openDB opens secretlings/app/db's AWSCURRENT version's value.
func openDBValue(t *testing.T, tm *teatest.TestModel) {
	t.Helper()
	tm.Send(press("/"))
	typeText(tm, "app/db")
	tm.Send(press("enter"))
	tm.Send(press("enter"))
	waitFor(t, tm, "Versions (4)")
	tm.Send(press("j")) // from AWSPENDING to AWSCURRENT
	tm.Send(press("enter"))
	waitFor(t, tm, "JSON object with 3 keys")
}

func TestBrowserMaskedJSON(t *testing.T) {
	f := newFixture(t)
	f.seed(t)
	tm := openBrowser(t, f.client, aws.Embedded, false)
	openDBValue(t, tm)
	view := finalView(t, tm)
	for _, want := range []string{"username", "password", "host", mask.Masked} {
		if !strings.Contains(view, want) {
			t.Errorf("the masked JSON lacks %q:\n%s", want, view)
		}
	}
	teatest.RequireEqualOutput(t, []byte(view))
}

func TestBrowserReveal(t *testing.T) {
	f := newFixture(t)
	f.seed(t)
	tm := openBrowser(t, f.client, aws.Embedded, false)
	tm.Send(press("/"))
	typeText(tm, "reveal")
	tm.Send(press("enter"))
	tm.Send(press("enter"))
	waitFor(t, tm, "Versions (1)")
	tm.Send(press("v"))
	waitFor(t, tm, "reveal-me-demo")
	view := finalView(t, tm)
	if !strings.Contains(view, "reveal-me-demo") || !strings.Contains(view, "masks again in 30 s") {
		t.Errorf("the reveal does not show the value with its warning:\n%s", view)
	}
	// The golden keeps the frame's layout, not the value: no secret in a
	// golden file, not even a demo one.
	teatest.RequireEqualOutput(t, []byte(strings.ReplaceAll(view, seeded["reveal"], "<revealed value>")))
}

// TestBrowserNoValueBeforeReveal walks every screen state short of a reveal
// (list, filter, sort, deleted shown, help, every secret's details and
// versions, every value masked in both views with every field selected,
// every form with a value typed into it, confirmations) and checks that no
// frame of the whole app shows a seeded value; then it reveals one to prove
// the check can see values at all.
func TestBrowserNoValueBeforeReveal(t *testing.T) {
	f := newFixture(t)
	f.seed(t)
	d := newDriver(t, f.client, aws.Embedded, false)
	d.send("?", "?", "a", "s", "s", "/")
	d.typeText("demo")
	d.send("down", "esc")
	if len(d.b().list.rows) != 8 {
		t.Fatalf("the walk sees %d secrets, want 8 (deleted shown)", len(d.b().list.rows))
	}
	values, fields := 0, 0
	for i := range d.b().list.rows {
		d.send("g")
		for range i {
			d.send("j")
		}
		d.send("enter")
		det := d.b().details.det
		if det == nil {
			t.Fatalf("row %d: no details: %s", i, d.b().status)
		}
		for v := range det.versions {
			d.send("enter")
			if d.b().top() == viewValue && !d.b().value.loading {
				values++
				fields += len(d.b().value.keys)
			}
			d.send("j", "j", "j", "t", "t", "k", "esc")
			if v < len(det.versions)-1 {
				d.send("j")
			}
		}
		d.send("G", "g", "?", "?", "pgdown", "pgup")
		if det.d.DeletedDate == nil {
			d.send("p")
			d.typeText("typed-secret-value-9d9d")
			d.send("ctrl+t", "ctrl+n") // focus on the new row's key
			d.typeText("k")
			d.send("tab")
			d.typeText("typed-row-value-5e5e")
			d.send("ctrl+t", "esc", "E", "esc", "m", "esc", "d", "enter", "n")
		}
		d.send("esc")
	}
	if values < 10 || fields < 6 {
		t.Fatalf("the walk opened %d values with %d fields: it missed the values", values, fields)
	}
	d.send("n")
	d.typeText("secretlings/x")
	d.send("tab", "tab")
	d.typeText("typed-secret-value-9d9d")
	d.send("esc", "d", "enter", "esc")

	// Positive control: reveal the db secret's current value.
	d.find("secretlings/app/db")
	d.send("enter", "j", "v")
	d.send("q")
	var before []string
	seen := false
	for _, fr := range d.frames {
		if strings.Contains(fr, "demo-pass-v3-e5e5") {
			seen = true
			break
		}
		before = append(before, fr)
	}
	if !seen {
		t.Fatal("the reveal never showed the value: this test would not see a leak")
	}
	all := strings.Join(before, "\n")
	if !strings.Contains(all, mask.Masked) {
		t.Fatal("no masked value was drawn before the reveal: the walk did not reach the values")
	}
	for _, v := range append(seededLeaks(), "typed-secret-value-9d9d", "typed-row-value-5e5e") {
		if strings.Contains(all, v) {
			t.Errorf("a frame before the reveal showed the secret value %q", v)
		}
	}
	t.Logf("%d frames before the reveal, %d values opened", len(before), values)
}

// TestBrowserAt60x20 goldens the list and the details in a small terminal.
func TestBrowserAt60x20(t *testing.T) {
	f := newFixture(t)
	f.seed(t)
	t.Run("list", func(t *testing.T) {
		tm := start(t, newApp(testCommon(f.client, aws.Embedded, false)), 60, 20)
		waitFor(t, tm, "secretlings/app/db")
		view := finalView(t, tm)
		assertFits(t, view, 60, 20)
		teatest.RequireEqualOutput(t, []byte(view))
	})
	t.Run("details", func(t *testing.T) {
		tm := start(t, newApp(testCommon(f.client, aws.Embedded, false)), 60, 20)
		waitFor(t, tm, "secretlings/app/db")
		tm.Send(press("j"))
		tm.Send(press("enter"))
		waitFor(t, tm, "Versions (4)")
		view := finalView(t, tm)
		assertFits(t, view, 60, 20)
		teatest.RequireEqualOutput(t, []byte(view))
	})
}
