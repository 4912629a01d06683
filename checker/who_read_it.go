package checker

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"text/template"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"secretlings/aws/emulator"
)

// The who-read-it exercise: prepare stages an incident (the cast at work on
// three secrets, one of the candidates reading the card vault it should
// not), the learner finds the read in the audit trail, names who and when
// in answer.txt and blocks that principal with an explicit Deny.

const (
	whoTarget  = "payments/card-vault"
	whoWebhook = "payments/webhook-signing"
	whoReports = "reports/sales-db"
)

// whoCandidates may be the culprit: the staged policy lets each of them
// read the vault, and only role/app should.
var whoCandidates = []string{"deployer", "intern", "partner"}

// whoCulprit picks the namespace's culprit, so answers differ between
// learners (and the time differs with every staging).
func whoCulprit(ns string) emulator.CastMember {
	h := sha256.Sum256([]byte("who-read-it\x00" + ns))
	return castMember(whoCandidates[int(h[0])%len(whoCandidates)])
}

func prepareWhoReadIt(ctx context.Context, r *run) error {
	target := r.ns + whoTarget
	if seed, err := r.needsSeeding(ctx, target); !seed {
		return err
	}
	// The checker always stages the policy the stub starts from.
	staged, err := pristineFile(r.ex, "policy.json")
	if err != nil {
		return err
	}
	key, err := r.sharedKey(ctx)
	if err != nil {
		return err
	}
	arns := map[string]string{}
	for _, n := range []string{whoTarget, whoWebhook, whoReports} {
		name, err := r.createWithKey(ctx, n, "whsec_"+randHex(12), key)
		if err != nil {
			return err
		}
		d, _ := r.describe(ctx, name)
		if d == nil {
			return fmt.Errorf("reading %s after creating it: %v", name, r.fatal)
		}
		arns[n] = awssdk.ToString(d.ARN)
	}
	if err := r.putPolicy(ctx, target, string(staged)); err != nil {
		return fmt.Errorf("staging the policy of %s: %s", target, explain(err))
	}
	webhook := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":%q},"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}`, castMember("app").ARN)
	if err := r.putPolicy(ctx, r.ns+whoWebhook, webhook); err != nil {
		return fmt.Errorf("staging the policy of %s: %s", r.ns+whoWebhook, explain(err))
	}
	r.stageActivity(ctx, arns)
	return nil
}

// stageActivity is the day the trail records: routine reads, a write, an
// audit, refused attempts, and somewhere among them the culprit's read.
// Refusals and failures are part of the story, so errors are not checked.
func (r *run) stageActivity(ctx context.Context, arns map[string]string) {
	culprit := whoCulprit(r.ns)
	var bystanders []emulator.CastMember
	for _, n := range whoCandidates {
		if m := castMember(n); m.Name != culprit.Name {
			bystanders = append(bystanders, m)
		}
	}
	app, auditor := castMember("app"), castMember("auditor")
	get := func(m emulator.CastMember, n string) func() {
		return func() {
			_, _ = r.clientAs(m).GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: awssdk.String(arns[n])})
		}
	}
	describe := func(m emulator.CastMember, n string) func() {
		return func() {
			_, _ = r.clientAs(m).DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: awssdk.String(arns[n])})
		}
	}
	rotated := "whsec_" + randHex(12)
	r.known.Add(rotated)
	steps := []func(){
		get(app, whoTarget),
		describe(auditor, whoTarget),
		get(app, whoWebhook),
		func() {
			_, _ = r.clientAs(castMember("deployer")).PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{
				SecretId: awssdk.String(arns[whoWebhook]), SecretString: awssdk.String(rotated),
			})
		},
		get(bystanders[0], whoReports),
		func() {
			_, _ = r.clientAs(auditor).ListSecretVersionIds(ctx, &secretsmanager.ListSecretVersionIdsInput{SecretId: awssdk.String(arns[whoTarget])})
		},
		describe(bystanders[1], whoTarget),
		get(app, whoTarget),
		describe(bystanders[0], whoReports),
		get(app, whoWebhook),
	}
	h := sha256.Sum256([]byte("who-read-it position\x00" + r.ns))
	at := 2 + int(h[0])%(len(steps)-2)
	steps = append(steps[:at], append([]func(){get(culprit, whoTarget)}, steps[at:]...)...)
	for _, step := range steps {
		step()
	}
}

// Check names of who-read-it.
const (
	whoInTrail   = "the incident is in the audit trail"
	whoPrincipal = "answer.txt names the principal that read the vault"
	whoTime      = "answer.txt gives the time of that read"
	whoDenied    = "the culprit is refused by an explicit Deny"
	whoAppReads  = "role/app can still read the vault"
)

func gradeWhoReadIt(ctx context.Context, r *run) {
	rest := []string{whoInTrail, whoPrincipal, whoTime, whoDenied, whoAppReads, rootManages}
	if !r.enforced(ctx) {
		r.skip("the backend does not enforce access policies", 0, rest...)
		return
	}
	target := r.ns + whoTarget
	d, found := r.describe(ctx, target)
	if r.fatal != nil {
		return
	}
	if !found {
		r.fatal = fmt.Errorf("%s is gone: stage the incident again with `secretlings reset who-read-it`", target)
		return
	}
	arn := awssdk.ToString(d.ARN)
	culprit := whoCulprit(r.ns)
	inc, found := r.c.access.incident(r.ns)
	if !found {
		var err error
		if inc, found, err = r.findIncident(ctx, d, culprit); err != nil {
			r.fatal = err
			return
		}
		if found {
			r.c.access.keepIncident(r.ns, inc)
		}
	}
	r.check(whoInTrail, 1, failIf(!found, "the audit trail holds no read of "+target+" by anyone but role/app since the incident was staged: the trail lives in the backend's memory (kept across restarts only with --state) and forgets its oldest events; stage the incident again with `secretlings reset who-read-it`"))
	files, err := r.exerciseFiles()
	if err != nil {
		r.fatal = err
		return
	}
	if r.c.Source != Learner {
		if !r.applyWhoSolution(ctx, arn, files, inc) {
			r.skip("the policy could not be applied", 3, whoPrincipal, whoTime, whoDenied, whoAppReads, rootManages)
			return
		}
	}
	if found {
		r.gradeAnswer(files["answer.txt"], inc)
	} else {
		r.skip("the incident is not in the trail", 1, whoPrincipal, whoTime)
	}
	r.gradeBlock(ctx, arn, culprit)
}

// incident is the culprit's read as the trail recorded it.
type incident struct {
	culprit  emulator.CastMember
	eventARN string // userIdentity.arn: an assumed-role ARN for a role
	at       time.Time
}

// applyWhoSolution fills a stub's or reference solution's files with the
// incident (the reference solution names the culprit, which differs per
// namespace) and applies policy.json to the vault.
func (r *run) applyWhoSolution(ctx context.Context, arn string, files map[string][]byte, inc incident) bool {
	data := map[string]string{
		"CulpritARN": inc.culprit.ARN, "EventARN": inc.eventARN, "AppARN": castMember("app").ARN,
		"Time": inc.at.UTC().Format(time.RFC3339), "TimeCLI": inc.at.UTC().Format("2006-01-02T15:04:05+00:00"),
		"HourEarlier": inc.at.Add(-time.Hour).UTC().Format(time.RFC3339),
	}
	for _, n := range whoCandidates {
		if n != inc.culprit.Name {
			data["BystanderARN"] = castMember(n).ARN
			break
		}
	}
	for name, text := range files {
		t, err := template.New(name).Option("missingkey=error").Parse(string(text))
		var out bytes.Buffer
		if err == nil {
			err = t.Execute(&out, data)
		}
		if err != nil {
			r.fatal = fmt.Errorf("filling in %s of who-read-it: %w", name, err)
			return false
		}
		files[name] = out.Bytes()
	}
	why := ""
	if err := r.putPolicy(ctx, arn, string(files["policy.json"])); err != nil {
		why = "applying policy.json failed: " + explain(err)
	}
	return r.check("policy.json is applied", 3, why)
}

// gradeAnswer judges answer.txt: who read the vault, and when.
func (r *run) gradeAnswer(answer []byte, inc incident) {
	if answer == nil {
		r.check(whoPrincipal, 1, "there is no answer.txt in "+r.ex.Dir()+": reset the exercise to get it back, then fill in its two lines")
		r.skip("there is no answer.txt", 2, whoTime)
		return
	}
	who, when := parseAnswer(string(answer))
	why := ""
	switch {
	case who == "":
		why = "answer.txt names no principal yet: after \"principal:\" write the ARN of who read the vault (the event's userIdentity.arn)"
	case who != inc.culprit.ARN && who != inc.eventARN:
		why = fmt.Sprintf("answer.txt names %s, but that is not who read the vault: look at every GetSecretValue of %s in the trail that role/app did not make", who, whoTarget)
	}
	r.check(whoPrincipal, 2, why)
	why = ""
	if when == "" {
		why = "answer.txt gives no time yet: after \"time:\" write the read's eventTime from the trail, in UTC (for example 2026-12-02T11:59:05Z)"
	} else if t, ok := parseAnswerTime(when); !ok {
		why = fmt.Sprintf("answer.txt's time %q is not a time the checker can read: write it as the trail does, in UTC, for example 2026-12-02T11:59:05Z", when)
	} else if d := t.Sub(inc.at); d < -2*time.Second || d > 2*time.Second {
		why = fmt.Sprintf("answer.txt says the read was at %s, but it was not: take the eventTime of the read itself (the trail gives it in UTC)", t.UTC().Format(time.RFC3339))
	}
	r.check(whoTime, 2, why)
}

// parseAnswer reads the "principal:" and "time:" lines; lines starting
// with # are comments.
func parseAnswer(text string) (who, when string) {
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "principal":
			who = strings.Trim(strings.TrimSpace(v), `"'`)
		case "time":
			when = strings.Trim(strings.TrimSpace(v), `"'`)
		}
	}
	return who, when
}

// parseAnswerTime accepts the forms the trail's readers print: RFC 3339
// (the SDK, CloudTrail JSON), with a space instead of T (the CLI's table),
// and a time without a zone, taken as UTC.
func parseAnswerTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05Z07:00", "2006-01-02T15:04:05", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// gradeBlock probes the vault as the culprit and as role/app.
func (r *run) gradeBlock(ctx context.Context, arn string, culprit emulator.CastMember) {
	doc, _ := r.policyOf(ctx, arn)
	key := r.ns + "\x00" + doc
	if checks, ok := r.c.access.verdict(key); ok {
		r.res.Checks = append(r.res.Checks, checks...)
		return
	}
	first := len(r.res.Checks)
	// Every suspect is probed alike, so the checker's own calls in the
	// trail do not point at the culprit; only the culprit's answer counts.
	var err error
	for _, n := range whoCandidates {
		if e := r.probeVault(ctx, arn, n); n == culprit.Name {
			err = e
		}
	}
	why := ""
	switch {
	case stillAllowed(err):
		why = "the principal that read the vault can still read it: add a Deny statement for it to the vault's resource policy"
	case !isAccessDenied(err):
		why = "the culprit's read failed with " + errorCode(err) + ", not AccessDeniedException: block it with a policy"
	case !explicitlyDenied(err):
		why = "the culprit is refused, but only because nothing allows it now: an Allow added later, or an identity policy, would let it in again; only an explicit Deny keeps it out whatever else allows"
	}
	r.check(whoDenied, 3, why)
	why = ""
	if _, err := r.clientAs(castMember("app")).GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: awssdk.String(arn), VersionStage: awssdk.String("AWSCURRENT")}); err != nil {
		why = "role/app's GetSecretValue failed: " + explain(err) + "; the payments service runs as role/app, so deny only the culprit"
	}
	r.check(whoAppReads, 4, why)
	r.rootCheck(ctx, arn, doc, r.validation(ctx, arn, doc), 4)
	if r.fatal == nil { // a grading that broke off is asked again
		r.c.access.keepVerdict(key, r.res.Checks[first:])
	}
}
