package checker

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"strings"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// All returns the exercises in the order the lessons teach them.
func All() []*Exercise {
	return []*Exercise{
		{
			ID: "create-secret", Lesson: "01-store-and-retrieve", Kind: State,
			Title:   "Create a secret to a specification",
			Summary: "a name under your prefix, a description, a JSON value with given keys, tags",
			prepare: func(context.Context, *run) error { return nil },
			grade:   gradeCreateSecret,
		},
		{
			ID: "config-manager", Lesson: "01-store-and-retrieve", Kind: Code,
			Title:   "A configuration manager for database credentials",
			Summary: "name from DATABASE_SECRET_NAME, password masked, a clear error for a missing secret",
			Files:   []string{"main.go"},
			grade:   gradeConfigManager,
		},
		{
			ID: "rollback", Lesson: "02-json-and-versions", Kind: State,
			Title:   "Roll back a bad release",
			Summary: "make the previous version current again without creating a new one",
			prepare: prepareRollback,
			grade:   gradeRollback,
		},
		{
			ID: "idempotent-write", Lesson: "02-json-and-versions", Kind: Code,
			Title:   "Write a version idempotently; read by label and by id",
			Summary: "PutSecretValue with ClientRequestToken, GetSecretValue by VersionStage and VersionId",
			Files:   []string{"main.go"},
			grade:   gradeIdempotentWrite,
		},
		{
			ID: "rotation-handler", Lesson: "03-rotation", Kind: Code,
			Title:    "A rotation handler for API keys",
			Summary:  "four idempotent steps; a failing testSecret leaves AWSCURRENT alone",
			Files:    []string{"handler.go"},
			Provided: []string{"main.go"},
			grade:    gradeRotationHandler,
		},
		{
			ID: "ttl-cache", Lesson: "04-caching", Kind: Code,
			Title:    "A secret cache with TTL expiry",
			Summary:  "one call per TTL, fresh values after expiry, one call for concurrent misses",
			Files:    []string{"cache.go"},
			Provided: []string{"main.go"},
			grade:    gradeTTLCache,
		},
		{
			ID: "safe-logger", Lesson: "05-masking", Kind: Code,
			Title:    "A logger that never leaks a secret",
			Summary:  "keep the non-secret fields; no secret value plain, in base64 or inside JSON",
			Files:    []string{"logger.go"},
			Provided: []string{"main.go"},
			grade:    gradeSafeLogger,
		},
	}
}

// Lookup returns the exercise with id.
func Lookup(id string) (*Exercise, bool) {
	for _, ex := range All() {
		if ex.ID == id {
			return ex, true
		}
	}
	return nil, false
}

// IDs lists every exercise id, in order.
func IDs() []string {
	var ids []string
	for _, ex := range All() {
		ids = append(ids, ex.ID)
	}
	return ids
}

// SecretNames are the secrets a state exercise asks the learner to work on,
// relative to the namespace, for the exercise screen to show.
func SecretNames(ex *Exercise) []string {
	switch ex.ID {
	case "create-secret":
		return []string{createSecretName}
	case "rollback":
		return []string{rollbackName}
	}
	return nil
}

// ---- helpers shared by the graders ----

// randHex returns n random bytes in hex.
func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func randInt(max int64) int64 {
	n, _ := rand.Int(rand.Reader, big.NewInt(max))
	return n.Int64()
}

// tokenFor derives a stable version id (a UUID-shaped string) from the
// namespace, so a state exercise's seeded versions are known to the grader
// across runs without storing them.
func tokenFor(ns, what string) string {
	h := sha256.Sum256([]byte(ns + "\x00" + what))
	s := hex.EncodeToString(h[:16])
	return s[0:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:32]
}

func isNotFound(err error) bool {
	var nf *types.ResourceNotFoundException
	return errors.As(err, &nf)
}

// describe reads a secret's metadata; found is false when it does not exist
// or is scheduled for deletion.
func (r *run) describe(ctx context.Context, name string) (out *secretsmanager.DescribeSecretOutput, found bool) {
	out, err := r.client.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: awssdk.String(name)})
	switch {
	case isNotFound(err):
		return nil, false
	case err != nil:
		r.fatal = fmt.Errorf("reading %s: %s", name, explain(err))
		return nil, false
	}
	return out, out.DeletedDate == nil
}

// value reads a secret's value by stage (when id is empty) or version id.
func (r *run) value(ctx context.Context, name, stage, id string) (string, error) {
	in := &secretsmanager.GetSecretValueInput{SecretId: awssdk.String(name)}
	if id != "" {
		in.VersionId = awssdk.String(id)
	} else {
		in.VersionStage = awssdk.String(stage)
	}
	out, err := r.client.GetSecretValue(ctx, in)
	if err != nil {
		return "", err
	}
	v := awssdk.ToString(out.SecretString)
	r.known.AddSecret(v)
	return v, nil
}

// versions lists every version of a secret, deprecated ones included.
func (r *run) versions(ctx context.Context, name string) ([]types.SecretVersionsListEntry, error) {
	var all []types.SecretVersionsListEntry
	p := secretsmanager.NewListSecretVersionIdsPaginator(r.client, &secretsmanager.ListSecretVersionIdsInput{
		SecretId: awssdk.String(name), IncludeDeprecated: awssdk.Bool(true),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		all = append(all, page.Versions...)
	}
	return all, nil
}

// create seeds a secret, recording it for cleanup.
func (r *run) create(ctx context.Context, suffix, value, token string) (string, error) {
	name := r.seedName(suffix)
	in := &secretsmanager.CreateSecretInput{Name: awssdk.String(name), SecretString: awssdk.String(value)}
	if token != "" {
		in.ClientRequestToken = awssdk.String(token)
	}
	r.known.AddSecret(value)
	if _, err := r.client.CreateSecret(ctx, in); err != nil {
		return "", fmt.Errorf("seeding %s: %s", name, explain(err))
	}
	return name, nil
}

func (r *run) put(ctx context.Context, name, value, token string) error {
	in := &secretsmanager.PutSecretValueInput{SecretId: awssdk.String(name), SecretString: awssdk.String(value)}
	if token != "" {
		in.ClientRequestToken = awssdk.String(token)
	}
	r.known.AddSecret(value)
	_, err := r.client.PutSecretValue(ctx, in)
	if err != nil {
		return fmt.Errorf("changing %s: %s", name, explain(err))
	}
	return nil
}

// runSolution runs a state exercise's reference solution (Source Solution).
func (r *run) runSolution(ctx context.Context) bool {
	if r.c.Source != Solution {
		return true
	}
	p := r.exec(ctx, nil, nil)
	return r.check("the reference solution runs", 0, failIf(p.Code != 0, p.summary(r.known)))
}

func failIf(cond bool, reason string) string {
	if cond {
		return reason
	}
	return ""
}

func stagesOf(d *secretsmanager.DescribeSecretOutput, id string) []string {
	if d == nil {
		return nil
	}
	return d.VersionIdsToStages[id]
}

func versionWith(d *secretsmanager.DescribeSecretOutput, stage string) string {
	if d == nil {
		return ""
	}
	for id, st := range d.VersionIdsToStages {
		if slices.Contains(st, stage) {
			return id
		}
	}
	return ""
}

// ---- 1. create-secret ----

const createSecretName = "payments/api-config"

func gradeCreateSecret(ctx context.Context, r *run) {
	if !r.runSolution(ctx) {
		return
	}
	name := r.ns + createSecretName
	const (
		exists = "the secret exists under your prefix"
		descr  = "its description is \"Payments service configuration\""
		value  = "its value is a JSON object with host, port and api_key"
		tags   = "it is tagged team=payments and env=dev"
	)
	d, found := r.describe(ctx, name)
	if r.fatal != nil {
		return
	}
	if !r.check(exists, 1, failIf(!found, fmt.Sprintf("there is no secret named %s: create it with exactly this name", name))) {
		r.skip("the secret does not exist yet", 1, descr, value, tags)
		return
	}
	got := awssdk.ToString(d.Description)
	r.check(descr, 3, failIf(got != "Payments service configuration", fmt.Sprintf("the description is %q: set it with UpdateSecret --description", got)))

	v, err := r.value(ctx, name, "AWSCURRENT", "")
	var why string
	if err != nil {
		why = "reading the AWSCURRENT value failed: " + explain(err)
	} else {
		var obj map[string]any
		if json.Unmarshal([]byte(v), &obj) != nil {
			why = "the value is not a JSON object: store a string such as {\"host\":…,\"port\":…,\"api_key\":…}"
		} else {
			var missing, empty []string
			for _, k := range []string{"host", "port", "api_key"} {
				x, ok := obj[k]
				switch {
				case !ok:
					missing = append(missing, k)
				case x == nil || x == "":
					empty = append(empty, k)
				}
			}
			switch {
			case len(missing) > 0:
				why = "the JSON has no " + strings.Join(missing, ", ") + " key"
			case len(empty) > 0:
				why = "these keys are empty: " + strings.Join(empty, ", ")
			}
		}
	}
	r.check(value, 2, why)

	have := map[string]string{}
	for _, t := range d.Tags {
		have[awssdk.ToString(t.Key)] = awssdk.ToString(t.Value)
	}
	var wrong []string
	for _, kv := range [][2]string{{"team", "payments"}, {"env", "dev"}} {
		if got, ok := have[kv[0]]; !ok {
			wrong = append(wrong, "no tag "+kv[0])
		} else if got != kv[1] {
			wrong = append(wrong, fmt.Sprintf("tag %s is %q, not %q", kv[0], got, kv[1]))
		}
	}
	r.check(tags, 3, strings.Join(wrong, "; "))
}

// ---- 2. config-manager ----

var stackTrace = regexp.MustCompile(`(?m)^panic: |^goroutine \d+ \[|\.go:\d+ \+0x`)

func gradeConfigManager(ctx context.Context, r *run) {
	suffix := randHex(3)
	db := map[string]any{
		"host":     "db-" + suffix + ".internal",
		"port":     5000 + randInt(999),
		"username": "app_" + randHex(2),
		"password": "pw-" + randHex(10),
		"dbname":   "orders_" + randHex(2),
	}
	raw, _ := json.Marshal(db)
	name, err := r.create(ctx, "db/"+randHex(4), string(raw), "")
	if err != nil {
		r.fatal = err
		return
	}
	leak := newRedactor(db["password"].(string))

	p := r.exec(ctx, map[string]string{"DATABASE_SECRET_NAME": name}, nil)

	reqs := r.proxy.Requests()
	var others []string
	for _, q := range reqs {
		if q.Operation == "GetSecretValue" && q.SecretID != name && !slices.Contains(others, q.SecretID) {
			others = append(others, q.SecretID)
		}
	}
	why := ""
	if count(reqs, "GetSecretValue", name) == 0 {
		why = "it never read the secret named in DATABASE_SECRET_NAME (" + name + ")"
		if len(others) > 0 {
			why += "; it read " + strings.Join(others, ", ") + " instead: take the name from os.Getenv(\"DATABASE_SECRET_NAME\"), not from the code"
		}
	}
	r.check("reads the secret named by $DATABASE_SECRET_NAME", 1, why)
	r.check("runs and exits with status 0", 1, failIf(p.Code != 0, p.summary(r.known)))

	var missing []string
	for _, k := range []string{"host", "port", "username", "dbname"} {
		if !strings.Contains(p.Stdout, fmt.Sprint(db[k])) {
			missing = append(missing, k)
		}
	}
	r.check("prints host, port, user and database", 2, failIf(len(missing) > 0, "the output lacks the "+strings.Join(missing, ", ")+" from the secret"))
	r.check("never prints the password", 2, leakReason(leak, p.Stdout+p.Stderr, "the password"))

	r.proxy.Reset()
	missingName := r.ns + "db/missing-" + randHex(3)
	q := r.exec(ctx, map[string]string{"DATABASE_SECRET_NAME": missingName}, nil)
	out := q.Stdout + q.Stderr
	r.check("a missing secret exits with a non-zero status", 3, failIf(q.Code == 0 || q.TimedOut, "with DATABASE_SECRET_NAME naming a secret that does not exist, "+q.summary(r.known)))
	clear := strings.Contains(out, missingName) || strings.Contains(strings.ToLower(out), "not found")
	r.check("a missing secret gets a clear message", 3, failIf(!clear, "the output should name the secret ("+missingName+") or say it was not found"))
	r.check("no panic or stack trace", 3, failIf(stackTrace.MatchString(out), "the program printed a panic or a stack trace: handle the error and exit with os.Exit(1) instead"))
}

// ---- 3. rollback ----

const rollbackName = "app/feature-flags"

const (
	rollbackGood   = `{"release": "2026.11.1", "checkout_v2": false}`
	rollbackBroken = `{"release": "2026.11.2-broken", "checkout_v2": true}`
)

func prepareRollback(ctx context.Context, r *run) error {
	name := r.ns + rollbackName
	_, found := r.describe(ctx, name)
	if r.fatal != nil {
		return r.fatal
	}
	if found {
		return nil
	}
	c := r.client
	if _, err := c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{
		Name: awssdk.String(name), SecretString: awssdk.String(rollbackGood),
		ClientRequestToken: awssdk.String(tokenFor(r.ns, "good")),
		Description:        awssdk.String("Feature flags of the app (rollback exercise)"),
	}); err != nil {
		return err
	}
	_, err := c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{
		SecretId: awssdk.String(name), SecretString: awssdk.String(rollbackBroken),
		ClientRequestToken: awssdk.String(tokenFor(r.ns, "broken")),
	})
	return err
}

func gradeRollback(ctx context.Context, r *run) {
	if !r.runSolution(ctx) {
		return
	}
	name := r.ns + rollbackName
	good, broken := tokenFor(r.ns, "good"), tokenFor(r.ns, "broken")
	const (
		exists  = "the secret still exists"
		noNew   = "no new version was created"
		current = "the good version is AWSCURRENT"
		prev    = "the broken version is AWSPREVIOUS"
	)
	d, found := r.describe(ctx, name)
	if r.fatal != nil {
		return
	}
	if !r.check(exists, 0, failIf(!found, name+" is gone: reset the exercise to seed it again")) {
		r.skip("the secret is gone", 0, noNew, current, prev)
		return
	}
	vs, err := r.versions(ctx, name)
	if err != nil {
		r.fatal = fmt.Errorf("listing the versions of %s: %s", name, explain(err))
		return
	}
	var extra []string
	for _, v := range vs {
		if id := awssdk.ToString(v.VersionId); id != good && id != broken {
			extra = append(extra, id)
		}
	}
	r.check(noNew, 2, failIf(len(extra) > 0, fmt.Sprintf("there are %d versions now, %s among them: writing the good value again (PutSecretValue, UpdateSecret) is a new version, not a rollback; reset the exercise and move the AWSCURRENT label instead", len(vs), strings.Join(extra, ", "))))
	r.check(current, 2, failIf(!slices.Contains(stagesOf(d, good), "AWSCURRENT"), fmt.Sprintf("AWSCURRENT is on version %s; the good version is %s", versionWith(d, "AWSCURRENT"), good)))
	r.check(prev, 2, failIf(!slices.Contains(stagesOf(d, broken), "AWSPREVIOUS"), fmt.Sprintf("the broken version %s has the labels %v: moving AWSCURRENT off it with UpdateSecretVersionStage labels it AWSPREVIOUS", broken, stagesOf(d, broken))))
}

// ---- 4. idempotent-write ----

func gradeIdempotentWrite(ctx context.Context, r *run) {
	n := 10 + randInt(80)
	oldRelease, newRelease := fmt.Sprintf("2026.10.%d", n), fmt.Sprintf("2026.11.%d", n)
	name, err := r.create(ctx, "app/release-settings", fmt.Sprintf(`{"release":%q,"replicas":3}`, oldRelease), "")
	if err != nil {
		r.fatal = err
		return
	}
	token := tokenFor(r.ns, randHex(8))
	newValue := fmt.Sprintf(`{"release":%q,"replicas":4}`, newRelease)
	env := map[string]string{"SECRET_NAME": name, "REQUEST_TOKEN": token, "NEW_VALUE": newValue}

	first := r.exec(ctx, env, nil)
	r.check("the first run exits with status 0", 1, failIf(first.Code != 0, first.summary(r.known)))
	second := r.exec(ctx, env, nil)
	r.check("a second run with the same token exits with status 0", 1, failIf(second.Code != 0, second.summary(r.known)))

	reqs := r.proxy.Requests()
	puts, bad := 0, 0
	for _, q := range reqs {
		if q.Operation == "PutSecretValue" && q.SecretID == name {
			puts++
			if q.ClientRequestToken != token {
				bad++
			}
		}
	}
	why := ""
	switch {
	case puts == 0:
		why = "it never called PutSecretValue on " + name
	case bad > 0:
		why = fmt.Sprintf("%d of %d PutSecretValue calls did not pass REQUEST_TOKEN as ClientRequestToken", bad, puts)
	}
	r.check("PutSecretValue passes REQUEST_TOKEN as ClientRequestToken", 1, why)

	vs, err := r.versions(ctx, name)
	if err != nil {
		r.fatal = fmt.Errorf("listing the versions of %s: %s", name, explain(err))
		return
	}
	r.check("two runs made exactly one new version", 1, failIf(len(vs) != 2, fmt.Sprintf("the secret has %d versions after two runs; it should have 2 (the seeded one and yours)", len(vs))))

	d, _ := r.describe(ctx, name)
	if r.fatal != nil {
		return
	}
	why = ""
	if !slices.Contains(stagesOf(d, token), "AWSCURRENT") {
		why = "no version with id REQUEST_TOKEN is AWSCURRENT"
	} else if v, err := r.value(ctx, name, "", token); err != nil || v != newValue {
		why = "the new version's value is not NEW_VALUE"
	}
	r.check("the new version is AWSCURRENT and holds NEW_VALUE", 1, why)

	byStage, byID := false, false
	for _, q := range reqs {
		if q.Operation == "GetSecretValue" && q.SecretID == name && q.Status == 200 {
			byStage = byStage || q.VersionStage == "AWSPREVIOUS"
			byID = byID || q.VersionID == token
		}
	}
	r.check("reads AWSPREVIOUS by staging label", 2, failIf(!byStage, "no GetSecretValue with VersionStage AWSPREVIOUS succeeded"))
	r.check("reads the new version by version id", 2, failIf(!byID, "no GetSecretValue with VersionId set to the token succeeded"))
	var lacks []string
	if !strings.Contains(first.Stdout, "previous release: "+oldRelease) {
		lacks = append(lacks, "previous release: "+oldRelease)
	}
	if !strings.Contains(first.Stdout, "new release: "+newRelease) {
		lacks = append(lacks, "new release: "+newRelease)
	}
	r.check("prints both releases", 3, failIf(len(lacks) > 0, "the first run's output lacks the line(s) "+strings.Join(quoteAll(lacks), " and ")))
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}
