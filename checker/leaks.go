package checker

import (
	"fmt"

	"secretlings/mask"
)

// newRedactor returns a redactor that knows values.
func newRedactor(values ...string) *mask.Redactor {
	r := mask.NewRedactor()
	r.Add(values...)
	return r
}

// leakReason reports where known values occur in text, by encoding and
// position, never quoting them; "" when they do not.
func leakReason(known *mask.Redactor, text, what string) string {
	fs := known.Find(text)
	if len(fs) == 0 {
		return ""
	}
	return fmt.Sprintf("%s appears in the output (%s): print it masked, e.g. with mask.Mask", what, fs[0])
}

// scrub masks known values and anything that looks like a secret, for text
// from the learner's program that goes into a reason.
func scrub(known *mask.Redactor, s string) string {
	s = known.Redact(s)
	fs := mask.Detect(s)
	for i := len(fs) - 1; i >= 0; i-- {
		s = s[:fs[i].Start] + mask.Masked + s[fs[i].End:]
	}
	return s
}
