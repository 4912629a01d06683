package emulator

import (
	"cmp"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
)

// A failed rotation step's error carries the function's output (a
// command's stderr), which may print the secret it just made. Before it is
// logged, every value the secret holds, each JSON string field of a JSON
// value, and their usual encodings are replaced by [redacted]. Values
// shorter than redactMinLen bytes are left: they would match everywhere.

const redactMinLen = 4

// redactStepError is err's text without the values of the secret plan
// rotates.
func (s *Server) redactStepError(plan *RotationPlan, err error) string {
	return redactValues(err.Error(), s.knownValues(plan.ARN))
}

// knownValues lists the values of every version of the secret arn names.
func (s *Server) knownValues(arn string) []string {
	f := strings.SplitN(arn, ":", 7) // arn:partition:secretsmanager:region:account:secret:name
	if len(f) < 7 {
		return nil
	}
	st := s.store(f[4], f[3])
	st.mu.RLock()
	defer st.mu.RUnlock()
	sec := st.lookup(arn)
	if sec == nil {
		return nil
	}
	var vals []string
	for _, v := range sec.Versions {
		if v.String != nil {
			vals = append(vals, *v.String)
			vals = appendLeaves(vals, *v.String)
		}
		if v.Binary != nil {
			vals = append(vals, string(v.Binary))
		}
	}
	return vals
}

// appendLeaves adds the string leaves of a JSON document (a password field
// is what a script prints, not the whole document).
func appendLeaves(vals []string, doc string) []string {
	var tree any
	if json.Unmarshal([]byte(doc), &tree) != nil {
		return vals
	}
	var walk func(any)
	walk = func(x any) {
		switch x := x.(type) {
		case string:
			vals = append(vals, x)
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(tree)
	return vals
}

func redactValues(text string, vals []string) string {
	var pats []string
	for _, v := range vals {
		if len(v) < redactMinLen {
			continue
		}
		q, _ := json.Marshal(v)
		pats = append(pats, v, string(q[1:len(q)-1]), url.QueryEscape(v), hex.EncodeToString([]byte(v)),
			base64.StdEncoding.EncodeToString([]byte(v)), base64.RawStdEncoding.EncodeToString([]byte(v)),
			base64.URLEncoding.EncodeToString([]byte(v)), base64.RawURLEncoding.EncodeToString([]byte(v)))
	}
	if len(pats) == 0 {
		return text
	}
	// Longest first, so a value inside a longer one does not leave the rest.
	slices.SortFunc(pats, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	pats = slices.Compact(pats)
	args := make([]string, 0, 2*len(pats))
	for _, p := range pats {
		args = append(args, p, "[redacted]")
	}
	return strings.NewReplacer(args...).Replace(text)
}
