package checker

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// checkIdemPrints is the check of the releases a run prints.
const checkIdemPrints = "prints both releases"

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
	// A retry changes nothing, so it prints what the first run printed:
	// the second run is judged too once the first is right (a program that
	// took the "previous" release from AWSCURRENT before its write prints
	// the new one there on a retry).
	why = r.releasesWrong("first", first.Stdout, oldRelease, newRelease)
	if why == "" && second.Code == 0 {
		why = r.releasesWrong("second", second.Stdout, oldRelease, newRelease)
	}
	r.check(checkIdemPrints, 3, why)
}

// releasesWrong says what is wrong with one run's output, if anything:
// both lines are there, and every line that starts like one of them gives
// its release.
func (r *run) releasesWrong(which, out, oldRelease, newRelease string) string {
	var lacks []string
	for _, l := range []struct{ prefix, want, fix string }{
		{"previous release:", oldRelease, "AWSPREVIOUS is the version that was current before the first run, on a retry too: read it by its label after the write"},
		{"new release:", newRelease, "read the version whose id is REQUEST_TOKEN"},
	} {
		found := false
		for _, line := range strings.Split(out, "\n") {
			rest, ok := strings.CutPrefix(strings.TrimSpace(line), l.prefix)
			if !ok {
				continue
			}
			found = true
			if got := strings.TrimSpace(rest); got != l.want {
				shown := truncate(scrub(r.known, l.prefix+" "+got), 120)
				return fmt.Sprintf("the %s run prints %q where it should print %q: %s", which, shown, l.prefix+" "+l.want, l.fix)
			}
		}
		if !found {
			lacks = append(lacks, l.prefix+" "+l.want)
		}
	}
	if len(lacks) > 0 {
		return fmt.Sprintf("the %s run's output lacks the line(s) %s", which, strings.Join(quoteAll(lacks), " and "))
	}
	return ""
}
