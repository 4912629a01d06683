package checker

import (
	"context"
	"fmt"
	"slices"
	"strings"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
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
