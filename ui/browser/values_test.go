package browser

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	tea "github.com/charmbracelet/bubbletea"

	"secretlings/aws"
	"secretlings/mask"
)

// openRevealDemo opens secretlings/app/db's current value in the driver.
func openDBValueDriver(t *testing.T, d *driver) {
	t.Helper()
	d.openSecret("secretlings/app/db")
	d.send("j", "enter")
	if d.b().top() != viewValue || d.b().value.loading || !d.b().value.isJSON {
		t.Fatalf("the value did not open: %s", d.status())
	}
}

func TestBrowserRevealRemasks(t *testing.T) {
	f := newFixture(t)
	f.seed(t)
	d := newDriver(t, f.client, aws.Embedded, false)
	openDBValueDriver(t, d)
	if d.b().value.shown != "" {
		t.Fatal("opening a value kept its text")
	}
	const secret = "demo-pass-v3-e5e5"
	shown := func() bool { return strings.Contains(d.view(), secret) }

	d.send("v")
	if !shown() || len(d.remask) != 1 {
		t.Fatalf("v did not reveal the value with a timer (timers: %d)", len(d.remask))
	}
	d.send(d.remask[0](time.Time{}))
	if shown() || d.b().value.shown != "" {
		t.Error("the 30 s timer did not re-mask and forget the value")
	}

	d.send("v")
	d.send(tea.BlurMsg{})
	if shown() || d.b().value.shown != "" {
		t.Error("losing focus did not re-mask")
	}

	// A stale timer (from an earlier reveal) does not hide a newer one.
	d.send("v", "v", "v")
	stale := d.remask[len(d.remask)-2]
	d.send(stale(time.Time{}))
	if !shown() {
		t.Error("a stale timer re-masked a newer reveal")
	}

	// One field: only it shows.
	d.send("v", "j", "j", "v")
	if !shown() || strings.Contains(d.view(), "demo-user-7f3a") {
		t.Errorf("revealing the password field showed more or less than it:\n%s", d.view())
	}
	d.send("j")
	if shown() {
		t.Error("moving to another field left the value revealed")
	}

	// Leaving the value, and the secret, drops everything fetched.
	d.send("v", "esc")
	if d.b().top() == viewValue || d.b().value.secret != "" || shown() {
		t.Error("leaving the value kept it")
	}
	d.send("esc")
	if d.b().details.det != nil || d.b().details.name != "" {
		t.Error("leaving the secret kept its details")
	}
}

func TestBrowserPlaintextViewMasksEveryLeaf(t *testing.T) {
	f := newFixture(t)
	f.seed(t)
	d := newDriver(t, f.client, aws.Embedded, false)
	d.openSecret("secretlings/feature")
	d.send("enter", "t")
	v := d.view()
	for _, want := range []string{`"flag": "` + mask.Masked + `"`, `"nested": {`, `"level": "` + mask.Masked + `"`} {
		if !strings.Contains(v, want) {
			t.Errorf("the plaintext view lacks %s:\n%s", want, v)
		}
	}
	d.send("v")
	if !strings.Contains(d.view(), "demo-nested-6666") {
		t.Error("v in the plaintext view does not reveal the whole value")
	}
}

func TestBrowserCopiesAFieldWithOSC52(t *testing.T) {
	t.Setenv("TMUX", "")
	t.Setenv("TERM", "xterm-256color")
	f := newFixture(t)
	f.seed(t)
	d := newDriver(t, f.client, aws.Embedded, false)
	openDBValueDriver(t, d)
	d.send("j", "j", "c") // the password field
	want := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte("demo-pass-v3-e5e5")) + "\x07"
	if got := d.copied.String(); got != want {
		t.Errorf("OSC 52 output %q, want %q", got, want)
	}
	if !strings.Contains(d.status(), "copied the field password") || !strings.Contains(d.status(), clipboardWarning) {
		t.Errorf("status %q lacks what was copied and the warning", d.status())
	}
	if strings.Contains(d.view(), "demo-pass-v3-e5e5") || d.b().value.shown != "" {
		t.Error("copying showed or kept the value")
	}
}

func TestBrowserShowsBackendErrorsAndKeepsWorking(t *testing.T) {
	t.Run("down", func(t *testing.T) {
		ts := httptest.NewServer(http.NotFoundHandler())
		url := ts.URL
		ts.Close()
		d := newDriver(t, testClient(url), aws.Endpoint, false)
		if d.b().list.loadErr == "" || !strings.Contains(d.view(), "r retries") {
			t.Fatalf("a backend that is down shows no error:\n%s", d.view())
		}
		if strings.Contains(d.view(), "no secrets yet") {
			t.Errorf("a backend that is down reads as an empty account:\n%s", d.view())
		}
		d.send("/")
		d.typeText("x")
		d.send("esc", "r")
		if d.b().list.loading || d.b().list.loadErr == "" {
			t.Error("refresh against a down backend did not end in an error")
		}
		d.send("esc")
		if d.back != 1 {
			t.Error("esc does not leave a browser whose backend is down")
		}
	})
	for _, tc := range []struct{ name, body, want string }{
		{"access denied", `{"__type":"AccessDeniedException","Message":"User is not authorized to perform secretsmanager:ListSecrets"}`, "may not do this"},
		{"throttled", `{"__type":"ThrottlingException","Message":"Rate exceeded"}`, "ThrottlingException"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/x-amz-json-1.1")
				w.WriteHeader(http.StatusBadRequest)
				_, _ = w.Write([]byte(tc.body))
			}))
			t.Cleanup(ts.Close)
			d := newDriver(t, testClient(ts.URL), aws.Endpoint, false)
			if !strings.Contains(d.b().list.loadErr, tc.want) || !strings.Contains(d.view(), tc.want) {
				t.Errorf("the error is not explained: %q\n%s", d.b().list.loadErr, d.view())
			}
			// Still working: the filter and sort keys act, esc leaves.
			d.send("s")
			if !d.b().list.byDate {
				t.Error("the browser stopped answering keys after an error")
			}
		})
	}
	t.Run("no backend", func(t *testing.T) {
		d := newDriver(t, nil, aws.Embedded, false)
		v := d.view()
		if !strings.Contains(v, "the backend is not available: the embedded emulator could not listen") {
			t.Errorf("a failed backend is not shown:\n%s", v)
		}
		d.send("n", "r", "enter", "/")
		d.typeText("x")
		if d.b().top() != viewList {
			t.Error("keys acted without a backend")
		}
	})
}

func TestBrowserFilterAndClear(t *testing.T) {
	f := newFixture(t)
	f.seed(t)
	d := newDriver(t, f.client, aws.Embedded, false)
	names := func() []string {
		var out []string
		for _, i := range d.b().list.Visible {
			out = append(out, d.b().list.rows[i].name)
		}
		return out
	}
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"growth", []string{"secretlings/feature"}},                        // a tag value
		{"service", []string{"secretlings/api-key", "team/other-service"}}, // a tag key and a name
		{"nested object", []string{"secretlings/feature"}},                 // the description
		{"slgsrvl", []string{"secretlings/reveal"}},                        // fuzzy over the name
		{"zzz", nil},
	} {
		d.send("/")
		d.typeText(tc.query)
		if got := names(); !slices.Equal(got, tc.want) {
			t.Errorf("filter %q shows %v, want %v", tc.query, got, tc.want)
		}
		if !d.b().Capturing() {
			t.Error("the filter does not capture keys")
		}
		d.send("esc")
		if len(d.b().list.Visible) != 7 || d.b().Capturing() {
			t.Errorf("esc did not clear the filter %q", tc.query)
		}
	}
	// Backspace widens the filter again.
	d.send("/")
	d.typeText("growthx")
	d.send("backspace")
	if got := names(); !slices.Equal(got, []string{"secretlings/feature"}) {
		t.Errorf("after backspace the filter shows %v", got)
	}
}

func TestBrowserLoadsPagesIncrementally(t *testing.T) {
	f := newFixture(t)
	st := f.srv.Store("123456789012", "us-east-1")
	for i := range 250 {
		if _, err := st.CreateSecret(context.Background(), &emulatorCreate{Name: sdkaws.String(seqName(i)), SecretString: sdkaws.String("v"), ClientRequestToken: sdkaws.String(token(1000 + i))}); err != nil {
			t.Fatal(err)
		}
	}
	m := New(testCommon(f.client, aws.Embedded, false), nil)
	m.SetSize(98, 26)
	pending := []tea.Cmd{m.Init()}
	pages := 0
	for len(pending) > 0 {
		cmd := pending[0]
		pending = pending[1:]
		msg := cmd()
		if b, ok := msg.(tea.BatchMsg); ok {
			pending = append(pending, b...)
			continue
		}
		page, ok := msg.(listPageMsg)
		if !ok {
			continue
		}
		pages++
		var next tea.Cmd
		m, next = m.Update(page)
		if pages == 1 {
			if len(m.list.rows) != listPageSize || !m.list.loading {
				t.Fatalf("after the first page: %d rows, loading %v, error %q", len(m.list.rows), m.list.loading, m.list.loadErr)
			}
			if v := m.View(); !strings.Contains(v, seqName(0)) || !strings.Contains(v, "loading… 100 secrets so far") {
				t.Errorf("the first rows are not shown while the rest load:\n%s", v)
			}
		}
		if next != nil {
			pending = append(pending, next)
		}
	}
	if pages != 3 || len(m.list.rows) != 250 || m.list.loading {
		t.Errorf("%d pages, %d rows, loading %v, error %q; want 3 pages, 250 rows, done", pages, len(m.list.rows), m.list.loading, m.list.loadErr)
	}
}

// TestBrowserFitsTheTerminal draws every mode at the smallest supported
// size and at common ones; nothing may spill out of the browser's area.
func TestBrowserFitsTheTerminal(t *testing.T) {
	f := newFixture(t)
	f.seed(t)
	for _, size := range [][2]int{{40, 12}, {60, 16}, {100, 30}} {
		w, h := size[0], size[1]
		t.Run(fmt.Sprintf("%dx%d", w, h), func(t *testing.T) {
			d := newDriver(t, f.client, aws.AWS, false)
			d.send(tea.WindowSizeMsg{Width: w, Height: h})
			// The browser's own area; the footer around it is the root's.
			fits := func(where string) {
				t.Helper()
				b := d.m.Screen
				v := b.View()
				if n := strings.Count(v, "\n") + 1; n != b.height {
					t.Errorf("%s: %d lines, want %d", where, n, b.height)
				}
				assertFits(t, v, b.width, b.height)
			}
			fits("list")
			d.send("/")
			d.typeText("db")
			fits("filter")
			d.send("esc")
			d.openSecret("secretlings/app/db")
			fits("details")
			d.send("G", "pgdown")
			fits("details scrolled")
			d.send("g", "j", "enter")
			fits("value")
			d.send("v")
			fits("revealed")
			d.send("t")
			fits("plaintext")
			d.send("esc", "n")
			d.typeText("x")
			fits("form")
			d.send("esc", "d", "enter")
			fits("confirm")
		})
	}
}

func TestBrowserLeaveDropsValuesAndForms(t *testing.T) {
	f := newFixture(t)
	f.seed(t)
	d := newDriver(t, f.client, aws.Embedded, false)
	openDBValueDriver(t, d)
	d.send("v")
	if d.b().top() != viewValue || d.b().value.shown == "" {
		t.Fatal("nothing revealed to drop")
	}
	b := d.b()
	b.Leave()
	if b.value.shown != "" || b.value.secret != "" || b.details.det != nil || b.top() != viewList {
		t.Error("Leave kept the revealed value or the secret")
	}
	d.send("n")
	d.typeText("x")
	b.Leave()
	if b.top() == viewForm || b.form.fields != nil || b.Capturing() {
		t.Error("Leave kept the form")
	}
}

// TestBrowserDropsStaleValues sends answers to requests the learner has
// moved past: they must not lay out or reveal the value now shown.
func TestBrowserDropsStaleValues(t *testing.T) {
	f := newFixture(t)
	f.seed(t)
	d := newDriver(t, f.client, aws.Embedded, false)
	openDBValueDriver(t, d)
	keys := slices.Clone(d.b().value.keys)
	old := d.b().value.layoutReq - 1
	d.send(valueMsg{req: old, purpose: fetchLayout, text: `{"stale":"stale-value-4f4f"}`})
	if !slices.Equal(d.b().value.keys, keys) {
		t.Errorf("a stale layout replaced the keys: %v", d.b().value.keys)
	}
	d.send(valueMsg{req: old, purpose: fetchReveal, text: "stale-value-4f4f"})
	if d.b().value.shown != "" || strings.Contains(d.view(), "stale-value-4f4f") {
		t.Error("a stale reveal showed a value")
	}
	d.send("esc", "esc")
	d.send(valueMsg{req: *d.b().seq, purpose: fetchReveal, text: "stale-value-4f4f"})
	if strings.Contains(d.view(), "stale-value-4f4f") {
		t.Error("a value arriving after the learner left was shown")
	}
}

// TestBrowserEscapesControlCharacters stores descriptions, tags and values
// carrying terminal escape sequences: none may reach the terminal raw, not
// even revealed. Binary values reveal as base64.
func TestBrowserEscapesControlCharacters(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	const osc = "\x1b]52;c;ZXZpbA==\x07"
	_, err := f.client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{
		Name: sdkaws.String("secretlings/evil"), Description: sdkaws.String("desc " + osc),
		SecretString: sdkaws.String(`{"k` + `\u001b[2J":"v\u001b[31mred","plain":"x"}`),
		Tags:         []types.Tag{{Key: sdkaws.String("t"), Value: sdkaws.String("\x1b[5m")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{
		Name: sdkaws.String("secretlings/binary"), SecretBinary: []byte{0x1b, '[', '2', 'J', 0, 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, f.client, aws.Embedded, false)
	d.find("secretlings/evil")
	d.openSecret("secretlings/evil")
	d.send("enter", "v")
	if !strings.Contains(d.view(), `v\x1b[31mred`) {
		t.Errorf("the revealed field is not shown escaped:\n%s", d.view())
	}
	d.send("t", "v", "esc", "esc")
	d.openSecret("secretlings/binary")
	d.send("enter", "v")
	if !strings.Contains(d.view(), "GxsyShAAQ==") && !strings.Contains(d.view(), base64.StdEncoding.EncodeToString([]byte{0x1b, '[', '2', 'J', 0, 1})) {
		t.Errorf("the binary value is not revealed as base64:\n%s", d.view())
	}
	for i, fr := range d.frames {
		if strings.ContainsRune(fr, 0x1b) || strings.ContainsRune(fr, 0x07) {
			t.Fatalf("frame %d carries a raw control character:\n%q", i, fr)
		}
	}
}

func TestBrowserCopiesAVersionFromTheDetails(t *testing.T) {
	t.Setenv("TMUX", "")
	t.Setenv("TERM", "xterm-256color")
	f := newFixture(t)
	f.seed(t)
	d := newDriver(t, f.client, aws.Embedded, false)
	d.openSecret("secretlings/app/db")
	d.send("j", "j", "c") // below AWSPENDING and AWSCURRENT: AWSPREVIOUS
	want := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(seeded["db-v2"])) + "\x07"
	if got := d.copied.String(); got != want {
		t.Errorf("OSC 52 output %q, want the AWSPREVIOUS value", got)
	}
	if !strings.Contains(d.status(), clipboardWarning) || d.b().top() != viewDetails {
		t.Errorf("status %q, mode %d", d.status(), d.b().top())
	}
}
