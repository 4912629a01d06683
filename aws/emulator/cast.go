package emulator

import "maps"

// OtherAccountID is the second account of the tutorial: the home of
// role/partner, for cross-account access.
const OtherAccountID = "111122223333"

// CastMember is one of the tutorial's principals, with fixed, documented
// keys. The keys are published on purpose: they name a principal inside the
// emulator and mean nothing anywhere else.
type CastMember struct {
	Name            string // "app", "deployer", "auditor", "intern", "partner"
	Description     string // one line: what it may do
	ARN             string // role/user ARN: "arn:aws:iam::123456789012:role/app"
	Account         string
	AccessKeyID     string // stable across runs
	SecretAccessKey string
	IdentityPolicy  string // JSON identity policy document
	Tags            map[string]string
}

// castEntry adds what a CastMember does not export: the unique id STS
// reports as UserId (AROA… for roles, AIDA… for users).
type castEntry struct {
	CastMember
	uniqueID string
	role     bool
}

// sessionName is the role session name of every assumed cast role, as if
// the tutorial had called sts:AssumeRole with --role-session-name secretlings.
const sessionName = "secretlings"

var cast = []castEntry{
	{CastMember: CastMember{
		Name: "app", Description: "role/app: the application; may read prod/* secrets (GetSecretValue, DescribeSecret)",
		ARN: "arn:aws:iam::" + DefaultAccountID + ":role/app", Account: DefaultAccountID,
		AccessKeyID: "AKIASLAPP00000000001", SecretAccessKey: "secretlings/app/not-a-real-key/000000001",
		IdentityPolicy: `{"Version":"2012-10-17","Statement":[{"Sid":"ReadProd","Effect":"Allow",` +
			`"Action":["secretsmanager:GetSecretValue","secretsmanager:DescribeSecret"],` +
			`"Resource":"arn:aws:secretsmanager:*:` + DefaultAccountID + `:secret:prod/*"},` +
			// BatchGetSecretValue has no resource; each secret it returns still
			// needs GetSecretValue, so this grants no more than the statement above.
			`{"Sid":"BatchRead","Effect":"Allow","Action":"secretsmanager:BatchGetSecretValue","Resource":"*"}]}`,
		Tags: map[string]string{"team": "payments"},
	}, uniqueID: "AROASLAPP00000000001", role: true},
	{CastMember: CastMember{
		Name: "deployer", Description: "role/deployer: the pipeline; may create secrets and write values and tags, not read values",
		ARN: "arn:aws:iam::" + DefaultAccountID + ":role/deployer", Account: DefaultAccountID,
		AccessKeyID: "AKIASLDEPLOYER000002", SecretAccessKey: "secretlings/deployer/not-a-real-key/0002",
		IdentityPolicy: `{"Version":"2012-10-17","Statement":[{"Sid":"WriteOnly","Effect":"Allow",` +
			`"Action":["secretsmanager:PutSecretValue","secretsmanager:UpdateSecret","secretsmanager:CreateSecret","secretsmanager:TagResource"],` +
			`"Resource":"*"}]}`,
		Tags: map[string]string{"team": "payments"},
	}, uniqueID: "AROASLDEPLOYER000002", role: true},
	{CastMember: CastMember{
		Name: "auditor", Description: "user/auditor: may describe and list secrets and read policies and the audit trail, never a value",
		ARN: "arn:aws:iam::" + DefaultAccountID + ":user/auditor", Account: DefaultAccountID,
		AccessKeyID: "AKIASLAUDITOR0000003", SecretAccessKey: "secretlings/auditor/not-a-real-key/00003",
		IdentityPolicy: `{"Version":"2012-10-17","Statement":[{"Sid":"DescribeOnly","Effect":"Allow",` +
			`"Action":["secretsmanager:DescribeSecret","secretsmanager:ListSecrets","secretsmanager:ListSecretVersionIds",` +
			`"secretsmanager:GetResourcePolicy","cloudtrail:LookupEvents"],"Resource":"*"}]}`,
		Tags: map[string]string{"team": "security"},
	}, uniqueID: "AIDASLAUDITOR0000003"},
	{CastMember: CastMember{
		Name: "intern", Description: "user/intern: no permissions at all",
		ARN: "arn:aws:iam::" + DefaultAccountID + ":user/intern", Account: DefaultAccountID,
		AccessKeyID: "AKIASLINTERN00000004", SecretAccessKey: "secretlings/intern/not-a-real-key/000004",
		IdentityPolicy: `{"Version":"2012-10-17","Statement":[]}`,
		Tags:           map[string]string{"team": "payments"},
	}, uniqueID: "AIDASLINTERN00000004"},
	{CastMember: CastMember{
		Name: "partner", Description: "role/partner in account " + OtherAccountID + ": may read secrets of account " + DefaultAccountID + " where their resource policy lets it",
		ARN: "arn:aws:iam::" + OtherAccountID + ":role/partner", Account: OtherAccountID,
		AccessKeyID: "AKIASLPARTNER0000005", SecretAccessKey: "secretlings/partner/not-a-real-key/00005",
		IdentityPolicy: `{"Version":"2012-10-17","Statement":[{"Sid":"ReadAcross","Effect":"Allow",` +
			`"Action":["secretsmanager:GetSecretValue","secretsmanager:DescribeSecret"],` +
			`"Resource":"arn:aws:secretsmanager:*:` + DefaultAccountID + `:secret:*"}]}`,
		Tags: map[string]string{"team": "partner"},
	}, uniqueID: "AROASLPARTNER0000005", role: true},
}

// Cast returns the tutorial's principals in a stable order: app, deployer,
// auditor, intern, partner. The result is a copy; changing it changes nothing.
func Cast() []CastMember {
	out := make([]CastMember, len(cast))
	for i, c := range cast {
		out[i] = c.CastMember
		out[i].Tags = maps.Clone(c.Tags)
	}
	return out
}

// CastMemberNamed returns the cast member called name ("app", "auditor", …).
func CastMemberNamed(name string) (CastMember, bool) {
	for _, c := range cast {
		if c.Name == name {
			m := c.CastMember
			m.Tags = maps.Clone(c.Tags)
			return m, true
		}
	}
	return CastMember{}, false
}

// castByKey finds the cast member owning an access key id.
func castByKey(akid string) *castEntry {
	if len(akid) != 20 || akid[:6] != "AKIASL" {
		return nil
	}
	for i := range cast {
		if cast[i].AccessKeyID == akid {
			return &cast[i]
		}
	}
	return nil
}

// principal is the Principal a request signed with c's keys acts as.
func (c *castEntry) principal() Principal {
	p := Principal{ARN: c.ARN, PrincipalARN: c.ARN, Account: c.Account, AccessKeyID: c.AccessKeyID,
		Type: "IAMUser", UserName: c.Name, Tags: c.Tags}
	if c.role {
		p.ARN = "arn:aws:sts::" + c.Account + ":assumed-role/" + c.Name + "/" + sessionName
		p.Type = "AssumedRole"
	}
	return p
}
