package lessons

import (
	"fmt"
	"sort"
	"strings"

	"secretlings/aws/emulator"
)

// Features are what a "needs:" line may name: what some backends do and
// others only store or lack.
var Features = map[string]string{
	"enforcement":       "applies resource and identity policies",
	"key-state":         "refuses to read a secret whose KMS key is disabled",
	"audit-trail":       "records calls in a CloudTrail trail",
	"policy-validation": "validates resource policies",
}

// meta handles the lines that are about the action rather than members of
// its input: expect, As and needs. It reports whether the line was one.
func (p *parser) meta(a *Action, name, value string, lineNo int) (bool, error) {
	switch name {
	case "expect":
		// Secrets Manager's KMS errors end in Failure (DecryptionFailure).
		if !strings.HasSuffix(value, "Exception") && !strings.HasSuffix(value, "Failure") {
			return true, p.errorf(lineNo, "expect takes an error code like ResourceNotFoundException, got %q", value)
		}
		a.Expect = value
	case "As":
		if _, ok := emulator.CastMemberNamed(value); !ok {
			return true, p.errorf(lineNo, "As names a cast member (%s), got %q%s", strings.Join(castNames(), ", "), value, suggest(value, castNames()))
		}
		a.As = value
	case "needs":
		for _, f := range strings.Fields(strings.ReplaceAll(value, ",", " ")) {
			if _, ok := Features[f]; !ok {
				return true, p.errorf(lineNo, "needs takes %s, got %q", strings.Join(featureNames(), ", "), f)
			}
			a.Needs = append(a.Needs, f)
		}
	default:
		return false, nil
	}
	return true, nil
}

func castNames() []string {
	var names []string
	for _, m := range emulator.Cast() {
		names = append(names, m.Name)
	}
	return names
}

func featureNames() []string {
	names := make([]string, 0, len(Features))
	for f := range Features {
		names = append(names, f)
	}
	sort.Strings(names)
	return names
}

// suggest offers the closest known name to a misspelt one.
func suggest(got string, known []string) string {
	best, bestDist := "", 4
	for _, k := range known {
		if d := distance(strings.ToLower(got), strings.ToLower(k)); d < bestDist {
			best, bestDist = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %s?)", best)
}

// distance is the Levenshtein edit distance.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
