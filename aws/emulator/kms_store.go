package emulator

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The tiny KMS keeps keys and aliases per account and region, in memory,
// and (with WithStateFile) in a snapshot file beside the state file
// (kms_persist.go). It never encrypts anything: values stay plain text in
// memory and in the state file; a key only decides, by its state and its
// policy, whether Secrets Manager may use a secret (kms_secrets.go).

// Key states as KMS names them.
const (
	keyEnabled         = "Enabled"
	keyDisabled        = "Disabled"
	keyPendingDeletion = "PendingDeletion"
)

// managedSecretsAlias is the AWS managed key of Secrets Manager, created on
// first use as AWS does.
const managedSecretsAlias = "alias/aws/secretsmanager"

type kmsKey struct {
	ID           string    `json:"id"`
	ARN          string    `json:"arn"`
	Account      string    `json:"account"`
	Region       string    `json:"region"`
	Description  string    `json:"description,omitempty"`
	Policy       string    `json:"policy"`
	Created      time.Time `json:"created"`
	State        string    `json:"state"`
	DeletionDate time.Time `json:"deletionDate,omitzero"`
	Managed      bool      `json:"managed,omitempty"`
	Tags         []KMSTag  `json:"tags,omitempty"`
}

type kmsAlias struct {
	Name    string    `json:"name"`
	ARN     string    `json:"arn"`
	Target  string    `json:"target"` // key id
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
}

// kmsRegion is the KMS of one account and region. kmsState.mu guards it.
type kmsRegion struct {
	Account string               `json:"account"`
	Region  string               `json:"region"`
	Keys    map[string]*kmsKey   `json:"keys"`    // by key id
	Order   []string             `json:"order"`   // key ids, creation order
	Aliases map[string]*kmsAlias `json:"aliases"` // by alias name
}

// kmsState is every region's KMS. The zero value is ready to use.
type kmsState struct {
	mu      sync.RWMutex
	regions map[storeKey]*kmsRegion
	file    string // snapshot path; "" when not durable
	// customerKeys counts the customer keys ever made or loaded: while it
	// is zero no secret can be under one, and reads skip the key check.
	customerKeys atomic.Int64
}

func (k *kmsState) region(account, region string) *kmsRegion {
	kr := k.regions[storeKey{account, region}]
	if kr == nil {
		if k.regions == nil {
			k.regions = map[storeKey]*kmsRegion{}
		}
		kr = &kmsRegion{Account: account, Region: region, Keys: map[string]*kmsKey{}, Aliases: map[string]*kmsAlias{}}
		k.regions[storeKey{account, region}] = kr
	}
	return kr
}

func (kr *kmsRegion) arnPrefix() string {
	return "arn:" + partitionOf(kr.Region) + ":kms:" + kr.Region + ":" + kr.Account + ":"
}

// purgeDue deletes the keys whose deletion date has passed, with their
// aliases, as KMS does at the end of the waiting period.
func (kr *kmsRegion) purgeDue(now time.Time) bool {
	changed := false
	for id, key := range kr.Keys {
		if key.State == keyPendingDeletion && !now.Before(key.DeletionDate) {
			delete(kr.Keys, id)
			kr.Order = slices.DeleteFunc(kr.Order, func(x string) bool { return x == id })
			for name, a := range kr.Aliases {
				if a.Target == id {
					delete(kr.Aliases, name)
				}
			}
			changed = true
		}
	}
	return changed
}

var keyIDPattern = regexp.MustCompile(`^(mrk-)?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// keyRef is a parsed KeyId parameter: a key id, key ARN, alias name or
// alias ARN, with the account and region it names.
type keyRef struct {
	account, region string
	keyID           string // set for a key id or key ARN
	alias           string // "alias/..." for an alias name or ARN
	display         string // the ARN KMS quotes in its messages
}

// parseKeyRef reads id as KMS does; the account and region default to the
// caller's. ok is false for a string that is no key reference at all.
func parseKeyRef(id, account, region string) (keyRef, bool) {
	ref := keyRef{account: account, region: region}
	rest := id
	if strings.HasPrefix(id, "arn:") {
		parts := strings.SplitN(id, ":", 6)
		if len(parts) != 6 || parts[2] != "kms" || !isAccountID(parts[4]) || parts[3] == "" {
			return ref, false
		}
		ref.region, ref.account, rest = parts[3], parts[4], parts[5]
		if !strings.HasPrefix(rest, "key/") && !strings.HasPrefix(rest, "alias/") {
			return ref, false
		}
		rest = strings.TrimPrefix(rest, "key/")
	}
	prefix := "arn:" + partitionOf(ref.region) + ":kms:" + ref.region + ":" + ref.account + ":"
	switch {
	case strings.HasPrefix(rest, "alias/") && len(rest) > len("alias/"):
		ref.alias, ref.display = rest, prefix+rest
	case keyIDPattern.MatchString(rest):
		ref.keyID, ref.display = strings.ToLower(rest), prefix+"key/"+strings.ToLower(rest)
	default:
		return ref, false
	}
	return ref, true
}

// findKey resolves a parsed reference; k.mu held. It answers KMS's
// NotFoundException texts.
func (k *kmsState) findKey(ref keyRef) (*kmsKey, *Error) {
	kr := k.regions[storeKey{ref.account, ref.region}]
	if ref.alias != "" {
		var a *kmsAlias
		if kr != nil {
			a = kr.Aliases[ref.alias]
		}
		if a == nil || kr.Keys[a.Target] == nil {
			return nil, apiErr(ErrKMSNotFound, "Alias %s is not found.", ref.display)
		}
		return kr.Keys[a.Target], nil
	}
	if kr == nil || kr.Keys[ref.keyID] == nil {
		return nil, apiErr(ErrKMSNotFound, "Key '%s' does not exist", ref.display)
	}
	return kr.Keys[ref.keyID], nil
}

// defaultKeyPolicy is the policy KMS gives a key created without one: the
// account root may do everything, which lets IAM policies of the account
// grant use of the key ("Enable IAM User Permissions").
func defaultKeyPolicy(partition, account string) string {
	return `{
  "Version" : "2012-10-17",
  "Id" : "key-default-1",
  "Statement" : [ {
    "Sid" : "Enable IAM User Permissions",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:` + partition + `:iam::` + account + `:root"
    },
    "Action" : "kms:*",
    "Resource" : "*"
  } ]
}`
}

// managedSecretsPolicy is the policy of the AWS managed key
// aws/secretsmanager: principals of the account may use it through Secrets
// Manager only, and read its metadata; nobody may change or delete it.
func managedSecretsPolicy(partition, account, region string) string {
	return `{
  "Version" : "2012-10-17",
  "Id" : "auto-secretsmanager-2",
  "Statement" : [ {
    "Sid" : "Allow access through AWS Secrets Manager for all principals in the account that are authorized to use AWS Secrets Manager",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "*"
    },
    "Action" : [ "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey" ],
    "Resource" : "*",
    "Condition" : {
      "StringEquals" : {
        "kms:CallerAccount" : "` + account + `",
        "kms:ViaService" : "secretsmanager.` + region + `.amazonaws.com"
      }
    }
  }, {
    "Sid" : "Allow direct access to key metadata to the account",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:` + partition + `:iam::` + account + `:root"
    },
    "Action" : [ "kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant" ],
    "Resource" : "*"
  } ]
}`
}

// newKey adds a customer key to kr; k.mu held.
func (kr *kmsRegion) newKey(id string, now time.Time, description, policy string, tags []KMSTag) *kmsKey {
	key := &kmsKey{ID: id, ARN: kr.arnPrefix() + "key/" + id, Account: kr.Account, Region: kr.Region,
		Description: description, Policy: policy, Created: now, State: keyEnabled, Tags: tags}
	if key.Policy == "" {
		key.Policy = defaultKeyPolicy(partitionOf(kr.Region), kr.Account)
	}
	kr.Keys[id] = key
	kr.Order = append(kr.Order, id)
	return key
}

// ensureManaged returns the aws/secretsmanager key of kr, creating it (and
// its alias) on first use. k.mu held for writing; created reports whether
// the state changed.
func (kr *kmsRegion) ensureManaged(newID func() string, now time.Time) (key *kmsKey, created bool) {
	if a := kr.Aliases[managedSecretsAlias]; a != nil && kr.Keys[a.Target] != nil {
		return kr.Keys[a.Target], false
	}
	key = kr.newKey(newID(), now, "Default key that protects my Secrets Manager data when no other key is defined",
		managedSecretsPolicy(partitionOf(kr.Region), kr.Account, kr.Region), nil)
	key.Managed = true
	kr.Aliases[managedSecretsAlias] = &kmsAlias{Name: managedSecretsAlias, ARN: kr.arnPrefix() + managedSecretsAlias,
		Target: key.ID, Created: now, Updated: now}
	return key, true
}
