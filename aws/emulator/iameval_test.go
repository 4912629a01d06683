package emulator

import (
	"strings"
	"testing"
)

const (
	secProd  = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf"
	secDev   = "arn:aws:secretsmanager:us-east-1:123456789012:secret:dev/db-XyZ123"
	getValue = "secretsmanager:GetSecretValue"
)

func castPrincipal(name string) Principal {
	for i := range cast {
		if cast[i].Name == name {
			return cast[i].principal()
		}
	}
	panic("no cast member " + name)
}

var (
	pApp       = castPrincipal("app")
	pAuditor   = castPrincipal("auditor")
	pIntern    = castPrincipal("intern")
	pPartner   = castPrincipal("partner")
	pDeployer  = castPrincipal("deployer")
	pOtherRoot = rootPrincipal(OtherAccountID, OtherAccountID)
	pRoot      = rootPrincipal(DefaultAccountID, "test")
)

// pol wraps statements into a policy document.
func pol(stmts ...string) string {
	return `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
}

// allowApp etc. are common resource-policy statements.
const (
	allowAppGet   = `{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/app"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}`
	denyAppGet    = `{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::123456789012:role/app"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}`
	allowAnyGet   = `{"Effect":"Allow","Principal":"*","Action":"secretsmanager:GetSecretValue","Resource":"*"}`
	idAllowGetAll = `{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*"}`
)

type evalCase struct {
	name     string
	p        Principal
	identity string // identity policy; "" uses the cast member's own (none for root)
	resource string // resource policy of the secret ("" none)
	action   string
	arn      string // resource ARN, "*" for actions without one
	keys     map[string][]string
	want     string // "allow", or a fragment of the refusal reason
}

// runEval answers one case with the production evaluator.
func runEval(t *testing.T, c evalCase) string {
	t.Helper()
	var identity *policy
	switch {
	case c.identity != "":
		p, err := parseIAMPolicy(c.identity, false)
		if err != nil {
			t.Fatalf("%s: identity policy: %v", c.name, err)
		}
		identity = p
	case !c.p.Root:
		p, err := parseIAMPolicy(castByKey(c.p.AccessKeyID).IdentityPolicy, false)
		if err != nil {
			t.Fatal(err)
		}
		identity = p
	}
	account := DefaultAccountID
	if parts := strings.Split(c.arn, ":"); len(parts) > 4 {
		account = parts[4]
	}
	extra := map[string][]string{}
	for k, v := range c.keys {
		extra[strings.ToLower(k)] = v
	}
	req := newAuthRequest(c.p, c.action, c.arn, account)
	req.keys.extra = extra
	var v verdict
	v.evaluate(identity, identityPolicy, req)
	if c.resource != "" {
		rp, err := parseIAMPolicy(c.resource, true)
		if err != nil {
			t.Fatalf("%s: resource policy: %v", c.name, err)
		}
		v.evaluate(rp, resourcePolicy, req)
	}
	ok, reason := v.decide(req, c.p.Root)
	if ok {
		return "allow"
	}
	return reason
}

func TestEvaluatorTable(t *testing.T) {
	cases := evalCases()
	if len(cases) < 60 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, c := range cases {
		if c.action == "" {
			c.action = getValue
		}
		if c.arn == "" {
			c.arn = secProd
		}
		got := runEval(t, c)
		if c.want == "allow" && got != "allow" || c.want != "allow" && !strings.Contains(got, c.want) {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

const (
	implicit   = "because no identity-based policy allows"
	noResource = "because no resource-based policy allows"
	idDeny     = "with an explicit deny in an identity-based policy"
	resDeny    = "with an explicit deny in a resource-based policy"
	allow      = "allow"
)

func evalCases() []evalCase {
	return append(append(append(basicCases(), elementCases()...), conditionCases()...), setConditionCases()...)
}

func basicCases() []evalCase {
	return []evalCase{
		// "By default, all requests are implicitly denied with the exception of the AWS account root user, which has full access."
		{name: "intern has no permission", p: pIntern, want: implicit},
		// "By default, all requests are implicitly denied …"
		{name: "app may not read dev secrets", p: pApp, arn: secDev, want: implicit},
		// "An explicit allow in an identity-based or resource-based policy overrides this default."
		{name: "app's identity policy allows prod/*", p: pApp, want: allow},
		// "An explicit allow in an identity-based or resource-based policy overrides this default."
		{name: "resource policy alone grants within the account", p: pIntern, resource: pol(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/intern"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}`), want: allow},
		// "If a permissions boundary, … or session policy is present, it might override the allow with an implicit deny." (none here) — identity allow is enough in the account.
		{name: "identity allow, resource policy silent on app", p: pApp, resource: pol(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/auditor"},"Action":"*","Resource":"*"}`), want: allow},
		// "An explicit deny in any policy overrides any allows."
		{name: "resource deny beats identity allow", p: pApp, resource: pol(denyAppGet), want: resDeny},
		// "An explicit deny in any policy overrides any allows."
		{name: "identity deny beats resource allow", p: pApp, identity: pol(`{"Effect":"Deny","Action":"secretsmanager:*","Resource":"*"}`), resource: pol(allowAppGet), want: idDeny},
		// "An explicit deny in any policy overrides any allows."
		{name: "deny and allow in the same resource policy", p: pApp, resource: pol(allowAppGet, denyAppGet), want: resDeny},
		// "An explicit deny in any policy overrides any allows."
		{name: "deny in the same identity policy", p: pApp, identity: pol(idAllowGetAll, `{"Effect":"Deny","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:*:*:secret:prod/*"}`), want: idDeny},
		// "Within the same account, resource-based policies that grant permissions to an IAM role session ARN … are not limited by an implicit deny in an identity-based policy."
		{name: "session ARN principal grants directly", p: pIntern.withARN("arn:aws:iam::123456789012:user/intern"), resource: pol(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/intern"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}`), want: allow},
		// "Within the same account, resource-based policies that grant permissions to an IAM role session ARN … are not limited by an implicit deny in an identity-based policy."
		{name: "assumed-role session ARN in Principal", p: pDeployer, resource: pol(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:sts::123456789012:assumed-role/deployer/secretlings"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}`), want: allow},
		// "When you specify a role ARN … in the Principal element, … the principal is the role, and any session of it" (IAM role principals).
		{name: "role ARN covers its sessions", p: pDeployer, resource: pol(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/deployer"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}`), want: allow},
		// "For requests made from one account to another, the requester in Account A must have an identity-based policy that allows them to make a request to the resource in Account B."
		{name: "cross-account: resource allows, identity does not", p: pPartner, identity: pol(`{"Effect":"Allow","Action":"secretsmanager:DescribeSecret","Resource":"*"}`), resource: pol(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/partner"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}`), want: implicit},
		// "Also, the resource-based policy in Account B must allow the requester in Account A to access the resource."
		{name: "cross-account: identity allows, no resource policy", p: pPartner, want: noResource},
		// "… the resource-based policy in Account B must allow the requester in Account A to access the resource."
		{name: "cross-account: both allow", p: pPartner, resource: pol(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/partner"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}`), want: allow},
		// "When you use an AWS account identifier as the principal in a policy, you delegate authority to the account."
		{name: "cross-account: account id principal plus identity", p: pPartner, resource: pol(`{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}`), want: allow},
		// "When you use an AWS account identifier as the principal in a policy, you delegate authority to the account."
		{name: "cross-account: root ARN principal plus identity", p: pPartner, resource: pol(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}`), want: allow},
		// "Within that account, the permissions in the policy statement can be granted to all identities" — granted by that account's own policies.
		{name: "cross-account: account principal, identity silent", p: pPartner, identity: pol(`{"Effect":"Allow","Action":"secretsmanager:ListSecrets","Resource":"*"}`), resource: pol(`{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}`), want: implicit},
		// "When you use an AWS account identifier as the principal in a policy, you delegate authority to the account." The same account's users still need their own Allow.
		{name: "same account principal does not grant an IAM user", p: pIntern, resource: pol(`{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}`), want: implicit},
		// "The AWS account root user … has full access" in its own account; another account's root needs the resource policy.
		{name: "other account's root without a policy", p: pOtherRoot, want: noResource},
		// "… the resource-based policy in Account B must allow the requester in Account A to access the resource."
		{name: "other account's root with an account principal", p: pOtherRoot, resource: pol(`{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}`), want: allow},
		// "An explicit deny in any policy overrides any allows." An account principal in a Deny covers every identity of the account.
		{name: "deny to the whole account", p: pApp, resource: pol(`{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"*","Resource":"*"}`), want: resDeny},
		// "If you use "Principal": "*" … everyone" (Principal element: All principals).
		{name: "public policy grants a same-account user", p: pIntern, resource: pol(allowAnyGet), want: allow},
		// Cross-account still needs the identity side, even for "*".
		{name: "public policy and partner without identity permission", p: pPartner, identity: pol(`{"Effect":"Allow","Action":"secretsmanager:ListSecrets","Resource":"*"}`), resource: pol(allowAnyGet), want: implicit},
		// "Resource-based policies … specify who has access to the resource"; a statement naming someone else grants app nothing.
		{name: "policy names another principal", p: pIntern, resource: pol(allowAppGet), want: implicit},
	}
}

func (p Principal) withARN(arn string) Principal { p.ARN = arn; return p }

func elementCases() []evalCase {
	return []evalCase{
		// "The prefix and the action name are case insensitive."
		{name: "action case-insensitive", p: pIntern, identity: pol(`{"Effect":"Allow","Action":"SecretsManager:getsecretvalue","Resource":"*"}`), want: allow},
		// "You can use wildcards (*) to specify multiple actions" (Action element).
		{name: "action wildcard secretsmanager:*", p: pIntern, identity: pol(`{"Effect":"Allow","Action":"secretsmanager:*","Resource":"*"}`), want: allow},
		// "You can use wildcards (* or ?) in the action name" — a prefix wildcard.
		{name: "action wildcard Get*", p: pIntern, identity: pol(`{"Effect":"Allow","Action":"secretsmanager:Get*","Resource":"*"}`), want: allow},
		// "You can use wildcards … in the action name" — a ? wildcard matches one character only.
		{name: "action ? wildcard mismatch", p: pIntern, identity: pol(`{"Effect":"Allow","Action":"secretsmanager:?etSecret","Resource":"*"}`), want: implicit},
		// "You can use wildcards (*) to specify multiple actions" — a wildcard for another service matches nothing here.
		{name: "action of another service", p: pIntern, identity: pol(`{"Effect":"Allow","Action":"kms:*","Resource":"*"}`), want: implicit},
		// "The Action element describes the specific action or actions that will be allowed or denied." A list is OR.
		{name: "action list", p: pIntern, identity: pol(`{"Effect":"Allow","Action":["secretsmanager:DescribeSecret","secretsmanager:GetSecretValue"],"Resource":"*"}`), want: allow},
		// "NotAction is an advanced policy element that explicitly matches everything except the specified list of actions."
		{name: "NotAction allow excludes GetSecretValue", p: pIntern, identity: pol(`{"Effect":"Allow","NotAction":"secretsmanager:GetSecretValue","Resource":"*"}`), want: implicit},
		// "NotAction is an advanced policy element that explicitly matches everything except the specified list of actions."
		{name: "NotAction allow covers GetSecretValue", p: pIntern, identity: pol(`{"Effect":"Allow","NotAction":"secretsmanager:Delete*","Resource":"*"}`), want: allow},
		// "Using NotAction with Deny … denies all of the actions that are not listed."
		{name: "NotAction deny", p: pApp, identity: pol(idAllowGetAll, `{"Effect":"Deny","NotAction":"secretsmanager:Describe*","Resource":"*"}`), want: idDeny},
		// "You can use wildcard characters (* and ?) within any ARN segment"
		{name: "resource ARN wildcard match", p: pIntern, identity: pol(`{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/*"}`), want: allow},
		// "You can use wildcard characters (* and ?) within any ARN segment"
		{name: "resource ARN wildcard mismatch", p: pIntern, identity: pol(`{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:us-east-1:123456789012:secret:dev/*"}`), want: implicit},
		// "You can use wildcard characters (* and ?) within any ARN segment" — the 6-character suffix as ??????.
		{name: "resource suffix with ?", p: pIntern, identity: pol(`{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-??????"}`), want: allow},
		// Resource ARNs are case sensitive: "Resource names are case sensitive" (ARN format).
		{name: "resource ARN is case-sensitive", p: pIntern, identity: pol(`{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:us-east-1:123456789012:secret:PROD/*"}`), want: implicit},
		// "Resource": "*" in an identity policy: every resource.
		{name: "identity Resource *", p: pIntern, identity: pol(idAllowGetAll), want: allow},
		// Secrets Manager: "In a resource-based policy attached to a secret, … "Resource": "*" … means the secret."
		{name: "resource policy * means this secret", p: pIntern, resource: pol(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/intern"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}`), arn: secDev, want: allow},
		// "NotResource is an advanced policy element that explicitly matches every resource except those specified."
		{name: "NotResource allow excludes prod", p: pIntern, identity: pol(`{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","NotResource":"arn:aws:secretsmanager:*:*:secret:prod/*"}`), want: implicit},
		// "NotResource is an advanced policy element that explicitly matches every resource except those specified."
		{name: "NotResource allow covers dev", p: pIntern, identity: pol(`{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","NotResource":"arn:aws:secretsmanager:*:*:secret:prod/*"}`), arn: secDev, want: allow},
		// "NotResource … with Deny … denies everything except the listed resources."
		{name: "NotResource deny", p: pApp, identity: pol(idAllowGetAll, `{"Effect":"Deny","Action":"*","NotResource":"arn:aws:secretsmanager:*:*:secret:dev/*"}`), want: idDeny},
		// Actions without a resource (ListSecrets) need "Resource": "*": "you must specify * in the Resource element" for actions that do not support resource-level permissions.
		{name: "ListSecrets needs Resource *", p: pIntern, identity: pol(`{"Effect":"Allow","Action":"secretsmanager:ListSecrets","Resource":"arn:aws:secretsmanager:*:*:secret:*"}`), action: "secretsmanager:ListSecrets", arn: "*", want: implicit},
		// "you must specify * in the Resource element"
		{name: "ListSecrets with Resource *", p: pAuditor, action: "secretsmanager:ListSecrets", arn: "*", want: allow},
		// "The NotPrincipal element uses "Effect":"Deny" to deny access to all principals except the principal specified in the NotPrincipal element."
		{name: "NotPrincipal deny spares the listed role", p: pApp, resource: pol(`{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::123456789012:role/app"},"Action":"*","Resource":"*"}`), want: allow},
		// "The NotPrincipal element uses "Effect":"Deny" to deny access to all principals except the principal specified in the NotPrincipal element."
		{name: "NotPrincipal deny hits everyone else", p: pAuditor, action: "secretsmanager:DescribeSecret", resource: pol(`{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::123456789012:role/app"},"Action":"*","Resource":"*"}`), want: resDeny},
		// "NotPrincipal … with Allow … grants access to all principals except the one named" (strongly discouraged, still evaluated).
		{name: "NotPrincipal allow", p: pIntern, resource: pol(`{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::123456789012:role/app"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}`), want: allow},
		// "Principal": {"Service": …} names an AWS service, never a user.
		{name: "service principal does not match a user", p: pIntern, resource: pol(`{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}`), want: implicit},
		// "The Principal element … you can specify more than one principal" — a list is OR.
		{name: "principal list", p: pAuditor, resource: pol(`{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::123456789012:role/app","arn:aws:iam::123456789012:user/auditor"]},"Action":"secretsmanager:GetSecretValue","Resource":"*"}`), want: allow},
		// A statement is about the action it names: a Deny of PutSecretValue does not refuse a read.
		{name: "deny of another action", p: pApp, resource: pol(`{"Effect":"Deny","Principal":"*","Action":"secretsmanager:PutSecretValue","Resource":"*"}`), want: allow},
	}
}

func conditionCases() []evalCase {
	tag := map[string][]string{"secretsmanager:ResourceTag/team": {"payments"}, "aws:ResourceTag/team": {"payments"}}
	stage := func(s ...string) map[string][]string { return map[string][]string{"secretsmanager:VersionStage": s} }
	cond := func(c string) string {
		return pol(`{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":` + c + `}`)
	}
	rcond := func(c string) string {
		return pol(`{"Effect":"Allow","Principal":"*","Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":` + c + `}`)
	}
	return []evalCase{
		// StringEquals: "Exact matching, case sensitive."
		{name: "StringEquals VersionStage AWSCURRENT", p: pIntern, identity: cond(`{"StringEquals":{"secretsmanager:VersionStage":"AWSCURRENT"}}`), keys: stage("AWSCURRENT"), want: allow},
		// StringEquals: "Exact matching, case sensitive."
		{name: "StringEquals VersionStage refuses AWSPREVIOUS", p: pIntern, identity: cond(`{"StringEquals":{"secretsmanager:VersionStage":"AWSCURRENT"}}`), keys: stage("AWSPREVIOUS"), want: implicit},
		// StringEquals: "Exact matching, case sensitive."
		{name: "StringEquals is case-sensitive", p: pIntern, identity: cond(`{"StringEquals":{"secretsmanager:VersionStage":"awscurrent"}}`), keys: stage("AWSCURRENT"), want: implicit},
		// "Condition key names are not case-sensitive."
		{name: "condition key name case-insensitive", p: pIntern, identity: cond(`{"StringEquals":{"SecretsManager:versionstage":"AWSCURRENT"}}`), keys: stage("AWSCURRENT"), want: allow},
		// "If a single condition operator includes multiple values for one key, that condition operator is evaluated using a logical OR."
		{name: "values are OR", p: pIntern, identity: cond(`{"StringEquals":{"secretsmanager:VersionStage":["AWSPREVIOUS","AWSCURRENT"]}}`), keys: stage("AWSCURRENT"), want: allow},
		// "If you specify multiple condition operators, or multiple keys attached to a single condition operator, the conditions are evaluated using a logical AND."
		{name: "keys are AND", p: pApp, identity: cond(`{"StringEquals":{"secretsmanager:VersionStage":"AWSCURRENT","aws:PrincipalTag/team":"security"}}`), keys: stage("AWSCURRENT"), want: implicit},
		// "If you specify multiple condition operators … the conditions are evaluated using a logical AND."
		{name: "operators are AND", p: pApp, identity: cond(`{"StringEquals":{"secretsmanager:VersionStage":"AWSCURRENT"},"StringLike":{"aws:PrincipalArn":"*:role/app"}}`), keys: stage("AWSCURRENT"), want: allow},
		// "If the key that you specify in a policy condition is not present in the request context, the values do not match and the condition is false."
		{name: "missing key is false", p: pIntern, identity: cond(`{"StringEquals":{"secretsmanager:VersionStage":"AWSCURRENT"}}`), want: implicit},
		// "If the policy condition requires that the key is not matched, such as StringNotLike or ArnNotLike, and the right key is not present, the condition is true."
		{name: "negated operator with missing key is true", p: pIntern, identity: cond(`{"StringNotEquals":{"secretsmanager:VersionStage":"AWSPENDING"}}`), want: allow},
		// StringNotEquals: "Negated matching."
		{name: "StringNotEquals refuses the named stage", p: pIntern, identity: cond(`{"StringNotEquals":{"secretsmanager:VersionStage":"AWSPENDING"}}`), keys: stage("AWSPENDING"), want: implicit},
		// Negated operators with several values: the key must equal none of them (logical NOR).
		{name: "StringNotEquals with several values is NOR", p: pIntern, identity: cond(`{"StringNotEquals":{"secretsmanager:VersionStage":["AWSPENDING","AWSPREVIOUS"]}}`), keys: stage("AWSPREVIOUS"), want: implicit},
		// StringLike: "Case-sensitive matching. The values can include multi-character match wildcards (*) and single-character match wildcards (?) anywhere in the string."
		{name: "StringLike wildcard", p: pApp, identity: cond(`{"StringLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/a?p"}}`), want: allow},
		// StringNotLike: "Negated case-sensitive matching."
		{name: "StringNotLike", p: pApp, identity: cond(`{"StringNotLike":{"aws:PrincipalArn":"*:role/app"}}`), want: implicit},
		// aws:PrincipalArn: "For IAM roles, the request context returns the ARN of the role, not the ARN of the user that assumed the role."
		{name: "PrincipalArn of a session is the role ARN", p: pApp, identity: cond(`{"StringEquals":{"aws:PrincipalArn":"arn:aws:iam::123456789012:role/app"}}`), want: allow},
		// ArnLike: "Each of the six colon-delimited components of the ARN is checked separately and each can include multi-character match wildcards (*) or single-character match wildcards (?)."
		{name: "ArnLike PrincipalArn", p: pApp, resource: rcond(`{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::123456789012:role/*"}}`), want: allow},
		// ArnEquals: "Case-sensitive matching of the ARN."
		{name: "ArnEquals PrincipalArn mismatch", p: pAuditor, resource: rcond(`{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::123456789012:role/app"}}`), want: implicit},
		// ArnNotLike: "Negated case-sensitive matching of the ARN."
		{name: "ArnNotLike in a deny spares app", p: pApp, resource: pol(`{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::123456789012:role/app"}}}`), want: allow},
		// ArnNotLike: "Negated case-sensitive matching of the ARN."
		{name: "ArnNotLike in a deny hits the auditor", p: pAuditor, action: "secretsmanager:DescribeSecret", resource: pol(`{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::123456789012:role/app"}}}`), want: resDeny},
		// aws:PrincipalAccount: "compare the account to which the requesting principal belongs with the account identifier that you specify in the policy."
		{name: "PrincipalAccount narrows a public statement", p: pIntern, resource: rcond(`{"StringEquals":{"aws:PrincipalAccount":"123456789012"}}`), want: allow},
		// aws:PrincipalAccount: "compare the account to which the requesting principal belongs …"
		{name: "PrincipalAccount refuses the other account", p: pPartner, resource: rcond(`{"StringEquals":{"aws:PrincipalAccount":"123456789012"}}`), want: noResource},
		// aws:PrincipalTag: "compare the tag attached to the principal making the request with the tag that you specify in the policy."
		{name: "PrincipalTag match", p: pApp, identity: cond(`{"StringEquals":{"aws:PrincipalTag/team":"payments"}}`), want: allow},
		// aws:PrincipalTag: "compare the tag attached to the principal …"
		{name: "PrincipalTag mismatch", p: pAuditor, identity: cond(`{"StringEquals":{"aws:PrincipalTag/team":"payments"}}`), want: implicit},
		// secretsmanager:ResourceTag/tag-key: "Filters access by a tag key and value pair" of the secret.
		{name: "ResourceTag ABAC", p: pIntern, identity: cond(`{"StringEquals":{"secretsmanager:ResourceTag/team":"payments"}}`), keys: tag, want: allow},
		// "You can use policy variables as placeholders when you don't know the exact value of a resource or condition key when you write the policy."
		{name: "ABAC with a policy variable", p: pApp, identity: cond(`{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}`), keys: tag, want: allow},
		// "You can use policy variables as placeholders …" — the auditor's team differs.
		{name: "ABAC variable mismatch", p: pAuditor, identity: cond(`{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}`), keys: tag, want: implicit},
		// "You can use policy variables as placeholders …" — in a Resource too.
		{name: "policy variable in Resource", p: pIntern, identity: pol(`{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:*:*:secret:${aws:PrincipalTag/team}/*"}`), arn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:payments/x-AbCdEf", want: allow},
		// "If the policy key is present in the context of the request, process the key as specified in the policy. If the key is not present, evaluate the condition element as true."
		{name: "IfExists with missing key", p: pIntern, identity: cond(`{"StringEqualsIfExists":{"secretsmanager:VersionStage":"AWSCURRENT"}}`), want: allow},
		// "If the policy key is present in the context of the request, process the key as specified in the policy."
		{name: "IfExists with present key", p: pIntern, identity: cond(`{"StringEqualsIfExists":{"secretsmanager:VersionStage":"AWSCURRENT"}}`), keys: stage("AWSPENDING"), want: implicit},
		// "Use a Null condition operator to check if a condition key is absent at the time of authorization." true: the key does not exist.
		{name: "Null true with missing tag", p: pIntern, identity: cond(`{"Null":{"aws:ResourceTag/team":"true"}}`), want: allow},
		// "… false (the key exists and its value is not null)."
		{name: "Null false with missing tag", p: pIntern, identity: cond(`{"Null":{"aws:ResourceTag/team":"false"}}`), want: implicit},
		// "… false (the key exists and its value is not null)."
		{name: "Null false with tag present", p: pIntern, identity: cond(`{"Null":{"aws:ResourceTag/team":"false"}}`), keys: tag, want: allow},
		// "Boolean conditions let you construct Condition elements that restrict access based on comparing a key to true or false."
		{name: "Bool SecureTransport false denies", p: pApp, resource: pol(`{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}`), want: resDeny},
		// "Boolean conditions … comparing a key to true or false." Written as a JSON boolean.
		{name: "Bool with a JSON boolean", p: pApp, resource: pol(`{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":true}}}`), want: allow},
	}
}

// setConditionCases are the set operators and the Secrets Manager keys.
func setConditionCases() []evalCase {
	stage := func(s ...string) map[string][]string { return map[string][]string{"secretsmanager:VersionStage": s} }
	cond := func(c string) string {
		return pol(`{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":` + c + `}`)
	}
	return []evalCase{
		// ForAnyValue: "The condition returns true if any one of the key values in the request matches any one of the condition values in the policy."
		{name: "ForAnyValue one stage matches", p: pIntern, identity: cond(`{"ForAnyValue:StringEquals":{"secretsmanager:VersionStage":"AWSCURRENT"}}`), keys: stage("AWSPREVIOUS", "AWSCURRENT"), want: allow},
		// ForAnyValue: "For no matching key or a null dataset, the condition returns false."
		{name: "ForAnyValue missing key", p: pIntern, identity: cond(`{"ForAnyValue:StringEquals":{"secretsmanager:VersionStage":"AWSCURRENT"}}`), want: implicit},
		// ForAllValues: "The condition returns true if every key value in the request matches at least one value in the policy."
		{name: "ForAllValues all stages allowed", p: pIntern, identity: cond(`{"ForAllValues:StringEquals":{"secretsmanager:VersionStage":["AWSCURRENT","AWSPREVIOUS"]}}`), keys: stage("AWSPREVIOUS", "AWSCURRENT"), want: allow},
		// ForAllValues: "The condition returns true if every key value in the request matches at least one value in the policy."
		{name: "ForAllValues one stage not allowed", p: pIntern, identity: cond(`{"ForAllValues:StringEquals":{"secretsmanager:VersionStage":"AWSCURRENT"}}`), keys: stage("AWSPENDING", "AWSCURRENT"), want: implicit},
		// ForAllValues: "It also returns true if there are no keys in the request"
		{name: "ForAllValues missing key is true", p: pIntern, identity: cond(`{"ForAllValues:StringEquals":{"secretsmanager:VersionStage":"AWSCURRENT"}}`), want: allow},
		// ForAnyValue with a negated operator: true when some request value matches none of the policy's.
		{name: "ForAnyValue:StringNotEquals", p: pIntern, identity: cond(`{"ForAnyValue:StringNotEquals":{"secretsmanager:VersionStage":"AWSCURRENT"}}`), keys: stage("AWSCURRENT", "AWSPENDING"), want: allow},
		// secretsmanager:SecretId: "Filters access by the secret identifier in the request" (the secret's ARN).
		{name: "SecretId ArnLike", p: pIntern, identity: cond(`{"ArnLike":{"secretsmanager:SecretId":"arn:aws:secretsmanager:*:*:secret:prod/*"}}`), keys: map[string][]string{"secretsmanager:SecretId": {secProd}}, want: allow},
		// secretsmanager:Name: "Filters access by the friendly name of the secret in the request."
		{name: "secretsmanager:Name", p: pDeployer, action: "secretsmanager:CreateSecret", arn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/new",
			identity: pol(`{"Effect":"Allow","Action":"secretsmanager:CreateSecret","Resource":"*","Condition":{"StringLike":{"secretsmanager:Name":"dev/*"}}}`), keys: map[string][]string{"secretsmanager:Name": {"prod/new"}}, want: implicit},
		// "An explicit deny in any policy overrides any allows." A conditional Deny whose condition does not hold denies nothing.
		{name: "conditional deny not triggered", p: pApp, resource: pol(`{"Effect":"Deny","Principal":"*","Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"StringNotEquals":{"secretsmanager:VersionStage":"AWSCURRENT"}}}`), keys: stage("AWSCURRENT"), want: allow},
		// "An explicit deny in any policy overrides any allows." … and when it holds, it denies.
		{name: "conditional deny triggered", p: pApp, resource: pol(`{"Effect":"Deny","Principal":"*","Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"StringNotEquals":{"secretsmanager:VersionStage":"AWSCURRENT"}}}`), keys: stage("AWSPREVIOUS"), want: resDeny},
	}
}

func TestPolicyParseErrors(t *testing.T) {
	for _, tc := range []struct{ name, doc, want string }{
		{"not JSON", `{"Version":`, "syntax error"},
		{"bad effect", pol(`{"Effect":"Permit","Principal":"*","Action":"*"}`), "Effect must be"},
		{"no action", pol(`{"Effect":"Allow","Principal":"*"}`), "Action or NotAction"},
		{"both action forms", pol(`{"Effect":"Allow","Principal":"*","Action":"*","NotAction":"x:y"}`), "Action or NotAction"},
		{"no principal", pol(`{"Effect":"Allow","Action":"*"}`), "needs a Principal"},
		{"wildcard in a principal ARN", pol(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/*"},"Action":"*"}`), "wildcards are not allowed"},
		{"unknown condition operator", pol(`{"Effect":"Allow","Principal":"*","Action":"*","Condition":{"StringSortOf":{"aws:PrincipalArn":"x"}}}`), "unknown condition operator"},
		{"empty statements", pol(), "at least one statement"},
		{"bad version", `{"Version":"2020-01-01","Statement":[]}`, "Version must be"},
		{"action without service", pol(`{"Effect":"Allow","Principal":"*","Action":"GetSecretValue"}`), "service:Action"},
	} {
		_, err := parseIAMPolicy(tc.doc, true)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), string(ErrMalformedPolicyDocument)) {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		}
	}
	if _, err := parseIAMPolicy(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"*"}}`, true); err != nil {
		t.Errorf("a single statement object is valid: %v", err)
	}
}

func TestValidatePolicyFindings(t *testing.T) {
	lockout := pol(`{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"*","Resource":"*"}`)
	for _, tc := range []struct {
		name, doc string
		checks    []string
	}{
		// "Sends a call to Zelkova … to ensure your resource policy does not allow broad access to your secret, for example policies that use a wildcard for the principal."
		{"public", pol(allowAnyGet), []string{"PUBLIC_POLICY"}},
		{"public through AWS *", pol(`{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"*","Resource":"*"}`), []string{"PUBLIC_POLICY"}},
		{"public with a non-narrowing condition", pol(`{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"secretsmanager:VersionStage":"AWSCURRENT"}}}`), []string{"PUBLIC_POLICY"}},
		{"narrowed by account", pol(`{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalAccount":"123456789012"}}}`), nil},
		{"negated narrowing is still public", pol(`{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalAccount":"123456789012"}}}`), []string{"PUBLIC_POLICY"}},
		{"NotPrincipal allow is public", pol(`{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::123456789012:role/app"},"Action":"*","Resource":"*"}`), []string{"PUBLIC_POLICY"}},
		{"a public Deny is fine", pol(`{"Effect":"Deny","Principal":"*","Action":"secretsmanager:DeleteSecret","Resource":"*"}`), nil},
		{"named principal", pol(allowAppGet), nil},
		// "Verifies the policy does not lock out a caller."
		{"lockout", lockout, []string{"LOCKOUT_CHECK"}},
		{"deny of reads only is no lockout", pol(`{"Effect":"Deny","Principal":{"AWS":"123456789012"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}`), nil},
		{"public and lockout", pol(allowAnyGet, `{"Effect":"Deny","Principal":"*","Action":"secretsmanager:*Policy","Resource":"*"}`), []string{"PUBLIC_POLICY", "LOCKOUT_CHECK"}},
		// "Checks for correct syntax in a policy."
		{"syntax", `{"Statement":`, []string{"SYNTAX_CHECK"}},
	} {
		out := validatePolicy(tc.doc, DefaultAccountID, secProd)
		var got []string
		for _, e := range out.ValidationErrors {
			got = append(got, e.CheckName)
			if e.ErrorMessage == "" {
				t.Errorf("%s: %s without a message", tc.name, e.CheckName)
			}
		}
		if strings.Join(got, ",") != strings.Join(tc.checks, ",") || out.PolicyValidationPassed != (len(tc.checks) == 0) {
			t.Errorf("%s: got %v passed=%v, want %v", tc.name, got, out.PolicyValidationPassed, tc.checks)
		}
	}
}

func TestGlobMatch(t *testing.T) {
	for _, tc := range []struct {
		p, s string
		fold bool
		want bool
	}{
		{"*", "", false, true}, {"a*c", "abbbc", false, true}, {"a?c", "abc", false, true}, {"a?c", "ac", false, false},
		{"*/db-??????", "prod/db-AbCdEf", false, true}, {"A*", "abc", false, false}, {"A*", "abc", true, true},
		{"a*b*c", "axxbyyc", false, true}, {"a*b*c", "axxbyy", false, false},
	} {
		if got := globMatch(tc.p, tc.s, tc.fold); got != tc.want {
			t.Errorf("globMatch(%q, %q, %v) = %v", tc.p, tc.s, tc.fold, got)
		}
	}
}

func TestPolicyAllowsForKeyPolicies(t *testing.T) {
	s, _ := New()
	keyPolicy := pol(`{"Sid":"Enable IAM policies","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kms:*","Resource":"*"}`,
		`{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::123456789012:user/intern"},"Action":"kms:Decrypt","Resource":"*"}`)
	if !s.policyAllows(pApp, "kms:Decrypt", "*", keyPolicy, nil) {
		t.Error("account statement should allow app")
	}
	if s.policyAllows(pIntern, "kms:Decrypt", "*", keyPolicy, nil) {
		t.Error("explicit deny should refuse the intern")
	}
	if s.policyAllows(pPartner, "kms:Decrypt", "*", keyPolicy, nil) {
		t.Error("another account is not named")
	}
	if s.policyAllows(pApp, "kms:Decrypt", "*", `not json`, nil) {
		t.Error("a broken policy allows nothing")
	}
	cond := pol(`{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"secretsmanager.us-east-1.amazonaws.com"}}}`)
	if !s.policyAllows(pPartner, "kms:Decrypt", "*", cond, map[string][]string{"kms:ViaService": {"secretsmanager.us-east-1.amazonaws.com"}}) {
		t.Error("extra keys should reach conditions")
	}
}
