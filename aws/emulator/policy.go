package emulator

// parsePolicy checks a resource policy's grammar the way
// MalformedPolicyDocumentException needs it (iampolicy.go).
func parsePolicy(doc string) (*policy, error) { return parseIAMPolicy(doc, true) }

// strangerKeys describe a caller from an account nobody named: whatever
// such a caller may do is public.
var stranger = Principal{ARN: "arn:aws:iam::000000000000:user/stranger", PrincipalARN: "arn:aws:iam::000000000000:user/stranger",
	Account: "000000000000", Type: "IAMUser", UserName: "stranger"}

// principalNarrowing are the condition keys that limit who a statement
// is about; a condition on anything else (a stage, a tag of the secret)
// does not make "Principal": "*" less public.
var principalNarrowing = map[string]bool{
	"aws:principalarn": true, "aws:principalaccount": true, "aws:principalorgid": true,
	"aws:principalorgpaths": true, "aws:sourceaccount": true, "aws:sourcearn": true,
	"aws:sourcevpc": true, "aws:sourcevpce": true, "aws:sourceip": true, "aws:userid": true,
	"aws:username": true, "aws:principalservicename": true, "aws:calledvia": true,
}

// public reports broad access, as BlockPublicPolicy means it: an Allow
// that a caller from an unrelated account satisfies, ignoring conditions
// that do not narrow the principal. It uses the same evaluator as requests.
func (p *policy) public() bool {
	keys := &requestKeys{p: &stranger}
	for _, st := range p.stmts {
		if st.deny || st.matchesPrincipal(stranger) == noMatch {
			continue
		}
		narrowed := false
		for i := range st.conds {
			c := &st.conds[i]
			if principalNarrowing[c.key] && !c.holds(keys) {
				narrowed = true
				break
			}
		}
		if !narrowed {
			return true
		}
	}
	return false
}

// locksOut reports a policy that would lock the account out: an explicit
// Deny that applies to the account's root user for changing or removing
// the policy itself, so nobody could repair it.
func (p *policy) locksOut(account, resource string) bool {
	root := rootPrincipal(account, "")
	for _, action := range []string{"secretsmanager:PutResourcePolicy", "secretsmanager:DeleteResourcePolicy"} {
		req := newAuthRequest(root, action, resource, account)
		var v verdict
		v.evaluate(p, resourcePolicy, req)
		if !v.resourceDeny {
			return false
		}
	}
	return true
}

// validatePolicy runs ValidateResourcePolicy's three checks: syntax, broad
// access and lockout, and reports every finding.
func validatePolicy(doc, account, resource string) *ValidateResourcePolicyOutput {
	p, err := parsePolicy(doc)
	if err != nil {
		return &ValidateResourcePolicyOutput{ValidationErrors: []ValidationErrorsEntry{{CheckName: "SYNTAX_CHECK", ErrorMessage: asAPIError(err).Message}}}
	}
	var found []ValidationErrorsEntry
	if p.public() {
		found = append(found, ValidationErrorsEntry{CheckName: "PUBLIC_POLICY",
			ErrorMessage: "This resource policy grants broad access to the secret: a statement allows \"Principal\": \"*\" (or NotPrincipal) without a condition on who the caller is. Name the principals, or add a Condition on aws:PrincipalAccount or aws:PrincipalArn."})
	}
	if p.locksOut(account, resource) {
		found = append(found, ValidationErrorsEntry{CheckName: "LOCKOUT_CHECK",
			ErrorMessage: "This resource policy would lock the account out: an explicit Deny applies to the account root for secretsmanager:PutResourcePolicy and secretsmanager:DeleteResourcePolicy, so nobody could change or remove it. Narrow the Deny's Principal or Action."})
	}
	if len(found) > 0 {
		return &ValidateResourcePolicyOutput{ValidationErrors: found}
	}
	return &ValidateResourcePolicyOutput{PolicyValidationPassed: true}
}
