package runner

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/smithy-go"

	"secretlings/aws/cache"
	"secretlings/aws/rotation"
	"secretlings/aws/rotation/demoservice"
	"secretlings/lessons"
	"secretlings/mask"
)

// demo runs the demo actions: the API-key service and its rotations, a cache
// reader and a logger.
type demo struct {
	r *Runner

	mu         sync.Mutex
	service    *demoservice.Server
	client     *demoservice.Client
	strategies map[string]string // secret name or ARN -> strategy
	steps      []string          // rotation steps seen, for the result
	watch      Progress          // shown each rotation step as it happens, while a RotateSecret runs
	cache      *cache.Cache      // the cache of the ReadThroughCache demo running now
	cacheScale float64
}

func newDemo(r *Runner) *demo { return &demo{r: r, strategies: map[string]string{}} }

// start starts the demo service on first use.
func (d *demo) start() (*demoservice.Client, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.client != nil {
		return d.client, nil
	}
	token, err := rotation.NewAPIKey()
	if err != nil {
		return nil, err
	}
	srv, err := demoservice.New(token).Start("127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("starting the demo service: %w", err)
	}
	d.service, d.client = srv, &demoservice.Client{BaseURL: srv.URL, AdminToken: token}
	return d.client, nil
}

func (d *demo) known(secret string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	_, ok := d.strategies[secret]
	return ok
}

// handler returns the rotation strategy set up for a secret (by name or ARN).
func (d *demo) handler(secret string) (rotation.Handler, error) {
	svc, err := d.start()
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	strategy := d.strategies[secret]
	d.mu.Unlock()
	if strategy == "alternating-users" {
		return rotation.AlternatingUsers{Service: svc, Users: [2]string{"app-a", "app-b"}}, nil
	}
	return rotation.SingleUser{Service: svc}, nil
}

// rotationStep is the demo rotation function, as the emulator invokes it.
func (d *demo) rotationStep(ctx context.Context, step, secretID, token, rotationToken string) error {
	h, err := d.handler(secretID)
	if err != nil {
		return err
	}
	err = rotation.Run(ctx, d.r.client, h, rotation.Event{Step: step, SecretId: secretID, ClientRequestToken: token, RotationToken: rotationToken})
	d.mu.Lock()
	d.steps = append(d.steps, stepLine(step, err))
	watch, seen := d.watch, slices.Clone(d.steps)
	d.mu.Unlock()
	d.pace(ctx, watch, seen)
	return err
}

// stepPause is how long each rotation step stays on screen before the next
// runs, so that the learner can watch the four go by.
const stepPause = 700 * time.Millisecond

// pace shows the rotation steps seen so far and waits a moment.
func (d *demo) pace(ctx context.Context, watch Progress, seen []string) {
	if watch == nil {
		return
	}
	watch(Result{Operation: "RotateSecret", Lines: seen})
	select {
	case <-ctx.Done():
	case <-time.After(time.Duration(float64(stepPause) * d.r.timeScale)):
	}
}

// watchSteps makes the rotation steps that run until stop is called show
// one by one through progress.
func (d *demo) watchSteps(progress Progress) (stop func()) {
	d.mu.Lock()
	d.watch = progress
	d.mu.Unlock()
	return func() {
		d.mu.Lock()
		d.watch = nil
		d.mu.Unlock()
	}
}

func stepLine(step string, err error) string {
	if err != nil {
		return "✗ " + step + ": " + err.Error()
	}
	return "✓ " + step
}

func (d *demo) takeSteps() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	s := d.steps
	d.steps = nil
	return s
}

// run runs a demo action, filling res.
func (d *demo) run(ctx context.Context, op string, input any, res *Result, progress Progress) {
	start := d.r.now()
	var err error
	switch in := input.(type) {
	case *lessons.SetupDemoServiceInput:
		err = d.setup(ctx, in, res)
	case *lessons.CallDemoServiceInput:
		err = d.call(ctx, in, res)
	case *lessons.ReadThroughCacheInput:
		err = d.readThroughCache(ctx, in, res, progress)
	case *lessons.RunLoggerInput:
		err = d.runLogger(ctx, in, res)
	case *lessons.ScanTextInput:
		scanText(sdkaws.ToString(in.Text), res)
	case *lessons.ShowConnectionInput:
		d.r.showConnection(ctx, res)
	default:
		err = fmt.Errorf("no demo called %s", op)
	}
	res.Duration, res.Err, res.Done = d.r.now().Sub(start), err, true
	res.Go = demoSnippet(op, input)
}

func (d *demo) setup(ctx context.Context, in *lessons.SetupDemoServiceInput, res *Result) error {
	svc, err := d.start()
	if err != nil {
		return err
	}
	strategy := sdkaws.ToString(in.Strategy)
	if strategy == "" {
		strategy = "single-user"
	}
	if strategy != "single-user" && strategy != "alternating-users" {
		return fmt.Errorf("strategy %q: use single-user or alternating-users", strategy)
	}
	user := "app"
	if strategy == "alternating-users" {
		user = "app-a"
	}
	key, err := rotation.NewAPIKey()
	if err != nil {
		return err
	}
	if err := svc.AddKey(ctx, user, key); err != nil {
		return err
	}
	value := rotation.APIKeySecret{Username: user, APIKey: key}.JSON()
	out, err := d.r.client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{
		Name:         in.SecretId,
		Description:  sdkaws.String("API key of the demo service (" + strategy + " rotation)"),
		SecretString: sdkaws.String(value),
	})
	if err != nil {
		return err
	}
	d.mu.Lock()
	d.strategies[sdkaws.ToString(in.SecretId)] = strategy
	d.strategies[sdkaws.ToString(out.ARN)] = strategy
	d.mu.Unlock()
	res.Response = maskedJSON(out)
	res.Lines = append(res.Lines,
		fmt.Sprintf("Demo service listening on %s", d.service.URL),
		fmt.Sprintf("Registered a new API key for user %q with the service", user),
		fmt.Sprintf("Stored it in %s as {\"username\": %q, \"api_key\": %q}", sdkaws.ToString(in.SecretId), user, mask.Mask(key)),
	)
	return nil
}

func (d *demo) call(ctx context.Context, in *lessons.CallDemoServiceInput, res *Result) error {
	svc, err := d.start()
	if err != nil {
		return err
	}
	stage := sdkaws.ToString(in.VersionStage)
	if stage == "" {
		stage = "AWSCURRENT"
	}
	out, err := d.r.client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: in.SecretId, VersionStage: sdkaws.String(stage)})
	if err != nil {
		return err
	}
	secret, err := rotation.ParseAPIKeySecret(sdkaws.ToString(out.SecretString))
	if err != nil {
		return err
	}
	user, err := svc.WhoAmI(ctx, secret.APIKey)
	switch {
	case err == nil:
		res.Lines = append(res.Lines, fmt.Sprintf("GET /whoami with the %s key (%s) → 200 OK, you are %q", stage, mask.Mask(secret.APIKey), user))
	case errors.Is(err, demoservice.ErrUnauthorized):
		res.Lines = append(res.Lines, fmt.Sprintf("GET /whoami with the %s key (%s) → 401 Unauthorized: the service no longer accepts it", stage, mask.Mask(secret.APIKey)))
	default:
		return err
	}
	return nil
}

// drive plays Secrets Manager's part of a rotation on a backend where the
// demo function is not deployed as a Lambda.
func (d *demo) drive(ctx context.Context, in *secretsmanager.RotateSecretInput, res *Result, progress Progress) {
	secret := sdkaws.ToString(in.SecretId)
	// Let the backend validate and store the configuration; only invoking
	// the Lambda, which is not deployed here, is expected to fail.
	store := *in
	store.RotateImmediately = sdkaws.Bool(false)
	if _, err := d.r.client.RotateSecret(ctx, &store); err != nil {
		var api smithy.APIError
		if errors.As(err, &api) && (api.ErrorCode() == "InvalidParameterException" || api.ErrorCode() == "ValidationException") {
			res.Err = err
			return
		}
	}
	// Some emulators (moto) start a rotation they cannot finish without the
	// Lambda, leaving an AWSPENDING version behind; Drive must start clean.
	if desc, err := d.r.client.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: in.SecretId}); err == nil {
		for id, stages := range desc.VersionIdsToStages {
			if slices.Contains(stages, "AWSPENDING") && !slices.Contains(stages, "AWSCURRENT") {
				_, _ = d.r.client.UpdateSecretVersionStage(ctx, &secretsmanager.UpdateSecretVersionStageInput{
					SecretId: in.SecretId, VersionStage: sdkaws.String("AWSPENDING"), RemoveFromVersionId: sdkaws.String(id),
				})
			}
		}
	}
	res.Notes = append(res.Notes, "No Lambda is deployed on this backend, so secretlings plays Secrets Manager's part: it runs the four steps of the demo rotation function itself (rotation.Drive).")
	if in.RotateImmediately != nil && !*in.RotateImmediately {
		res.Notes = append(res.Notes, "RotateImmediately is false: on AWS the schedule would be stored and the first rotation run later. Nothing to run now.")
		return
	}
	h, err := d.handler(secret)
	if err != nil {
		res.Err = err
		return
	}
	start := d.r.now()
	outcome, err := rotation.Drive(ctx, d.r.client, secret, h, rotation.OnStep(func(step string, err error) {
		res.Lines = append(res.Lines, stepLine(step, err))
		d.pace(ctx, progress, slices.Clone(res.Lines))
	}))
	res.Duration = d.r.now().Sub(start)
	if err != nil {
		res.Err = err
		return
	}
	res.Response = fmt.Sprintf("{\n  \"ARN\": %q,\n  \"VersionId\": %q\n}", outcome.SecretARN, outcome.Token)
}

// readThroughCache reads a secret through the caching client at a steady
// rate, reporting hits, misses and API calls as it goes.
func (d *demo) readThroughCache(ctx context.Context, in *lessons.ReadThroughCacheInput, res *Result, progress Progress) error {
	ttl, err := time.ParseDuration(defaultString(in.TTL, "5s"))
	if err != nil {
		return fmt.Errorf("TTL %q is not a duration like 5s: %w", sdkaws.ToString(in.TTL), err)
	}
	reads, rate := int(defaultInt(in.Reads, 50)), int(defaultInt(in.Rate, 10))
	if reads < 1 || reads > 10000 || rate < 1 || rate > 1000 {
		return fmt.Errorf("Reads must be 1 to 10000 and Rate 1 to 1000 per second")
	}
	var rotateAfter time.Duration
	if in.RotateAfter != nil {
		if rotateAfter, err = time.ParseDuration(*in.RotateAfter); err != nil {
			return fmt.Errorf("RotateAfter %q is not a duration like 3s: %w", *in.RotateAfter, err)
		}
	}
	secret := sdkaws.ToString(in.SecretId)
	// Tests run the demo faster; every duration scales alike, so the counts
	// come out the same.
	factor := d.r.timeScale
	scale := func(x time.Duration) time.Duration { return time.Duration(float64(x) * factor) }
	c := cache.New(d.r.client, cache.WithTTL(scale(ttl)), cache.WithJitter(0))
	d.mu.Lock()
	d.cache, d.cacheScale = c, factor
	d.mu.Unlock()
	defer func() {
		d.mu.Lock()
		d.cache = nil
		d.mu.Unlock()
	}()
	rotateAfter = scale(rotateAfter)
	tick := time.NewTicker(scale(time.Second / time.Duration(rate)))
	defer tick.Stop()
	start := time.Now()
	var rotatedAt time.Time
	var newValue string
	stale := 0
	report := func(i int, last string) {
		st := c.Stats()
		res.Lines = []string{
			fmt.Sprintf("reads %d/%d   hits %d   misses %d   API calls %d   TTL %s", i, reads, st.Hits, st.Misses, st.APICalls, time.Duration(float64(c.TTL())/factor).Round(time.Millisecond)),
		}
		if !rotatedAt.IsZero() {
			res.Lines = append(res.Lines, fmt.Sprintf("rotated at %.1fs; reads that still got the old value: %d", rotatedAt.Sub(start).Seconds(), stale))
		} else if rotateAfter > 0 {
			res.Lines = append(res.Lines, fmt.Sprintf("rotation at %.1fs", rotateAfter.Seconds()))
		}
		if last != "" {
			res.Lines = append(res.Lines, last)
		}
	}
	for i := 1; i <= reads; i++ {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
		if rotateAfter > 0 && rotatedAt.IsZero() && time.Since(start) >= rotateAfter {
			key, err := rotation.NewAPIKey()
			if err != nil {
				return err
			}
			newValue = "rotated-" + key
			if _, err := d.r.client.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: in.SecretId, SecretString: sdkaws.String(newValue)}); err != nil {
				return err
			}
			rotatedAt = time.Now()
		}
		before := c.Stats().APICalls
		v, err := c.GetString(ctx, secret)
		if err != nil {
			return err
		}
		how := "hit "
		if c.Stats().APICalls > before {
			how = "miss → GetSecretValue"
		}
		freshness := ""
		if !rotatedAt.IsZero() {
			if v != newValue {
				stale++
				freshness = " (stale: value from before the rotation)"
			} else {
				freshness = " (fresh)"
			}
		}
		report(i, fmt.Sprintf("read %d at %.1fs: %s%s", i, time.Since(start).Seconds(), how, freshness))
		if progress != nil && i < reads {
			snapshot := *res
			snapshot.Lines = append([]string(nil), res.Lines...)
			snapshot.Done = false
			progress(snapshot)
		}
	}
	st := c.Stats()
	calls := "1 API call"
	if st.APICalls != 1 {
		calls = fmt.Sprintf("%d API calls", st.APICalls)
	}
	res.Notes = append(res.Notes, fmt.Sprintf("%d reads cost %s instead of %d.", reads, calls, reads))
	return nil
}

// runLogger runs a small program that logs while it handles a secret: once
// with a plain slog handler, once behind mask.NewHandler. The output is shown
// with every leaked value marked, never printed.
func (d *demo) runLogger(ctx context.Context, in *lessons.RunLoggerInput, res *Result) error {
	out, err := d.r.client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: in.SecretId})
	if err != nil {
		return err
	}
	value := sdkaws.ToString(out.SecretString)
	redact := in.Redact != nil && *in.Redact

	// The secret's sensitive fields (or the whole value, when it is not a
	// JSON object) are what must not leak; a host name may.
	secrets := sensitiveParts(value)
	known := mask.NewRedactor()
	known.Add(secrets...)
	var buf bytes.Buffer
	var h slog.Handler = slog.NewTextHandler(&buf, &slog.HandlerOptions{ReplaceAttr: dropTime})
	if redact {
		h = mask.NewHandler(h, known)
	}
	sampleProgram(slog.New(h), sdkaws.ToString(in.SecretId), value)

	marker := mask.NewRedactor(mask.WithReplacement("⚠LEAK⚠"))
	marker.Add(secrets...)
	leaks := 0
	for _, line := range strings.Split(strings.TrimRight(buf.String(), "\n"), "\n") {
		shown := marker.Redact(line)
		if shown != line {
			leaks++
		}
		res.Lines = append(res.Lines, known.Redact(shown))
	}
	if leaks > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("%d of %d log lines leak the secret (⚠LEAK⚠ marks where; secretlings hides the value itself).", leaks, len(res.Lines)))
	} else {
		res.Notes = append(res.Notes, fmt.Sprintf("No log line contains the secret, in any encoding (%d lines checked).", len(res.Lines)))
	}
	return nil
}

// sensitiveParts returns what of a secret value must never be logged: the
// whole value, and for a JSON object the values of its sensitive keys.
func sensitiveParts(value string) []string {
	var fields map[string]any
	if json.Unmarshal([]byte(value), &fields) != nil {
		return []string{value}
	}
	parts := []string{value}
	for k, v := range fields {
		if s, ok := v.(string); ok && mask.IsSensitiveKey(k) {
			parts = append(parts, s)
		}
	}
	return parts
}

func dropTime(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && a.Key == slog.TimeKey {
		return slog.Attr{}
	}
	return a
}

// sampleProgram is what a program that connects to a database typically
// logs, mistakes included.
func sampleProgram(log *slog.Logger, name, value string) {
	log.Info("loaded secret", "secret_id", name, "bytes", len(value))
	log.Info("connecting to database", "host", "db.internal", "user", "app", "password", value)
	log.Debug("raw secret", "value", value)
	log.Warn("retrying with basic auth", "authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("app:"+value)))
	log.Info("config dump", "config", map[string]any{"host": "db.internal", "secret": value})
}

func scanText(text string, res *Result) {
	findings := mask.Detect(text)
	res.Lines = append(res.Lines, strings.Split(text, "\n")...)
	if len(findings) == 0 {
		res.Notes = append(res.Notes, "Nothing secret-looking found.")
	}
	for _, f := range findings {
		res.Notes = append(res.Notes, "found "+f.String())
	}
}

func defaultString(p *string, d string) string {
	if p == nil || *p == "" {
		return d
	}
	return *p
}

func defaultInt(p *int32, d int32) int32 {
	if p == nil {
		return d
	}
	return *p
}

// demoSnippet shows the library code behind a demo action.
func demoSnippet(op string, input any) string {
	switch in := input.(type) {
	case *lessons.SetupDemoServiceInput:
		return "key, _ := rotation.NewAPIKey()\n_ = service.AddKey(ctx, \"app\", key)\nvalue := rotation.APIKeySecret{Username: \"app\", APIKey: key}.JSON()\n_, err := client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{\n\tName:         aws.String(" + quote(in.SecretId) + "),\n\tSecretString: aws.String(value),\n})"
	case *lessons.CallDemoServiceInput:
		return "out, err := client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{\n\tSecretId:     aws.String(" + quote(in.SecretId) + "),\n\tVersionStage: aws.String(" + fmt.Sprintf("%q", defaultString(in.VersionStage, "AWSCURRENT")) + "),\n})\nsecret, _ := rotation.ParseAPIKeySecret(aws.ToString(out.SecretString))\nuser, err := service.WhoAmI(ctx, secret.APIKey)"
	case *lessons.ReadThroughCacheInput:
		return "c := cache.New(client, cache.WithTTL(" + durationLiteral(defaultString(in.TTL, "5s")) + "))\nfor range ticker.C {\n\tv, err := c.GetString(ctx, " + quote(in.SecretId) + ")\n\t// use v; c.Stats() counts hits, misses and API calls\n}"
	case *lessons.RunLoggerInput:
		if in.Redact != nil && *in.Redact {
			return "redactor := mask.NewRedactor()\nredactor.AddSecret(value) // every value the program fetches\nlog := slog.New(mask.NewHandler(slog.NewTextHandler(os.Stderr, nil), redactor))\nlog.Info(\"connecting to database\", \"password\", value) // password=••••••••"
		}
		return "log := slog.New(slog.NewTextHandler(os.Stderr, nil))\nlog.Info(\"connecting to database\", \"password\", value) // leaks!"
	case *lessons.ScanTextInput:
		return "for _, f := range mask.Detect(text) {\n\tfmt.Println(f) // kind and position, never the text\n}"
	case *lessons.ShowConnectionInput:
		return connectionSnippet
	}
	return ""
}

func quote(p *string) string { return fmt.Sprintf("%q", sdkaws.ToString(p)) }

func durationLiteral(s string) string {
	d, err := time.ParseDuration(s)
	if err != nil {
		return "5 * time.Second"
	}
	if d%time.Second == 0 {
		return fmt.Sprintf("%d * time.Second", d/time.Second)
	}
	return fmt.Sprintf("%d * time.Millisecond", d/time.Millisecond)
}

// ScaleTTL multiplies the TTL of the cache demo running now by f (the lesson
// lets the learner halve or double it live) and reports the new TTL; false
// when no cache demo runs.
func (r *Runner) ScaleTTL(f float64) (time.Duration, bool) {
	d := r.demo
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.cache == nil {
		return 0, false
	}
	ttl := time.Duration(float64(d.cache.TTL()) * f)
	ttl = min(max(ttl, time.Duration(float64(100*time.Millisecond)*d.cacheScale)), time.Duration(float64(time.Hour)*d.cacheScale))
	d.cache.SetTTL(ttl)
	return time.Duration(float64(ttl) / d.cacheScale), true
}
