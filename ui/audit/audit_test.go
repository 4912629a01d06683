package audit

import (
	"context"
	"encoding/hex"
	"strings"
	"testing"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
)

func TestAuditListNewestFirstWithDenialsMarked(t *testing.T) {
	f := newFixture(t)
	f.seed(t)
	tm := openAudit(t, f)
	view, frames := finish(t, f, tm)
	for _, want := range []string{"9 events", "✗ 3 denied", "WHEN", "WHO", "WHAT", "RESULT",
		"intern", "partner", "AccessDenied", "ResourceNotFoundException", "GetSecretValue prod/db"} {
		if !strings.Contains(view, want) {
			t.Errorf("the list lacks %q:\n%s", want, view)
		}
	}
	lines := strings.Split(view, "\n")
	marked := 0
	for _, l := range lines {
		if strings.Contains(l, "AccessDenied") {
			if !strings.Contains(l, "✗ ") {
				t.Errorf("a denied call has no ✗: %q", l)
			}
			marked++
		}
	}
	if marked != 3 {
		t.Errorf("%d denied rows, want 3 (intern, deployer, partner):\n%s", marked, view)
	}
	// Newest first: the root's miss (09:11) above the creation (09:00).
	if miss, create := strings.Index(view, "prod/missing"), strings.Index(view, "CreateSecret"); miss < 0 || create < 0 || miss > create {
		t.Errorf("not newest first:\n%s", view)
	}
	assertFits(t, view, 100, 30)
	assertNoLeak(t, "a frame of the list", frames)
	teatest.RequireEqualOutput(t, []byte(view))
}

func TestAuditFilterAsYouType(t *testing.T) {
	f := newFixture(t)
	f.seed(t)
	tm := openAudit(t, f)
	tm.Send(press("/"))
	typeText(tm, "getsecret denied") // every word, in any field: the refused reads
	waitFor(t, tm, "3 of 9 events")
	tm.Send(press("enter"))
	view, _ := finish(t, f, tm)
	for _, who := range []string{"intern", "deployer", "partner"} {
		if !strings.Contains(view, who) {
			t.Errorf("the filtered list lacks the %s's refused read:\n%s", who, view)
		}
	}
	if strings.Contains(view, "CreateSecret") || strings.Contains(view, " OK") {
		t.Errorf("the filter kept calls that were not refused reads:\n%s", view)
	}
	teatest.RequireEqualOutput(t, []byte(view))
}

func TestAuditEventDetails(t *testing.T) {
	f := newFixture(t)
	f.seed(t)
	tm := openAudit(t, f)
	tm.Send(press("/"))
	typeText(tm, "intern")
	waitFor(t, tm, "1 of 9 events")
	tm.Send(press("enter")) // keep the filter
	tm.Send(press("enter")) // open the event
	waitFor(t, tm, `"eventName": "GetSecretValue"`)
	view, frames := finish(t, f, tm)
	for _, want := range []string{"AKIASLINTERN00000004", `"errorCode": "AccessDenied"`, "is not authorized to perform", `"secretId": "prod/db"`, "✗ AccessDenied"} {
		if !strings.Contains(view, want) {
			t.Errorf("the record lacks %q:\n%s", want, view)
		}
	}
	assertFits(t, view, 100, 30)
	assertNoLeak(t, "a frame of the record", frames)
	teatest.RequireEqualOutput(t, []byte(view))
}

// TestAuditRecordsHoldNoValue opens every event of the story, the creation
// and the new value included, and finds no value in any record or row.
func TestAuditRecordsHoldNoValue(t *testing.T) {
	f := newFixture(t)
	f.seed(t)
	m := newModel(testCommon(f), f.cloudTrail(), nil)
	m.SetSize(100, 30)
	m = m.onEvents(loadCmd(m.client, m.gen)().(eventsMsg))
	names := map[string]bool{}
	for i := range m.Visible {
		m.Cursor = i
		m, _ = m.listKey(press("enter"))
		if m.open == nil {
			t.Fatalf("enter did not open event %d", i)
		}
		names[m.open.name] = true
		assertNoLeak(t, "the record of "+m.open.name, m.open.record+m.View())
		m, _ = m.recordKey(press("esc"))
	}
	for _, want := range []string{"CreateSecret", "PutSecretValue", "GetSecretValue"} {
		if !names[want] {
			t.Errorf("no %s event was opened: the check proves nothing about it", want)
		}
	}
	// The check sees into records: a description is not secret, so the
	// trail keeps it, and one holding the value's hex is caught.
	if _, err := f.root.CreateSecret(context.Background(), &secretsmanager.CreateSecretInput{Name: sdkaws.String("control"),
		SecretString: sdkaws.String("x"), Description: sdkaws.String(hex.EncodeToString([]byte(secretValue)))}); err != nil {
		t.Fatal(err)
	}
	m = m.onEvents(loadCmd(m.client, m.gen)().(eventsMsg))
	m.Cursor = 0
	m, _ = m.listKey(press("enter")) // the newest: the control's creation
	if m.open == nil || m.open.secret != "control" || len(leaksIn(m.open.record+m.View())) == 0 {
		t.Error("a record holding the value's hex was not caught: the check above cannot fail")
	}
}

func TestAuditPagesThroughNextToken(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for i := range 120 {
		f.at(10, i%60)
		if _, err := f.root.ListSecrets(ctx, &secretsmanager.ListSecretsInput{}); err != nil {
			t.Fatal(err)
		}
	}
	msg := loadCmd(f.cloudTrail(), 1)().(eventsMsg)
	if msg.err != nil || len(msg.rows) != 120 || msg.truncated {
		t.Fatalf("%d events (truncated %v, err %v), want all 120 over three pages", len(msg.rows), msg.truncated, msg.err)
	}
	for i := 1; i < len(msg.rows); i++ {
		if msg.rows[i].when.After(msg.rows[i-1].when) {
			t.Fatalf("row %d is newer than row %d", i, i-1)
		}
	}
	defer func(n int) { maxEvents = n }(maxEvents)
	maxEvents = 60
	msg = loadCmd(f.cloudTrail(), 1)().(eventsMsg)
	if len(msg.rows) != 60 || !msg.truncated {
		t.Errorf("with a bound of 60: %d events, truncated %v", len(msg.rows), msg.truncated)
	}
}

func TestAuditEscClearsTheFilterThenGoesBack(t *testing.T) {
	f := newFixture(t)
	f.seed(t)
	m := newModel(testCommon(f), f.cloudTrail(), func() tea.Msg { return backMsg{} })
	m.SetSize(100, 30)
	m = m.onEvents(loadCmd(m.client, m.gen)().(eventsMsg))
	m, _ = m.listKey(press("/"))
	for _, r := range "partner" {
		m, _ = m.filterKey(press(string(r)))
	}
	m, _ = m.filterKey(press("enter"))
	if len(m.Visible) != 1 {
		t.Fatalf("%d events match partner, want 1", len(m.Visible))
	}
	m, cmd := m.listKey(press("esc"))
	if cmd != nil || m.query != "" || len(m.Visible) != 9 {
		t.Fatalf("esc with a filter did not clear it first: query %q, %d shown", m.query, len(m.Visible))
	}
	if _, cmd = m.listKey(press("esc")); cmd == nil {
		t.Fatal("esc on the list did not go back")
	} else if _, ok := cmd().(backMsg); !ok {
		t.Fatal("esc on the list did not run the back command")
	}
}

func TestAuditRefreshShowsNewCalls(t *testing.T) {
	f := newFixture(t)
	f.seed(t)
	tm := openAudit(t, f)
	f.at(9, 30)
	if _, err := f.member(t, "auditor").ListSecrets(context.Background(), &secretsmanager.ListSecretsInput{MaxResults: sdkaws.Int32(5)}); err != nil {
		t.Fatal(err)
	}
	tm.Send(press("r"))
	waitFor(t, tm, "ListSecrets")
	view, _ := finish(t, f, tm)
	if !strings.Contains(view, "2026-11-25 09:30:00") || !strings.Contains(view, "LookupEvents") {
		t.Errorf("after r the list lacks the new call, or the view's own read of the trail:\n%s", view)
	}
}

func TestAuditFitsANarrowTerminal(t *testing.T) {
	f := newFixture(t)
	f.seed(t)
	for _, w := range []int{40, 60, 79, 120} {
		m := newModel(testCommon(f), f.cloudTrail(), nil)
		m.SetSize(w, 14)
		m = m.onEvents(loadCmd(m.client, m.gen)().(eventsMsg))
		assertFits(t, m.View(), w, 14)
		m, _ = m.listKey(press("enter"))
		assertFits(t, m.View(), w, 14)
	}
}
