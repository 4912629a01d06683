package browser

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"secretlings/aws"
	"secretlings/mask"
	"secretlings/ui/common"
)

// describe reads a secret's state through the SDK, as a grader would.
func describe(t *testing.T, c *secretsmanager.Client, name string) *secretsmanager.DescribeSecretOutput {
	t.Helper()
	out, err := c.DescribeSecret(context.Background(), &secretsmanager.DescribeSecretInput{SecretId: &name})
	if err != nil {
		t.Fatalf("DescribeSecret %s: %v", name, err)
	}
	return out
}

func valueOf(t *testing.T, c *secretsmanager.Client, name, stage string) string {
	t.Helper()
	out, err := c.GetSecretValue(context.Background(), &secretsmanager.GetSecretValueInput{SecretId: &name, VersionStage: &stage})
	if err != nil {
		t.Fatalf("GetSecretValue %s %s: %v", name, stage, err)
	}
	return sdkaws.ToString(out.SecretString)
}

func tagMap(tags []types.Tag) map[string]string {
	m := map[string]string{}
	for _, t := range tags {
		m[sdkaws.ToString(t.Key)] = sdkaws.ToString(t.Value)
	}
	return m
}

// stageHolder returns the version id holding a label.
func stageHolder(d *secretsmanager.DescribeSecretOutput, label string) string {
	for id, stages := range d.VersionIdsToStages {
		if slices.Contains(stages, label) {
			return id
		}
	}
	return ""
}

func (d *driver) status() string { return d.b().status }

func (d *driver) requireOK() {
	d.t.Helper()
	if d.b().statusErr {
		d.t.Fatalf("the browser reports an error: %s", d.b().status)
	}
}

func TestBrowserCreatesASecretFromText(t *testing.T) {
	f := newFixture(t)
	f.seed(t)
	d := newDriver(t, f.client, aws.Embedded, false)
	d.send("n")
	if !d.b().Capturing() {
		t.Fatal("the form does not capture keys: q would quit while typing")
	}
	d.typeText("new-one")
	d.send("tab")
	d.typeText("Made in the browser")
	d.send("tab")
	d.typeText("text-value-1a1a")
	d.send("tab")
	d.typeText("env=test, owner=me")
	d.send("enter")
	d.requireOK()
	if !strings.Contains(d.status(), "created secretlings/new-one") {
		t.Errorf("status %q does not say the secret was created", d.status())
	}
	got := describe(t, f.client, "secretlings/new-one")
	if sdkaws.ToString(got.Description) != "Made in the browser" {
		t.Errorf("description %q", sdkaws.ToString(got.Description))
	}
	if tags := tagMap(got.Tags); tags["env"] != "test" || tags["owner"] != "me" || len(tags) != 2 {
		t.Errorf("tags %v", tags)
	}
	if v := valueOf(t, f.client, "secretlings/new-one", common.StageCurrent); v != "text-value-1a1a" {
		t.Error("the stored value is not the one typed")
	}
	// The list refreshed and selects the new secret.
	if r := d.b().list.selected(); r == nil || r.name != "secretlings/new-one" {
		t.Errorf("the list does not select the new secret: %+v", r)
	}
	if strings.Contains(strings.Join(d.frames, "\n"), "text-value-1a1a") {
		t.Error("the typed value showed on screen")
	}
}

func TestBrowserCreatesASecretFromKeyValueRows(t *testing.T) {
	f := newFixture(t)
	d := newDriver(t, f.client, aws.Embedded, false)
	d.send("n")
	d.typeText("rows")
	d.send("tab", "tab", "ctrl+t")
	d.typeText("username")
	d.send("tab")
	d.typeText("demo")
	d.send("ctrl+n")
	d.typeText("password")
	d.send("tab")
	d.typeText(`p"w`)
	d.send("ctrl+s")
	d.requireOK()
	if v := valueOf(t, f.client, "secretlings/rows", common.StageCurrent); v != `{"username":"demo","password":"p\"w"}` {
		t.Errorf("the rows became %s", v)
	}
}

func TestBrowserFormKeepsInputOnMistakes(t *testing.T) {
	f := newFixture(t)
	d := newDriver(t, f.client, aws.Embedded, false)
	d.send("n")
	d.typeText("bad-tags")
	d.send("tab", "tab")
	d.typeText("v")
	d.send("tab")
	d.typeText("=novalue")
	d.send("enter")
	if d.b().top() != viewForm || !strings.Contains(d.b().form.err, "a tag needs a key") {
		t.Fatalf("a tag without a key was not refused in the form: mode %d, err %q", d.b().top(), d.b().form.err)
	}
	if d.b().form.get(fieldName) != "secretlings/bad-tags" {
		t.Error("the form lost what was typed")
	}
	d.send("esc")
	if d.b().top() != viewList {
		t.Error("esc does not leave the form")
	}
	if _, err := f.client.DescribeSecret(context.Background(), &secretsmanager.DescribeSecretInput{SecretId: sdkaws.String("secretlings/bad-tags")}); err == nil {
		t.Error("a refused form created a secret")
	}
}

// openSecret opens a secret's details in the driver.
func (d *driver) openSecret(name string) {
	d.t.Helper()
	d.find(name)
	d.send("enter")
	if d.b().details.det == nil {
		d.t.Fatalf("details of %s did not load: %s", name, d.status())
	}
}

func TestBrowserPutsANewValue(t *testing.T) {
	f := newFixture(t)
	f.seed(t)
	d := newDriver(t, f.client, aws.Embedded, false)
	d.openSecret("secretlings/api-key")
	before := describe(t, f.client, "secretlings/api-key")
	d.send("p")
	d.typeText("new-api-key-2b2b")
	d.send("enter")
	d.requireOK()
	after := describe(t, f.client, "secretlings/api-key")
	if valueOf(t, f.client, "secretlings/api-key", common.StageCurrent) != "new-api-key-2b2b" {
		t.Error("AWSCURRENT is not the new value")
	}
	if stageHolder(after, common.StagePrevious) != stageHolder(before, common.StageCurrent) {
		t.Error("the old AWSCURRENT did not become AWSPREVIOUS")
	}
	if n := len(d.b().details.det.versions); n != 2 {
		t.Errorf("the details were not refreshed: %d versions, want 2", n)
	}
	if d.b().top() != viewDetails {
		t.Errorf("after the change the browser is in mode %d, want details", d.b().top())
	}
}

func TestBrowserEditsDescriptionAndTags(t *testing.T) {
	f := newFixture(t)
	f.seed(t)
	d := newDriver(t, f.client, aws.Embedded, false)
	d.openSecret("secretlings/app/db")
	d.send("E")
	if got := d.b().form.get(fieldTags); got != "env=dev, team=payments" {
		t.Fatalf("the tags field starts as %q", got)
	}
	d.send(tea.KeyMsg{Type: tea.KeyCtrlU})
	d.typeText("New description")
	d.send("tab", tea.KeyMsg{Type: tea.KeyCtrlU})
	d.typeText("env=prod, tier=gold")
	d.send("enter")
	d.requireOK()
	got := describe(t, f.client, "secretlings/app/db")
	if sdkaws.ToString(got.Description) != "New description" {
		t.Errorf("description %q", sdkaws.ToString(got.Description))
	}
	want := map[string]string{"env": "prod", "tier": "gold"}
	if tags := tagMap(got.Tags); len(tags) != 2 || tags["env"] != want["env"] || tags["tier"] != want["tier"] {
		t.Errorf("tags %v, want %v", tags, want)
	}
	if !strings.Contains(d.view(), "env=prod, tier=gold") {
		t.Error("the details do not show the new tags")
	}
}

func TestBrowserMovesALabel(t *testing.T) {
	f := newFixture(t)
	f.seed(t)
	d := newDriver(t, f.client, aws.Embedded, false)
	d.openSecret("secretlings/app/db")
	d.send("j", "j", "j") // the oldest version
	oldest := token(1)
	if id, _ := d.b().details.selectedVersion(); id != oldest {
		t.Fatalf("selected version %s, want the oldest %s", id, oldest)
	}
	d.send("m", "enter", "enter")
	d.requireOK()
	got := describe(t, f.client, "secretlings/app/db")
	if stageHolder(got, common.StageCurrent) != oldest {
		t.Errorf("AWSCURRENT is on %s, want %s", stageHolder(got, common.StageCurrent), oldest)
	}
	if stageHolder(got, common.StagePrevious) != token(3) {
		t.Errorf("AWSPREVIOUS is on %s, want the former current %s", stageHolder(got, common.StagePrevious), token(3))
	}
}

func TestBrowserDeletesWithAWindowAndRestores(t *testing.T) {
	f := newFixture(t)
	f.seed(t)
	d := newDriver(t, f.client, aws.Embedded, false)
	d.find("secretlings/config")
	d.send("d", tea.KeyMsg{Type: tea.KeyCtrlU})
	d.typeText("3")
	d.send("enter")
	if d.b().top() != viewForm || !strings.Contains(d.b().form.err, "7 to 30 days") {
		t.Fatalf("a 3-day window was not refused: %q", d.b().form.err)
	}
	d.send(tea.KeyMsg{Type: tea.KeyCtrlU})
	d.typeText("7")
	d.send("enter")
	if d.b().top() != viewConfirm || !strings.Contains(d.view(), "Delete secretlings/config with a 7-day recovery window?") {
		t.Fatalf("no confirmation naming the secret:\n%s", d.view())
	}
	if describe(t, f.client, "secretlings/config").DeletedDate != nil {
		t.Fatal("deleted before the confirmation")
	}
	d.send("y")
	d.requireOK()
	got := describe(t, f.client, "secretlings/config")
	if got.DeletedDate == nil {
		t.Fatal("not scheduled for deletion")
	}
	if want := f.clock.Now().Add(7 * 24 * time.Hour); !got.DeletedDate.Equal(f.clock.Now()) && !got.DeletedDate.Equal(want) {
		t.Errorf("DeletedDate %v: want the time of the request or %v, the end of the 7-day window", got.DeletedDate, want)
	}
	for _, r := range d.b().list.rows {
		if r.name == "secretlings/config" {
			t.Fatal("the refreshed list still shows the deleted secret with deletions hidden")
		}
	}
	d.send("a")
	d.find("secretlings/config")
	if !strings.Contains(d.view(), "✗ secretlings/config") {
		t.Errorf("the deleted secret has no marker:\n%s", d.view())
	}
	d.send("R")
	d.requireOK()
	if describe(t, f.client, "secretlings/config").DeletedDate != nil {
		t.Error("R did not restore the secret")
	}
}

func TestBrowserForceDeleteFromDetails(t *testing.T) {
	f := newFixture(t)
	f.seed(t)
	d := newDriver(t, f.client, aws.Embedded, false)
	d.openSecret("secretlings/reveal")
	d.send("d", tea.KeyMsg{Type: tea.KeyCtrlU})
	d.typeText("force")
	d.send("enter")
	if !strings.Contains(d.view(), "without recovery") || !strings.Contains(d.view(), "secretlings/reveal") {
		t.Fatalf("the confirmation does not name the secret and the risk:\n%s", d.view())
	}
	d.send("n")
	if _, err := f.client.DescribeSecret(context.Background(), &secretsmanager.DescribeSecretInput{SecretId: sdkaws.String("secretlings/reveal")}); err != nil {
		t.Fatal("n did not cancel")
	}
	d.send("d", tea.KeyMsg{Type: tea.KeyCtrlU})
	d.typeText("force")
	d.send("enter", "y", "enter")
	if _, err := f.client.DescribeSecret(context.Background(), &secretsmanager.DescribeSecretInput{SecretId: sdkaws.String("secretlings/reveal")}); err != nil {
		t.Fatal("a forced delete went ahead on y: it needs the name typed")
	}
	if !d.b().Capturing() || !strings.Contains(d.b().confirm.err, "does not match") {
		t.Fatalf("the forced delete does not ask for the typed name:\n%s", d.view())
	}
	d.send(tea.KeyMsg{Type: tea.KeyCtrlU})
	d.typeText("secretlings/reveal")
	d.send("enter")
	d.requireOK()
	_, err := f.client.DescribeSecret(context.Background(), &secretsmanager.DescribeSecretInput{SecretId: sdkaws.String("secretlings/reveal")})
	var nf *types.ResourceNotFoundException
	if !errors.As(err, &nf) {
		t.Fatalf("the secret survived a forced delete: %v", err)
	}
	if d.b().top() != viewList || d.b().details.det != nil {
		t.Error("the browser stayed on a secret that is gone")
	}
}

func TestBrowserOnAWSOutsideThePrefixNeedsTheTypedName(t *testing.T) {
	f := newFixture(t)
	f.seed(t)
	d := newDriver(t, f.client, aws.AWS, false)
	d.openSecret("team/other-service")
	d.send("p")
	d.typeText("outside-new-7a7a")
	d.send("enter")
	if d.b().top() != viewConfirm || !d.b().Capturing() {
		t.Fatal("a change outside the prefix on AWS did not ask for the typed name")
	}
	d.send("q") // captured: typed, not quitting
	d.send("enter")
	if d.b().top() != viewConfirm || !strings.Contains(d.b().confirm.err, "does not match") {
		t.Fatal("a wrong name was accepted")
	}
	d.send("backspace")
	d.typeText("team/other-service")
	d.send("enter")
	d.requireOK()
	if valueOf(t, f.client, "team/other-service", common.StageCurrent) != "outside-new-7a7a" {
		t.Error("the confirmed change was not made")
	}
	// Inside the prefix no name is typed (and a put needs no confirmation).
	d.send("esc")
	d.openSecret("secretlings/api-key")
	d.send("p")
	d.typeText("inside-3c3c")
	d.send("enter")
	d.requireOK()
	if d.b().top() == viewConfirm {
		t.Error("a change inside the prefix asked for a typed name")
	}
}

func TestBrowserReadOnlyOffersNoMutatingKey(t *testing.T) {
	f := newFixture(t)
	f.seed(t)
	d := newDriver(t, f.client, aws.Embedded, true)
	k := d.keys
	mutating := []key.Binding{k.NewSecret, k.PutValue, k.EditSecret, k.MoveLabel, k.DeleteSecret, k.RestoreSecret}
	check := func(where string) {
		t.Helper()
		b := d.m.b
		offered := slices.Concat(b.ShortHelp(), slices.Concat(b.FullHelp()...))
		for _, m := range mutating {
			for _, o := range offered {
				if slices.Equal(o.Keys(), m.Keys()) {
					t.Errorf("%s: read-only help offers %q (%s)", where, m.Help().Key, m.Help().Desc)
				}
			}
		}
		d.m.fullHelp = true
		d.m.layout()
		for _, m := range mutating {
			if helpShows(d.view(), m) {
				t.Errorf("%s: the help bar shows %q", where, m.Help().Desc)
			}
		}
		d.m.fullHelp = false
		d.m.layout()
	}
	check("list")
	d.send("n", "d")
	if d.b().top() != viewList {
		t.Fatal("a mutating key opened a form in read-only mode")
	}
	before := describe(t, f.client, "secretlings/app/db")
	d.openSecret("secretlings/app/db")
	check("details")
	d.send("p", "E", "m", "d", "R")
	if d.b().top() != viewDetails {
		t.Fatal("a mutating key acted in read-only mode")
	}
	d.send("enter")
	check("value")
	if got := describe(t, f.client, "secretlings/app/db"); !got.LastChangedDate.Equal(*before.LastChangedDate) || len(got.VersionIdsToStages) != len(before.VersionIdsToStages) {
		t.Error("read-only mode changed the secret")
	}
	// The same checks against the writable browser prove they can fail.
	w := newDriver(t, f.client, aws.Embedded, false)
	if !slices.ContainsFunc(w.m.b.ShortHelp(), func(b key.Binding) bool { return slices.Equal(b.Keys(), k.NewSecret.Keys()) }) {
		t.Error("the writable browser does not offer n: the read-only check proves nothing")
	}
	w.m.fullHelp = true
	w.m.layout()
	for _, m := range mutating {
		if !helpShows(w.view(), m) {
			t.Errorf("the writable browser's full help lacks %q: the read-only check proves nothing", m.Help().Desc)
		}
	}
}

// helpShows reports whether a frame's help shows a binding: its key, then
// (after spaces, in full help's columns) its description.
func helpShows(frame string, b key.Binding) bool {
	return regexp.MustCompile(regexp.QuoteMeta(b.Help().Key) + `\s+` + regexp.QuoteMeta(b.Help().Desc)).MatchString(frame)
}

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
		{"access denied", `{"__type":"AccessDeniedException","Message":"User is not authorized to perform secretsmanager:ListSecrets"}`, "IAM policy"},
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
		for _, i := range d.b().list.visible {
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
		if len(d.b().list.visible) != 7 || d.b().Capturing() {
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

func TestFuzzyMatch(t *testing.T) {
	for _, tc := range []struct {
		q, s string
		want bool
	}{
		{"", "anything", true},
		{"abc", "abc", true},
		{"abc", "a-b-c", true},
		{"abc", "acb", false},
		{"dbpw", "secretlings/db/password", true},
		{"ü", "grün", true},
		{"üx", "grün", false},
		{"aa", "a", false},
	} {
		if got := fuzzyMatch(tc.q, tc.s); got != tc.want {
			t.Errorf("fuzzyMatch(%q, %q) = %v, want %v", tc.q, tc.s, got, tc.want)
		}
	}
}

func TestParseTags(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    string // formatted back
		wantErr string
	}{
		{"", "", ""},
		{"a=1", "a=1", ""},
		{" b = 2 , a=1,", "a=1, b=2", ""},
		{"empty=", "empty=", ""},
		{"novalue", "novalue=", ""},
		{"=x", "", "needs a key"},
		{"a=1, a=2", "", "appears twice"},
	} {
		tags, err := parseTags(tc.in)
		switch {
		case tc.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("parseTags(%q) error %v, want %q", tc.in, err, tc.wantErr)
			}
		case err != nil:
			t.Errorf("parseTags(%q): %v", tc.in, err)
		case formatTags(tags) != tc.want:
			t.Errorf("parseTags(%q) = %q, want %q", tc.in, formatTags(tags), tc.want)
		}
	}
}

func TestTopLevelFields(t *testing.T) {
	for _, tc := range []struct {
		in     string
		keys   []string
		values []string
		ok     bool
	}{
		{`{"b":"x","a":1}`, []string{"b", "a"}, []string{"x", "1"}, true},
		{`{"n":{"x":[1, 2]}}`, []string{"n"}, []string{`{"x":[1,2]}`}, true},
		{`{}`, nil, nil, true},
		{`"just a string"`, nil, nil, false},
		{`[1,2]`, nil, nil, false},
		{`{"a":1} trailing`, nil, nil, false},
		{`not json`, nil, nil, false},
	} {
		fields, ok := topLevelFields(tc.in)
		if ok != tc.ok {
			t.Errorf("topLevelFields(%q) ok = %v", tc.in, ok)
			continue
		}
		var keys, values []string
		for _, f := range fields {
			keys = append(keys, f.key)
			values = append(values, fieldText(f.raw))
		}
		if !slices.Equal(keys, tc.keys) || !slices.Equal(values, tc.values) {
			t.Errorf("topLevelFields(%q) = %v %v, want %v %v", tc.in, keys, values, tc.keys, tc.values)
		}
	}
}

// TestRowMatchesAgreesWithFuzzyMatch checks the rune-mask shortcut against
// the plain definition: a match in any one field.
func TestRowMatchesAgreesWithFuzzyMatch(t *testing.T) {
	tag := func(k, v string) types.Tag { return types.Tag{Key: sdkaws.String(k), Value: sdkaws.String(v)} }
	rows := []secretRow{
		rowFromEntry(types.SecretListEntry{Name: sdkaws.String("Grün/DB-Pass_1"), Description: sdkaws.String("Ärger & Co.")}),
		rowFromEntry(types.SecretListEntry{Name: sdkaws.String("secretlings/app"), Tags: []types.Tag{tag("Team", "Pay-Ments"), tag("env", "")}}),
		rowFromEntry(types.SecretListEntry{Name: sdkaws.String("x")}),
	}
	queries := []string{"", "grün", "ün/", "db-p", "_1", "ärger", "& co", "team", "pay-m", "yme", "env", "sapp", "x", "xx", "ab", "ü", "9", "-", " "}
	hits := 0
	for _, r := range rows {
		for _, q := range queries {
			want := q == ""
			for _, h := range r.hay {
				want = want || fuzzyMatch(q, h)
			}
			if got := r.matches(q, runeMask(q)); got != want {
				t.Errorf("row %q, query %q: matches %v, fuzzy says %v", r.name, q, got, want)
			}
			if want {
				hits++
			}
		}
	}
	if hits < 10 {
		t.Fatalf("only %d matches: the table does not exercise the shortcut", hits)
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
				b := d.m.b
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
