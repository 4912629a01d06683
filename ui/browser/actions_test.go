package browser

import (
	"context"
	"errors"
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
		b := d.m.Screen
		offered := slices.Concat(b.ShortHelp(), slices.Concat(b.FullHelp()...))
		for _, m := range mutating {
			for _, o := range offered {
				if slices.Equal(o.Keys(), m.Keys()) {
					t.Errorf("%s: read-only help offers %q (%s)", where, m.Help().Key, m.Help().Desc)
				}
			}
		}
		d.m.SetFullHelp(true)
		for _, m := range mutating {
			if helpShows(d.view(), m) {
				t.Errorf("%s: the help bar shows %q", where, m.Help().Desc)
			}
		}
		d.m.SetFullHelp(false)
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
	if !slices.ContainsFunc(w.m.Screen.ShortHelp(), func(b key.Binding) bool { return slices.Equal(b.Keys(), k.NewSecret.Keys()) }) {
		t.Error("the writable browser does not offer n: the read-only check proves nothing")
	}
	w.m.SetFullHelp(true)
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
