package checker

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"secretlings/mask"
)

func TestUnescapeJSON(t *testing.T) {
	tests := []struct{ in, want string }{
		{`plain`, `plain`},
		{`a\"b\\c\/d`, `a"b\c/d`},
		{`\u003c\u003E\u0026`, `<>&`},
		{`\u00e9 \ud83d\ude00`, "é 😀"},
		{`\x41 \u12 \q \`, `\x41 \u12 \q \`}, // not JSON escapes: left alone
		{`\\u003c`, `\u003c`},                // one level at a time
	}
	for _, tt := range tests {
		view, from, to := unescapeJSON(tt.in)
		if view != tt.want {
			t.Errorf("unescapeJSON(%q) = %q, want %q", tt.in, view, tt.want)
		}
		if len(from) != len(view) || len(to) != len(view) {
			t.Fatalf("unescapeJSON(%q): %d bytes, maps of %d and %d", tt.in, len(view), len(from), len(to))
		}
		for i := range view {
			if from[i] >= to[i] || to[i] > len(tt.in) {
				t.Errorf("unescapeJSON(%q): byte %d from %d to %d", tt.in, i, from[i], to[i])
			}
		}
	}
}

// slTestSecrets are a password and a key as the grader makes them.
func slTestSecrets() (pw, key string, secrets []namedSecret) {
	pw, key = `Pw"0123456789abcdef<&>`, "sk_live_00112233445566778899aabbccddeeff"
	return pw, key, []namedSecret{
		{"password", pw, mask.NewLeakScanner(pw)},
		{"api_key", key, mask.NewLeakScanner(key)},
	}
}

// A secret inside JSON is found whichever encoder escaped it, and is
// reported by its line and record, masked.
func TestSafeLogFindsJSONInAnyEscaping(t *testing.T) {
	pw, key, secrets := slTestSecrets()
	goJSON, _ := json.Marshal(pw)
	dotnet := strings.NewReplacer(`"`, `\u0022`, "<", `\u003C`, ">", `\u003E`, "&", `\u0026`).Replace(pw)
	allEscaped := ""
	for _, c := range pw {
		allEscaped += fmt.Sprintf(`\u%04x`, c)
	}
	nested, _ := json.Marshal(`{"password":` + string(goJSON) + `}`)
	recs := safeLoggerRecords("h.example.com", "svc_1", "req-1")
	for _, tt := range []struct {
		name, line, class string
	}{
		{"Go's escaping", `config={"password":` + string(goJSON) + `}`, "json"},
		{"System.Text.Json's escaping", `config={"password":"` + dotnet + `"}`, "json"},
		{"every character escaped", `config={"password":"` + allEscaped + `"}`, "json"},
		{"JSON in a JSON string", `config=` + string(nested), "json"},
		{"as it is", `password=` + pw, "plain"},
		{"base64", `header=Basic ` + base64.StdEncoding.EncodeToString([]byte("svc_1:"+key)), "encoded"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l := readSafeLog(logMarker+"INFO starting request_id=req-1\n"+logMarker+"INFO loaded configuration request_id=req-1 "+tt.line+"\n", "")
			found := l.findLeaks(secrets)
			var mine []leakFound
			for _, f := range found {
				if f.class == tt.class {
					mine = append(mine, f)
				}
			}
			if len(mine) == 0 {
				t.Fatalf("no %s leak in %q; found %+v", tt.class, tt.line, found)
			}
			reason := l.leakReason(mine, found, recs, mask.NewLeakScanner(pw, key), false)
			if !strings.Contains(reason, "log line 2 (the record “loaded configuration”)") {
				t.Errorf("reason does not say where: %s", reason)
			}
			if leaks := mask.NewLeakScanner(pw, key).Scan([]byte(reason)); len(leaks) > 0 || strings.Contains(reason, allEscaped) || strings.Contains(reason, dotnet) {
				t.Errorf("the reason shows the secret (%v): %s", leaks, reason)
			}
		})
	}
}

// The lines of the log are those written through the stream; records
// elsewhere, or twice, are reported as such, in the language's words.
func TestSafeLogStreamAndOnce(t *testing.T) {
	recs := safeLoggerRecords("h.example.com", "svc_1", "req-1")
	l := readSafeLog(logMarker+"INFO starting request_id=req-1\n"+logMarker+"INFO done user=svc_1\n"+logMarker+"INFO done user=svc_1\n", "INFO connecting to database host=h.example.com user=svc_1\n")
	if got := l.strayReason(recs, true); !strings.Contains(got, "“connecting to database”") || !strings.Contains(got, "to stderr") || !strings.Contains(got, "new_logger") {
		t.Errorf("strayReason = %q", got)
	}
	if got := l.onceReason(recs, false); !strings.Contains(got, "“done” 2 times") || !strings.Contains(got, "newLogger") {
		t.Errorf("onceReason = %q", got)
	}
	// Python's report of an exception in a handler names the record's
	// message on stderr: that is no record written elsewhere.
	l = readSafeLog(logMarker+"INFO starting request_id=req-1\n", "--- Logging error ---\nTraceback (most recent call last):\nValueError: boom\nCall stack:\nMessage: 'connecting to database host=%s'\nArguments: ('h',)\n")
	if got := l.strayReason(recs, true); got != "" {
		t.Errorf("strayReason = %q", got)
	}
	if got := l.keepsReason(recs, mask.NewLeakScanner(), "h.example.com", "svc_1", "req-1", true); !strings.Contains(got, "ValueError: boom") {
		t.Errorf("keepsReason does not give logging's error: %q", got)
	}
}

// A program that stops early leaves its leak checks not checked, not
// passed.
func TestSafeLoggerCrashIsNotChecked(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a program")
	}
	b, stop, err := StartEmbedded("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	c := New(b, root(t))
	c.Source = Solution
	c.replace = map[string][]byte{"logger.go": []byte(`package main

import (
	"io"
	"log/slog"
)

func newLogger(w io.Writer, secrets ...string) *slog.Logger {
	_ = secrets[0] // main.go's first call gives none
	return slog.New(slog.NewTextHandler(w, nil))
}
`)}
	defer c.Close()
	ex, _ := Lookup("safe-logger")
	res := grade(t, c, ex, NewNamespace(ex.ID))
	for _, ch := range res.Checks {
		switch ch.Name {
		case checkPlainLeak, checkEncodedLeak, checkJSONLeak, checkSLKeeps:
			if ch.Passed || ch.Reason != "not checked: "+notRunToEnd {
				t.Errorf("%s: passed %v, %q", ch.Name, ch.Passed, ch.Reason)
			}
		case checkSLRuns:
			if ch.Passed {
				t.Errorf("%s passed", ch.Name)
			}
		}
	}
}
