package runner

import (
	"context"
	"errors"
	"fmt"
	"strings"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"secretlings/aws"
	"secretlings/aws/emulator"
	"secretlings/lessons"
)

// caller runs one operation of a service other than Secrets Manager with
// the given clients. The table is typed: each entry is the SDK method
// itself, so a wrong input type cannot compile.
type caller func(ctx context.Context, c aws.Clients, input any) (any, error)

func kmsOp[I, O any](m func(*kms.Client, context.Context, *I, ...func(*kms.Options)) (*O, error)) caller {
	return func(ctx context.Context, c aws.Clients, in any) (any, error) { return result(m(c.KMS, ctx, in.(*I))) }
}

func stsOp[I, O any](m func(*sts.Client, context.Context, *I, ...func(*sts.Options)) (*O, error)) caller {
	return func(ctx context.Context, c aws.Clients, in any) (any, error) { return result(m(c.STS, ctx, in.(*I))) }
}

func trailOp[I, O any](m func(*cloudtrail.Client, context.Context, *I, ...func(*cloudtrail.Options)) (*O, error)) caller {
	return func(ctx context.Context, c aws.Clients, in any) (any, error) {
		return result(m(c.CloudTrail, ctx, in.(*I)))
	}
}

// result keeps a typed nil output out of the interface on error.
func result[O any](out *O, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return out, nil
}

var callers = map[string]caller{
	"kms:CreateKey":           kmsOp((*kms.Client).CreateKey),
	"kms:DescribeKey":         kmsOp((*kms.Client).DescribeKey),
	"kms:DisableKey":          kmsOp((*kms.Client).DisableKey),
	"kms:EnableKey":           kmsOp((*kms.Client).EnableKey),
	"kms:GetKeyPolicy":        kmsOp((*kms.Client).GetKeyPolicy),
	"kms:ScheduleKeyDeletion": kmsOp((*kms.Client).ScheduleKeyDeletion),
	"kms:CancelKeyDeletion":   kmsOp((*kms.Client).CancelKeyDeletion),
	"kms:ListAliases":         kmsOp((*kms.Client).ListAliases),
	"kms:CreateAlias":         kmsOp((*kms.Client).CreateAlias),
	"sts:GetCallerIdentity":   stsOp((*sts.Client).GetCallerIdentity),
	"cloudtrail:LookupEvents": trailOp((*cloudtrail.Client).LookupEvents),
}

// clients returns the clients a call runs with: the session's own, or a
// cast member's, signed with its keys.
func (r *Runner) clients(as string) (aws.Clients, error) {
	if as == "" {
		return r.own, nil
	}
	m, ok := emulator.CastMemberNamed(as)
	if !ok {
		return aws.Clients{}, fmt.Errorf("no cast member %q", as)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if c, ok := r.cast[as]; ok {
		return c, nil
	}
	c := r.conn.As(credentials.NewStaticCredentialsProvider(m.AccessKeyID, m.SecretAccessKey, ""))
	r.cast[as] = c
	return c, nil
}

// invoke calls the action's operation with input and fills res.
func (r *Runner) invoke(ctx context.Context, a *lessons.Action, input any, res *Result) {
	c, err := r.clients(a.As)
	if err != nil {
		res.Err = err
		return
	}
	if a.Service() == lessons.SecretsManager {
		r.call(ctx, c.SecretsManager, a.Operation, input, res)
		return
	}
	call, ok := callers[a.Operation]
	if !ok {
		res.Err = fmt.Errorf("the runner cannot call %s", a.Operation)
		return
	}
	start := r.now()
	out, err := call(ctx, c, input)
	res.Duration = r.now().Sub(start)
	if err != nil {
		res.Err = err
		return
	}
	res.Response, res.revealed = responseJSON(out)
}

// castLabel is how a result names the principal it ran as: "role/app".
func castLabel(m emulator.CastMember) string {
	if i := strings.Index(m.ARN, ":role/"); i >= 0 {
		return m.ARN[i+1:]
	}
	if i := strings.Index(m.ARN, ":user/"); i >= 0 {
		return m.ARN[i+1:]
	}
	return m.Name
}

// Principal names a cast member as a step shows it: "role/app" for app,
// or the name itself if there is no such member.
func Principal(member string) string {
	if m, ok := emulator.CastMemberNamed(member); ok {
		return castLabel(m)
	}
	return member
}

// Profile is the name of the aws CLI profile that holds a cast member's
// keys in the snippets: secretlings-app for app. The prefix keeps a
// learner's own profile called "app" safe.
func Profile(member string) string { return "secretlings-" + member }

// CredentialsFile is an ~/.aws/credentials section per cast member, the
// profiles the snippets of an "As:" step use. The keys are the emulator's
// published tutorial keys: they mean nothing anywhere else.
func CredentialsFile() string {
	var b strings.Builder
	for _, m := range emulator.Cast() {
		fmt.Fprintf(&b, "[%s]\naws_access_key_id = %s\naws_secret_access_key = %s\n\n", Profile(m.Name), m.AccessKeyID, m.SecretAccessKey)
	}
	return b.String()
}

// backendDoes tells whether the backend does what a "needs:" line names.
// The embedded emulator does it all, and so does AWS; moto and LocalStack
// Community store policies and keys but apply neither and keep no trail,
// so there the step could only seem to work, or fail strangely. An
// endpoint that knows the cast is this tutorial's emulator (secretlings
// serve), which does it all too.
func (r *Runner) backendDoes(ctx context.Context, feature string) bool {
	switch r.target.Backend {
	case aws.Embedded, aws.AWS:
		return true
	}
	return r.knowsCast(ctx)
}

// knowsCast tells whether the backend knows the tutorial's cast: the
// embedded emulator does; another endpoint does if STS, asked as app, names
// app (moto names its own user whatever the keys). The answer is kept.
func (r *Runner) knowsCast(ctx context.Context) bool {
	switch r.target.Backend {
	case aws.Embedded:
		return true
	case aws.AWS:
		return false // the cast's keys mean nothing there: do not send them
	}
	r.mu.Lock()
	known := r.castKnown
	r.mu.Unlock()
	if known != nil {
		return *known
	}
	yes := false
	if c, err := r.clients("app"); err == nil {
		out, err := c.STS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		m, _ := emulator.CastMemberNamed("app")
		yes = err == nil && strings.HasSuffix(sdkaws.ToString(out.Arn), ":assumed-role/app/secretlings") && sdkaws.ToString(out.Account) == m.Account
	}
	if yes {
		// It must also enforce (not serve --enforce-iam=false): the intern,
		// allowed nothing, is refused a listing.
		c, _ := r.clients("intern")
		_, err := c.SecretsManager.ListSecrets(ctx, &secretsmanager.ListSecretsInput{MaxResults: sdkaws.Int32(1)})
		var ae smithy.APIError
		yes = errors.As(err, &ae) && ae.ErrorCode() == "AccessDeniedException"
	}
	r.mu.Lock()
	r.castKnown = &yes
	r.mu.Unlock()
	return yes
}

// tutorialAccounts are the accounts of the emulator's cast; a policy naming
// them means nothing on AWS, which refuses principals that do not exist.
var tutorialAccounts = []string{"::" + emulator.DefaultAccountID + ":", "::" + emulator.OtherAccountID + ":"}

// skipReason says why the action cannot run on this backend, or "".
func (r *Runner) skipReason(ctx context.Context, a *lessons.Action) string {
	elsewhere := "On moto or LocalStack Community, which store resource policies and keys but never apply them (and keep no audit trail), it would only seem to work, so it was not sent."
	if r.target.Backend == aws.AWS {
		elsewhere = "On AWS, try the same with roles of your own: the snippets show how to sign with another profile. Nothing was sent."
	}
	if a.As != "" && !r.knowsCast(ctx) {
		m, _ := emulator.CastMemberNamed(a.As)
		return fmt.Sprintf("This step runs as %s, one of the tutorial's cast of principals, who exist only in the tutorial's own emulator (the embedded backend, or secretlings serve). %s", castLabel(m), elsewhere)
	}
	for _, f := range a.Needs {
		if !r.backendDoes(ctx, f) {
			return fmt.Sprintf("This step needs a backend that %s: the tutorial's own emulator (embedded, or secretlings serve) or AWS. %s", lessons.Features[f], elsewhere)
		}
	}
	if r.target.Backend == aws.AWS {
		for _, p := range a.Params {
			for _, acct := range tutorialAccounts {
				if strings.Contains(p.Value, "arn:aws:iam"+acct) {
					return "This step names the tutorial's cast (arn:aws:iam::" + strings.Trim(acct, ":") + ":…), who exist only in the tutorial's own emulator; AWS refuses policies that name principals it does not know. " + elsewhere
				}
			}
		}
	}
	return ""
}

// whySkip decides whether the action is skipped on this backend, and says
// why: it cannot run here (skipReason), or it is about a secret or key an
// earlier step would have made, had that step not been skipped. It keeps
// track of the secrets whose CreateSecret was skipped.
func (r *Runner) whySkip(ctx context.Context, lessonID string, a *lessons.Action, secret string, paramsErr error) string {
	skip := r.skipReason(ctx, a)
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case skip != "":
	case errors.Is(paramsErr, errNoKey) && !r.Embedded():
		skip = "This step uses a KMS key that an earlier step makes, and that step could not run here. Nothing was sent."
	case secret != "" && r.absent[lessonID][secret] && a.Operation != "CreateSecret":
		skip = "This step is about " + secret + ", which an earlier step creates, and that step could not run here. Nothing was sent."
	}
	if a.Operation == "CreateSecret" && secret != "" {
		if r.absent[lessonID] == nil {
			r.absent[lessonID] = map[string]bool{}
		}
		r.absent[lessonID][secret] = skip != ""
	}
	return skip
}

// errNoKey reports a {{key NAME}} placeholder with no key behind it.
var errNoKey = errors.New("no such key")

// keyID resolves {{key NAME}}: the newest key, not pending deletion, that
// this lesson created with the description NAME (the runner put the
// lesson's namespace in front of it). It asks KMS, not a memory of this
// session, so a key made with the aws CLI from the snippet counts too.
func (r *Runner) keyID(ctx context.Context, lessonID, name string) (string, error) {
	keys, err := r.lessonKeys(ctx, Namespace(lessonID)+name, false)
	if err != nil {
		return "", err
	}
	if len(keys) == 0 {
		return "", fmt.Errorf("%w: the lesson has no KMS key %q yet (the step that creates it comes first)", errNoKey, name)
	}
	return sdkaws.ToString(keys[len(keys)-1].KeyId), nil
}

// lessonKeys lists, oldest first, the keys not pending deletion whose
// description is desc, or with prefix, starts with it.
func (r *Runner) lessonKeys(ctx context.Context, desc string, prefix bool) ([]*kmstypes.KeyMetadata, error) {
	c := r.own.KMS
	var found []*kmstypes.KeyMetadata
	p := kms.NewListKeysPaginator(c, &kms.ListKeysInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, k := range page.Keys {
			d, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: k.KeyId})
			if err != nil {
				return nil, err
			}
			md := d.KeyMetadata
			got := sdkaws.ToString(md.Description)
			if md.KeyState == kmstypes.KeyStatePendingDeletion || !(got == desc || prefix && strings.HasPrefix(got, desc)) {
				continue
			}
			found = append(found, md)
		}
	}
	// Creation dates have a resolution of a second; ListKeys order breaks ties.
	for i := 1; i < len(found); i++ {
		for j := i; j > 0 && sdkaws.ToTime(found[j].CreationDate).Before(sdkaws.ToTime(found[j-1].CreationDate)); j-- {
			found[j], found[j-1] = found[j-1], found[j]
		}
	}
	return found, nil
}

// retireKeys schedules the deletion of the keys a lesson created (KMS
// deletes a key no sooner than 7 days later), so a replay starts without
// them and a real AWS account does not keep paying for them.
func (r *Runner) retireKeys(ctx context.Context, lessonID string) error {
	keys, err := r.lessonKeys(ctx, Namespace(lessonID), true)
	if err != nil {
		return err
	}
	for _, k := range keys {
		if _, err := r.own.KMS.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: k.KeyId, PendingWindowInDays: sdkaws.Int32(7)}); err != nil {
			return fmt.Errorf("scheduling the deletion of key %s: %w", sdkaws.ToString(k.KeyId), err)
		}
	}
	return nil
}

// usesKeys tells whether a lesson creates KMS keys, so that its reset
// retires them; other lessons' resets never call KMS.
func usesKeys(l *lessons.Lesson) bool {
	for _, a := range l.Actions() {
		if a.Operation == "kms:CreateKey" {
			return true
		}
	}
	return false
}
