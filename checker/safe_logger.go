package checker

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"secretlings/mask"
)

func gradeSafeLogger(ctx context.Context, r *run) {
	creds := map[string]string{
		"host":     "partner-" + randHex(3) + ".example.com",
		"username": "svc_" + randHex(3),
		// Quotes and angle brackets make the JSON-escaped form differ
		// from the plain one.
		"password": `Pw"` + randHex(8) + `<&>`,
		"api_key":  "sk_live_" + randHex(16),
	}
	raw, _ := json.Marshal(creds)
	name, err := r.create(ctx, "app/partner-credentials", string(raw), "")
	if err != nil {
		r.fatal = err
		return
	}
	reqID := "req-" + randHex(6)
	p := r.exec(ctx, map[string]string{"SECRET_NAME": name, "REQUEST_ID": reqID}, nil)
	r.check("runs and exits with status 0", 0, failIf(p.Code != 0, p.summary(r.known)))
	out := p.Stdout + p.Stderr

	lacks := missingFields(out, []logLine{
		{"connecting to database", []string{creds["host"], creds["username"]}},
		{"calling partner API", []string{reqID}},
		{"loaded configuration", []string{reqID}},
		{"partner API refused the call", []string{reqID}},
		{"done", []string{creds["username"]}},
	})
	r.check("keeps the messages, host, user and request_id", 3, failIf(len(lacks) > 0,
		fmt.Sprintf("%s: mask only the secret values (host %s, user %s and request_id %s are not secret)", strings.Join(lacks, "; "), creds["host"], creds["username"], reqID)))

	r.outputJudged = true
	r.protect(creds["password"], creds["api_key"])
	byClass := map[string][]mask.Leak{}
	for _, l := range r.secret.Scan([]byte(r.output.String())) {
		byClass[leakClass(l.Form)] = append(byClass[leakClass(l.Form)], l)
	}
	report := func(class string) string {
		if ls := byClass[class]; len(ls) > 0 {
			return fmt.Sprintf("%d secret value(s) leaked, first as %s", len(ls), ls[0])
		}
		return ""
	}
	r.check(checkPlainLeak, 1, report("plain"))
	r.check(checkEncodedLeak, 1, report("encoded"))
	r.check(checkJSONLeak, 1, report("json"))
}

// The safe-logger's leak checks, by the form a value leaked in.
const (
	checkPlainLeak   = "no secret value in plain text"
	checkEncodedLeak = "no secret value encoded (base64, hex, base32, compressed)"
	checkJSONLeak    = "no secret value inside JSON"
)

// leakClass sorts a leak's form into the three checks: inside JSON,
// encoded (any chain through an encoding or compression), or plain (the
// value as text: whole, in part, reversed, case-folded, interleaved or
// URL-escaped).
func leakClass(form string) string {
	switch {
	case form == mask.FormJSON:
		return "json"
	case strings.ContainsAny(form, "+") || slices.Contains([]string{mask.FormHex, mask.FormBase32, mask.FormBase32Hex, mask.FormBase64, mask.FormBase64URL, mask.FormGzip, mask.FormZlib, mask.FormDeflate}, form):
		return "encoded"
	default:
		return "plain"
	}
}

// logLine is a record the driver logs: its message and the non-secret
// values it carries.
type logLine struct {
	msg    string
	fields []string
}

// missingFields says which records are missing from out, or lack one of
// their non-secret values on their own line (so a value that survives only
// inside another record, such as the configuration JSON, does not count).
func missingFields(out string, want []logLine) []string {
	var lacks []string
	lines := strings.Split(out, "\n")
	for _, w := range want {
		i := slices.IndexFunc(lines, func(l string) bool { return strings.Contains(l, w.msg) })
		if i < 0 {
			lacks = append(lacks, fmt.Sprintf("no record %q", w.msg))
			continue
		}
		for _, f := range w.fields {
			if !strings.Contains(lines[i], f) {
				lacks = append(lacks, fmt.Sprintf("the record %q lacks %s", w.msg, f))
			}
		}
	}
	return lacks
}
