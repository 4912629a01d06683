package parity

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/aws/smithy-go"

	"secretlings/aws/emulator"
)

// region is the primary region every scenario works in; replicaRegion is the
// one replication scenarios copy secrets to.
const (
	region        = "us-east-1"
	replicaRegion = "eu-west-1"
)

// run is one scenario executing against one target. Every call a scenario
// makes through it is normalised into one line of lines; the scenario's
// expectation is a list of such lines.
type run struct {
	ctx      context.Context
	endpoint string
	target   string // "emulator" or "moto", for messages only
	sm       *sm.Client
	prefix   string // unique per scenario and target, so a shared moto never mixes cases

	lines []string
	mute  int // >0 inside setup: calls are not recorded and must succeed

	ids   map[string]string // version id → v1, v2, … in order of first appearance
	names map[string]string // full secret name → the short name the scenario used

	// messages makes error lines carry the normalised error message too;
	// scenarios turn it on where the reference gives the exact AWS text.
	messages bool

	rot *rotationLog // what the registered rotation function saw
}

// abort stops a scenario after a setup call failed; the lines so far, plus
// the failure, are what gets compared.
type abort struct{}

func newRun(ctx context.Context, target, endpoint, slug string) *run {
	var b [4]byte
	_, _ = rand.Read(b[:])
	r := &run{
		ctx:      ctx,
		endpoint: endpoint,
		target:   target,
		prefix:   "par-" + hex.EncodeToString(b[:]) + "-" + slug + "-",
		ids:      map[string]string{},
		names:    map[string]string{},
		rot:      &rotationLog{},
	}
	r.sm = r.client(region)
	return r
}

// plainHTTP is the HTTP client of every SDK client of the suite (see
// emulator.PlainBodies): an error of the client's own must not pass for a
// difference between servers.
var plainHTTP = &http.Client{Transport: emulator.PlainBodies(http.DefaultTransport)}

// client returns an SDK client for the target in the given region. One
// attempt only: error cases must not wait for retries.
func (r *run) client(reg string) *sm.Client {
	return sm.New(sm.Options{
		BaseEndpoint:     aws.String(r.endpoint),
		Region:           reg,
		Credentials:      credentials.NewStaticCredentialsProvider("test", "test", ""),
		RetryMaxAttempts: 1, HTTPClient: plainHTTP,
	})
}

// exec runs the scenario's steps, turning a failed setup or a panic into a
// final line instead of crashing the test.
func (r *run) exec(steps func(r *run)) []string {
	func() {
		defer func() {
			if p := recover(); p != nil {
				if _, ok := p.(abort); !ok {
					r.lines = append(r.lines, fmt.Sprintf("panic: %v", p))
				}
			}
		}()
		steps(r)
	}()
	return r.lines
}

// n returns the unique secret name for the scenario-local name short.
func (r *run) n(short string) string {
	full := r.prefix + short
	r.names[full] = short
	return full
}

// setup runs fn with recording off: its calls must succeed, and a failure
// ends the scenario with a "setup" line naming the call.
func (r *run) setup(fn func()) {
	r.mute++
	defer func() { r.mute-- }()
	fn()
}

// try makes a call whose outcome is not part of the comparison (its
// effect is observed by the following calls): nothing is recorded.
func (r *run) try(fn func()) {
	r.mute++
	lines := len(r.lines)
	defer func() {
		r.mute--
		r.lines = r.lines[:lines]
		_ = recover()
	}()
	fn()
}

// note records a scenario-specific observation.
func (r *run) note(format string, args ...any) {
	if r.mute == 0 {
		r.lines = append(r.lines, fmt.Sprintf(format, args...))
	}
}

// record adds the line for one call: "Op: ok <facets>" or "Op: <Code> <status>".
func (r *run) record(op string, err error, facets func() string) {
	if err != nil {
		line := op + ": " + r.errLine(err)
		if r.mute > 0 {
			r.lines = append(r.lines, "setup "+line)
			panic(abort{})
		}
		r.lines = append(r.lines, line)
		return
	}
	if r.mute > 0 {
		facets() // still learn the version aliases
		return
	}
	f := facets()
	if f != "" {
		f = " " + f
	}
	r.lines = append(r.lines, op+": ok"+f)
}

// errLine renders an error as its wire code and HTTP status, plus the
// normalised message when r.messages is set.
func (r *run) errLine(err error) string {
	var ae smithy.APIError
	var re *awshttp.ResponseError
	if !errors.As(err, &ae) {
		if errors.As(err, &re) {
			// An HTTP error whose body the SDK could not decode (an HTML
			// error page, say): the status is all that is comparable.
			return "undecodable HTTP " + strconv.Itoa(re.HTTPStatusCode())
		}
		return "transport error: " + err.Error()
	}
	s := ae.ErrorCode()
	if errors.As(err, &re) {
		s += " " + strconv.Itoa(re.HTTPStatusCode())
	}
	if r.messages {
		s += " " + strconv.Quote(r.scrub(ae.ErrorMessage()))
	}
	return s
}

// scrub replaces what differs between runs (ARNs, names, version ids) in a
// message with stable placeholders.
func (r *run) scrub(msg string) string {
	msg = strings.Join(strings.Fields(msg), " ") // moto wraps long messages with runs of spaces
	for _, w := range strings.FieldsFunc(msg, func(c rune) bool { return c == ' ' || c == ',' || c == '[' || c == ']' }) {
		w = strings.TrimRight(w, ".:")
		switch {
		case strings.HasPrefix(w, "arn:"):
			msg = strings.ReplaceAll(msg, w, "<ARN>")
		case r.ids[w] != "":
			msg = strings.ReplaceAll(msg, w, r.ids[w])
		case r.names[w] != "":
			msg = strings.ReplaceAll(msg, w, r.names[w])
		}
	}
	return msg
}

// v returns the alias of a version id, minting the next one on first sight.
func (r *run) v(id *string) string {
	if id == nil {
		return "<nil>"
	}
	if a, ok := r.ids[*id]; ok {
		return a
	}
	a := "v" + strconv.Itoa(len(r.ids)+1)
	r.ids[*id] = a
	return a
}

// id is the inverse of v: the real version id behind an alias, for
// scenarios that pass a version id back in.
func (r *run) id(alias string) *string {
	for id, a := range r.ids {
		if a == alias {
			return aws.String(id)
		}
	}
	return aws.String("00000000-0000-0000-0000-" + strings.Repeat("0", 12)) // unknown alias: a well-formed id nobody has
}

// short maps a full secret name (or anything else) to the scenario-local name.
func (r *run) short(name string) string {
	if s, ok := r.names[name]; ok {
		return s
	}
	for full, s := range r.names {
		if strings.Contains(name, ":secret:"+full+"-") {
			return s
		}
	}
	return "?"
}

// labels renders a version→labels map as "v1[AWSPREVIOUS] v2[AWSCURRENT]",
// sorted by alias; ids not seen before are aliased in sorted order.
func (r *run) labels(m map[string][]string) string {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var parts []string
	for _, id := range ids {
		parts = append(parts, r.v(aws.String(id))+stages(m[id]))
	}
	sortByAlias(parts)
	return strings.Join(parts, " ")
}

// stages renders a label list as a sorted set; nil (member absent) renders
// as nothing, an empty list as "[]".
func stages(s []string) string {
	if s == nil {
		return ""
	}
	c := slices.Clone(s)
	sort.Strings(c)
	return "[" + strings.Join(c, ",") + "]"
}

// sortByAlias sorts "vN…" strings by N.
func sortByAlias(parts []string) {
	num := func(s string) int {
		end := strings.IndexAny(s, "[{ ")
		if end < 0 {
			end = len(s)
		}
		n, _ := strconv.Atoi(strings.TrimPrefix(s[:end], "v"))
		return n
	}
	sort.SliceStable(parts, func(i, j int) bool { return num(parts[i]) < num(parts[j]) })
}

// shape lists the response members that are present, e.g. "{ARN,Name}". A
// member is present when its pointer, slice or map is non-nil: the SDK leaves
// absent members nil and decodes "[]" into an empty, non-nil slice.
func shape(out any) string {
	v := reflect.ValueOf(out)
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return "{}"
		}
		v = v.Elem()
	}
	var names []string
	for i := 0; i < v.NumField(); i++ {
		f := v.Type().Field(i)
		if !f.IsExported() || f.Name == "ResultMetadata" {
			continue
		}
		fv := v.Field(i)
		if f.Name == "NextToken" && fv.Kind() == reflect.Pointer && !fv.IsNil() && fv.Elem().String() == "" {
			// The SDK ends pagination on an empty NextToken exactly as on an
			// absent one (§1.8), so the two are the same shape.
			continue
		}
		switch fv.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
			if !fv.IsNil() {
				names = append(names, f.Name)
			}
		case reflect.String:
			if fv.String() != "" {
				names = append(names, f.Name)
			}
		}
	}
	sort.Strings(names)
	return "{" + strings.Join(names, ",") + "}"
}

// value renders a secret value for comparison: test values are not secret.
func value(s *string, b []byte) string {
	var parts []string
	if s != nil {
		parts = append(parts, "string="+strconv.Quote(*s))
	}
	if b != nil {
		parts = append(parts, "binary="+strconv.Quote(string(b)))
	}
	return strings.Join(parts, " ")
}

func join(parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, " ")
}

// ---- one method per operation: call, record, return (never nil) ----

func (r *run) create(in *sm.CreateSecretInput) *sm.CreateSecretOutput {
	out, err := r.sm.CreateSecret(r.ctx, in)
	if out == nil {
		out = &sm.CreateSecretOutput{}
	}
	r.record("CreateSecret", err, func() string {
		v := ""
		if out.VersionId != nil {
			v = r.v(out.VersionId)
		}
		return join(shape(out), v)
	})
	return out
}

// createString is the common setup: a secret holding one string version.
func (r *run) createString(short, val string) *sm.CreateSecretOutput {
	return r.create(&sm.CreateSecretInput{Name: aws.String(r.n(short)), SecretString: aws.String(val)})
}

func (r *run) get(in *sm.GetSecretValueInput) *sm.GetSecretValueOutput {
	out, err := r.sm.GetSecretValue(r.ctx, in)
	if out == nil {
		out = &sm.GetSecretValueOutput{}
	}
	r.record("GetSecretValue", err, func() string {
		return join(shape(out), r.v(out.VersionId)+stages(out.VersionStages), value(out.SecretString, out.SecretBinary))
	})
	return out
}

// getValue records only the value (or the error) of a GetSecretValue, for
// cases where AWS's other members are not documented.
func (r *run) getValue(in *sm.GetSecretValueInput) {
	out, err := r.sm.GetSecretValue(r.ctx, in)
	r.record("GetSecretValue", err, func() string { return value(out.SecretString, out.SecretBinary) })
}

func (r *run) batchGet(in *sm.BatchGetSecretValueInput) *sm.BatchGetSecretValueOutput {
	out, err := r.sm.BatchGetSecretValue(r.ctx, in)
	if out == nil {
		out = &sm.BatchGetSecretValueOutput{}
	}
	r.record("BatchGetSecretValue", err, func() string {
		var vals, errs []string
		for _, sv := range out.SecretValues {
			vals = append(vals, r.short(aws.ToString(sv.Name))+":"+r.v(sv.VersionId)+stages(sv.VersionStages)+"="+value(sv.SecretString, sv.SecretBinary))
		}
		for _, e := range out.Errors {
			errs = append(errs, r.short(aws.ToString(e.SecretId))+":"+aws.ToString(e.ErrorCode))
		}
		sort.Strings(vals)
		sort.Strings(errs)
		return join("values=["+strings.Join(vals, " ")+"]", "errors=["+strings.Join(errs, " ")+"]")
	})
	return out
}

func (r *run) put(in *sm.PutSecretValueInput) *sm.PutSecretValueOutput {
	out, err := r.sm.PutSecretValue(r.ctx, in)
	if out == nil {
		out = &sm.PutSecretValueOutput{}
	}
	r.record("PutSecretValue", err, func() string {
		return join(shape(out), r.v(out.VersionId)+stages(out.VersionStages))
	})
	return out
}

// putString puts a string value with optional explicit staging labels.
func (r *run) putString(short, val string, labels ...string) *sm.PutSecretValueOutput {
	in := &sm.PutSecretValueInput{SecretId: aws.String(r.n(short)), SecretString: aws.String(val)}
	if labels != nil {
		in.VersionStages = labels
	}
	return r.put(in)
}

func (r *run) update(in *sm.UpdateSecretInput) *sm.UpdateSecretOutput {
	out, err := r.sm.UpdateSecret(r.ctx, in)
	if out == nil {
		out = &sm.UpdateSecretOutput{}
	}
	r.record("UpdateSecret", err, func() string {
		v := ""
		if out.VersionId != nil {
			v = r.v(out.VersionId)
		}
		return join(shape(out), v)
	})
	return out
}

func (r *run) describe(short string) *sm.DescribeSecretOutput {
	return r.describeID(r.n(short))
}

// describeID renders DescribeSecret: shape, then the values that are
// deterministic (description, tags, rotation settings, replicas, labels).
func (r *run) describeID(id string) *sm.DescribeSecretOutput {
	out, err := r.sm.DescribeSecret(r.ctx, &sm.DescribeSecretInput{SecretId: aws.String(id)})
	if out == nil {
		out = &sm.DescribeSecretOutput{}
	}
	r.record("DescribeSecret", err, func() string {
		var f []string
		if out.Description != nil {
			f = append(f, "desc="+strconv.Quote(*out.Description))
		}
		if out.KmsKeyId != nil {
			f = append(f, "kms="+strconv.Quote(*out.KmsKeyId))
		}
		if out.Tags != nil {
			f = append(f, "tags="+tags(out.Tags))
		}
		if out.RotationEnabled != nil {
			f = append(f, "rotation="+strconv.FormatBool(*out.RotationEnabled))
		}
		if rr := out.RotationRules; rr != nil {
			f = append(f, "rules="+rules(rr))
		}
		if out.PrimaryRegion != nil {
			f = append(f, "primary="+*out.PrimaryRegion)
		}
		if out.ReplicationStatus != nil {
			f = append(f, "replicas="+replicas(out.ReplicationStatus))
		}
		if out.VersionIdsToStages != nil {
			f = append(f, r.labels(out.VersionIdsToStages))
		}
		return join(append([]string{shape(out)}, f...)...)
	})
	return out
}

func tags(ts []types.Tag) string {
	var p []string
	for _, t := range ts {
		p = append(p, aws.ToString(t.Key)+"="+aws.ToString(t.Value))
	}
	sort.Strings(p)
	return "[" + strings.Join(p, ",") + "]"
}

func rules(rr *types.RotationRulesType) string {
	var p []string
	if rr.AutomaticallyAfterDays != nil {
		p = append(p, "days="+strconv.FormatInt(*rr.AutomaticallyAfterDays, 10))
	}
	if rr.ScheduleExpression != nil {
		p = append(p, "schedule="+strconv.Quote(*rr.ScheduleExpression))
	}
	if rr.Duration != nil {
		p = append(p, "duration="+*rr.Duration)
	}
	return "{" + strings.Join(p, ",") + "}"
}

func replicas(rs []types.ReplicationStatusType) string {
	var p []string
	for _, s := range rs {
		// Only a failure is rendered: AWS reports InProgress or InSync
		// depending on timing (§2.17), so the healthy status is not comparable.
		st := aws.ToString(s.Region)
		if s.Status == types.StatusTypeFailed {
			st += ":Failed"
		}
		p = append(p, st)
	}
	sort.Strings(p)
	return "[" + strings.Join(p, ",") + "]"
}

// list calls ListSecrets once and renders the secrets' short names in the
// order returned, plus whether a NextToken came back.
func (r *run) list(in *sm.ListSecretsInput) *sm.ListSecretsOutput {
	out, err := r.sm.ListSecrets(r.ctx, in)
	if out == nil {
		out = &sm.ListSecretsOutput{}
	}
	r.record("ListSecrets", err, func() string {
		names := r.entries(out.SecretList)
		if in.SortBy == "" && in.SortOrder == "" {
			names = sortedEntries(names) // no order was asked for: compare as a set
		}
		return join(shape(out), names)
	})
	return out
}

// sortedEntries sorts a rendered "[a b c]" list.
func sortedEntries(s string) string {
	f := strings.Fields(strings.Trim(s, "[]"))
	sort.Strings(f)
	return "[" + strings.Join(f, " ") + "]"
}

func (r *run) entries(l []types.SecretListEntry) string {
	var p []string
	for _, e := range l {
		p = append(p, r.short(aws.ToString(e.Name)))
	}
	return "[" + strings.Join(p, " ") + "]"
}

// listAll follows NextToken to the end and records one line: the pages'
// sizes and every name in order.
func (r *run) listAll(in *sm.ListSecretsInput) {
	var sizes []string
	var all []types.SecretListEntry
	var err error
	for page := 0; page < 20; page++ {
		var out *sm.ListSecretsOutput
		out, err = r.sm.ListSecrets(r.ctx, in)
		if err != nil {
			break
		}
		sizes = append(sizes, strconv.Itoa(len(out.SecretList)))
		all = append(all, out.SecretList...)
		if aws.ToString(out.NextToken) == "" {
			break
		}
		in.NextToken = out.NextToken
	}
	r.record("ListSecrets(all pages)", err, func() string {
		return "pages=" + strings.Join(sizes, "+") + " " + r.entries(all)
	})
}

// versions renders ListSecretVersionIds: shape, then each version's alias and
// labels (a bare alias when the VersionStages member is absent).
func (r *run) versions(in *sm.ListSecretVersionIdsInput) *sm.ListSecretVersionIdsOutput {
	out, err := r.sm.ListSecretVersionIds(r.ctx, in)
	if out == nil {
		out = &sm.ListSecretVersionIdsOutput{}
	}
	r.record("ListSecretVersionIds", err, func() string {
		var p []string
		for _, v := range out.Versions {
			p = append(p, r.v(v.VersionId)+stages(v.VersionStages))
		}
		sortByAlias(p)
		return join(shape(out), "n="+strconv.Itoa(len(p)), strings.Join(p, " "))
	})
	return out
}

// versionsAll pages through ListSecretVersionIds with MaxResults=1 and
// records the page sizes and every version.
func (r *run) versionsAll(short string) {
	in := &sm.ListSecretVersionIdsInput{SecretId: aws.String(r.n(short)), IncludeDeprecated: aws.Bool(true), MaxResults: aws.Int32(1)}
	var sizes, p []string
	var err error
	for page := 0; page < 20; page++ {
		var out *sm.ListSecretVersionIdsOutput
		out, err = r.sm.ListSecretVersionIds(r.ctx, in)
		if err != nil {
			break
		}
		sizes = append(sizes, strconv.Itoa(len(out.Versions)))
		for _, v := range out.Versions {
			p = append(p, r.v(v.VersionId)+stages(v.VersionStages))
		}
		if aws.ToString(out.NextToken) == "" {
			break
		}
		in.NextToken = out.NextToken
	}
	r.record("ListSecretVersionIds(all pages)", err, func() string {
		sortByAlias(p)
		return "pages=" + strings.Join(sizes, "+") + " " + strings.Join(p, " ")
	})
}

// versionsOf is the common ListSecretVersionIds call on a short name.
func (r *run) versionsOf(short string, deprecated bool) *sm.ListSecretVersionIdsOutput {
	in := &sm.ListSecretVersionIdsInput{SecretId: aws.String(r.n(short))}
	if deprecated {
		in.IncludeDeprecated = aws.Bool(true)
	}
	return r.versions(in)
}

func (r *run) stage(in *sm.UpdateSecretVersionStageInput) {
	out, err := r.sm.UpdateSecretVersionStage(r.ctx, in)
	r.record("UpdateSecretVersionStage", err, func() string { return shape(out) })
}

// moveStage is UpdateSecretVersionStage with aliases; "" leaves a side out.
func (r *run) moveStage(short, label, from, to string) {
	in := &sm.UpdateSecretVersionStageInput{SecretId: aws.String(r.n(short)), VersionStage: aws.String(label)}
	if from != "" {
		in.RemoveFromVersionId = r.id(from)
	}
	if to != "" {
		in.MoveToVersionId = r.id(to)
	}
	r.stage(in)
}

func (r *run) del(in *sm.DeleteSecretInput) {
	out, err := r.sm.DeleteSecret(r.ctx, in)
	r.record("DeleteSecret", err, func() string { return shape(out) })
}

// delShort deletes with the default recovery window.
func (r *run) delShort(short string) {
	r.del(&sm.DeleteSecretInput{SecretId: aws.String(r.n(short))})
}

func (r *run) restore(short string) {
	out, err := r.sm.RestoreSecret(r.ctx, &sm.RestoreSecretInput{SecretId: aws.String(r.n(short))})
	r.record("RestoreSecret", err, func() string { return shape(out) })
}

func (r *run) rotate(in *sm.RotateSecretInput) *sm.RotateSecretOutput {
	out, err := r.sm.RotateSecret(r.ctx, in)
	if out == nil {
		out = &sm.RotateSecretOutput{}
	}
	r.record("RotateSecret", err, func() string {
		v := ""
		if out.VersionId != nil {
			v = r.v(out.VersionId)
		}
		return join(shape(out), v)
	})
	return out
}

func (r *run) cancelRotate(short string) {
	out, err := r.sm.CancelRotateSecret(r.ctx, &sm.CancelRotateSecretInput{SecretId: aws.String(r.n(short))})
	r.record("CancelRotateSecret", err, func() string {
		v := ""
		if out.VersionId != nil {
			v = r.v(out.VersionId)
		}
		return join(shape(out), v)
	})
}

func (r *run) tag(short string, kv ...string) {
	var ts []types.Tag
	for i := 0; i+1 < len(kv); i += 2 {
		ts = append(ts, types.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	out, err := r.sm.TagResource(r.ctx, &sm.TagResourceInput{SecretId: aws.String(r.n(short)), Tags: ts})
	r.record("TagResource", err, func() string { return shape(out) })
}

func (r *run) untag(short string, keys ...string) {
	out, err := r.sm.UntagResource(r.ctx, &sm.UntagResourceInput{SecretId: aws.String(r.n(short)), TagKeys: keys})
	r.record("UntagResource", err, func() string { return shape(out) })
}

// password renders GetRandomPassword as its length and the character classes
// present; check may add a scenario-specific fact about the password.
func (r *run) password(in *sm.GetRandomPasswordInput, check func(pw string) string) {
	out, err := r.sm.GetRandomPassword(r.ctx, in)
	r.record("GetRandomPassword", err, func() string {
		pw := aws.ToString(out.RandomPassword)
		f := join(shape(out), "len="+strconv.Itoa(len(pw)))
		if check != nil {
			f = join(f, check(pw))
		}
		return f
	})
}

// classes names the character classes in pw, in a fixed order.
func classes(pw string) string {
	has := map[string]bool{}
	for _, c := range pw {
		switch {
		case c >= 'a' && c <= 'z':
			has["lower"] = true
		case c >= 'A' && c <= 'Z':
			has["upper"] = true
		case c >= '0' && c <= '9':
			has["digit"] = true
		case c == ' ':
			has["space"] = true
		case strings.ContainsRune(punctuation, c):
			has["punct"] = true
		default:
			has["other"] = true
		}
	}
	var p []string
	for _, k := range []string{"lower", "upper", "digit", "punct", "space", "other"} {
		if has[k] {
			p = append(p, k)
		}
	}
	return "classes=" + strings.Join(p, ",")
}

// punctuation is the class AWS draws from (§2.14).
const punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"

func (r *run) putPolicy(in *sm.PutResourcePolicyInput) {
	out, err := r.sm.PutResourcePolicy(r.ctx, in)
	r.record("PutResourcePolicy", err, func() string { return shape(out) })
}

// getPolicy records the shape and whether the returned policy is, as JSON,
// the one given in want.
func (r *run) getPolicy(short, want string) {
	out, err := r.sm.GetResourcePolicy(r.ctx, &sm.GetResourcePolicyInput{SecretId: aws.String(r.n(short))})
	r.record("GetResourcePolicy", err, func() string {
		if out.ResourcePolicy == nil {
			return shape(out)
		}
		return join(shape(out), "policy-matches="+strconv.FormatBool(sameJSON(*out.ResourcePolicy, want)))
	})
}

func sameJSON(a, b string) bool {
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

func (r *run) deletePolicy(short string) {
	out, err := r.sm.DeleteResourcePolicy(r.ctx, &sm.DeleteResourcePolicyInput{SecretId: aws.String(r.n(short))})
	r.record("DeleteResourcePolicy", err, func() string { return shape(out) })
}

func (r *run) validatePolicy(in *sm.ValidateResourcePolicyInput) {
	out, err := r.sm.ValidateResourcePolicy(r.ctx, in)
	r.record("ValidateResourcePolicy", err, func() string {
		return join("passed="+strconv.FormatBool(out.PolicyValidationPassed), "errors="+strconv.Itoa(len(out.ValidationErrors)))
	})
}

func (r *run) replicate(short string, regions ...string) {
	in := &sm.ReplicateSecretToRegionsInput{SecretId: aws.String(r.n(short))}
	for _, rg := range regions {
		in.AddReplicaRegions = append(in.AddReplicaRegions, types.ReplicaRegionType{Region: aws.String(rg)})
	}
	out, err := r.sm.ReplicateSecretToRegions(r.ctx, in)
	r.record("ReplicateSecretToRegions", err, func() string { return join(shape(out), replicas(out.ReplicationStatus)) })
}

func (r *run) unreplicate(short string, regions ...string) {
	out, err := r.sm.RemoveRegionsFromReplication(r.ctx, &sm.RemoveRegionsFromReplicationInput{
		SecretId: aws.String(r.n(short)), RemoveReplicaRegions: regions,
	})
	// Only the remaining replicas: whether AWS sends an empty
	// ReplicationStatus or omits it is not documented.
	r.record("RemoveRegionsFromReplication", err, func() string { return replicas(out.ReplicationStatus) })
}

// arnRegion is the region field of an ARN.
func arnRegion(arn string) string {
	p := strings.Split(arn, ":")
	if len(p) < 4 {
		return "?"
	}
	return p[3]
}

// raw posts a hand-made awsJson1_1 request, for what the SDK never sends
// (it always fills ClientRequestToken, §1.2), and records the answer the way
// the SDK would classify it (§1.6): the code from X-Amzn-ErrorType, else
// __type, else code, cut at ':' and after '#'.
func (r *run) raw(op string, body map[string]any) {
	b, _ := json.Marshal(body)
	r.rawBytes(op, b, nil, true)
}

// rawBytes sends body as it is; on success it records ok plus what onOK
// reads from the response body (nil: nothing), on failure the code, status
// and (withMsg) the message.
func (r *run) rawBytes(op string, b []byte, onOK func(data []byte) string, withMsg bool) {
	req, err := http.NewRequestWithContext(r.ctx, http.MethodPost, r.endpoint+"/", bytes.NewReader(b))
	if err != nil {
		r.note("%s(raw): %v", op, err)
		return
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "secretsmanager."+op)
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20261125/"+region+"/secretsmanager/aws4_request, SignedHeaders=host;x-amz-target, Signature=0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.note("%s(raw): %v", op, err)
		return
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 == 2 {
		if onOK != nil {
			r.note("%s(raw): ok %s", op, onOK(data))
			return
		}
		r.note("%s(raw): ok", op)
		return
	}
	var e struct {
		Type    string `json:"__type"`
		Code    string `json:"code"`
		Message string `json:"Message"`
		Lower   string `json:"message"`
	}
	_ = json.Unmarshal(data, &e)
	code := resp.Header.Get("X-Amzn-ErrorType")
	for _, c := range []string{e.Type, e.Code} {
		if code == "" {
			code = c
		}
	}
	code, _, _ = strings.Cut(code, ":")
	if i := strings.LastIndex(code, "#"); i >= 0 {
		code = code[i+1:]
	}
	msg := e.Message
	if msg == "" {
		msg = e.Lower
	}
	if !withMsg {
		r.note("%s(raw): %s %d", op, code, resp.StatusCode)
		return
	}
	r.note("%s(raw): %s %d %s", op, code, resp.StatusCode, strconv.Quote(r.scrub(msg)))
}
