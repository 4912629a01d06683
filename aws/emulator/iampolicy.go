package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
)

// An IAM policy document, parsed once and kept (policyCache), so a request
// never parses JSON policy text.
type policy struct {
	stmts []*stmt
}

type stmt struct {
	sid          string
	deny         bool
	principal    *principalSet // nil: no Principal element (identity policies)
	notPrincipal bool
	actions      []string // lower-cased patterns
	notAction    bool
	resources    []string // nil: no Resource element
	notResource  bool
	conds        []cond
}

// principalSet is a Principal (or NotPrincipal) element.
type principalSet struct {
	anyone   bool     // "*" or {"AWS":"*"}
	accounts []string // account ids, from "123456789012" or "arn:aws:iam::123456789012:root"
	arns     []string // user, role and assumed-role ARNs
	others   bool     // Service, Federated, CanonicalUser principals: never a caller here
}

// stringList is a policy value that is a string or a list of strings.
type stringList []string

func (l *stringList) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' {
		var raw []json.RawMessage
		if err := json.Unmarshal(b, &raw); err != nil {
			return err
		}
		out := make([]string, 0, len(raw))
		for _, r := range raw {
			v, err := scalarString(r)
			if err != nil {
				return err
			}
			out = append(out, v)
		}
		*l = out
		return nil
	}
	v, err := scalarString(b)
	if err != nil {
		return err
	}
	*l = []string{v}
	return nil
}

// scalarString reads a JSON string, boolean or number as text: condition
// values such as "aws:SecureTransport": false are written without quotes.
func scalarString(b []byte) (string, error) {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return "", err
	}
	switch t := v.(type) {
	case string:
		return t, nil
	case bool:
		return fmt.Sprint(t), nil
	case float64:
		return string(bytes.TrimSpace(b)), nil
	}
	return "", fmt.Errorf("expected a string or a list of strings")
}

type rawStatement struct {
	Sid          string                           `json:"Sid"`
	Effect       string                           `json:"Effect"`
	Principal    json.RawMessage                  `json:"Principal"`
	NotPrincipal json.RawMessage                  `json:"NotPrincipal"`
	Action       *stringList                      `json:"Action"`
	NotAction    *stringList                      `json:"NotAction"`
	Resource     *stringList                      `json:"Resource"`
	NotResource  *stringList                      `json:"NotResource"`
	Condition    map[string]map[string]stringList `json:"Condition"`
}

// policyError is a MalformedPolicyDocumentException saying what is wrong.
func policyError(format string, args ...any) *Error {
	return apiErr(ErrMalformedPolicyDocument, "This resource policy contains a syntax error: "+format, args...)
}

const msgPolicySyntax = "This resource policy contains a syntax error."

// parseIAMPolicy parses a policy document: a Statement object or list,
// each statement with Effect Allow|Deny, Action or NotAction, and for a
// resource policy (resourcePolicy) Principal or NotPrincipal.
func parseIAMPolicy(doc string, resourcePolicy bool) (*policy, error) {
	var top struct {
		Version   string          `json:"Version"`
		Statement json.RawMessage `json:"Statement"`
	}
	d := json.NewDecoder(strings.NewReader(doc))
	if err := d.Decode(&top); err != nil || d.More() {
		return nil, &Error{Code: ErrMalformedPolicyDocument, Message: msgPolicySyntax}
	}
	if top.Version != "" && top.Version != "2012-10-17" && top.Version != "2008-10-17" {
		return nil, policyError("Version must be \"2012-10-17\" (got %q).", truncateForMsg(top.Version))
	}
	var raws []rawStatement
	st := bytes.TrimSpace(top.Statement)
	switch {
	case len(st) == 0 || string(st) == "null":
		return nil, policyError("the policy needs a Statement.")
	case st[0] == '{':
		var one rawStatement
		if err := json.Unmarshal(st, &one); err != nil {
			return nil, policyError("%s", policyJSONProblem(err))
		}
		raws = []rawStatement{one}
	default:
		if err := json.Unmarshal(st, &raws); err != nil {
			return nil, policyError("%s", policyJSONProblem(err))
		}
	}
	if resourcePolicy && len(raws) == 0 {
		return nil, policyError("the policy needs at least one statement.")
	}
	p := &policy{}
	for i := range raws {
		s, err := compileStatement(&raws[i], i, resourcePolicy)
		if err != nil {
			return nil, err
		}
		p.stmts = append(p.stmts, s)
	}
	return p, nil
}

func policyJSONProblem(err error) string {
	var te *json.UnmarshalTypeError
	if ok := asTypeError(err, &te); ok && te.Field != "" {
		return fmt.Sprintf("element %s has the wrong type (expected %s).", te.Field, te.Type)
	}
	return "a statement is not a JSON object with the IAM elements (Effect, Principal, Action, Resource, Condition)."
}

func asTypeError(err error, te **json.UnmarshalTypeError) bool {
	t, ok := err.(*json.UnmarshalTypeError)
	if ok {
		*te = t
	}
	return ok
}

func compileStatement(r *rawStatement, i int, resourcePolicy bool) (*stmt, error) {
	where := fmt.Sprintf("statement %d", i+1)
	if r.Sid != "" {
		where = fmt.Sprintf("statement %q", r.Sid)
	}
	s := &stmt{sid: r.Sid}
	switch r.Effect {
	case "Allow":
	case "Deny":
		s.deny = true
	default:
		return nil, policyError("%s: Effect must be \"Allow\" or \"Deny\" (got %q).", where, truncateForMsg(r.Effect))
	}
	if (r.Action == nil) == (r.NotAction == nil) {
		return nil, policyError("%s needs exactly one of Action or NotAction.", where)
	}
	acts := r.Action
	if acts == nil {
		acts, s.notAction = r.NotAction, true
	}
	for _, a := range *acts {
		if a != "*" && !strings.Contains(a, ":") {
			return nil, policyError("%s: action %q is not service:Action (for example secretsmanager:GetSecretValue).", where, truncateForMsg(a))
		}
		s.actions = append(s.actions, strings.ToLower(a))
	}
	if r.Resource != nil && r.NotResource != nil {
		return nil, policyError("%s has both Resource and NotResource; use one.", where)
	}
	if r.Resource != nil {
		s.resources = *r.Resource
	} else if r.NotResource != nil {
		s.resources, s.notResource = *r.NotResource, true
	}
	if err := s.compilePrincipal(r, where, resourcePolicy); err != nil {
		return nil, err
	}
	conds, err := compileConditions(r.Condition, where)
	if err != nil {
		return nil, err
	}
	s.conds = conds
	return s, nil
}

func (s *stmt) compilePrincipal(r *rawStatement, where string, resourcePolicy bool) error {
	hasP, hasNP := len(r.Principal) > 0, len(r.NotPrincipal) > 0
	if hasP && hasNP {
		return policyError("%s has both Principal and NotPrincipal; use one.", where)
	}
	if !hasP && !hasNP {
		if resourcePolicy {
			return policyError("%s needs a Principal: whom the statement is about (an ARN, an account id or \"*\").", where)
		}
		return nil
	}
	if !resourcePolicy {
		return policyError("%s: an identity policy has no Principal element.", where)
	}
	raw := r.Principal
	if hasNP {
		raw, s.notPrincipal = r.NotPrincipal, true
	}
	ps, err := parsePrincipal(raw, where)
	if err != nil {
		return err
	}
	s.principal = ps
	return nil
}

func parsePrincipal(raw json.RawMessage, where string) (*principalSet, error) {
	var star string
	if json.Unmarshal(raw, &star) == nil {
		if star != "*" {
			return nil, policyError("%s: Principal as a plain string must be \"*\"; name others as {\"AWS\": \"ARN or account id\"}.", where)
		}
		return &principalSet{anyone: true}, nil
	}
	var m map[string]stringList
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, policyError("%s: Principal must be \"*\" or an object such as {\"AWS\": \"arn:aws:iam::123456789012:role/app\"}.", where)
	}
	ps := &principalSet{}
	for kind, vals := range m {
		if kind != "AWS" {
			if kind != "Service" && kind != "Federated" && kind != "CanonicalUser" {
				return nil, policyError("%s: unknown principal type %q (use AWS, Service, Federated or CanonicalUser).", where, truncateForMsg(kind))
			}
			ps.others = true
			continue
		}
		for _, v := range vals {
			if err := ps.add(v, where); err != nil {
				return nil, err
			}
		}
	}
	return ps, nil
}

func (ps *principalSet) add(v, where string) error {
	switch {
	case v == "*":
		ps.anyone = true
	case isAccountID(v):
		ps.accounts = append(ps.accounts, v)
	case strings.ContainsAny(v, "*?"):
		return policyError("%s: invalid principal %q: wildcards are not allowed in a principal ARN (use \"*\" with a Condition on aws:PrincipalArn and ArnLike).", where, truncateForMsg(v))
	case strings.HasPrefix(v, "arn:") && strings.HasSuffix(v, ":root") && strings.Count(v, ":") == 5:
		acct := strings.Split(v, ":")[4]
		if !isAccountID(acct) {
			return policyError("%s: invalid principal %q.", where, truncateForMsg(v))
		}
		ps.accounts = append(ps.accounts, acct)
	case strings.HasPrefix(v, "arn:aws") && (strings.Contains(v, ":iam::") || strings.Contains(v, ":sts::")):
		ps.arns = append(ps.arns, v)
	default:
		return policyError("%s: invalid principal %q: use an account id, an IAM ARN or \"*\".", where, truncateForMsg(v))
	}
	return nil
}

// policyCache keeps parsed policies by their text. It is bounded: past
// maxCachedPolicies it starts over, which only costs a parse.
type policyCache struct {
	mu sync.RWMutex
	m  map[policyKey]*policy
}

type policyKey struct {
	doc      string
	resource bool
}

const maxCachedPolicies = 1024

func (c *policyCache) get(doc string, resourcePolicy bool) (*policy, error) {
	k := policyKey{doc, resourcePolicy}
	c.mu.RLock()
	p := c.m[k]
	c.mu.RUnlock()
	if p != nil {
		return p, nil
	}
	p, err := parseIAMPolicy(doc, resourcePolicy)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxCachedPolicies {
		c.m = map[policyKey]*policy{}
	}
	c.m[k] = p
	c.mu.Unlock()
	return p, nil
}
