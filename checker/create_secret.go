package checker

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
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
	why := ""
	if err != nil {
		why = "reading the AWSCURRENT value failed: " + explain(err)
	} else {
		why = apiConfigReason(v)
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

// apiConfigReason checks the create-secret value as its README states it:
// a JSON object whose host is a non-blank string, whose port is a whole
// number from 1 to 65535, and whose api_key is a non-blank string. It never
// quotes a value.
func apiConfigReason(v string) string {
	var obj map[string]any
	if json.Unmarshal([]byte(v), &obj) != nil || obj == nil {
		return "the value is not a JSON object: store a string such as {\"host\":…,\"port\":…,\"api_key\":…}"
	}
	var wrong []string
	for _, k := range []string{"host", "api_key"} {
		switch x, ok := obj[k].(string); {
		case obj[k] == nil:
			wrong = append(wrong, "there is no "+k)
		case !ok:
			wrong = append(wrong, k+" is not a string")
		case strings.TrimSpace(x) == "":
			wrong = append(wrong, k+" is blank")
		}
	}
	switch port, ok := obj["port"].(float64); {
	case obj["port"] == nil:
		wrong = append(wrong, "there is no port")
	case !ok:
		wrong = append(wrong, "port is not a number (write 443, not \"443\")")
	case port != math.Trunc(port) || port < 1 || port > 65535:
		wrong = append(wrong, "port is not a whole number from 1 to 65535")
	}
	if len(wrong) > 0 {
		return strings.Join(wrong, "; ")
	}
	return ""
}
