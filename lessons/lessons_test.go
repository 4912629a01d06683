package lessons

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

func TestShippedLessonsParse(t *testing.T) {
	all, err := All()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 7 {
		t.Fatalf("got %d lessons, want the 7 of the design and issues 13 and 14", len(all))
	}
	for i, l := range all {
		if l.Number != i+1 {
			t.Errorf("%s: number %d, want %d", l.Dir, l.Number, i+1)
		}
		if l.Title == "" || l.Summary == "" || len(l.Steps) == 0 {
			t.Errorf("%s: missing title, summary or steps", l.Dir)
		}
	}
	first := all[0]
	if n := len(first.Steps); n < 6 || n > 12 {
		t.Errorf("lesson 1 has %d steps, want 6 to 12", n)
	}
	var ops []string
	for _, s := range first.Steps {
		for _, b := range s.Blocks {
			if b.Action != nil {
				ops = append(ops, b.Action.Operation)
			}
		}
	}
	for _, want := range []string{"CreateSecret", "GetSecretValue", "DescribeSecret", "ListSecrets", "DeleteSecret", "RestoreSecret"} {
		if !strings.Contains(strings.Join(ops, " "), want) {
			t.Errorf("lesson 1 never runs %s (runs %v)", want, ops)
		}
	}
}

func TestActionFillsSDKInput(t *testing.T) {
	l, err := Parse("x.md", []byte("---\nid: x\ntitle: X\nsummary: S\n---\n## Step\n\n```action\nDeleteSecret\nSecretId: a/b\nRecoveryWindowInDays: 7\n```\n"))
	if err != nil {
		t.Fatal(err)
	}
	in, ok := l.Steps[0].Blocks[0].Action.Input.(*secretsmanager.DeleteSecretInput)
	if !ok {
		t.Fatalf("Input is %T, want *secretsmanager.DeleteSecretInput", l.Steps[0].Blocks[0].Action.Input)
	}
	if *in.SecretId != "a/b" || *in.RecoveryWindowInDays != 7 {
		t.Fatalf("input = %+v", in)
	}
}

func TestProseAndActionsKeepTheirOrder(t *testing.T) {
	src := "---\nid: x\ntitle: X\nsummary: S\n---\n\n## One\nbefore\n\n```action\nGetSecretValue\nSecretId: s\nexpect: ResourceNotFoundException\n```\nafter\n```go\nx := 1\n```\n## Two\nlast\n"
	l, err := Parse("x.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	b := l.Steps[0].Blocks
	if len(b) != 3 || b[0].Markdown != "before" || b[1].Action == nil || !strings.HasPrefix(b[2].Markdown, "after\n```go") {
		t.Fatalf("blocks = %#v", b)
	}
	if b[1].Action.Expect != "ResourceNotFoundException" || b[1].Action.Line != 11 {
		t.Fatalf("action = %+v", b[1].Action)
	}
	if l.Steps[1].Title != "Two" || l.Steps[1].Line != 19 {
		t.Fatalf("step 2 = %+v", l.Steps[1])
	}
}

func TestMalformedLessonsNameFileAndLine(t *testing.T) {
	const head = "---\nid: x\ntitle: X\nsummary: S\n---\n"
	for _, tc := range []struct {
		name, src, want string
	}{
		{"no front matter", "## Step\ntext\n", "x.md:1: missing front matter"},
		{"unclosed front matter", "---\nid: x\n", "x.md:1: front matter is not closed"},
		{"missing title", "---\nid: x\nsummary: S\n---\n## A\nb\n", `x.md:4: front matter has no "title"`},
		{"unknown key", "---\nid: x\ntitle: X\nsummary: S\nauthor: me\n---\n", `x.md:5: unknown front matter key "author"`},
		{"bad versions", "---\nid: x\ntitle: X\nsummary: S\nversions: yes\n---\n", `x.md:5: versions is shown or hidden, got "yes"`},
		{"bad id", "---\nid: Not OK\ntitle: X\nsummary: S\n---\n", "x.md:2: id \"Not OK\""},
		{"duplicate key", "---\nid: x\nid: y\n", `x.md:3: "id" appears twice`},
		{"no steps", head + "\n", "x.md:6: no steps"},
		{"text before step", head + "hello\n## A\nb\n", "x.md:6: text before the first"},
		{"h1 heading", head + "## A\n# Big\n", `x.md:7: a "# " heading`},
		{"empty step", head + "## A\n\n## B\ntext\n", `x.md:6: step "A" is empty`},
		{"unclosed fence", head + "## A\n```go\nx\n", "x.md:7: code block is not closed"},
		{"empty action", head + "## A\n```action\n\n```\n", "x.md:7: empty action block"},
		{"unknown operation", head + "## A\n```action\nGetSecretValu\nSecretId: s\n```\n", `x.md:8: unknown operation "GetSecretValu" (did you mean GetSecretValue?)`},
		{"unknown parameter", head + "## A\n```action\nGetSecretValue\nSecretId: s\nVersionStag: AWSCURRENT\n```\n", `x.md:10: GetSecretValue has no parameter "VersionStag" (did you mean VersionStage?)`},
		{"not key value", head + "## A\n```action\nGetSecretValue\njust words\n```\n", `x.md:9: action parameter must be "Member: value"`},
		{"missing required", head + "## A\n```action\nGetSecretValue\nVersionStage: AWSCURRENT\n```\n", "x.md:8: GetSecretValue needs the parameter SecretId"},
		{"bad json", head + "## A\n```action\nTagResource\nSecretId: s\nTags: [{\"Key\": \n```\n", "x.md:10: TagResource.Tags takes JSON"},
		{"wrong type", head + "## A\n```action\nDeleteSecret\nSecretId: s\nRecoveryWindowInDays: \"seven\"\n```\n", "x.md:10: DeleteSecret.RecoveryWindowInDays takes a number"},
		{"duplicate param", head + "## A\n```action\nGetSecretValue\nSecretId: s\nSecretId: t\n```\n", `x.md:10: parameter "SecretId" appears twice`},
		{"bad expect", head + "## A\n```action\nGetSecretValue\nSecretId: s\nexpect: oops\n```\n", "x.md:10: expect takes an error code"},
		{"unknown cast member", head + "## A\n```action\nGetSecretValue\nSecretId: s\nAs: ap\n```\n", `x.md:10: As names a cast member (app, deployer, auditor, intern, partner), got "ap" (did you mean app?)`},
		{"unknown feature", head + "## A\n```action\nGetSecretValue\nSecretId: s\nneeds: magic\n```\n", `x.md:10: needs takes audit-trail, enforcement, key-state, policy-validation, got "magic"`},
		{"unknown service operation", head + "## A\n```action\nkms:CreateKee\n```\n", `x.md:8: unknown operation "kms:CreateKee" (did you mean kms:CreateKey?)`},
		{"kms member checked", head + "## A\n```action\nkms:DisableKey\nKeyID: k\n```\n", `x.md:9: kms:DisableKey has no parameter "KeyID" (did you mean KeyId?)`},
		{"kms required member", head + "## A\n```action\nkms:EnableKey\n```\n", "x.md:8: kms:EnableKey needs the parameter KeyId"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("x.md", []byte(tc.src))
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("error = %v\nwant prefix %q", err, tc.want)
			}
		})
	}
}

func TestActionsOfOtherServicesAndPrincipals(t *testing.T) {
	src := "---\nid: x\ntitle: X\nsummary: S\n---\n## A\n" +
		"```action\ncloudtrail:LookupEvents\nLookupAttributes: [{\"AttributeKey\": \"Username\", \"AttributeValue\": \"app\"}]\nAs: auditor\nneeds: audit-trail\n```\n" +
		"```action\nGetSecretValue\nSecretId: s\nexpect: DecryptionFailure\n```\n"
	l, err := Parse("x.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	a, b := l.Actions()[0], l.Actions()[1]
	in, ok := a.Input.(*cloudtrail.LookupEventsInput)
	if !ok || len(in.LookupAttributes) != 1 || *in.LookupAttributes[0].AttributeValue != "app" {
		t.Fatalf("input = %#v", a.Input)
	}
	if a.Service() != CloudTrail || a.Name() != "LookupEvents" || a.As != "auditor" || len(a.Needs) != 1 || a.Needs[0] != "audit-trail" {
		t.Fatalf("action = %+v", a)
	}
	if len(a.Params) != 1 {
		t.Errorf("As and needs are not parameters of the call: %+v", a.Params)
	}
	if b.Service() != SecretsManager || b.Name() != "GetSecretValue" || b.Expect != "DecryptionFailure" {
		t.Fatalf("action = %+v", b)
	}
}

func TestLoadRejectsDuplicateIDsAndBadFolders(t *testing.T) {
	lesson := &fstest.MapFile{Data: []byte("---\nid: same\ntitle: T\nsummary: S\n---\n## A\nb\n")}
	_, err := Load(fstest.MapFS{"01-a/lesson.md": lesson, "02-b/lesson.md": lesson})
	if err == nil || !strings.Contains(err.Error(), "lessons/02-b/lesson.md:2: id \"same\" is already used by lessons/01-a/lesson.md") {
		t.Fatalf("duplicate ids: %v", err)
	}
	_, err = Load(fstest.MapFS{"intro/lesson.md": lesson})
	if err == nil || !strings.Contains(err.Error(), "must start with a lesson number") {
		t.Fatalf("bad folder: %v", err)
	}
}
