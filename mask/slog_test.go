package mask

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestIsSensitiveKey(t *testing.T) {
	tests := []struct {
		key  string
		want bool
	}{
		{"password", true},
		{"DB_PASSWORD", true},
		{"apiKey", true},
		{"api-key", true},
		{"X-Auth-Token", true},
		{"Authorization", true},
		{"aws_secret_access_key", true},
		{"SecretString", true},
		{"client_secret", true},
		{"Cookie", true},
		{"auth", true},
		{"DSN", true},
		{"credentials", true},
		{"SecretId", false},
		{"secret_name", false},
		{"SecretArn", false},
		{"AccessKeyId", false},
		{"NextToken", false},
		{"ClientRequestToken", false},
		{"token_type", false},
		{"author", false},
		{"user", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := IsSensitiveKey(tt.key); got != tt.want {
			t.Errorf("IsSensitiveKey(%q) = %v, want %v", tt.key, got, tt.want)
		}
	}
}

// logJSON runs fn with a logger whose records go through NewHandler into a
// JSON handler, and returns the decoded records.
func logJSON(t *testing.T, r *Redactor, opts []HandlerOption, fn func(*slog.Logger)) (string, []map[string]any) {
	t.Helper()
	var buf bytes.Buffer
	fn(slog.New(NewHandler(slog.NewJSONHandler(&buf, nil), r, opts...)))
	var recs []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("bad JSON line %q: %v", line, err)
		}
		recs = append(recs, m)
	}
	return buf.String(), recs
}

type leakyErr struct{ v string }

func (e leakyErr) Error() string { return "connect failed with " + e.v }

type config struct {
	Host string
	DSN  string
}

func TestHandlerRedacts(t *testing.T) {
	const v = "hunter22-pw"
	r := NewRedactor()
	r.Add(v, "98765432")
	out, recs := logJSON(t, r, nil, func(log *slog.Logger) {
		log.Info("logging in with "+v,
			"user", "admin",
			"note", "pw is "+v,
			"password", "not-registered-but-sensitive",
			slog.Group("db", "host", "localhost", "token", "abc", slog.Group("deep", "x", v)),
			"err", leakyErr{v},
			"plainErr", errors.New("no secret here"),
			"pin", 98765432,
			"raw", []byte(v),
			"cfg", config{Host: "h", DSN: "postgres://u:" + v + "@h"},
			"m", map[string]any{"apikey": "k-123", "ok": "fine", "nested": map[string]string{"s": v}},
			"sec", Secret("unregistered-secret"),
		)
	})
	if strings.Contains(out, v) || strings.Contains(out, "98765432") || strings.Contains(out, "not-registered") ||
		strings.Contains(out, "k-123") || strings.Contains(out, "unregistered-secret") {
		t.Fatalf("a secret got through:\n%s", out)
	}
	rec := recs[0]
	checks := []struct {
		path string
		want any
	}{
		{"msg", "logging in with " + Masked},
		{"user", "admin"},
		{"note", "pw is " + Masked},
		{"password", Masked},
		{"db.host", "localhost"},
		{"db.token", Masked},
		{"db.deep.x", Masked},
		{"err", "connect failed with " + Masked},
		{"plainErr", "no secret here"},
		{"pin", Masked},
		{"raw", Masked},
		{"m.apikey", Masked},
		{"m.ok", "fine"},
		{"m.nested.s", Masked},
		{"sec", Masked},
	}
	for _, c := range checks {
		if got := lookup(rec, c.path); got != c.want {
			t.Errorf("%s = %v, want %v", c.path, got, c.want)
		}
	}
	if got, _ := lookup(rec, "cfg").(string); !strings.Contains(got, Masked) {
		t.Errorf("cfg = %v, want the struct's text with the value masked", lookup(rec, "cfg"))
	}
}

func lookup(m map[string]any, path string) any {
	var v any = m
	for _, k := range strings.Split(path, ".") {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = mm[k]
	}
	return v
}

// Attributes bound with With before a value is registered are still
// redacted once it is.
func TestHandlerWithBeforeAdd(t *testing.T) {
	const v = "late-secret-42"
	r := NewRedactor()
	out, recs := logJSON(t, r, nil, func(log *slog.Logger) {
		l := log.With("dsn_url", "db://u:"+v+"@h").WithGroup("req").With("id", 7)
		l.Info("before")
		r.Add(v)
		l.Info("after", "x", 1)
	})
	if got := lookup(recs[0], "dsn_url"); got != "db://u:"+v+"@h" {
		t.Errorf("before Add: dsn_url = %v", got)
	}
	if strings.Contains(strings.SplitN(out, "\n", 2)[1], v) {
		t.Errorf("value registered after With leaked:\n%s", out)
	}
	if got := lookup(recs[1], "req.id"); got != float64(7) {
		t.Errorf("req.id = %v, want 7: groups must survive the rebuild", got)
	}
	if got := lookup(recs[1], "req.x"); got != float64(1) {
		t.Errorf("req.x = %v, want 1", got)
	}
}

func TestHandlerSensitiveGroupAndOptions(t *testing.T) {
	_, recs := logJSON(t, nil, []HandlerOption{WithSensitiveKeys("PIN")}, func(log *slog.Logger) {
		log.WithGroup("credentials").Info("m", "user", "admin")
		log.Info("m", slog.Group("credentials", "user", "admin"), "userPin", 1234, "user", "bob")
	})
	if got := lookup(recs[0], "credentials.user"); got != Masked {
		t.Errorf("attribute inside WithGroup(credentials) = %v, want masked", got)
	}
	if got := lookup(recs[1], "credentials.user"); got != Masked {
		t.Errorf("attribute inside Group(credentials) = %v, want masked", got)
	}
	if got := lookup(recs[1], "userPin"); got != Masked {
		t.Errorf("userPin with WithSensitiveKeys(PIN) = %v, want masked", got)
	}
	if got := lookup(recs[1], "user"); got != "bob" {
		t.Errorf("user = %v, want bob", got)
	}
}

func TestHandlerText(t *testing.T) {
	const v = "hunter22-pw"
	r := NewRedactor()
	r.Add(v)
	var buf bytes.Buffer
	h := NewHandler(slog.NewTextHandler(&buf, nil), r)
	log := slog.New(h)
	log.With("a", v).WithGroup("g").Info(v, "b", v, "token", "zzz-unregistered")
	out := buf.String()
	if strings.Contains(out, v) || strings.Contains(out, "zzz-unregistered") {
		t.Errorf("text handler output leaks:\n%s", out)
	}
	if !strings.Contains(out, "g.token="+Masked) || !strings.Contains(out, "a="+Masked) {
		t.Errorf("unexpected text output:\n%s", out)
	}
	if !h.Enabled(context.Background(), slog.LevelInfo) || h.Enabled(context.Background(), slog.LevelDebug) {
		t.Error("Enabled must follow the wrapped handler")
	}
}

func TestHandlerConcurrent(t *testing.T) {
	r := NewRedactor()
	var buf syncBuffer
	log := slog.New(NewHandler(slog.NewTextHandler(&buf, nil), r)).With("k", "v")
	done := make(chan struct{})
	for g := 0; g < 4; g++ {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := 0; i < 50; i++ {
				v := fmt.Sprintf("secret-%d-%d", g, i)
				r.Add(v)
				log.Info("m", "x", v)
			}
		}()
	}
	for g := 0; g < 4; g++ {
		<-done
	}
	if strings.Contains(buf.String(), "secret-") {
		t.Errorf("a registered value was logged")
	}
}
