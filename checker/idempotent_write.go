package checker

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

func gradeIdempotentWrite(ctx context.Context, r *run) {
	// Two releases drawn apart, so one cannot be worked out from the other.
	oldRelease := fmt.Sprintf("2025.%d.%d", 1+randInt(12), randInt(1000))
	newRelease := fmt.Sprintf("2026.%d.%d", 1+randInt(12), 1000+randInt(9000))
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

	reqs := r.requests()
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
