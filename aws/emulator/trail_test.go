package emulator

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

func TestTrailAndKeysSurviveRestart(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.jsonl")
	e := newEnv(t, WithStateFile(state))
	ctx := context.Background()
	keyID := secretWithKey(t, e, "prod/db")
	if _, err := newKMSClient(e.url, "test").DisableKey(ctx, &kms.DisableKeyInput{KeyId: &keyID}); err != nil {
		t.Fatal(err)
	}
	e.client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("prod/db")})
	before := e.srv.AuditEvents(DefaultAccountID)
	e.srv.Close()

	again := newEnv(t, WithStateFile(state))
	after := again.srv.AuditEvents(DefaultAccountID)
	if len(after) != len(before) || after[0].EventID != before[0].EventID || after[0].ErrorCode != "DecryptionFailure" {
		t.Fatalf("trail after restart: %d events (want %d), newest %+v", len(after), len(before), after[0])
	}
	// The key is still there, still disabled.
	_, err := again.client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("prod/db")})
	if errCode(err) != "DecryptionFailure" {
		t.Fatalf("after restart the disabled key must still refuse reads: %v", err)
	}
}

func TestTrailDamageIsReportedNotRepaired(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.jsonl")
	e := newEnv(t, WithStateFile(state))
	for i := 0; i < 3; i++ {
		e.client.ListSecrets(context.Background(), &secretsmanager.ListSecretsInput{})
	}
	e.srv.Close()
	trail := state + ".trail"
	b, _ := os.ReadFile(trail)
	second := bytes.IndexByte(b, '\n') + 1
	damaged := bytes.Clone(b)
	damaged[second+20] ^= 0x01 // one changed byte in the second event
	os.WriteFile(trail, damaged, 0o600)

	_, err := New(WithStateFile(state))
	var de *StateDamageError
	if !errors.As(err, &de) || de.Path != trail || de.Line != 2 || de.Records != 1 || !strings.Contains(de.Problem, "checksum") {
		t.Fatalf("want the damage reported at line 2 of %s, got %v", trail, err)
	}
	if now, _ := os.ReadFile(trail); !bytes.Equal(now, damaged) {
		t.Fatal("the damaged trail file was changed without repair")
	}
	srv, err := New(WithStateFile(state), WithStateRepair())
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if n := len(srv.AuditEvents(DefaultAccountID)); n != 1 {
		t.Fatalf("repair kept %d events, want the 1 before the damage", n)
	}
	copies, _ := filepath.Glob(trail + ".corrupt-*")
	if len(copies) != 1 {
		t.Fatalf("repair must keep a copy of the damaged file: %v", copies)
	}
}

func TestTrailTornTailIsCutOff(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.jsonl")
	e := newEnv(t, WithStateFile(state))
	e.client.ListSecrets(context.Background(), &secretsmanager.ListSecretsInput{})
	e.srv.Close()
	f, _ := os.OpenFile(state+".trail", os.O_APPEND|os.O_WRONLY, 0o600)
	f.WriteString(`0badc0de {"eventVersion":"1.08","ev`)
	f.Close()
	srv, err := New(WithStateFile(state))
	if err != nil {
		t.Fatalf("a torn final line must not stop the server: %v", err)
	}
	defer srv.Close()
	if n := len(srv.AuditEvents(DefaultAccountID)); n != 1 {
		t.Fatalf("%d events, want 1", n)
	}
	if b, _ := os.ReadFile(state + ".trail"); bytes.Contains(b, []byte("0badc0de")) {
		t.Fatal("the torn line was not cut off")
	}
}

func TestTrailFileCompactsToWhatTheRingsHold(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.jsonl")
	e := newEnv(t, WithStateFile(state), WithAuditCapacity(10))
	for i := 0; i < 1100; i++ {
		e.client.ListSecrets(context.Background(), &secretsmanager.ListSecretsInput{})
	}
	b, _ := os.ReadFile(state + ".trail")
	if lines := bytes.Count(b, []byte("\n")); lines > 1044 || lines < 10 {
		t.Fatalf("trail file has %d lines after 1,100 events with 10 kept: not compacted", lines)
	}
	newest := e.srv.AuditEvents(DefaultAccountID)
	e.srv.Close()
	srv, err := New(WithStateFile(state), WithAuditCapacity(10))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	got := srv.AuditEvents(DefaultAccountID)
	if len(got) != 10 || got[0].EventID != newest[0].EventID || got[9].EventID != newest[9].EventID {
		t.Fatalf("after compaction and restart: %d events, newest %s (want %s)", len(got), got[0].EventID, newest[0].EventID)
	}
}

func TestKMSFileDamageIsReported(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.jsonl")
	e := newEnv(t, WithStateFile(state))
	secretWithKey(t, e, "k")
	e.srv.Close()
	b, _ := os.ReadFile(state + ".kms")
	b[len(b)/2] ^= 0x01
	os.WriteFile(state+".kms", b, 0o600)
	_, err := New(WithStateFile(state))
	var de *StateDamageError
	if !errors.As(err, &de) || de.Path != state+".kms" {
		t.Fatalf("want the KMS file damage reported, got %v", err)
	}
}

// TestTrailConcurrentUse runs reads, key changes and lookups at once (run
// with -race); every request must be in the trail exactly once.
func TestTrailConcurrentUse(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	keyID := secretWithKey(t, e, "prod/db")
	k := newKMSClient(e.url, "test")
	ct := newTrailClient(e.url, "test")
	before := len(e.srv.AuditEvents(DefaultAccountID))
	const workers, each = 4, 25
	done := make(chan struct{})
	for w := 0; w < workers; w++ {
		go func(w int) {
			defer func() { done <- struct{}{} }()
			for i := 0; i < each; i++ {
				switch (w + i) % 4 {
				case 0:
					k.DisableKey(ctx, &kms.DisableKeyInput{KeyId: &keyID})
				case 1:
					k.EnableKey(ctx, &kms.EnableKeyInput{KeyId: &keyID})
				case 2:
					ct.LookupEvents(ctx, nil)
				default:
					e.client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("prod/db")})
				}
			}
		}(w)
	}
	for w := 0; w < workers; w++ {
		<-done
	}
	if got := len(e.srv.AuditEvents(DefaultAccountID)) - before; got != workers*each {
		t.Fatalf("%d events for %d requests", got, workers*each)
	}
}
