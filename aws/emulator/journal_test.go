package emulator

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

func TestStateFileRestoresEverything(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.jsonl")
	clock := newTestClock()
	srv, err := New(WithStateFile(path), WithClock(clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	st := srv.store("123456789012", "us-east-1")
	if _, err := st.CreateSecret(ctx, &CreateSecretInput{Name: sp("a"), ClientRequestToken: sp(tok("v1")), SecretString: sp("one"),
		Tags: []Tag{{Key: sp("k"), Value: sp("v")}}}); err != nil {
		t.Fatal(err)
	}
	run(t, st, "a", []step{{op: "put", ver: "v2", stages: []string{"CUSTOM"}}, {op: "put", ver: "v3"}})
	st.CreateSecret(ctx, &CreateSecretInput{Name: sp("gone"), ClientRequestToken: sp(tok("g")), SecretBinary: []byte{1, 2}})
	st.DeleteSecret(ctx, &DeleteSecretInput{SecretId: sp("gone"), RecoveryWindowInDays: ptr(int64(9))})
	st.CreateSecret(ctx, &CreateSecretInput{Name: sp("purged")})
	st.DeleteSecret(ctx, &DeleteSecretInput{SecretId: sp("purged"), ForceDeleteWithoutRecovery: ptr(true)})
	srv.store("123456789012", "eu-west-1").CreateSecret(ctx, &CreateSecretInput{Name: sp("eu")})
	st.GetSecretValue(ctx, &GetSecretValueInput{SecretId: sp("a")})

	snapshot := func(s *Server) map[string]any {
		out := map[string]any{}
		for k, m := range s.stores {
			for name := range m.secrets {
				d, err := m.DescribeSecret(ctx, &SecretIdInput{SecretId: sp(name)})
				if err != nil {
					t.Fatal(err)
				}
				v, _ := m.ListSecretVersionIds(ctx, &ListSecretVersionIdsInput{SecretId: sp(name), IncludeDeprecated: ptr(true)})
				out[k.region+"/"+name] = []any{d, v}
			}
		}
		return out
	}
	before := snapshot(srv)
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	srv2, err := New(WithStateFile(path), WithClock(clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	defer srv2.Close()
	after := snapshot(srv2)
	if !reflect.DeepEqual(before, after) || len(after) != 3 {
		t.Fatalf("state differs after restart:\nbefore %v\nafter  %v", before, after)
	}
	g, err := srv2.store("123456789012", "us-east-1").GetSecretValue(ctx, &GetSecretValueInput{SecretId: sp("a"), VersionStage: sp("CUSTOM")})
	if err != nil || *g.SecretString != "value-of-v2" {
		t.Fatalf("custom label after restart: %v", err)
	}
}

func TestStateFileTornTailIsDropped(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.jsonl")
	srv, _ := New(WithStateFile(path))
	srv.store("123456789012", "us-east-1").CreateSecret(ctx, &CreateSecretInput{Name: sp("kept")})
	srv.Close()
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"a":"123456789012","r":"us-east-1","n":"torn","s":{"arn":"ar`)
	f.Close()
	srv, err := New(WithStateFile(path))
	if err != nil {
		t.Fatal(err)
	}
	st := srv.store("123456789012", "us-east-1")
	if _, err := st.CreateSecret(ctx, &CreateSecretInput{Name: sp("after")}); err != nil {
		t.Fatal(err)
	}
	srv.Close()
	srv, err = New(WithStateFile(path))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	st = srv.store("123456789012", "us-east-1")
	if len(st.secrets) != 2 || st.secrets["kept"] == nil || st.secrets["after"] == nil {
		t.Fatalf("secrets after torn tail: %v", len(st.secrets))
	}
}

func TestStateFileDamageIsReported(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.jsonl")
	os.WriteFile(path, []byte("not json\n{\"a\":\"1\",\"r\":\"x\",\"n\":\"y\",\"s\":null}\n"), 0o600)
	_, err := New(WithStateFile(path))
	if err == nil || !strings.Contains(err.Error(), "damaged at byte 0") || !strings.Contains(err.Error(), "--repair") {
		t.Fatalf("err = %v", err)
	}
}

func TestStateFileCompacts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.jsonl")
	srv, _ := New(WithStateFile(path))
	c := srv.store("123456789012", "us-east-1")
	c.CreateSecret(ctx, &CreateSecretInput{Name: sp("c")})
	for i := range 1500 {
		if err := c.TagResource(ctx, &TagResourceInput{SecretId: sp("c"), Tags: []Tag{{Key: sp("n"), Value: sp(strings.Repeat("x", i%50))}}}); err != nil {
			t.Fatal(err)
		}
	}
	srv.Close()
	b, _ := os.ReadFile(path)
	if n := strings.Count(string(b), "\n"); n > 1100 {
		t.Fatalf("%d lines: not compacted", n)
	}
	srv, err := New(WithStateFile(path))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	d, _ := srv.store("123456789012", "us-east-1").DescribeSecret(ctx, &SecretIdInput{SecretId: sp("c")})
	if len(d.Tags) != 1 || *d.Tags[0].Value != strings.Repeat("x", 1499%50) {
		t.Fatalf("tags %+v", d.Tags)
	}
}

// TestStateFileThroughSDK checks a restart through the wire as a user sees it.
func TestStateFileThroughSDK(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.jsonl")
	e := newEnv(t, WithStateFile(path))
	mustCreate(t, e.client, "w", "1")
	e.client.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("w"), SecretString: aws.String("2")})
	before := stagesOf(t, e.client, "w")
	e.srv.Close()
	e2 := newEnv(t, WithStateFile(path))
	if got := stagesOf(t, e2.client, "w"); !reflect.DeepEqual(got, before) {
		t.Fatalf("stages %v, want %v", got, before)
	}
	_, err := e2.client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("w")})
	if !errors.As(err, new(*types.ResourceExistsException)) {
		t.Fatalf("name free after restart: %v", err)
	}
}
