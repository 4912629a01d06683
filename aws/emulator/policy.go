package emulator

import (
	"encoding/json"
	"strings"
)

// policyDoc is the part of an IAM resource policy the emulator checks.
type policyDoc struct {
	Version   string            `json:"Version"`
	Statement []json.RawMessage `json:"Statement"`
}

type statement struct {
	Effect    string          `json:"Effect"`
	Principal json.RawMessage `json:"Principal"`
	Action    json.RawMessage `json:"Action"`
	Condition json.RawMessage `json:"Condition"`
}

type parsedPolicy struct{ stmts []statement }

// parsePolicy checks the grammar the way MalformedPolicyDocumentException
// needs: JSON, a Statement list, each with Effect Allow|Deny and an Action.
func parsePolicy(doc string) (*parsedPolicy, error) {
	var p policyDoc
	if err := json.Unmarshal([]byte(doc), &p); err != nil {
		// A single statement object is also valid IAM grammar.
		return nil, apiErr(ErrMalformedPolicyDocument, "This resource policy contains a syntax error.")
	}
	if len(p.Statement) == 0 {
		var one struct{ Statement statement }
		if json.Unmarshal([]byte(doc), &one) != nil || one.Statement.Effect == "" {
			return nil, apiErr(ErrMalformedPolicyDocument, "This resource policy contains a syntax error.")
		}
		return &parsedPolicy{stmts: []statement{one.Statement}}, nil
	}
	out := &parsedPolicy{}
	for _, raw := range p.Statement {
		var st statement
		if err := json.Unmarshal(raw, &st); err != nil || (st.Effect != "Allow" && st.Effect != "Deny") || len(st.Action) == 0 {
			return nil, apiErr(ErrMalformedPolicyDocument, "This resource policy contains an unsupported element: each statement needs Effect Allow or Deny and an Action.")
		}
		out.stmts = append(out.stmts, st)
	}
	return out, nil
}

// public reports broad access: an Allow to principal "*" (or AWS "*")
// without a condition.
func (p *parsedPolicy) public() bool {
	for _, st := range p.stmts {
		if st.Effect != "Allow" || len(st.Condition) > 0 && string(st.Condition) != "null" {
			continue
		}
		pr := strings.ReplaceAll(string(st.Principal), " ", "")
		if pr == `"*"` || strings.Contains(pr, `"AWS":"*"`) || strings.Contains(pr, `"AWS":["*"]`) {
			return true
		}
	}
	return false
}

func validatePolicy(doc string) *ValidateResourcePolicyOutput {
	p, err := parsePolicy(doc)
	if err != nil {
		return &ValidateResourcePolicyOutput{ValidationErrors: []ValidationErrorsEntry{{CheckName: "SYNTAX_CHECK", ErrorMessage: asAPIError(err).Message}}}
	}
	if p.public() {
		return &ValidateResourcePolicyOutput{ValidationErrors: []ValidationErrorsEntry{{CheckName: "PUBLIC_POLICY", ErrorMessage: "This resource policy grants broad access to the secret."}}}
	}
	return &ValidateResourcePolicyOutput{PolicyValidationPassed: true}
}
