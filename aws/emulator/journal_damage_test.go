package emulator

import (
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// crcLine is a record line with a correct checksum over body.
func crcLine(body string) string {
	return fmt.Sprintf("%08x %s\n", crc32.Checksum([]byte(body), castagnoli), body)
}

const goodVersions = `"versions":[{"id":"v1","s":"x","c":"2026-11-25T10:30:15Z","l":["AWSCURRENT"]}]`

func rec(name, secretJSON string) string {
	return crcLine(`{"a":"123456789012","r":"us-east-1","n":"` + name + `","s":` + secretJSON + `}`)
}

// goodState writes a state file of three secrets through the store and
// returns its bytes.
func goodState(t *testing.T, path string) []byte {
	srv := openState(t, path)
	st := srv.store(DefaultAccountID, DefaultRegion)
	for i, n := range []string{"alpha", "beta", "gamma"} {
		v := fmt.Sprintf("hunter2-VALUE-%d", i)
		if _, err := st.CreateSecret(ctx, &CreateSecretInput{Name: sp(n), ClientRequestToken: sp(tok(v)), SecretString: &v}); err != nil {
			t.Fatal(err)
		}
	}
	srv.Close()
	b, err := os.ReadFile(path)
	if err != nil || bytes.Count(b, []byte("\n")) != 3 {
		t.Fatalf("good state: %d lines, %v", bytes.Count(b, []byte("\n")), err)
	}
	return b
}

func lineStart(b []byte, n int) int { // byte offset of line n (0-based)
	off := 0
	for range n {
		off += bytes.IndexByte(b[off:], '\n') + 1
	}
	return off
}

// TestStateCorruptionMatrix damages a good file in 24 ways. Each case is
// either a torn final write (cut off, everything before it kept) or a
// refusal naming the file and byte offset that leaves the file untouched;
// every refusal is then repaired, which must first keep a byte-exact copy.
func TestStateCorruptionMatrix(t *testing.T) {
	flip := func(line, at int) func([]byte) []byte {
		return func(b []byte) []byte {
			b = bytes.Clone(b)
			b[lineStart(b, line)+at] ^= 0x01
			return b
		}
	}
	appendS := func(s string) func([]byte) []byte {
		return func(b []byte) []byte { return append(bytes.Clone(b), s...) }
	}
	insertAt := func(line int, s string) func([]byte) []byte {
		return func(b []byte) []byte {
			o := lineStart(b, line)
			return append(append(bytes.Clone(b[:o]), s...), b[o:]...)
		}
	}
	cases := []struct {
		name   string
		damage func([]byte) []byte
		torn   bool // accepted: a torn final write
	}{
		{"bit flipped in a value (line 2)", func(b []byte) []byte {
			b = bytes.Clone(b)
			i := bytes.Index(b, []byte("hunter2-VALUE-1"))
			b[i+3] ^= 0x20
			return b
		}, false},
		{"bit flipped in a checksum", flip(1, 2), false},
		{"bit flipped in the first line's JSON", flip(0, 20), false},
		{"bit flipped in the last line", flip(2, 40), false},
		{"garbage line appended", appendS("garbage\n"), false},
		{"garbage appended without newline", appendS("garbage"), true},
		{"final line cut short", func(b []byte) []byte { return bytes.Clone(b[:len(b)-30]) }, true},
		{"newline between lines removed", func(b []byte) []byte {
			b = bytes.Clone(b)
			o := lineStart(b, 1) - 1
			return append(b[:o], b[o+1:]...)
		}, false},
		{"empty line inserted", insertAt(1, "\n"), false},
		{"zeroed block in the middle", func(b []byte) []byte {
			b = bytes.Clone(b)
			o := lineStart(b, 1) + 10
			copy(b[o:o+16], make([]byte, 16))
			return b
		}, false},
		{"short line", insertAt(2, "abc\n"), false},
		{"checksum not hexadecimal", insertAt(1, "zzzzzzzz {}\n"), false},
		{"CRLF line ending", func(b []byte) []byte {
			b = bytes.Clone(b)
			o := lineStart(b, 1) - 1
			return append(append(b[:o:o], '\r'), b[o:]...)
		}, false},
		{"valid checksum, invalid JSON", insertAt(1, crcLine(`{"a":"1","r":`)), false},
		{"valid checksum, wrong type", insertAt(1, crcLine(`{"a":"123456789012","r":"us-east-1","n":"x","s":5}`)), false},
		{"nil version", appendS(rec("delta", `{"arn":"a","name":"delta","versions":[null]}`)), false},
		{"record key differs from the secret's name", appendS(rec("delta", `{"arn":"a","name":"alpha",`+goodVersions+`}`)), false},
		{"label on two versions", appendS(rec("delta", `{"arn":"a","name":"delta","versions":[{"id":"v1","s":"x","l":["AWSCURRENT"]},{"id":"v2","s":"y","l":["AWSCURRENT"]}]}`)), false},
		{"versions without AWSCURRENT", appendS(rec("delta", `{"arn":"a","name":"delta","versions":[{"id":"v1","s":"x","l":["AWSPREVIOUS"]}]}`)), false},
		{"repeated version id", appendS(rec("delta", `{"arn":"a","name":"delta","versions":[{"id":"v1","s":"x","l":["AWSCURRENT"]},{"id":"v1","s":"y"}]}`)), false},
		{"record without account", appendS(crcLine(`{"a":"","r":"us-east-1","n":"delta","s":{"name":"delta"}}`)), false},
		{"access record for a missing secret", appendS(crcLine(`{"a":"123456789012","r":"us-east-1","n":"nope","s":null,"t":{"v":"v1","d":1}}`)), false},
		{"line without checksum after checksummed ones", appendS(`{"a":"123456789012","r":"us-east-1","n":"x","s":null}` + "\n"), false},
		{"binary garbage replaces the file", func([]byte) []byte { return []byte{0xff, 0xfe, 0, 1, 2, '\n', 3} }, false},
	}
	if len(cases) < 20 {
		t.Fatalf("only %d cases", len(cases))
	}
	refused, torn := 0, 0
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "state.jsonl")
			bad := c.damage(goodState(t, path))
			os.WriteFile(path, bad, 0o600)
			srv, err := New(WithStateFile(path))
			if c.torn {
				if err != nil {
					t.Fatalf("a torn final write is refused: %v", err)
				}
				defer srv.Close()
				if n := len(srv.store(DefaultAccountID, DefaultRegion).secrets); n < 2 {
					t.Fatalf("%d secrets kept", n)
				}
				torn++
				return
			}
			var de *StateDamageError
			if !errors.As(err, &de) {
				if err == nil {
					srv.Close()
				}
				t.Fatalf("damage not refused: %v", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, path) || !strings.Contains(msg, fmt.Sprintf("at byte %d", de.Offset)) ||
				!strings.Contains(msg, "--repair") || strings.Contains(msg, "hunter2") {
				t.Fatalf("refusal does not say file, offset and what to do (or leaks a value): %s", msg)
			}
			if now, _ := os.ReadFile(path); !bytes.Equal(now, bad) {
				t.Fatal("a refused start changed the file")
			}
			srv, err = New(WithStateFile(path), WithStateRepair())
			if err != nil {
				t.Fatalf("repair: %v", err)
			}
			srv.Close()
			copies, _ := filepath.Glob(path + ".corrupt-*")
			if len(copies) != 1 {
				t.Fatalf("repair kept %d copies", len(copies))
			}
			if kept, _ := os.ReadFile(copies[0]); !bytes.Equal(kept, bad) {
				t.Fatal("the kept copy differs from the damaged file")
			}
			if now, _ := os.ReadFile(path); !bytes.Equal(now, bad[:de.Offset]) {
				t.Fatalf("repair kept %d bytes, want the %d-byte good prefix", len(now), de.Offset)
			}
			refused++
		})
	}
	t.Logf("corruption matrix: %d cases, %d refused then repaired with a copy, %d torn tails cut", len(cases), refused, torn)
}
