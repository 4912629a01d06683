package emulator

import (
	"strconv"
	"time"
)

// The request and response shapes of the Secrets Manager API, named and
// tagged as on the wire (awsJson1_1). Optional request members are pointers
// so "absent" and "zero" differ; response members carry omitempty/omitzero
// because AWS omits members without a value.

// Epoch is a timestamp that encodes as JSON epoch seconds with millisecond
// precision (1523477145.729), the only form the SDK accepts.
type Epoch struct{ time.Time }

// IsZero reports whether the time is unset, so omitzero drops it.
func (e Epoch) IsZero() bool { return e.Time.IsZero() }

// MarshalJSON writes epoch seconds.
func (e Epoch) MarshalJSON() ([]byte, error) {
	return appendEpoch(nil, e.Time), nil
}

// UnmarshalJSON reads epoch seconds (used by the state file).
func (e *Epoch) UnmarshalJSON(b []byte) error {
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return err
	}
	ms := int64(f*1000 + 0.5)
	if f < 0 {
		ms = int64(f*1000 - 0.5)
	}
	e.Time = time.UnixMilli(ms).UTC()
	return nil
}

func appendEpoch(b []byte, t time.Time) []byte {
	ms := t.UnixMilli()
	b = strconv.AppendInt(b, ms/1000, 10)
	if frac := ms % 1000; frac != 0 {
		if frac < 0 {
			frac = -frac
		}
		b = append(b, '.', byte('0'+frac/100), byte('0'+frac/10%10), byte('0'+frac%10))
		for b[len(b)-1] == '0' {
			b = b[:len(b)-1]
		}
	}
	return b
}

func epoch(t time.Time) Epoch { return Epoch{t} }

// Tag is a secret tag.
type Tag struct {
	Key   *string `json:"Key"`
	Value *string `json:"Value"`
}

// ReplicaRegion names a region to replicate to.
type ReplicaRegion struct {
	Region   *string `json:"Region,omitempty"`
	KmsKeyId *string `json:"KmsKeyId,omitempty"`
}

// ReplicationStatus describes one replica of a secret.
type ReplicationStatus struct {
	Region           string `json:"Region,omitempty"`
	KmsKeyId         string `json:"KmsKeyId,omitempty"`
	Status           string `json:"Status,omitempty"`
	StatusMessage    string `json:"StatusMessage,omitempty"`
	LastAccessedDate Epoch  `json:"LastAccessedDate,omitzero"`
}

// RotationRules is the rotation schedule of a secret.
type RotationRules struct {
	AutomaticallyAfterDays *int64  `json:"AutomaticallyAfterDays,omitempty"`
	Duration               *string `json:"Duration,omitempty"`
	ScheduleExpression     *string `json:"ScheduleExpression,omitempty"`
}

// Filter is a ListSecrets / BatchGetSecretValue filter.
type Filter struct {
	Key    *string  `json:"Key,omitempty"`
	Values []string `json:"Values,omitempty"`
}

// ExternalSecretRotationMetadataItem is a key/value pair of managed external
// secret metadata (stored and returned, otherwise unused).
type ExternalSecretRotationMetadataItem struct {
	Key   *string `json:"Key,omitempty"`
	Value *string `json:"Value,omitempty"`
}

// CreateSecretInput is the CreateSecret request.
type CreateSecretInput struct {
	Name                        *string         `json:"Name"`
	ClientRequestToken          *string         `json:"ClientRequestToken"`
	Description                 *string         `json:"Description"`
	KmsKeyId                    *string         `json:"KmsKeyId"`
	SecretBinary                []byte          `json:"SecretBinary"`
	SecretString                *string         `json:"SecretString"`
	Tags                        []Tag           `json:"Tags"`
	AddReplicaRegions           []ReplicaRegion `json:"AddReplicaRegions"`
	ForceOverwriteReplicaSecret bool            `json:"ForceOverwriteReplicaSecret"`
	Type                        *string         `json:"Type"`
}

// CreateSecretOutput is the CreateSecret response.
type CreateSecretOutput struct {
	ARN               string              `json:"ARN,omitempty"`
	Name              string              `json:"Name,omitempty"`
	VersionId         string              `json:"VersionId,omitempty"`
	ReplicationStatus []ReplicationStatus `json:"ReplicationStatus,omitempty"`
}

// GetSecretValueInput is the GetSecretValue request.
type GetSecretValueInput struct {
	SecretId     *string `json:"SecretId"`
	VersionId    *string `json:"VersionId"`
	VersionStage *string `json:"VersionStage"`
}

// GetSecretValueOutput is the GetSecretValue response.
type GetSecretValueOutput struct {
	ARN           string   `json:"ARN,omitempty"`
	Name          string   `json:"Name,omitempty"`
	VersionId     string   `json:"VersionId,omitempty"`
	SecretBinary  []byte   `json:"SecretBinary,omitempty"`
	SecretString  *string  `json:"SecretString,omitempty"`
	VersionStages []string `json:"VersionStages,omitempty"`
	CreatedDate   Epoch    `json:"CreatedDate,omitzero"`
}

// BatchGetSecretValueInput is the BatchGetSecretValue request.
type BatchGetSecretValueInput struct {
	SecretIdList []string `json:"SecretIdList"`
	Filters      []Filter `json:"Filters"`
	MaxResults   *int32   `json:"MaxResults"`
	NextToken    *string  `json:"NextToken"`
}

// APIErrorType is one per-secret failure of BatchGetSecretValue.
type APIErrorType struct {
	SecretId  string `json:"SecretId,omitempty"`
	ErrorCode string `json:"ErrorCode,omitempty"`
	Message   string `json:"Message,omitempty"`
}

// SecretValueEntry is one value returned by BatchGetSecretValue.
type SecretValueEntry = GetSecretValueOutput

// BatchGetSecretValueOutput is the BatchGetSecretValue response.
type BatchGetSecretValueOutput struct {
	SecretValues []SecretValueEntry `json:"SecretValues"`
	Errors       []APIErrorType     `json:"Errors"`
	NextToken    string             `json:"NextToken,omitempty"`
}

// PutSecretValueInput is the PutSecretValue request.
type PutSecretValueInput struct {
	SecretId           *string  `json:"SecretId"`
	ClientRequestToken *string  `json:"ClientRequestToken"`
	SecretBinary       []byte   `json:"SecretBinary"`
	SecretString       *string  `json:"SecretString"`
	VersionStages      []string `json:"VersionStages"`
	RotationToken      *string  `json:"RotationToken"`
}

// PutSecretValueOutput is the PutSecretValue response.
type PutSecretValueOutput struct {
	ARN           string   `json:"ARN,omitempty"`
	Name          string   `json:"Name,omitempty"`
	VersionId     string   `json:"VersionId,omitempty"`
	VersionStages []string `json:"VersionStages,omitempty"`
}

// UpdateSecretInput is the UpdateSecret request.
type UpdateSecretInput struct {
	SecretId           *string `json:"SecretId"`
	ClientRequestToken *string `json:"ClientRequestToken"`
	Description        *string `json:"Description"`
	KmsKeyId           *string `json:"KmsKeyId"`
	SecretBinary       []byte  `json:"SecretBinary"`
	SecretString       *string `json:"SecretString"`
	Type               *string `json:"Type"`
}

// SecretRef is the ARN+Name(+VersionId) answer several operations share.
type SecretRef struct {
	ARN       string `json:"ARN,omitempty"`
	Name      string `json:"Name,omitempty"`
	VersionId string `json:"VersionId,omitempty"`
}

// SecretIdInput is the request of operations that take only a SecretId.
type SecretIdInput struct {
	SecretId *string `json:"SecretId"`
}

// DescribeSecretOutput is the DescribeSecret response; ListSecrets entries
// use the same members with SecretVersionsToStages instead.
type DescribeSecretOutput struct {
	ARN                            string                               `json:"ARN,omitempty"`
	Name                           string                               `json:"Name,omitempty"`
	Type                           string                               `json:"Type,omitempty"`
	Description                    string                               `json:"Description,omitempty"`
	KmsKeyId                       string                               `json:"KmsKeyId,omitempty"`
	RotationEnabled                *bool                                `json:"RotationEnabled,omitempty"`
	RotationLambdaARN              string                               `json:"RotationLambdaARN,omitempty"`
	RotationRules                  *RotationRules                       `json:"RotationRules,omitempty"`
	ExternalSecretRotationMetadata []ExternalSecretRotationMetadataItem `json:"ExternalSecretRotationMetadata,omitempty"`
	ExternalSecretRotationRoleArn  string                               `json:"ExternalSecretRotationRoleArn,omitempty"`
	LastRotatedDate                Epoch                                `json:"LastRotatedDate,omitzero"`
	LastChangedDate                Epoch                                `json:"LastChangedDate,omitzero"`
	LastAccessedDate               Epoch                                `json:"LastAccessedDate,omitzero"`
	DeletedDate                    Epoch                                `json:"DeletedDate,omitzero"`
	NextRotationDate               Epoch                                `json:"NextRotationDate,omitzero"`
	Tags                           []Tag                                `json:"Tags,omitzero"`
	VersionIdsToStages             map[string][]string                  `json:"VersionIdsToStages,omitempty"`
	SecretVersionsToStages         map[string][]string                  `json:"SecretVersionsToStages,omitempty"`
	OwningService                  string                               `json:"OwningService,omitempty"`
	CreatedDate                    Epoch                                `json:"CreatedDate,omitzero"`
	PrimaryRegion                  string                               `json:"PrimaryRegion,omitempty"`
	ReplicationStatus              []ReplicationStatus                  `json:"ReplicationStatus,omitempty"`
}

// ListSecretsInput is the ListSecrets request.
type ListSecretsInput struct {
	IncludePlannedDeletion *bool    `json:"IncludePlannedDeletion"`
	MaxResults             *int32   `json:"MaxResults"`
	NextToken              *string  `json:"NextToken"`
	Filters                []Filter `json:"Filters"`
	SortOrder              *string  `json:"SortOrder"`
	SortBy                 *string  `json:"SortBy"`
}

// ListSecretsOutput is the ListSecrets response.
type ListSecretsOutput struct {
	SecretList []DescribeSecretOutput `json:"SecretList"`
	NextToken  string                 `json:"NextToken,omitempty"`
}

// ListSecretVersionIdsInput is the ListSecretVersionIds request.
type ListSecretVersionIdsInput struct {
	SecretId          *string `json:"SecretId"`
	MaxResults        *int32  `json:"MaxResults"`
	NextToken         *string `json:"NextToken"`
	IncludeDeprecated *bool   `json:"IncludeDeprecated"`
}

// SecretVersionsListEntry is one version in ListSecretVersionIds.
type SecretVersionsListEntry struct {
	VersionId        string   `json:"VersionId,omitempty"`
	VersionStages    []string `json:"VersionStages,omitempty"`
	LastAccessedDate Epoch    `json:"LastAccessedDate,omitzero"`
	CreatedDate      Epoch    `json:"CreatedDate,omitzero"`
	KmsKeyIds        []string `json:"KmsKeyIds,omitempty"`
}

// ListSecretVersionIdsOutput is the ListSecretVersionIds response.
type ListSecretVersionIdsOutput struct {
	Versions  []SecretVersionsListEntry `json:"Versions"`
	NextToken string                    `json:"NextToken,omitempty"`
	ARN       string                    `json:"ARN,omitempty"`
	Name      string                    `json:"Name,omitempty"`
}

// UpdateSecretVersionStageInput is the UpdateSecretVersionStage request.
type UpdateSecretVersionStageInput struct {
	SecretId            *string `json:"SecretId"`
	VersionStage        *string `json:"VersionStage"`
	RemoveFromVersionId *string `json:"RemoveFromVersionId"`
	MoveToVersionId     *string `json:"MoveToVersionId"`
}

// DeleteSecretInput is the DeleteSecret request.
type DeleteSecretInput struct {
	SecretId                   *string `json:"SecretId"`
	RecoveryWindowInDays       *int64  `json:"RecoveryWindowInDays"`
	ForceDeleteWithoutRecovery *bool   `json:"ForceDeleteWithoutRecovery"`
}

// DeleteSecretOutput is the DeleteSecret response.
type DeleteSecretOutput struct {
	ARN          string `json:"ARN,omitempty"`
	Name         string `json:"Name,omitempty"`
	DeletionDate Epoch  `json:"DeletionDate,omitzero"`
}

// RotateSecretInput is the RotateSecret request.
type RotateSecretInput struct {
	SecretId                       *string                              `json:"SecretId"`
	ClientRequestToken             *string                              `json:"ClientRequestToken"`
	RotationLambdaARN              *string                              `json:"RotationLambdaARN"`
	RotationRules                  *RotationRules                       `json:"RotationRules"`
	RotateImmediately              *bool                                `json:"RotateImmediately"`
	ExternalSecretRotationMetadata []ExternalSecretRotationMetadataItem `json:"ExternalSecretRotationMetadata"`
	ExternalSecretRotationRoleArn  *string                              `json:"ExternalSecretRotationRoleArn"`
}

// TagResourceInput is the TagResource request.
type TagResourceInput struct {
	SecretId *string `json:"SecretId"`
	Tags     []Tag   `json:"Tags"`
}

// UntagResourceInput is the UntagResource request.
type UntagResourceInput struct {
	SecretId *string  `json:"SecretId"`
	TagKeys  []string `json:"TagKeys"`
}

// GetRandomPasswordInput is the GetRandomPassword request.
type GetRandomPasswordInput struct {
	PasswordLength          *int64  `json:"PasswordLength"`
	ExcludeCharacters       *string `json:"ExcludeCharacters"`
	ExcludeNumbers          *bool   `json:"ExcludeNumbers"`
	ExcludePunctuation      *bool   `json:"ExcludePunctuation"`
	ExcludeUppercase        *bool   `json:"ExcludeUppercase"`
	ExcludeLowercase        *bool   `json:"ExcludeLowercase"`
	IncludeSpace            *bool   `json:"IncludeSpace"`
	RequireEachIncludedType *bool   `json:"RequireEachIncludedType"`
}

// GetRandomPasswordOutput is the GetRandomPassword response.
type GetRandomPasswordOutput struct {
	RandomPassword string `json:"RandomPassword"`
}

// PutResourcePolicyInput is the PutResourcePolicy request.
type PutResourcePolicyInput struct {
	SecretId          *string `json:"SecretId"`
	ResourcePolicy    *string `json:"ResourcePolicy"`
	BlockPublicPolicy *bool   `json:"BlockPublicPolicy"`
}

// GetResourcePolicyOutput is the GetResourcePolicy response.
type GetResourcePolicyOutput struct {
	ARN            string `json:"ARN,omitempty"`
	Name           string `json:"Name,omitempty"`
	ResourcePolicy string `json:"ResourcePolicy,omitempty"`
}

// ValidateResourcePolicyInput is the ValidateResourcePolicy request.
type ValidateResourcePolicyInput struct {
	SecretId       *string `json:"SecretId"`
	ResourcePolicy *string `json:"ResourcePolicy"`
}

// ValidationErrorsEntry is one finding of ValidateResourcePolicy.
type ValidationErrorsEntry struct {
	CheckName    string `json:"CheckName,omitempty"`
	ErrorMessage string `json:"ErrorMessage,omitempty"`
}

// ValidateResourcePolicyOutput is the ValidateResourcePolicy response.
type ValidateResourcePolicyOutput struct {
	PolicyValidationPassed bool                    `json:"PolicyValidationPassed"`
	ValidationErrors       []ValidationErrorsEntry `json:"ValidationErrors,omitempty"`
}

// ReplicateSecretToRegionsInput is the ReplicateSecretToRegions request.
type ReplicateSecretToRegionsInput struct {
	SecretId                    *string         `json:"SecretId"`
	AddReplicaRegions           []ReplicaRegion `json:"AddReplicaRegions"`
	ForceOverwriteReplicaSecret bool            `json:"ForceOverwriteReplicaSecret"`
}

// RemoveRegionsFromReplicationInput is the RemoveRegionsFromReplication request.
type RemoveRegionsFromReplicationInput struct {
	SecretId             *string  `json:"SecretId"`
	RemoveReplicaRegions []string `json:"RemoveReplicaRegions"`
}

// ReplicationOutput is the response of the replication operations.
type ReplicationOutput struct {
	ARN               string              `json:"ARN,omitempty"`
	ReplicationStatus []ReplicationStatus `json:"ReplicationStatus,omitempty"`
}

// RemoveRegionsOutput always carries ReplicationStatus, [] once the last
// replica is gone, as AWS answers.
type RemoveRegionsOutput struct {
	ARN               string              `json:"ARN,omitempty"`
	ReplicationStatus []ReplicationStatus `json:"ReplicationStatus"`
}

// Empty is the response of TagResource and UntagResource: {}.
type Empty struct{}
