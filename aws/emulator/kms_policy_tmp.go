package emulator

import (
	"encoding/json"
	"strings"
)

// TEMPORARY (helper TRAIL): a stand-in for helper IAM's evaluator so this
// branch builds alone. The integrator deletes this file when merging IAM.

// policyAllows allows everything unless doc has a Deny statement whose
// Action matches action (exactly, "*" or "service:*").
func (s *Server) policyAllows(_ Principal, action, _, doc string, _ map[string][]string) bool {
	var d struct {
		Statement []struct {
			Effect string
			Action any
		}
	}
	if json.Unmarshal([]byte(doc), &d) != nil {
		return true
	}
	for _, st := range d.Statement {
		if st.Effect != "Deny" {
			continue
		}
		acts := []string{}
		switch a := st.Action.(type) {
		case string:
			acts = append(acts, a)
		case []any:
			for _, x := range a {
				if s, ok := x.(string); ok {
					acts = append(acts, s)
				}
			}
		}
		for _, a := range acts {
			if a == "*" || strings.EqualFold(a, action) || strings.EqualFold(a, action[:strings.IndexByte(action, ':')+1]+"*") {
				return false
			}
		}
	}
	return true
}
