package checker

import (
	"context"
	"encoding/json"
	"fmt"
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

	var lacks []string
	for _, want := range []string{"connecting to database", "calling partner API", "loaded configuration", "partner API refused the call", creds["host"], creds["username"], reqID} {
		if !strings.Contains(out, want) {
			lacks = append(lacks, want)
		}
	}
	r.check("keeps the messages, host, user and request_id", 3, failIf(len(lacks) > 0,
		fmt.Sprintf("%d of the non-secret fields are missing from the output (the messages, host %s, user %s, request_id %s): mask only the secret values", len(lacks), creds["host"], creds["username"], reqID)))

	leak := newRedactor(creds["password"], creds["api_key"])
	byEnc := map[string][]mask.Finding{}
	for _, f := range leak.Find(out) {
		byEnc[f.Encoding] = append(byEnc[f.Encoding], f)
	}
	report := func(encs ...string) string {
		for _, e := range encs {
			if fs := byEnc[e]; len(fs) > 0 {
				return fmt.Sprintf("%d secret value(s) leaked as %s, first at %s", len(fs), e, fs[0])
			}
		}
		return ""
	}
	r.check("no secret value in plain text", 1, report(mask.EncodingRaw, mask.EncodingURL))
	r.check("no secret value in base64", 1, report(mask.EncodingBase64, mask.EncodingBase64URL))
	r.check("no secret value inside JSON", 1, report(mask.EncodingJSON))
	why := ""
	if fs := mask.Detect(out); len(fs) > 0 {
		why = fmt.Sprintf("the output has %d secret-looking string(s), first a %s", len(fs), fs[0])
	}
	r.check("nothing in the output looks like a secret", 2, why)
}
