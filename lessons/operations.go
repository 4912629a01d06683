package lessons

import (
	"reflect"
	"sort"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// operations maps every Secrets Manager operation an action block may name to
// its SDK input type, so a block is checked against the real API shape.
var operations = map[string]reflect.Type{
	"BatchGetSecretValue":          reflect.TypeFor[secretsmanager.BatchGetSecretValueInput](),
	"CancelRotateSecret":           reflect.TypeFor[secretsmanager.CancelRotateSecretInput](),
	"CreateSecret":                 reflect.TypeFor[secretsmanager.CreateSecretInput](),
	"DeleteResourcePolicy":         reflect.TypeFor[secretsmanager.DeleteResourcePolicyInput](),
	"DeleteSecret":                 reflect.TypeFor[secretsmanager.DeleteSecretInput](),
	"DescribeSecret":               reflect.TypeFor[secretsmanager.DescribeSecretInput](),
	"GetRandomPassword":            reflect.TypeFor[secretsmanager.GetRandomPasswordInput](),
	"GetResourcePolicy":            reflect.TypeFor[secretsmanager.GetResourcePolicyInput](),
	"GetSecretValue":               reflect.TypeFor[secretsmanager.GetSecretValueInput](),
	"ListSecretVersionIds":         reflect.TypeFor[secretsmanager.ListSecretVersionIdsInput](),
	"ListSecrets":                  reflect.TypeFor[secretsmanager.ListSecretsInput](),
	"PutResourcePolicy":            reflect.TypeFor[secretsmanager.PutResourcePolicyInput](),
	"PutSecretValue":               reflect.TypeFor[secretsmanager.PutSecretValueInput](),
	"RemoveRegionsFromReplication": reflect.TypeFor[secretsmanager.RemoveRegionsFromReplicationInput](),
	"ReplicateSecretToRegions":     reflect.TypeFor[secretsmanager.ReplicateSecretToRegionsInput](),
	"RestoreSecret":                reflect.TypeFor[secretsmanager.RestoreSecretInput](),
	"RotateSecret":                 reflect.TypeFor[secretsmanager.RotateSecretInput](),
	"StopReplicationToReplica":     reflect.TypeFor[secretsmanager.StopReplicationToReplicaInput](),
	"TagResource":                  reflect.TypeFor[secretsmanager.TagResourceInput](),
	"UntagResource":                reflect.TypeFor[secretsmanager.UntagResourceInput](),
	"UpdateSecret":                 reflect.TypeFor[secretsmanager.UpdateSecretInput](),
	"UpdateSecretVersionStage":     reflect.TypeFor[secretsmanager.UpdateSecretVersionStageInput](),
	"ValidateResourcePolicy":       reflect.TypeFor[secretsmanager.ValidateResourcePolicyInput](),
}

// required lists the members the service model marks as required, beyond
// SecretId, which every operation that has it requires.
var required = map[string][]string{
	"CreateSecret":                 {"Name"},
	"PutResourcePolicy":            {"ResourcePolicy"},
	"ValidateResourcePolicy":       {"ResourcePolicy"},
	"TagResource":                  {"Tags"},
	"UntagResource":                {"TagKeys"},
	"UpdateSecretVersionStage":     {"VersionStage"},
	"ReplicateSecretToRegions":     {"AddReplicaRegions"},
	"RemoveRegionsFromReplication": {"RemoveReplicaRegions"},
}

// optionalSecretID names the operations whose SecretId is optional.
var optionalSecretID = map[string]bool{"ValidateResourcePolicy": true}

// Operations returns the names an action block may use, sorted.
func Operations() []string {
	names := make([]string, 0, len(operations))
	for n := range operations {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func requiredMembers(op string, t reflect.Type) []string {
	var req []string
	if _, ok := t.FieldByName("SecretId"); ok && !optionalSecretID[op] {
		req = append(req, "SecretId")
	}
	return append(req, required[op]...)
}

// inputMembers lists the API members of an SDK input type: its exported
// fields, minus the SDK's internal noSmithyDocumentSerde marker.
func inputMembers(t reflect.Type) []string {
	var names []string
	for i := range t.NumField() {
		if f := t.Field(i); f.IsExported() {
			names = append(names, f.Name)
		}
	}
	return names
}
