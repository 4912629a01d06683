package checker

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"secretlings/aws/emulator"
)

// learnerRoot is a checkout holding only ex's folder (its hints too),
// with files written as the learner left them.
func learnerRoot(t *testing.T, ex *Exercise, files map[string]string) string {
	t.Helper()
	r := t.TempDir()
	dir := filepath.Join(r, ex.Dir())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	hints, err := os.ReadFile(filepath.Join(root(t), ex.Dir(), "hints.md"))
	if err != nil {
		t.Fatal(err)
	}
	files["hints.md"] = string(hints)
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

// A learner who finds the read in the trail, writes the answer and puts a
// Deny on the vault passes; the grading leaves the incident in place.
func TestWhoReadItLearnerPasses(t *testing.T) {
	b, stop, err := StartEmbedded("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	ctx := context.Background()
	ex, _ := Lookup("who-read-it")
	ns := NewNamespace(ex.ID)
	setup := New(b, root(t))
	if err := setup.Prepare(ctx, ex, ns); err != nil {
		t.Fatal(err)
	}
	// What the learner reads in the trail, through the same API.
	r := setup.newRun(ex, ns)
	d, _ := r.describe(ctx, ns+whoTarget)
	inc, found, err := r.findIncident(ctx, d, whoCulprit(ns))
	if err != nil || !found {
		t.Fatalf("the staged read is not in the trail (found=%v): %v", found, err)
	}
	staged, _ := pristineFile(ex, "policy.json")
	deny := `{"Sid":"Block","Effect":"Deny","Principal":{"AWS":"` + inc.culprit.ARN + `"},"Action":"secretsmanager:*","Resource":"*"}`
	policy := strings.Replace(string(staged), "  ]\n}", "    ,"+deny+"\n  ]\n}", 1)
	if _, err := b.Client.PutResourcePolicy(ctx, &secretsmanager.PutResourcePolicyInput{SecretId: d.ARN, ResourcePolicy: awssdk.String(policy)}); err != nil {
		t.Fatal(err)
	}
	c := New(b, learnerRoot(t, ex, map[string]string{
		"answer.txt": "principal: " + inc.eventARN + "\ntime: " + inc.at.UTC().Format(time.RFC3339) + "\n",
	}))
	res := grade(t, c, ex, ns)
	if !res.Passed {
		t.Fatalf("the learner's work fails:%s", describe(res))
	}
	assertShowsNoSecret(t, res)
	if _, found := r.describe(ctx, ns+whoTarget); !found {
		t.Fatal("grading the learner's work deleted the vault")
	}
}

// When the vault is there but the trail holds no incident (a backend
// restarted without --state keeps neither; here the vault was made by
// hand), the checker says how to stage it again.
func TestWhoReadItMissingIncident(t *testing.T) {
	b, stop, err := StartEmbedded("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	ctx := context.Background()
	ex, _ := Lookup("who-read-it")
	ns := NewNamespace(ex.ID)
	if _, err := b.Client.CreateSecret(ctx, createInput(ns+whoTarget, "whsec_made-by-hand")); err != nil {
		t.Fatal(err)
	}
	c := New(b, learnerRoot(t, ex, map[string]string{}))
	res := grade(t, c, ex, ns)
	assertFailedWithHint(t, res, whoInTrail)
	for _, ch := range res.Checks {
		if ch.Name == whoInTrail && !strings.Contains(ch.Reason, "secretlings reset who-read-it") {
			t.Errorf("the message does not say how to stage the incident again: %s", ch.Reason)
		}
		if ch.Name == whoPrincipal && !strings.HasPrefix(ch.Reason, "not checked:") {
			t.Errorf("the answer is judged without an incident: %s", ch.Reason)
		}
	}
}

// TestWhoReadItRechecksLeaveTheTrailAlone: the app re-checks a state
// exercise every few seconds. After the first grading, a re-check adds at
// most three events (the vault described twice, its policy read, as the
// root: at one re-check every 3 s, the 10,000-event trail keeps the
// incident for hours), and no
// grading adds a successful read of the vault by anyone but role/app: the
// incident stays the one read to find, and stays in the bounded trail.
func TestWhoReadItRechecksLeaveTheTrailAlone(t *testing.T) {
	b, stop, err := StartEmbedded("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	ex, _ := Lookup("who-read-it")
	ns := NewNamespace(ex.ID)
	if err := New(b, root(t)).Prepare(context.Background(), ex, ns); err != nil {
		t.Fatal(err)
	}
	staged, _ := pristineFile(ex, "policy.json")
	c := New(b, learnerRoot(t, ex, map[string]string{"answer.txt": "principal:\ntime:\n", "policy.json": string(staged)}))
	defer c.Close()
	grade(t, c, ex, ns) // the first grading: everything is asked
	events := func() []emulator.AuditEvent { return b.Emulator.AuditEvents(emulator.DefaultAccountID) }
	culpritReads := func() int {
		n := 0
		for _, e := range events() {
			if e.EventName == "GetSecretValue" && e.ErrorCode == "" && e.UserIdentity.UserName != "app" &&
				strings.Contains(fmt.Sprint(e.RequestParameters["secretId"]), whoTarget) {
				n++
			}
		}
		return n
	}
	if n := culpritReads(); n != 1 {
		t.Fatalf("%d successful reads of the vault by others than app after staging, want the one incident", n)
	}
	before := len(events())
	const rechecks = 5
	for range rechecks {
		grade(t, c, ex, ns)
	}
	if added := len(events()) - before; added > 3*rechecks {
		t.Errorf("%d re-checks added %d events to the trail, want at most %d", rechecks, added, 3*rechecks)
	}
	if n := culpritReads(); n != 1 {
		t.Errorf("gradings added successful reads of the vault: %d, want the one incident", n)
	}
}
