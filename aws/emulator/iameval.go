package emulator

import "strings"

// authRequest is one authorization question: may p perform action on
// resource (an ARN, or "*" for actions without a resource)?
type authRequest struct {
	p               Principal
	action          string      // "secretsmanager:GetSecretValue"
	resource        string      // the secret's ARN or "*"
	resourceAccount string      // the account owning resource
	keys            requestKeys // keys.p points at p
}

func newAuthRequest(p Principal, action, resource, resourceAccount string) *authRequest {
	req := &authRequest{p: p, action: action, resource: resource, resourceAccount: resourceAccount}
	req.keys.p = &req.p
	return req
}

// verdict collects what the policies say about a request.
type verdict struct {
	identityAllow, identityDeny bool
	resourceAllow               bool // a statement naming the principal (or anyone) allows
	accountAllow                bool // a statement naming the principal's account allows
	resourceDeny                bool
}

// where a policy comes from, for the statements that only apply to one kind.
type policyKind int

const (
	identityPolicy policyKind = iota
	resourcePolicy
)

// evaluate applies every statement of pol to req and records the result in v.
func (v *verdict) evaluate(pol *policy, kind policyKind, req *authRequest) {
	if pol == nil {
		return
	}
	for _, st := range pol.stmts {
		if !st.matchesAction(req.action) || !st.matchesResource(req, kind) {
			continue
		}
		who := directMatch
		if kind == resourcePolicy {
			who = st.matchesPrincipal(req.p)
			if who == noMatch {
				continue
			}
		}
		if !st.conditionsHold(&req.keys) {
			continue
		}
		switch {
		case st.deny && kind == identityPolicy:
			v.identityDeny = true
		case st.deny:
			v.resourceDeny = true
		case kind == identityPolicy:
			v.identityAllow = true
		case who == accountMatch:
			v.accountAllow = true
		default:
			v.resourceAllow = true
		}
	}
}

func (st *stmt) matchesAction(action string) bool {
	found := false
	for _, a := range st.actions {
		// "Action … values are not case sensitive."
		if a == "*" || globMatch(a, action, true) {
			found = true
			break
		}
	}
	return found != st.notAction
}

func (st *stmt) matchesResource(req *authRequest, kind policyKind) bool {
	if st.resources == nil {
		// A resource policy's statement is about the resource it is attached to.
		return kind == resourcePolicy
	}
	found := false
	for _, r := range st.resources {
		if strings.Contains(r, "${") {
			r = expandVars(r, &req.keys)
		}
		// In a secret's resource policy "*" means the secret itself.
		if r == "*" || globMatch(r, req.resource, false) {
			found = true
			break
		}
	}
	return found != st.notResource
}

func (st *stmt) conditionsHold(keys *requestKeys) bool {
	for i := range st.conds {
		if !st.conds[i].holds(keys) {
			return false
		}
	}
	return true
}

type principalMatch int

const (
	noMatch principalMatch = iota
	directMatch
	accountMatch // matched through the principal's account: delegation to the account's own policies
)

func (st *stmt) matchesPrincipal(p Principal) principalMatch {
	m := st.principal.match(p)
	if st.notPrincipal {
		// NotPrincipal: the statement applies to everyone who is not listed.
		if m == noMatch {
			return directMatch
		}
		return noMatch
	}
	return m
}

func (ps *principalSet) match(p Principal) principalMatch {
	if ps == nil {
		return noMatch
	}
	if ps.anyone {
		return directMatch
	}
	for _, a := range ps.arns {
		// A role ARN stands for every session of the role.
		if a == p.ARN || a == p.PrincipalARN {
			return directMatch
		}
	}
	for _, acct := range ps.accounts {
		if acct == p.Account {
			if p.Root {
				return directMatch
			}
			return accountMatch
		}
	}
	return noMatch
}

// decide turns a verdict into AWS's answer: nil for allowed, else the
// reason ("with an explicit deny in a resource-based policy", …).
func (v *verdict) decide(req *authRequest, identityAllowsAll bool) (bool, string) {
	if v.identityDeny {
		return false, "with an explicit deny in an identity-based policy"
	}
	if v.resourceDeny {
		return false, "with an explicit deny in a resource-based policy"
	}
	identity := v.identityAllow || identityAllowsAll
	sameAccount := req.resourceAccount == "" || req.resourceAccount == req.p.Account
	if sameAccount {
		if v.resourceAllow || identity {
			return true, ""
		}
		return false, "because no identity-based policy allows the " + req.action + " action"
	}
	if !identity {
		return false, "because no identity-based policy allows the " + req.action + " action"
	}
	if v.resourceAllow || v.accountAllow {
		return true, ""
	}
	return false, "because no resource-based policy allows the " + req.action + " action"
}

// accessDenied is AWS's AccessDeniedException for a refused request.
func accessDenied(req *authRequest, reason string) *Error {
	msg := "User: " + req.p.ARN + " is not authorized to perform: " + req.action
	if req.resource != "*" && req.resource != "" {
		msg += " on resource: " + req.resource
	}
	return &Error{Code: ErrAccessDenied, Message: msg + " " + reason}
}

// policyAllows reports whether doc (a resource policy such as a KMS key
// policy, JSON) alone allows p to perform action on resource with the
// given extra condition keys, following AWS's evaluation logic (explicit
// deny wins). A statement naming p's account counts as allowing, as a key
// policy's "Enable IAM policies" statement does. A policy that does not
// parse allows nothing.
func (s *Server) policyAllows(p Principal, action, resource, doc string, keys map[string][]string) bool {
	pol, err := s.iam.policies.get(doc, true)
	if err != nil {
		return false
	}
	extra := make(map[string][]string, len(keys))
	for k, vs := range keys {
		extra[strings.ToLower(k)] = vs
	}
	req := newAuthRequest(p, action, resource, "")
	req.keys.extra = extra
	var v verdict
	v.evaluate(pol, resourcePolicy, req)
	return !v.resourceDeny && (v.resourceAllow || v.accountAllow)
}

// principalType is aws:PrincipalType: Account, User or AssumedRole.
func principalType(p Principal) string {
	switch p.Type {
	case "Root":
		return "Account"
	case "IAMUser":
		return "User"
	}
	return p.Type
}
