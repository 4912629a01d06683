package checker

import (
	"context"
	"fmt"
	"slices"
	"strings"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"

	"secretlings/aws/emulator"
)

const leastPrivilegeName = "payments/card-processor"

const leastPrivilegeDescription = "Card processor API key (least-privilege exercise)"

// needsSeeding reports whether an access exercise's secret name must be
// made: not on AWS, which has no cast to grade with (the grading says so,
// and nothing is made in a real account), and not when it exists already.
func (r *run) needsSeeding(ctx context.Context, name string) (bool, error) {
	if r.c.Backend.Endpoint == "" {
		return false, nil
	}
	_, found := r.describe(ctx, name)
	if r.fatal != nil {
		return false, r.fatal
	}
	return !found, nil
}

// prepareLeastPrivilege seeds the payments secret with a version at each
// stage the checker probes: AWSPREVIOUS, AWSCURRENT and AWSPENDING.
func prepareLeastPrivilege(ctx context.Context, r *run) error {
	name := r.ns + leastPrivilegeName
	if seed, err := r.needsSeeding(ctx, name); !seed {
		return err
	}
	key, err := r.sharedKey(ctx)
	if err != nil {
		return err
	}
	in := createInput(name, "sk_live_"+randHex(12))
	if key != "" {
		in.KmsKeyId = awssdk.String(key)
	}
	in.ClientRequestToken = awssdk.String(tokenFor(r.ns, "v1"))
	in.Description = awssdk.String(leastPrivilegeDescription)
	in.Tags = []types.Tag{{Key: awssdk.String("team"), Value: awssdk.String("payments")}}
	r.known.Add(awssdk.ToString(in.SecretString))
	if _, err := r.client.CreateSecret(ctx, in); err != nil {
		return err
	}
	if err := r.put(ctx, name, "sk_live_"+randHex(12), tokenFor(r.ns, "v2")); err != nil {
		return err
	}
	pending := "sk_live_" + randHex(12)
	r.known.Add(pending)
	_, err = r.client.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{
		SecretId: awssdk.String(name), SecretString: awssdk.String(pending),
		ClientRequestToken: awssdk.String(tokenFor(r.ns, "v3")), VersionStages: []string{"AWSPENDING"},
	})
	return err
}

// probe is one operation the checker tries as each principal.
type probe struct {
	op string // as verdicts name it: "GetSecretValue at AWSPREVIOUS"
	do func(ctx context.Context, c *secretsmanager.Client, arn string) error
}

// probeLabel is the label a permitted PutSecretValue probe puts on its
// version, so AWSCURRENT stays where it is.
const probeLabel = "SECRETLINGS-PROBE"

// leastPrivilegeProbes are the operations probed, all on the secret's ARN
// (the only way another account can name it). The writes change nothing
// that matters when allowed: the same description, the same tag, and a
// value under a label of its own with a fixed token (so a second probe is
// no new version).
func (r *run) leastPrivilegeProbes(member string) []probe {
	read := func(stage string) probe {
		return probe{"GetSecretValue at " + stage, func(ctx context.Context, c *secretsmanager.Client, arn string) error {
			_, err := c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: &arn, VersionStage: awssdk.String(stage)})
			return err
		}}
	}
	value := "probe value written by " + member
	r.known.Add(value)
	return []probe{
		read("AWSCURRENT"), read("AWSPREVIOUS"), read("AWSPENDING"),
		{"PutSecretValue", func(ctx context.Context, c *secretsmanager.Client, arn string) error {
			_, err := c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{
				SecretId: &arn, SecretString: awssdk.String(value),
				ClientRequestToken: awssdk.String(tokenFor(r.ns, "probe-"+member)), VersionStages: []string{probeLabel},
			})
			return err
		}},
		{"DescribeSecret", func(ctx context.Context, c *secretsmanager.Client, arn string) error {
			_, err := c.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: &arn})
			return err
		}},
		{"ListSecretVersionIds", func(ctx context.Context, c *secretsmanager.Client, arn string) error {
			_, err := c.ListSecretVersionIds(ctx, &secretsmanager.ListSecretVersionIdsInput{SecretId: &arn})
			return err
		}},
		{"GetResourcePolicy", func(ctx context.Context, c *secretsmanager.Client, arn string) error {
			_, err := c.GetResourcePolicy(ctx, &secretsmanager.GetResourcePolicyInput{SecretId: &arn})
			return err
		}},
		{"UpdateSecret", func(ctx context.Context, c *secretsmanager.Client, arn string) error {
			_, err := c.UpdateSecret(ctx, &secretsmanager.UpdateSecretInput{SecretId: &arn, Description: awssdk.String(leastPrivilegeDescription)})
			return err
		}},
		{"TagResource", func(ctx context.Context, c *secretsmanager.Client, arn string) error {
			_, err := c.TagResource(ctx, &secretsmanager.TagResourceInput{SecretId: &arn, Tags: []types.Tag{{Key: awssdk.String("team"), Value: awssdk.String("payments")}}})
			return err
		}},
	}
}

// leastPrivilegeWants is what each principal may do, and the check that
// says so; anything not listed must be refused.
var leastPrivilegeWants = []struct {
	member, check string
	allowed       []string
}{
	{"app", "role/app can read AWSCURRENT and nothing else", []string{"GetSecretValue at AWSCURRENT"}},
	{"deployer", "role/deployer can write values but not read them", []string{"PutSecretValue"}},
	{"auditor", "user/auditor can describe the secret and nothing else", []string{"DescribeSecret"}},
	{"intern", "user/intern can do nothing", nil},
	{"partner", "role/partner in the other account can do nothing", nil},
}

const (
	lpHasPolicy = "the secret has your resource policy"
	lpNotPublic = "the policy is not public"
)

func gradeLeastPrivilege(ctx context.Context, r *run) {
	name := r.ns + leastPrivilegeName
	later := []string{lpHasPolicy, lpNotPublic, rootManages}
	for _, w := range leastPrivilegeWants {
		later = append(later, w.check)
	}
	if !r.enforced(ctx) {
		r.skip("the backend does not enforce access policies", 0, later...)
		return
	}
	d, found := r.describe(ctx, name)
	if r.fatal != nil {
		return
	}
	if !found {
		r.fatal = fmt.Errorf("%s is gone: reset the exercise (secretlings reset least-privilege) to seed it again", name)
		return
	}
	arn := awssdk.ToString(d.ARN)
	doc, ok := r.leastPrivilegePolicy(ctx, arn)
	if !ok {
		r.skip("the secret has no resource policy of yours", 1, later[1:]...)
		return
	}
	// The probes below are some fifty calls: asked again only when the
	// policy changed (see accessMemo).
	key := r.ns + "\x00" + doc
	if checks, ok := r.c.access.verdict(key); ok {
		r.res.Checks = append(r.res.Checks, checks...)
		return
	}
	first := len(r.res.Checks)
	defer func() {
		if r.fatal == nil { // a grading that broke off is asked again
			r.c.access.keepVerdict(key, r.res.Checks[first:])
		}
	}()
	findings := r.validation(ctx, arn, doc)
	why := ""
	if where, public := publicStatement(doc); public {
		why = where + " allows \"Principal\": \"*\" with no condition on who calls: that is anyone with an AWS account, and BlockPublicPolicy would refuse it; name the principals instead"
	} else if msg, public := publicFinding(findings); public {
		why = "ValidateResourcePolicy says: " + msg
	}
	r.check(lpNotPublic, 4, why)
	r.rootCheck(ctx, arn, doc, findings, 4)
	for _, w := range leastPrivilegeWants {
		m := castMember(w.member)
		r.check(w.check, wantHint(w.member), r.wrongVerdicts(ctx, m, arn, w.allowed))
	}
}

// wantHint is the hint for a principal's wrong verdicts: the stage
// condition for role/app, the explicit Deny for the principals whose
// identity policies grant more than the exercise allows, the Allow list
// for the rest.
func wantHint(member string) int {
	switch member {
	case "app":
		return 2
	case "deployer", "auditor":
		return 3
	}
	return 1
}

// leastPrivilegePolicy applies policy.json when grading a stub or a
// reference solution, and returns the policy on the secret; false (with a
// failed check) when there is none.
func (r *run) leastPrivilegePolicy(ctx context.Context, arn string) (string, bool) {
	if r.c.Source != Learner {
		files, err := r.exerciseFiles()
		if err != nil {
			r.fatal = err
			return "", false
		}
		if err := r.putPolicy(ctx, arn, string(files["policy.json"])); err != nil {
			return "", r.check(lpHasPolicy, 1, "applying policy.json failed: "+explain(err))
		}
	}
	doc, err := r.policyOf(ctx, arn)
	switch {
	case isAccessDenied(err):
		// The root's own refusal is what rootCheck reports.
		r.check(lpHasPolicy, 4, "the account root may not even read the policy: "+explain(err))
		return "", false
	case err != nil:
		r.fatal = fmt.Errorf("reading the policy of %s: %s", arn, explain(err))
		return "", false
	case doc == "":
		return "", r.check(lpHasPolicy, 1, "the secret has no resource policy yet: write yours in policy.json and apply it with `aws secretsmanager put-resource-policy --secret-id "+r.ns+leastPrivilegeName+" --resource-policy file://policy.json` (add --endpoint-url for the backend you use), or in the app")
	}
	return doc, r.check(lpHasPolicy, 1, "")
}

// wrongVerdicts probes every operation as m and lists the verdicts that
// differ from allowed: "role/deployer could GetSecretValue at AWSCURRENT
// (should be refused)". Only AccessDeniedException counts as refused: any
// other answer means the policy let the call through.
func (r *run) wrongVerdicts(ctx context.Context, m emulator.CastMember, arn string, allowed []string) string {
	c := r.clientAs(m)
	var wrong []string
	for _, p := range r.leastPrivilegeProbes(m.Name) {
		err := p.do(ctx, c, arn)
		want := slices.Contains(allowed, p.op)
		switch refused := isAccessDenied(err); {
		case want && refused:
			wrong = append(wrong, fmt.Sprintf("%s was refused %s (should be allowed)", castName(m), p.op))
		case want && err != nil:
			wrong = append(wrong, fmt.Sprintf("%s's %s failed: %s (should succeed)", castName(m), p.op, errorCode(err)))
		case !want && !refused:
			wrong = append(wrong, fmt.Sprintf("%s could %s (should be refused)", castName(m), p.op))
		}
	}
	return strings.Join(wrong, "; ")
}
