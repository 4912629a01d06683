package lessons

import (
	"reflect"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// The other services an action may call, named "service:Operation" (as IAM
// names actions): kms:CreateKey, sts:GetCallerIdentity,
// cloudtrail:LookupEvents. A name without a service is Secrets Manager's.
// Each is checked against its own SDK's input type, as Secrets Manager's
// operations are, so a block cannot name a member the API does not have.
func init() {
	for name, t := range map[string]reflect.Type{
		"kms:CreateKey":           reflect.TypeFor[kms.CreateKeyInput](),
		"kms:DescribeKey":         reflect.TypeFor[kms.DescribeKeyInput](),
		"kms:DisableKey":          reflect.TypeFor[kms.DisableKeyInput](),
		"kms:EnableKey":           reflect.TypeFor[kms.EnableKeyInput](),
		"kms:GetKeyPolicy":        reflect.TypeFor[kms.GetKeyPolicyInput](),
		"kms:ScheduleKeyDeletion": reflect.TypeFor[kms.ScheduleKeyDeletionInput](),
		"kms:CancelKeyDeletion":   reflect.TypeFor[kms.CancelKeyDeletionInput](),
		"kms:ListAliases":         reflect.TypeFor[kms.ListAliasesInput](),
		"kms:CreateAlias":         reflect.TypeFor[kms.CreateAliasInput](),
		"sts:GetCallerIdentity":   reflect.TypeFor[sts.GetCallerIdentityInput](),
		"cloudtrail:LookupEvents": reflect.TypeFor[cloudtrail.LookupEventsInput](),
	} {
		operations[name] = t
	}
	for _, op := range []string{"kms:DescribeKey", "kms:DisableKey", "kms:EnableKey", "kms:GetKeyPolicy", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"} {
		required[op] = []string{"KeyId"}
	}
	required["kms:CreateAlias"] = []string{"AliasName", "TargetKeyId"}
}

// Services are the services an action may call, in the order the
// Operation name spells them.
const (
	SecretsManager = "secretsmanager"
	KMS            = "kms"
	STS            = "sts"
	CloudTrail     = "cloudtrail"
)

// Service is the service the action calls: "secretsmanager" unless the
// operation is qualified ("kms:CreateKey" is "kms"). Demos say
// "secretsmanager" too: they call it, through the tutorial's programs.
func (a *Action) Service() string {
	if svc, _, ok := strings.Cut(a.Operation, ":"); ok {
		return svc
	}
	return SecretsManager
}

// Name is the operation without its service: "CreateKey" for kms:CreateKey.
func (a *Action) Name() string {
	_, name, ok := strings.Cut(a.Operation, ":")
	if ok {
		return name
	}
	return a.Operation
}
