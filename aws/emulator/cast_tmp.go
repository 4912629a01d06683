package emulator

// TEMPORARY (helper EXERCISES): the cast's names from the issue 13 contract,
// so the exercises compile before helper IAM's cast.go lands on main. The
// integrator deletes this file when merging IAM; nothing here is enforced.

// OtherAccountID is the second account of the tutorial (role/partner's).
const OtherAccountID = "111122223333"

// CastMember is one of the tutorial's principals, with fixed keys.
type CastMember struct {
	Name            string
	Description     string
	ARN             string
	Account         string
	AccessKeyID     string
	SecretAccessKey string
	IdentityPolicy  string
	Tags            map[string]string
}

// Cast lists the tutorial's principals: app, deployer, auditor, intern,
// partner.
func Cast() []CastMember {
	member := func(name, kind, account, key string) CastMember {
		return CastMember{
			Name: name, ARN: "arn:aws:iam::" + account + ":" + kind + "/" + name, Account: account,
			AccessKeyID: key, SecretAccessKey: "tmp-" + name + "-secret-key",
		}
	}
	return []CastMember{
		member("app", "role", DefaultAccountID, "AKIASLAPP00000000001"),
		member("deployer", "role", DefaultAccountID, "AKIASLDEPLOYER000001"),
		member("auditor", "user", DefaultAccountID, "AKIASLAUDITOR0000001"),
		member("intern", "user", DefaultAccountID, "AKIASLINTERN00000001"),
		member("partner", "role", OtherAccountID, "AKIASLPARTNER0000001"),
	}
}

// CastMemberNamed returns the cast member called name.
func CastMemberNamed(name string) (CastMember, bool) {
	for _, m := range Cast() {
		if m.Name == name {
			return m, true
		}
	}
	return CastMember{}, false
}

// CastIsTemporary tells the checker's tests that nothing enforces the cast
// yet, so they skip the access exercises. It goes with this file: the
// compile error where it was used shows the skips to delete.
const CastIsTemporary = true
