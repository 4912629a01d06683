package parity

import (
	"sort"
	"strings"
	"testing"
)

// operations are the 23 operations of the model (§2); the suite must cover each.
var operations = []string{
	"BatchGetSecretValue", "CancelRotateSecret", "CreateSecret", "DeleteResourcePolicy", "DeleteSecret",
	"DescribeSecret", "GetRandomPassword", "GetResourcePolicy", "GetSecretValue", "ListSecretVersionIds",
	"ListSecrets", "PutResourcePolicy", "PutSecretValue", "RemoveRegionsFromReplication", "ReplicateSecretToRegions",
	"RestoreSecret", "RotateSecret", "StopReplicationToReplica", "TagResource", "UntagResource", "UpdateSecret",
	"UpdateSecretVersionStage", "ValidateResourcePolicy",
}

func TestSuiteIsWellFormed(t *testing.T) {
	all := suite()
	withMoto := 0
	refCount := map[string]int{}
	for _, sc := range all {
		if len(sc.moto) > 0 {
			withMoto++
		}
		for _, k := range sc.moto {
			refCount[k.ref]++
		}
	}
	t.Logf("%d scenarios, %d with known moto differences", len(all), withMoto)
	refs := make([]string, 0, len(refCount))
	for ref := range refCount {
		refs = append(refs, ref)
	}
	sort.Strings(refs)
	for _, ref := range refs {
		t.Logf("known moto difference ×%d: %s", refCount[ref], ref)
	}
	if len(all) < 80 {
		t.Errorf("the suite has %d scenarios; the issue asks for at least 80", len(all))
	}
	seen := map[string]bool{}
	covered := map[string]bool{}
	for _, sc := range all {
		if seen[sc.name] {
			t.Errorf("duplicate scenario name %q", sc.name)
		}
		seen[sc.name] = true
		if sc.ref == "" || len(sc.aws) == 0 || sc.steps == nil {
			t.Errorf("%s: every scenario needs a reference, steps and the AWS lines", sc.name)
		}
		if _, err := applyKnown(sc.aws, sc.moto); err != nil {
			t.Errorf("%s: %v", sc.name, err)
		}
		op, _, _ := strings.Cut(sc.name, "/")
		covered[op] = true
	}
	for _, op := range operations {
		if !covered[op] {
			t.Errorf("no scenario group for %s", op)
		}
	}
}

func TestApplyKnown(t *testing.T) {
	aws := []string{"Get: ResourceNotFoundException 400", "Describe: ok {ARN}"}
	tests := []struct {
		name    string
		ks      []known
		want    string
		wantErr bool
	}{
		{"no differences", nil, "Get: ResourceNotFoundException 400\nDescribe: ok {ARN}", false},
		{"status difference", []known{rnf404}, "Get: ResourceNotFoundException 404\nDescribe: ok {ARN}", false},
		{"across lines", []known{motoDiff("r", "400\nDescribe", "404\nDescribe")}, "Get: ResourceNotFoundException 404\nDescribe: ok {ARN}", false},
		{"text not in the AWS lines", []known{motoDiff("r", "Throttling", "x")}, "", true},
		{"no reference", []known{motoDiff("", "400", "404")}, "", true},
		{"odd pairs", []known{motoDiff("r", "400")}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := applyKnown(aws, tt.ks)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if err == nil && strings.Join(got, "\n") != tt.want {
				t.Errorf("got %q, want %q", strings.Join(got, "\n"), tt.want)
			}
		})
	}
}

func TestNormalisation(t *testing.T) {
	r := newRun(t.Context(), "test", "http://127.0.0.1:1", "x")
	name := r.n("a")
	id1, id2 := "aaaaaaaa-0000-0000-0000-000000000001", "aaaaaaaa-0000-0000-0000-000000000002"
	if got := r.labels(map[string][]string{id2: {"AWSCURRENT"}, id1: {"B", "AWSPREVIOUS"}}); got != "v1[AWSPREVIOUS,B] v2[AWSCURRENT]" {
		t.Errorf("labels = %q", got)
	}
	msg := "You can't use ClientRequestToken " + id2 + " because that value is already in use for a version of secret arn:aws:secretsmanager:us-east-1:1:secret:" + name + "-AbCdEf."
	if got := r.scrub(msg); got != "You can't use ClientRequestToken v2 because that value is already in use for a version of secret <ARN>." {
		t.Errorf("scrub = %q", got)
	}
	if got := r.scrub("The operation failed because the secret " + name + " already exists."); got != "The operation failed because the secret a already exists." {
		t.Errorf("scrub = %q", got)
	}
	if got := stages(nil) + "|" + stages([]string{}); got != "|[]" {
		t.Errorf("stages = %q", got)
	}
	type out struct {
		A *string
		B []int
		C map[string]int
		d *int
	}
	s := "x"
	if got := shape(&out{A: &s, B: []int{}}); got != "{A,B}" {
		t.Errorf("shape = %q", got)
	}
}
