package checker

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

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
	out, err := c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{
		Name: awssdk.String(name), SecretString: awssdk.String(rollbackGood),
		ClientRequestToken: awssdk.String(tokenFor(r.ns, "good")),
		Description:        awssdk.String("Feature flags of the app (rollback exercise)"),
	})
	if err != nil {
		return err
	}
	arn := awssdk.ToString(out.ARN)
	if _, err := c.TagResource(ctx, &secretsmanager.TagResourceInput{
		SecretId: awssdk.String(arn), Tags: []types.Tag{{Key: awssdk.String(seedTag), Value: awssdk.String(seedMark(arn))}},
	}); err != nil {
		return err
	}
	_, err = c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{
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
		seeded  = "the secret is the one that was seeded"
		exists  = "the secret still exists"
		noNew   = "no new version was created"
		current = "the good version is AWSCURRENT"
		prev    = "the broken version is AWSPREVIOUS"
	)
	d, found := r.describe(ctx, name)
	if r.fatal != nil {
		return
	}
	if !r.check(exists, 1, failIf(!found, name+" is gone: reset the exercise to seed it again")) {
		r.skip("the secret is gone", 1, seeded, noNew, current, prev)
		return
	}
	r.check(seeded, 1, failIf(!isSeeded(d), "this is a new secret of the same name (its ARN changed), so everything that names the old ARN is broken: a rollback moves labels on the secret you have; reset the exercise to seed it again"))
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

// seedTag marks the secret prepareRollback made with a mark of its ARN, so
// a secret deleted and made again under the same name (a new ARN) is told
// apart from it, version ids and labels alike.
const seedTag = "secretlings:seeded"

// seedMark is the mark of arn. It is a keyed hash so a copied tag does not
// fit the new ARN (the key is no secret: this only catches mistakes).
func seedMark(arn string) string {
	m := hmac.New(sha256.New, []byte("secretlings rollback exercise"))
	m.Write([]byte(arn))
	return hex.EncodeToString(m.Sum(nil))[:16]
}

func isSeeded(d *secretsmanager.DescribeSecretOutput) bool {
	for _, t := range d.Tags {
		if awssdk.ToString(t.Key) == seedTag {
			return hmac.Equal([]byte(awssdk.ToString(t.Value)), []byte(seedMark(awssdk.ToString(d.ARN))))
		}
	}
	return false
}
