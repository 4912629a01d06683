package checker

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
)

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
