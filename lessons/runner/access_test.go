package runner

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"secretlings/aws"
	"secretlings/aws/emulator"
	"secretlings/internal/motoserver"
	"secretlings/lessons"
)

func lessonNamed(t *testing.T, id string) *lessons.Lesson {
	t.Helper()
	all, err := lessons.All()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range all {
		if l.ID == id {
			return l
		}
	}
	t.Fatalf("no lesson %s", id)
	return nil
}

// TestAsSignsAsTheMember asks STS who the caller is, as the session and as
// three cast members: each answer must name the member whose keys signed.
func TestAsSignsAsTheMember(t *testing.T) {
	isolate(t)
	conn := connect(t, aws.Target{Backend: aws.Embedded})
	src := "---\nid: as-test\ntitle: T\nsummary: S\n---\n## A\n" +
		"```action\nsts:GetCallerIdentity\n```\n" +
		"```action\nsts:GetCallerIdentity\nAs: app\n```\n" +
		"```action\nsts:GetCallerIdentity\nAs: intern\n```\n" +
		"```action\nsts:GetCallerIdentity\nAs: partner\n```\n"
	l, err := lessons.Parse("x.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	r := New(conn)
	for i, want := range []struct{ as, arn string }{
		{"", `"Arn": "arn:aws:iam::123456789012:root"`},
		{"role/app", `"Arn": "arn:aws:sts::123456789012:assumed-role/app/secretlings"`},
		{"user/intern", `"Arn": "arn:aws:iam::123456789012:user/intern"`},
		{"role/partner", `"Arn": "arn:aws:sts::111122223333:assumed-role/partner/secretlings"`},
	} {
		res := r.Run(context.Background(), l, i, nil)
		if !res.OK() || res.Skipped != "" {
			t.Fatalf("action %d: %s %s", i+1, res.Explanation, res.Skipped)
		}
		if res.As != want.as || !strings.Contains(res.Response, want.arn) {
			t.Errorf("action %d ran as %q and answered\n%s\nwant %q and %s", i+1, res.As, res.Response, want.as, want.arn)
		}
	}
}

// TestAccessLessonOnMotoSaysWhatCannotRun runs lesson 6 on moto_server:
// every step that runs as a cast member or needs enforcement, key states or
// a trail says it cannot run there, and every other step really runs.
func TestAccessLessonOnMotoSaysWhatCannotRun(t *testing.T) {
	isolate(t)
	moto := motoserver.ForTest(t)
	conn := connect(t, aws.Target{Backend: aws.Endpoint, Endpoint: moto.URL})
	l := lessonNamed(t, "access-and-audit")
	r := New(conn)
	ctx := context.Background()
	if err := r.Reset(ctx, l.ID); err != nil {
		t.Fatal(err)
	}
	ran, skipped := 0, 0
	for i, a := range l.Actions() {
		res := r.Run(ctx, l, i, nil)
		switch {
		case a.As != "":
			if !strings.Contains(res.Skipped, "exist only in the tutorial's own emulator") || !strings.Contains(res.Skipped, "never apply them") {
				t.Errorf("action %d (%s as %s) should say the cast exists only in the emulator, said %q (%s)", i+1, a.Operation, a.As, res.Skipped, res.Explanation)
			}
			if res.CLI == "" || !strings.Contains(res.CLI, "--profile "+Profile(a.As)) {
				t.Errorf("action %d: a skipped step should still show how it is done:\n%s", i+1, res.CLI)
			}
			skipped++
		case len(a.Needs) > 0:
			if !strings.Contains(res.Skipped, "needs a backend that") {
				t.Errorf("action %d (%s) should say what moto lacks, said %q (%s)", i+1, a.Operation, res.Skipped, res.Explanation)
			}
			skipped++
		default:
			if res.Skipped != "" || !res.OK() {
				t.Errorf("action %d (%s) should run on moto: skipped %q, %s", i+1, a.Operation, res.Skipped, res.Explanation)
			}
			ran++
		}
	}
	if ran < 10 || skipped < 10 {
		t.Fatalf("%d actions ran and %d were skipped: the lesson should do both on moto", ran, skipped)
	}
	if err := r.Reset(ctx, l.ID); err != nil {
		t.Fatal(err)
	}
}

// TestAccessLessonRunsWhollyOnServe runs lesson 6 against the emulator
// served on an endpoint, as secretlings serve does: the runner finds that it
// knows the cast, so nothing is skipped.
// TestAnEndpointThatDoesNotEnforceIsNotTakenForTheCast: serve
// --enforce-iam=false knows the cast's keys but refuses nobody, so the
// lesson's refusals could not happen there; its As steps are not sent.
func TestAnEndpointThatDoesNotEnforceIsNotTakenForTheCast(t *testing.T) {
	isolate(t)
	for _, enforce := range []bool{true, false} {
		srv, err := emulator.New(emulator.WithIAMEnforcement(enforce))
		if err != nil {
			t.Fatal(err)
		}
		hs := httptest.NewServer(srv)
		t.Cleanup(func() { hs.Close(); srv.Close() })
		r := New(connect(t, aws.Target{Backend: aws.Endpoint, Endpoint: hs.URL}))
		if got := r.knowsCast(context.Background()); got != enforce {
			t.Errorf("enforcement %v: knowsCast = %v", enforce, got)
		}
	}
}

func TestAccessLessonRunsWhollyOnServe(t *testing.T) {
	isolate(t)
	srv, err := emulator.New(emulator.WithSyncRotation())
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { hs.Close(); srv.Close() })
	conn := connect(t, aws.Target{Backend: aws.Endpoint, Endpoint: hs.URL})
	l := lessonNamed(t, "access-and-audit")
	r := New(conn)
	for i, a := range l.Actions() {
		if res := r.Run(context.Background(), l, i, nil); !res.OK() || res.Skipped != "" {
			t.Fatalf("action %d (%s as %q): skipped %q, %s", i+1, a.Operation, a.As, res.Skipped, res.Explanation)
		}
	}
}

// TestOnAWSTheCastIsNotSent checks the steps AWS cannot run as written: a
// cast member's call, and a policy naming the tutorial's principals.
func TestOnAWSTheCastIsNotSent(t *testing.T) {
	r := &Runner{target: aws.Target{Backend: aws.AWS}}
	l := lessonNamed(t, "access-and-audit")
	for _, a := range l.Actions() {
		why := r.skipReason(context.Background(), a)
		namesCast := false
		for _, p := range a.Params {
			namesCast = namesCast || strings.Contains(p.Value, "arn:aws:iam::123456789012:") || strings.Contains(p.Value, "arn:aws:iam::111122223333:")
		}
		switch {
		case a.As != "" && !strings.Contains(why, "On AWS, try the same with roles of your own"):
			t.Errorf("line %d (%s as %s): %q", a.Line, a.Operation, a.As, why)
		case a.As == "" && namesCast && !strings.Contains(why, "names the tutorial's cast"):
			t.Errorf("line %d (%s) names the cast but would be sent to AWS: %q", a.Line, a.Operation, why)
		case a.As == "" && !namesCast && why != "":
			t.Errorf("line %d (%s) can run on AWS but is skipped: %q", a.Line, a.Operation, why)
		}
	}
}

// TestAccessLessonOnAWSRunsWhatItCan runs lesson 6 as on AWS (the
// emulator stands in; the runner goes by the backend's name): every step
// either runs as the root or says why it was not sent, and the steps about
// the secret and key AWS could not have made are skipped, not failed.
func TestAccessLessonOnAWSRunsWhatItCan(t *testing.T) {
	isolate(t)
	conn := connect(t, aws.Target{Backend: aws.Embedded})
	l := lessonNamed(t, "access-and-audit")
	r := New(conn)
	r.target.Backend = aws.AWS
	var ran []string
	for i, a := range l.Actions() {
		res := r.Run(context.Background(), l, i, nil)
		if !res.OK() {
			t.Fatalf("action %d (%s, line %d) failed instead of being skipped: %s", i+1, a.Operation, a.Line, res.Explanation)
		}
		if res.Skipped == "" {
			ran = append(ran, a.Operation)
		}
	}
	want := "sts:GetCallerIdentity CreateSecret TagResource PutResourcePolicy ValidateResourcePolicy cloudtrail:LookupEvents DeleteSecret"
	if got := strings.Join(ran, " "); got != want {
		t.Fatalf("on AWS these ran:\n%s\nwant\n%s", got, want)
	}
}

// TestResetRetiresTheLessonsKeys runs lesson 6 up to its first use of the
// key, resets it, and expects the key gone from the placeholder's reach.
func TestResetRetiresTheLessonsKeys(t *testing.T) {
	isolate(t)
	conn := connect(t, aws.Target{Backend: aws.Embedded})
	l := lessonNamed(t, "access-and-audit")
	r := New(conn)
	ctx := context.Background()
	created := -1
	for i, a := range l.Actions() {
		if a.Operation == "kms:CreateKey" {
			created = i
			break
		}
	}
	if res := r.Run(ctx, l, created, nil); !res.OK() {
		t.Fatal(res.Explanation)
	}
	if _, err := r.keyID(ctx, l.ID, "partner-share"); err != nil {
		t.Fatalf("after CreateKey: %v", err)
	}
	if err := r.Reset(ctx, l.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := r.keyID(ctx, l.ID, "partner-share"); !errors.Is(err, errNoKey) {
		t.Fatalf("after reset the key is still found: %v", err)
	}
}

// TestEveryOtherServiceOperationHasACaller keeps the runner's typed table
// and the operations the lessons may name in step.
func TestEveryOtherServiceOperationHasACaller(t *testing.T) {
	named := map[string]bool{}
	for _, op := range lessons.Operations() {
		if strings.Contains(op, ":") {
			named[op] = true
			if _, ok := callers[op]; !ok {
				t.Errorf("lessons may name %s, which the runner cannot call", op)
			}
		}
	}
	for op := range callers {
		if !named[op] {
			t.Errorf("the runner calls %s, which no lesson may name", op)
		}
	}
}
