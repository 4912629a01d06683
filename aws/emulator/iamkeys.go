package emulator

import "strings"

// requestKeys are the condition keys of one request. They are looked up
// when a condition asks, not built for every request: most statements
// have no condition, and GetSecretValue must stay cheap.
type requestKeys struct {
	p         *Principal
	tags      []Tag               // the secret's tags (aws:ResourceTag/*, secretsmanager:ResourceTag/*)
	secretID  string              // secretsmanager:SecretId: the secret's ARN
	name      string              // secretsmanager:Name
	versionID string              // secretsmanager:VersionId
	stages    []string            // secretsmanager:VersionStage
	extra     map[string][]string // lower-cased keys given by the caller (KMS, tests)
}

func one(v string) []string {
	if v == "" {
		return nil
	}
	return []string{v}
}

// get returns the values of a lower-cased key; none means absent.
func (k *requestKeys) get(key string) []string {
	if k.extra != nil {
		if v, ok := k.extra[key]; ok {
			return v
		}
	}
	p := k.p
	switch key {
	case "aws:principalarn":
		return one(p.PrincipalARN)
	case "aws:principalaccount":
		return one(p.Account)
	case "aws:principaltype":
		return one(principalType(*p))
	case "aws:userid":
		return one(p.UserName)
	case "aws:username":
		if p.Type == "IAMUser" {
			return one(p.UserName)
		}
		return nil
	case "aws:securetransport":
		return []string{"false"} // the emulator serves plain HTTP
	case "aws:viaawsservice":
		return []string{"false"}
	case "secretsmanager:secretid":
		return one(k.secretID)
	case "secretsmanager:name":
		return one(k.name)
	case "secretsmanager:versionid":
		return one(k.versionID)
	case "secretsmanager:versionstage":
		return k.stages
	}
	if tk, ok := strings.CutPrefix(key, "aws:principaltag/"); ok {
		for name, v := range p.Tags {
			if strings.EqualFold(name, tk) {
				return []string{v}
			}
		}
		return nil
	}
	tk, ok := strings.CutPrefix(key, "aws:resourcetag/")
	if !ok {
		tk, ok = strings.CutPrefix(key, "secretsmanager:resourcetag/")
	}
	if ok {
		for _, t := range k.tags {
			if t.Key != nil && strings.EqualFold(*t.Key, tk) {
				return []string{str(t.Value)}
			}
		}
	}
	return nil
}
