package checker

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"

	"secretlings/aws"
	"secretlings/aws/emulator"
	"secretlings/aws/rotation"
	"secretlings/aws/rotation/demoservice"
	"secretlings/mask"
)

// newRedactor returns a redactor that knows values.
func newRedactor(values ...string) *mask.Redactor {
	r := mask.NewRedactor()
	r.Add(values...)
	return r
}

// leakReason reports where known values occur in text, by encoding and
// position, never quoting them; "" when they do not.
func leakReason(known *mask.Redactor, text, what string) string {
	fs := known.Find(text)
	if len(fs) == 0 {
		return ""
	}
	return fmt.Sprintf("%s appears in the output (%s): print it masked, e.g. with mask.Mask", what, fs[0])
}

// ---- 5. ttl-cache ----

const (
	cacheTTL         = 300 * time.Millisecond
	cacheSteadyFor   = time.Second
	cacheMaxSteady   = int(cacheSteadyFor/cacheTTL) + 2 // one per TTL, plus the first read and a margin
	cacheConcurrency = 16
)

func fingerprint(v string) string {
	sum := sha256.Sum256([]byte(v))
	return hex.EncodeToString(sum[:6])
}

func gradeTTLCache(ctx context.Context, r *run) {
	steadyV, freshV, coldV, freshNew := "steady-"+randHex(12), "fresh-"+randHex(12), "cold-"+randHex(12), "fresh-changed-"+randHex(12)
	r.known.Add(freshNew)
	// create seeds one secret, unless an earlier one failed.
	create := func(suffix, value string) (name string) {
		if r.fatal == nil {
			name, r.fatal = r.create(ctx, suffix, value, "")
		}
		return name
	}
	steady, fresh, cold := create("cache/steady", steadyV), create("cache/fresh", freshV), create("cache/cold", coldV)
	if r.fatal != nil {
		return
	}

	env := map[string]string{"SECRET_STEADY": steady, "SECRET_FRESH": fresh, "SECRET_COLD": cold, "CACHE_TTL": cacheTTL.String()}
	lines, p, changeErr := r.converse(ctx, env, "fresh before=", func() error { return r.put(ctx, fresh, freshNew, "") })
	if changeErr != nil {
		r.fatal = changeErr
		return
	}
	// field finds key=value in the first line starting with prefix that
	// has it.
	field := func(prefix, key string) string {
		for _, l := range lines {
			rest, ok := strings.CutPrefix(l, prefix)
			if !ok {
				continue
			}
			for _, kv := range strings.Fields(rest) {
				if k, v, ok := strings.Cut(kv, "="); ok && k == key {
					return v
				}
			}
		}
		return ""
	}
	done := slices.Contains(lines, "done")
	r.check("the driver runs to the end", 1, failIf(!done || p.Code != 0, p.summary(r.known)))

	why := ""
	if e := field("steady ", "errors"); e != "0" {
		why = fmt.Sprintf("%s of the steady reads returned an error", orNone(e))
	} else if v := field("steady ", "values"); v != fingerprint(steadyV) {
		why = "Get returned something other than the secret's value"
	}
	r.check("Get returns the secret's AWSCURRENT value", 1, why)

	reqs := r.proxy.Requests()
	reads := field("steady ", "reads")
	n := count(reqs, "GetSecretValue", steady)
	r.check("at most one GetSecretValue per TTL", 2, failIf(n > cacheMaxSteady || n == 0,
		fmt.Sprintf("%d GetSecretValue calls for %s reads in %s with a TTL of %s; expected at most %d: keep the value and reuse it until the TTL has passed", n, orNone(reads), cacheSteadyFor, cacheTTL, cacheMaxSteady)))

	after := field("fresh ", "after")
	r.check("fresh values after expiry", 2, failIf(after != fingerprint(freshNew),
		fmt.Sprintf("after the secret changed and the TTL (%s) passed, Get still did not return the new value: refetch an entry older than the TTL", cacheTTL)))

	c := count(reqs, "GetSecretValue", cold)
	why = ""
	switch {
	case field("cold ", "errors") != "0":
		why = "some concurrent reads of a key not cached yet returned an error"
	case field("cold ", "values") != fingerprint(coldV):
		why = "concurrent reads of a key not cached yet returned a wrong value"
	case c != 1:
		why = fmt.Sprintf("%d goroutines reading a key not cached yet made %d GetSecretValue calls; expected 1: let one goroutine fetch while the others wait", cacheConcurrency, c)
	}
	r.check("concurrent reads of a cold key make one call", 3, why)
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// converse runs the program, and when it prints a line starting with
// trigger, calls act and then sends a newline to its stdin. It returns the
// lines printed on stdout.
func (r *run) converse(ctx context.Context, env map[string]string, trigger string, act func() error) ([]string, proc, error) {
	ctx, cancel := context.WithTimeout(ctx, r.c.timeout())
	defer cancel()
	cmd := exec.CommandContext(ctx, r.bin)
	cmd.Env = r.env(env)
	cmd.WaitDelay = 2 * time.Second
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, proc{}, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, proc{}, err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &limitWriter{w: &stderr, n: 1 << 20}
	if err := cmd.Start(); err != nil {
		return nil, proc{Code: -1, Err: err}, nil
	}
	var lines []string
	var actErr error
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		line := sc.Text()
		lines = append(lines, line)
		r.output.WriteString(line + "\n")
		if strings.HasPrefix(line, trigger) {
			actErr = act()
			_, _ = stdin.Write([]byte("\n"))
		}
	}
	_ = stdin.Close()
	err = cmd.Wait()
	p := proc{Stdout: strings.Join(lines, "\n"), Stderr: stderr.String()}
	r.output.WriteString(p.Stderr)
	p.exited(ctx, err)
	return lines, p, actErr
}

// ---- 6. rotation-handler ----

// stepRun is one invocation of the learner's handler for one step.
type stepRun struct {
	step    string
	attempt int    // 1 or 2
	err     string // how it failed, raw: scrub it before showing it
}

// flakyService wraps the demo service so the checker can make the next
// /whoami fail, as a service that is briefly down would.
type flakyService struct {
	next    http.Handler
	failing atomic.Bool
}

func (f *flakyService) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if req.URL.Path == "/whoami" && f.failing.CompareAndSwap(true, false) {
		http.Error(w, "service unavailable", http.StatusServiceUnavailable)
		return
	}
	f.next.ServeHTTP(w, req)
}

func gradeRotationHandler(ctx context.Context, r *run) {
	emu := r.c.Backend.Emulator
	if emu == nil {
		// Only the embedded emulator can run a local program as the
		// rotation Lambda, so a private one stands in for the backend.
		priv, stop, err := StartEmbedded(r.c.Backend.Region)
		if err != nil {
			r.fatal = fmt.Errorf("starting an emulator for the rotation: %w", err)
			return
		}
		defer stop()
		emu = priv.Emulator
		// The learner's program must reach the private emulator too.
		orig, origProxy, origNames := r.client, r.proxy, r.names
		p, err := startProxy(priv.Endpoint, nil)
		if err != nil {
			r.fatal = err
			return
		}
		r.client, r.proxy, r.names = priv.Client, p, nil
		defer func() {
			r.cleanup()
			_ = p.Close()
			r.client, r.proxy, r.names = orig, origProxy, origNames
		}()
	}

	adminToken := "adm-" + randHex(16)
	svc := demoservice.New(adminToken)
	flaky := &flakyService{next: svc}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		r.fatal = err
		return
	}
	hs := &http.Server{Handler: flaky, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	defer hs.Close()
	svcURL := "http://" + ln.Addr().String()

	user := "svc-" + randHex(3)
	oldKey, _ := rotation.NewAPIKey()
	r.known.Add(oldKey, adminToken)
	if err := svc.AddKey(user, oldKey); err != nil {
		r.fatal = err
		return
	}
	name, err := r.create(ctx, "demo/api-key", rotation.APIKeySecret{Username: user, APIKey: oldKey}.JSON(), "")
	if err != nil {
		r.fatal = err
		return
	}

	arn := fmt.Sprintf("arn:aws:lambda:%s:123456789012:function:secretlings-ex-%s", r.c.Backend.Region, randHex(4))
	env := map[string]string{"DEMO_SERVICE_URL": svcURL, "DEMO_SERVICE_ADMIN_TOKEN": adminToken}
	var (
		mu   sync.Mutex
		runs []stepRun
	)
	// Each step runs twice, as Secrets Manager's retries would: a step
	// that works once but not twice is not idempotent.
	emu.RegisterRotationFunction(arn, func(ctx context.Context, ev emulator.RotationEvent) error {
		in, _ := json.Marshal(ev)
		for attempt := 1; attempt <= 2; attempt++ {
			p := r.exec(ctx, env, bytes.NewReader(in))
			sr := stepRun{step: ev.Step, attempt: attempt}
			if p.Code != 0 {
				// Scrubbed later, once every version's value is known.
				sr.err = p.summary(mask.NewRedactor())
			}
			mu.Lock()
			runs = append(runs, sr)
			mu.Unlock()
			if sr.err != "" {
				return errors.New(sr.err)
			}
		}
		return nil
	})

	// Rotation 1: everything works.
	out, err := r.client.RotateSecret(ctx, &secretsmanager.RotateSecretInput{
		SecretId: awssdk.String(name), RotationLambdaARN: awssdk.String(arn),
		RotationRules: &types.RotationRulesType{AutomaticallyAfterDays: awssdk.Int64(30)},
	})
	if err != nil {
		r.fatal = fmt.Errorf("starting the rotation: %s", explain(err))
		return
	}
	newVersion := awssdk.ToString(out.VersionId)
	d := r.describeOrFail(ctx, name)
	if r.fatal != nil {
		return
	}
	r.learnValues(ctx, d)
	mu.Lock()
	first := slices.Clone(runs)
	mu.Unlock()
	for i := range first {
		first[i].err = scrub(r.known, first[i].err)
	}
	var firstFail *stepRun
	for i := range first {
		if first[i].err != "" && first[i].attempt == 1 {
			firstFail = &first[i]
			break
		}
	}
	completed := slices.Contains(stagesOf(d, newVersion), "AWSCURRENT")
	why := ""
	if !completed {
		why = "AWSCURRENT did not move to the new version"
		if firstFail != nil {
			why = fmt.Sprintf("step %s failed: %s", firstFail.step, firstFail.err)
		}
	}
	hint := 1
	if firstFail != nil && (firstFail.step == "setSecret" || firstFail.step == "testSecret") {
		hint = 2
	} else if firstFail != nil && firstFail.step == "finishSecret" {
		hint = 3
	}
	r.check("a rotation completes: the new version is AWSCURRENT", hint, why)

	why = ""
	for _, s := range first {
		if s.attempt == 2 && s.err != "" {
			why = fmt.Sprintf("step %s worked once but failed when run again: %s", s.step, s.err)
			break
		}
	}
	if why == "" && firstFail != nil {
		why = "not checked: step " + firstFail.step + " failed on its first run"
	}
	r.check("every step can run twice (idempotent)", 3, why)

	why = ""
	var newKey string
	if !completed {
		why = "not checked: the rotation did not complete"
	} else if v, err := r.value(ctx, name, "", newVersion); err != nil {
		why = "reading the new version failed: " + explain(err)
	} else if s, err := rotation.ParseAPIKeySecret(v); err != nil {
		why = "the new version is not {\"username\":…,\"api_key\":…} JSON"
	} else {
		newKey = s.APIKey
		got, ok := svc.Authenticate(s.APIKey)
		switch {
		case s.Username != user:
			why = fmt.Sprintf("the new version is for user %q; keep the user %q", s.Username, user)
		case s.APIKey == oldKey:
			why = "the new version holds the old key: createSecret must make a new one"
		case !ok || got != user:
			why = "the demo service does not accept the new key: setSecret must register it with AddKey"
		}
	}
	r.check("the demo service accepts the new key", 2, why)
	why = ""
	switch {
	case !completed || newKey == "":
		why = "not checked: the rotation did not complete"
	case svc.KeyCount(user) != 1:
		why = fmt.Sprintf("the user still has %d keys after finishSecret: revoke the others with RevokeOtherKeys", svc.KeyCount(user))
	}
	r.check("the old key is revoked", 3, why)

	// Rotation 2: the service refuses the new key once, so testSecret must
	// fail and AWSCURRENT must stay where it is.
	if !completed {
		r.skip("the first rotation did not complete", 2, "a failing testSecret leaves AWSCURRENT untouched")
		return
	}
	mu.Lock()
	runs = nil
	mu.Unlock()
	flaky.failing.Store(true)
	_, err = r.client.RotateSecret(ctx, &secretsmanager.RotateSecretInput{SecretId: awssdk.String(name)})
	flaky.failing.Store(false)
	if err != nil {
		r.fatal = fmt.Errorf("starting the second rotation: %s", explain(err))
		return
	}
	d2 := r.describeOrFail(ctx, name)
	if r.fatal != nil {
		return
	}
	r.learnValues(ctx, d2)
	mu.Lock()
	second := slices.Clone(runs)
	mu.Unlock()
	testFailed := slices.ContainsFunc(second, func(s stepRun) bool { return s.step == "testSecret" && s.err != "" })
	why = ""
	switch {
	case versionWith(d2, "AWSCURRENT") != newVersion:
		why = "the demo service refused the new key during testSecret, yet AWSCURRENT moved: testSecret must return the error from WhoAmI"
	case !testFailed:
		why = "testSecret passed although the demo service refused the new key: return WhoAmI's error"
	default:
		if u, ok := svc.Authenticate(newKey); !ok || u != user {
			why = "after the failed rotation the current key no longer works: only finishSecret may revoke keys"
		}
	}
	r.check("a failing testSecret leaves AWSCURRENT untouched", 2, why)
}

// describeOrFail reads a secret's metadata; unlike describe, a missing
// secret is fatal too, since the rotation grader only reads what it seeded.
func (r *run) describeOrFail(ctx context.Context, name string) *secretsmanager.DescribeSecretOutput {
	out, err := r.client.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: awssdk.String(name)})
	if err != nil {
		r.fatal = fmt.Errorf("reading %s: %s", name, explain(err))
		return nil
	}
	return out
}

// learnValues reads every version of the secret, so its values (the
// pending key of a failed rotation too) are masked wherever the learner's
// program printed them.
func (r *run) learnValues(ctx context.Context, d *secretsmanager.DescribeSecretOutput) {
	for id := range d.VersionIdsToStages {
		_, _ = r.value(ctx, awssdk.ToString(d.Name), "", id)
	}
}

// StartEmbedded starts an embedded emulator for grading, as the command
// line does by default, and returns the Backend (with Emulator set, so the
// rotation exercise runs on it) and a function that stops it. An empty
// region is aws.DefaultRegion.
func StartEmbedded(region string) (Backend, func(), error) {
	if region == "" {
		region = aws.DefaultRegion
	}
	emu, url, stop, err := aws.StartEmbedded(region)
	if err != nil {
		return Backend{}, nil, err
	}
	return Backend{
		Endpoint: url, Region: region, Local: true, Emulator: emu,
		Client: secretsmanager.New(secretsmanager.Options{
			BaseEndpoint: awssdk.String(url), Region: region,
			Credentials: awssdk.AnonymousCredentials{},
		}),
	}, stop, nil
}

// ---- 7. safe-logger ----

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
