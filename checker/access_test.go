package checker

import (
	"strings"
	"testing"
	"time"
)

// assertNeedsEnforcement wants a grading on a backend that does not enforce
// policies to fail the enforcement check, saying which backends can grade
// the exercise, and to judge nothing else.
func assertNeedsEnforcement(t *testing.T, res *Result) {
	t.Helper()
	if res.Passed || len(res.Checks) == 0 {
		t.Fatalf("passes on a backend that does not enforce policies:%s", describe(res))
	}
	first := res.Checks[0]
	if first.Name != enforces || first.Passed || !strings.Contains(first.Reason, "secretlings serve") {
		t.Fatalf("the first check does not say the backend must enforce policies:%s", describe(res))
	}
	for _, c := range res.Checks[1:] {
		if !strings.HasPrefix(c.Reason, "not checked:") {
			t.Errorf("check %q was judged on a backend that enforces nothing:%s", c.Name, describe(res))
		}
	}
}

func TestPublicStatement(t *testing.T) {
	tests := []struct {
		doc    string
		public bool
	}{
		{`{"Statement":{"Effect":"Allow","Principal":"*","Action":"*"}}`, true},
		{`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"*"}]}`, true},
		{`{"Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::1:role/a","*"]},"Action":"*"}]}`, true},
		{`{"Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::1:role/a"},"Action":"*"}]}`, true},
		{`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}`, true},
		{`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Condition":{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::1:role/a"}}}]}`, false},
		{`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Condition":{"StringEquals":{"aws:PrincipalAccount":"1"}}}]}`, false},
		{`{"Statement":[{"Effect":"Deny","Principal":"*","Action":"*"}]}`, false},
		{`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::1:role/a"},"Action":"*"}]}`, false},
		{`not json`, false},
	}
	for _, tt := range tests {
		if _, got := publicStatement(tt.doc); got != tt.public {
			t.Errorf("publicStatement(%s) = %v, want %v", tt.doc, got, tt.public)
		}
	}
	if where, _ := publicStatement(`{"Statement":[{"Effect":"Deny","Principal":"*"},{"Sid":"Open","Effect":"Allow","Principal":"*"}]}`); where != `statement "Open"` {
		t.Errorf("names the statement %q", where)
	}
}

func TestParseAnswer(t *testing.T) {
	who, when := parseAnswer("# principal: commented\nPrincipal: \"arn:aws:iam::1:user/x\"\n  time:  2026-12-02T11:59:05Z \n")
	if who != "arn:aws:iam::1:user/x" || when != "2026-12-02T11:59:05Z" {
		t.Fatalf("parseAnswer = %q, %q", who, when)
	}
	if who, when := parseAnswer("principal:\ntime:\n"); who != "" || when != "" {
		t.Fatalf("the stub's empty lines read as %q, %q", who, when)
	}
	want := time.Date(2026, 12, 2, 11, 59, 5, 0, time.UTC)
	for _, s := range []string{"2026-12-02T11:59:05Z", "2026-12-02T11:59:05+00:00", "2026-12-02 11:59:05+00:00", "2026-12-02T12:59:05+01:00", "2026-12-02T11:59:05", "2026-12-02T11:59:05.000Z"} {
		if got, ok := parseAnswerTime(s); !ok || !got.Equal(want) {
			t.Errorf("parseAnswerTime(%q) = %v, %v", s, got, ok)
		}
	}
	if _, ok := parseAnswerTime("yesterday"); ok {
		t.Error("parseAnswerTime accepts \"yesterday\"")
	}
}

// The culprit differs between namespaces, so an answer cannot be copied.
func TestWhoCulpritVaries(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 40; i++ {
		seen[whoCulprit(NewNamespace("who-read-it")).Name] = true
	}
	if len(seen) != len(whoCandidates) {
		t.Fatalf("40 namespaces picked only %v as culprits", seen)
	}
	ns := NewNamespace("who-read-it")
	if whoCulprit(ns).Name != whoCulprit(ns).Name {
		t.Fatal("the culprit of one namespace changes between gradings")
	}
}
