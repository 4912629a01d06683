package browser

import (
	"slices"
	"strings"
	"testing"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

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
