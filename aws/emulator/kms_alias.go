package emulator

import (
	"regexp"
	"slices"
	"strings"
)

var aliasPattern = regexp.MustCompile(`^alias/[a-zA-Z0-9/_-]+$`)

func (c *kmsCall) createAlias(in *kmsCreateAliasInput) (any, error) {
	if in.AliasName == nil {
		return nil, kmsRequired("aliasName")
	}
	if in.TargetKeyId == nil {
		return nil, kmsRequired("targetKeyId")
	}
	name := *in.AliasName
	if len(name) > 256 || !aliasPattern.MatchString(name) {
		return nil, apiErr(ErrValidation, "1 validation error detected: Value '%s' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^alias/[a-zA-Z0-9/_-]+$", truncateForMsg(name))
	}
	if strings.HasPrefix(name, "alias/aws/") {
		// The CreateAlias reference: "The alias/aws/ prefix is reserved for
		// AWS managed keys."
		return nil, apiErr(ErrKMSNotAuthorized, "The alias name cannot begin with alias/aws/: that prefix is reserved for AWS managed keys. Choose another name, such as alias/%s.", strings.TrimPrefix(name, "alias/aws/"))
	}
	if ref, ok := parseKeyRef(*in.TargetKeyId, c.account, c.region); ok && ref.alias != "" {
		return nil, apiErr(ErrValidation, "Aliases must refer to keys. Not aliases")
	}
	k := &c.s.kms
	k.mu.Lock()
	defer k.mu.Unlock()
	key, err := c.key(in.TargetKeyId, "kms:CreateAlias")
	if err != nil {
		return nil, err
	}
	if key.Account != c.account || key.Region != c.region {
		return nil, apiErr(ErrKMSNotFound, "Key '%s' does not exist", key.ARN)
	}
	kr := k.region(c.account, c.region)
	if kr.Aliases[name] != nil {
		return nil, apiErr(ErrKMSAlreadyExists, "An alias with the name %s%s already exists", kr.arnPrefix(), name)
	}
	now := c.s.now()
	kr.Aliases[name] = &kmsAlias{Name: name, ARN: kr.arnPrefix() + name, Target: key.ID, Created: now, Updated: now}
	if err := c.s.saveKMS(); err != nil {
		delete(kr.Aliases, name)
		return nil, err
	}
	return &Empty{}, nil
}

// listAliases lists the aliases of the region (of one key with KeyId), in
// name order, the AWS managed aws/secretsmanager among them once it exists.
func (c *kmsCall) listAliases(in *kmsListInput) (any, error) {
	k := &c.s.kms
	k.mu.Lock()
	defer k.mu.Unlock()
	kr := k.region(c.account, c.region)
	kr.purgeDue(c.s.now())
	target := ""
	if in.KeyId != nil {
		key, err := c.key(in.KeyId, "kms:ListAliases")
		if err != nil {
			return nil, err
		}
		target = key.ID
	}
	names := make([]string, 0, len(kr.Aliases))
	for name, a := range kr.Aliases {
		if target == "" || a.Target == target {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	from, to, next, err := page(len(names), in.Limit, in.Marker)
	if err != nil {
		return nil, err
	}
	out := &kmsListAliasesOutput{Aliases: []kmsAliasEntry{}, Truncated: next != "", NextMarker: next}
	for _, name := range names[from:to] {
		a := kr.Aliases[name]
		out.Aliases = append(out.Aliases, kmsAliasEntry{AliasName: a.Name, AliasArn: a.ARN, TargetKeyId: a.Target,
			CreationDate: epoch(a.Created), LastUpdatedDate: epoch(a.Updated)})
	}
	return out, nil
}
