package parity

import (
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// noTokenCases send raw requests without ClientRequestToken, which no SDK
// does; AWS refuses them [AWS-rec test_no_client_request_token, §2.0].
func noTokenCases() []scenario {
	const msg = `"You must provide a ClientRequestToken value. We recommend a UUID-type value."`
	return []scenario{{
		name: "CreateSecret/a raw request without ClientRequestToken is InvalidRequestException",
		ref:  "§2.0, Appendix A [AWS-rec test_no_client_request_token[CreateSecret]]",
		steps: func(r *run) {
			r.raw("CreateSecret", map[string]any{"Name": r.n("a"), "SecretString": "s1", "Description": "d"})
		},
		aws:  []string{"CreateSecret(raw): InvalidRequestException 400 " + msg},
		moto: []known{motoDiff("§2.0 [AWS-rec test_no_client_request_token]; moto 5.2.1 does not require the token (observed)", "InvalidRequestException 400 "+msg, "ok")},
	}, {
		name: "PutSecretValue/a raw request without ClientRequestToken is InvalidRequestException",
		ref:  "§2.0, Appendix A [AWS-rec test_no_client_request_token[PutSecretValue]]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1") })
			r.raw("PutSecretValue", map[string]any{"SecretId": r.n("a"), "SecretString": "s2"})
		},
		aws:  []string{"PutSecretValue(raw): InvalidRequestException 400 " + msg},
		moto: []known{motoDiff("§2.0 [AWS-rec test_no_client_request_token]; moto 5.2.1 does not require the token (observed)", "InvalidRequestException 400 "+msg, "ok")},
	}, {
		name: "UpdateSecret/a raw request with a value but without ClientRequestToken is InvalidRequestException",
		ref:  "§2.0, Appendix A [AWS-rec test_no_client_request_token[UpdateSecret]]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1") })
			r.raw("UpdateSecret", map[string]any{"SecretId": r.n("a"), "SecretString": "s2", "Description": "d"})
		},
		aws:  []string{"UpdateSecret(raw): InvalidRequestException 400 " + msg},
		moto: []known{motoDiff("§2.0 [AWS-rec test_no_client_request_token]; moto 5.2.1 does not require the token (observed)", "InvalidRequestException 400 "+msg, `ResourceExistsException 400 "A resource with the ID you requested already exists."`)},
	}, {
		name: "RotateSecret/a raw request without ClientRequestToken is InvalidParameterException",
		ref:  "§2.0, Appendix A [AWS-rec test_no_client_request_token[RotateSecret]]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1") })
			r.raw("RotateSecret", map[string]any{"SecretId": r.n("a"), "RotationLambdaARN": rotationARN})
		},
		aws:  []string{"RotateSecret(raw): InvalidParameterException 400 " + msg},
		moto: []known{motoDiff("§2.0 [AWS-rec test_no_client_request_token]; moto 5.2.1 does not require the token and looks the Lambda up first (§4.6, observed)", "InvalidParameterException 400 "+msg, `ResourceNotFoundException 404 "Resource not found for ARN '`+rotationARN+`'."`)},
	}}
}

func tagCases() []scenario {
	return []scenario{{
		name: "TagResource/merges and overwrites existing keys",
		ref:  "§2.13 [Doc; AWS-rec test_secret_tags]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1"); r.tag("a", "k1", "one") })
			r.tag("a", "k1", "uno", "k2", "two")
			r.describe("a")
		},
		aws: []string{
			"TagResource: ok {}",
			"DescribeSecret: ok {ARN,CreatedDate,LastChangedDate,Name,Tags,VersionIdsToStages} tags=[k1=uno,k2=two] v1[AWSCURRENT]",
		},
	}, {
		name: "TagResource/keys are case-sensitive",
		ref:  "§2.1 Tags [Doc]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1") })
			r.tag("a", "Env", "1", "env", "2")
			r.describe("a")
		},
		aws: []string{
			"TagResource: ok {}",
			"DescribeSecret: ok {ARN,CreatedDate,LastChangedDate,Name,Tags,VersionIdsToStages} tags=[Env=1,env=2] v1[AWSCURRENT]",
		},
	}, {
		name: "TagResource/a secret scheduled for deletion is InvalidRequestException",
		ref:  "§2.0 table, §7 row 17 [AWS-rec test_tag_untag_resource_on_deleted_secret]",
		steps: func(r *run) {
			r.messages = true
			r.setup(func() { r.createString("a", "s1"); r.delShort("a") })
			r.tag("a", "k", "v")
		},
		aws:  []string{`TagResource: InvalidRequestException 400 "You can't perform this operation on the secret because it was marked for deletion."`},
		moto: []known{motoDiff("§7 row 17 (LocalStack #13648; moto 5.2.1 also allows it, observed)", `InvalidRequestException 400 "You can't perform this operation on the secret because it was marked for deletion."`, "ok {}")},
	}, {
		name: "TagResource/a missing secret is ResourceNotFoundException",
		ref:  "§2.13, §2.0 resolving step 5 [Model]",
		steps: func(r *run) {
			r.tag("nope", "k", "v")
		},
		aws:  []string{"TagResource: ResourceNotFoundException 400"},
		moto: []known{rnf404},
	}, {
		name: "TagResource/an invalid name is ValidationException",
		ref:  "§2.0 name charset [AWS-rec test_invalid_secret_name]",
		steps: func(r *run) {
			r.messages = true
			out, err := r.sm.TagResource(r.ctx, &sm.TagResourceInput{SecretId: aws.String(r.n("bad name")), Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
			r.record("TagResource", err, func() string { return shape(out) })
		},
		aws:  []string{invalidNameLine("TagResource")},
		moto: []known{motoNoNameCheck("TagResource", "TagResource: "+motoRNFText)},
	}, {
		name: "UntagResource/ignores keys that are not there",
		ref:  "§2.13 [Doc: idempotent]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1"); r.tag("a", "k1", "one", "k2", "two") })
			r.untag("a", "k2", "zzz")
			r.describe("a")
		},
		aws: []string{
			"UntagResource: ok {}",
			"DescribeSecret: ok {ARN,CreatedDate,LastChangedDate,Name,Tags,VersionIdsToStages} tags=[k1=one] v1[AWSCURRENT]",
		},
	}, {
		name: "UntagResource/removing every tag leaves Tags present and empty",
		ref:  "§2.5 [AWS-rec test_secret_tags: \"Tags\": []]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1"); r.tag("a", "k1", "one") })
			r.untag("a", "k1")
			r.describe("a")
		},
		aws: []string{
			"UntagResource: ok {}",
			"DescribeSecret: ok {ARN,CreatedDate,LastChangedDate,Name,Tags,VersionIdsToStages} tags=[] v1[AWSCURRENT]",
		},
	}, {
		name: "UntagResource/a secret scheduled for deletion is InvalidRequestException",
		ref:  "§2.0 table, §7 row 17 [AWS-rec test_tag_untag_resource_on_deleted_secret]",
		steps: func(r *run) {
			r.messages = true
			r.setup(func() { r.createString("a", "s1"); r.tag("a", "k", "v"); r.delShort("a") })
			r.untag("a", "k")
		},
		aws:  []string{`UntagResource: InvalidRequestException 400 "You can't perform this operation on the secret because it was marked for deletion."`},
		moto: []known{motoDiff("§7 row 17 (LocalStack #13648; moto 5.2.1 also allows it, observed)", `InvalidRequestException 400 "You can't perform this operation on the secret because it was marked for deletion."`, "ok {}")},
	}, {
		name: "UntagResource/a missing secret is ResourceNotFoundException",
		ref:  "§2.13, §2.0 resolving step 5 [Model]",
		steps: func(r *run) {
			r.untag("nope", "k")
		},
		aws:  []string{"UntagResource: ResourceNotFoundException 400"},
		moto: []known{rnf404},
	}, {
		name: "UntagResource/an invalid name is ValidationException",
		ref:  "§2.0 name charset [AWS-rec test_invalid_secret_name]",
		steps: func(r *run) {
			r.messages = true
			out, err := r.sm.UntagResource(r.ctx, &sm.UntagResourceInput{SecretId: aws.String(r.n("bad name")), TagKeys: []string{"k"}})
			r.record("UntagResource", err, func() string { return shape(out) })
		},
		aws:  []string{invalidNameLine("UntagResource")},
		moto: []known{motoNoNameCheck("UntagResource", "UntagResource: "+motoRNFText)},
	}}
}

// excluded reports whether pw avoids every character of chars.
func excluded(chars string) func(string) string {
	return func(pw string) string {
		return "excluded-absent=" + strconv.FormatBool(!strings.ContainsAny(pw, chars))
	}
}

func passwordCases() []scenario {
	return []scenario{{
		name: "GetRandomPassword/defaults: 32 characters with every class",
		ref:  "§2.14 [Doc: length 32, RequireEachIncludedType true]",
		steps: func(r *run) {
			r.password(&sm.GetRandomPasswordInput{}, classes)
		},
		aws: []string{"GetRandomPassword: ok {RandomPassword} len=32 classes=lower,upper,digit,punct"},
	}, {
		name: "GetRandomPassword/length 4097 is ValidationException",
		ref:  "§2.14, Appendix A [moto copies it from AWS]",
		steps: func(r *run) {
			r.messages = true
			r.password(&sm.GetRandomPasswordInput{PasswordLength: aws.Int64(4097)}, nil)
		},
		aws:  []string{`GetRandomPassword: ValidationException 400 "1 validation error detected: Value '4097' at 'passwordLength' failed to satisfy constraint: Member must have value less than or equal to 4096"`},
		moto: []known{motoDiff("§2.14, §7 row 3; moto 5.2.1 sends the code InvalidParameterValue with the botocore prefix (observed)", `ValidationException 400 "1 validation`, `InvalidParameterValue 400 "ClientError: An error occurred (ValidationException) when calling the GetRandomPassword operation: 1 validation`)},
	}, {
		name: "GetRandomPassword/shorter than the required classes is InvalidParameterException",
		ref:  "§2.14, Appendix A [moto]",
		steps: func(r *run) {
			r.messages = true
			r.password(&sm.GetRandomPasswordInput{PasswordLength: aws.Int64(3)}, nil)
		},
		aws:  []string{`GetRandomPassword: InvalidParameterException 400 "Password length is too short based on the required types."`},
		moto: []known{motoDiff("§7 row 3 (botocore prefix, here doubled)", `"Password length`, `"InvalidParameterException: An error occurred (InvalidParameterException) when calling the GetRandomPassword operation: Password length`)},
	}, {
		name: "GetRandomPassword/ExcludeCharacters keeps the exact length",
		ref:  "§2.14, §7 row 26 [Doc; LocalStack #2779, moto PR #3213]",
		steps: func(r *run) {
			const ex = "abcdefghijklmnopqrstuvwxyABCDEFGHIJKLMNOPQRSTUVWXY012345678"
			r.password(&sm.GetRandomPasswordInput{PasswordLength: aws.Int64(64), ExcludeCharacters: aws.String(ex)}, excluded(ex))
		},
		aws: []string{"GetRandomPassword: ok {RandomPassword} len=64 excluded-absent=true"},
	}, {
		name: "GetRandomPassword/only lowercase when the other classes are excluded",
		ref:  "§2.14 [Doc]",
		steps: func(r *run) {
			r.password(&sm.GetRandomPasswordInput{PasswordLength: aws.Int64(40), ExcludeNumbers: aws.Bool(true),
				ExcludePunctuation: aws.Bool(true), ExcludeUppercase: aws.Bool(true)}, classes)
		},
		aws: []string{"GetRandomPassword: ok {RandomPassword} len=40 classes=lower"},
	}, {
		// A space may appear but is not required (RequireEachIncludedType
		// covers letters, digits and punctuation), so only the pool is checked.
		name: "GetRandomPassword/IncludeSpace lets spaces into the pool",
		ref:  "§2.14 [Doc: IncludeSpace, RequireEachIncludedType]",
		steps: func(r *run) {
			r.password(&sm.GetRandomPasswordInput{PasswordLength: aws.Int64(20), ExcludeNumbers: aws.Bool(true),
				ExcludePunctuation: aws.Bool(true), ExcludeUppercase: aws.Bool(true), IncludeSpace: aws.Bool(true)},
				func(pw string) string {
					return "within=" + strconv.FormatBool(strings.Trim(pw, "abcdefghijklmnopqrstuvwxyz ") == "")
				})
		},
		aws: []string{"GetRandomPassword: ok {RandomPassword} len=20 within=true"},
	}, {
		name: "GetRandomPassword/one character without RequireEachIncludedType",
		ref:  "§2.14 [Doc]",
		steps: func(r *run) {
			r.password(&sm.GetRandomPasswordInput{PasswordLength: aws.Int64(1), RequireEachIncludedType: aws.Bool(false)}, nil)
		},
		aws:  []string{"GetRandomPassword: ok {RandomPassword} len=1"},
		moto: []known{motoDiff("§2.14 [Doc]; moto 5.2.1 requires every class even when RequireEachIncludedType=false (observed)", "ok {RandomPassword} len=1", "InvalidParameterException 400")},
	}, {
		name: "GetRandomPassword/the punctuation class is the 32 ASCII symbols",
		ref:  "§2.14 [Doc]",
		steps: func(r *run) {
			r.password(&sm.GetRandomPasswordInput{PasswordLength: aws.Int64(200), ExcludeNumbers: aws.Bool(true),
				ExcludeLowercase: aws.Bool(true), ExcludeUppercase: aws.Bool(true)}, classes)
		},
		aws: []string{"GetRandomPassword: ok {RandomPassword} len=200 classes=punct"},
	}}
}

// policy grants one account read access; publicPolicy grants everyone.
const (
	policy       = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}`
	publicPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"secretsmanager:GetSecretValue","Resource":"*"}]}`
)

func policyCases() []scenario {
	return []scenario{{
		name: "PutResourcePolicy/put, get, delete, get",
		ref:  "§2.16 [Model; moto]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1") })
			r.putPolicy(&sm.PutResourcePolicyInput{SecretId: aws.String(r.n("a")), ResourcePolicy: aws.String(policy)})
			r.getPolicy("a", policy)
			r.deletePolicy("a")
			r.getPolicy("a", policy)
		},
		aws: []string{
			"PutResourcePolicy: ok {ARN,Name}",
			"GetResourcePolicy: ok {ARN,Name,ResourcePolicy} policy-matches=true",
			"DeleteResourcePolicy: ok {ARN,Name}",
			"GetResourcePolicy: ok {ARN,Name}",
		},
	}, {
		name: "GetResourcePolicy/without a policy omits ResourcePolicy",
		ref:  "§2.16 [moto]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1") })
			r.getPolicy("a", policy)
		},
		aws: []string{"GetResourcePolicy: ok {ARN,Name}"},
	}, {
		name: "PutResourcePolicy/invalid JSON is MalformedPolicyDocumentException",
		ref:  "§2.16 [Model/Doc]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1") })
			r.putPolicy(&sm.PutResourcePolicyInput{SecretId: aws.String(r.n("a")), ResourcePolicy: aws.String(`{"Version":`)})
		},
		aws:  []string{"PutResourcePolicy: MalformedPolicyDocumentException 400"},
		moto: []known{motoDiff("§2.16 [Model/Doc]; moto 5.2.1 does not parse the policy (observed)", "MalformedPolicyDocumentException 400", "ok {ARN,Name}")},
	}, {
		name: "PutResourcePolicy/BlockPublicPolicy refuses a public policy",
		ref:  "§2.16 [Model/Doc: PublicPolicyException]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1") })
			r.putPolicy(&sm.PutResourcePolicyInput{SecretId: aws.String(r.n("a")), ResourcePolicy: aws.String(publicPolicy), BlockPublicPolicy: aws.Bool(true)})
			r.getPolicy("a", publicPolicy)
		},
		aws: []string{
			"PutResourcePolicy: PublicPolicyException 400",
			"GetResourcePolicy: ok {ARN,Name}",
		},
		moto: []known{motoDiff("§2.16, §7 row 32 (moto docs: BlockPublicPolicy is ignored)",
			"PutResourcePolicy: PublicPolicyException 400\nGetResourcePolicy: ok {ARN,Name}",
			"PutResourcePolicy: ok {ARN,Name}\nGetResourcePolicy: ok {ARN,Name,ResourcePolicy} policy-matches=true")},
	}, {
		name: "GetResourcePolicy/a missing secret is ResourceNotFoundException",
		ref:  "§2.16 errors [Model]",
		steps: func(r *run) {
			r.getPolicy("nope", policy)
		},
		aws:  []string{"GetResourcePolicy: ResourceNotFoundException 400"},
		moto: []known{rnf404},
	}, {
		name: "DeleteResourcePolicy/a missing secret is ResourceNotFoundException",
		ref:  "§2.16 errors [Model]",
		steps: func(r *run) {
			r.deletePolicy("nope")
		},
		aws:  []string{"DeleteResourcePolicy: ResourceNotFoundException 400"},
		moto: []known{rnf404},
	}, {
		name: "ValidateResourcePolicy/a valid policy passes",
		ref:  "§2.16 [Model], §7 row 32",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1") })
			r.validatePolicy(&sm.ValidateResourcePolicyInput{SecretId: aws.String(r.n("a")), ResourcePolicy: aws.String(policy)})
		},
		aws:  []string{"ValidateResourcePolicy: ok passed=true errors=0"},
		moto: []known{moto500("§7 row 32 (ValidateResourcePolicy is missing in moto)", "ok passed=true errors=0")},
	}, {
		name: "ValidateResourcePolicy/an invalid name is ValidationException",
		ref:  "§2.0 name charset [AWS-rec test_invalid_secret_name]",
		steps: func(r *run) {
			r.messages = true
			r.validatePolicy(&sm.ValidateResourcePolicyInput{SecretId: aws.String(r.n("bad name")), ResourcePolicy: aws.String(policy)})
		},
		aws:  []string{invalidNameLine("ValidateResourcePolicy")},
		moto: []known{moto500("§7 row 32 (ValidateResourcePolicy is missing in moto)", invalidNameLine("ValidateResourcePolicy"))},
	}}
}

func replicationCases() []scenario {
	return []scenario{{
		name: "ReplicateSecretToRegions/adds a replica that DescribeSecret reports",
		ref:  "§2.17 [Model]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1") })
			r.replicate("a", replicaRegion)
			r.describe("a")
		},
		aws: []string{
			"ReplicateSecretToRegions: ok {ARN,ReplicationStatus} [eu-west-1]",
			"DescribeSecret: ok {ARN,CreatedDate,LastChangedDate,Name,PrimaryRegion,ReplicationStatus,VersionIdsToStages} primary=us-east-1 replicas=[eu-west-1] v1[AWSCURRENT]",
		},
		moto: []known{motoDiff("§2.5 [Model: PrimaryRegion]; moto 5.2.1 omits PrimaryRegion (observed)", "Name,PrimaryRegion,ReplicationStatus", "Name,ReplicationStatus", " primary=us-east-1", "")},
	}, {
		name: "ReplicateSecretToRegions/the replica is readable in its own region",
		ref:  "§2.17 [Model: the replica ARN is the primary's with the region replaced]",
		steps: func(r *run) {
			var c *sm.CreateSecretOutput
			r.setup(func() { c = r.createString("a", "s1"); r.replicate("a", replicaRegion) })
			out, err := r.client(replicaRegion).GetSecretValue(r.ctx, &sm.GetSecretValueInput{SecretId: aws.String(r.n("a"))})
			r.record("GetSecretValue(eu-west-1)", err, func() string {
				same := strings.Replace(aws.ToString(c.ARN), ":"+region+":", ":"+replicaRegion+":", 1) == aws.ToString(out.ARN)
				return join(value(out.SecretString, out.SecretBinary), "arn-is-primary-with-region-swapped="+strconv.FormatBool(same))
			})
		},
		aws: []string{`GetSecretValue(eu-west-1): ok string="s1" arn-is-primary-with-region-swapped=true`},
	}, {
		name: "ReplicateSecretToRegions/the primary's own region is InvalidParameterException",
		ref:  "§2.1 [moto: Invalid replica region.]",
		steps: func(r *run) {
			r.messages = true
			r.setup(func() { r.createString("a", "s1") })
			r.replicate("a", region)
		},
		aws: []string{`ReplicateSecretToRegions: InvalidParameterException 400 "Invalid replica region."`},
	}, {
		name: "CreateSecret/AddReplicaRegions with the primary's own region is InvalidParameterException",
		ref:  "§2.1 [moto: Invalid replica region.]",
		steps: func(r *run) {
			r.messages = true
			r.create(&sm.CreateSecretInput{Name: aws.String(r.n("a")), SecretString: aws.String("s1"),
				AddReplicaRegions: []types.ReplicaRegionType{{Region: aws.String(region)}}})
		},
		aws: []string{`CreateSecret: InvalidParameterException 400 "Invalid replica region."`},
	}, {
		name: "CreateSecret/AddReplicaRegions replicates at creation",
		ref:  "§2.1 response [Model: ReplicationStatus only if replicas were requested]",
		steps: func(r *run) {
			r.create(&sm.CreateSecretInput{Name: aws.String(r.n("a")), SecretString: aws.String("s1"),
				AddReplicaRegions: []types.ReplicaRegionType{{Region: aws.String(replicaRegion)}}})
		},
		aws: []string{"CreateSecret: ok {ARN,Name,ReplicationStatus,VersionId} v1"},
	}, {
		name: "RemoveRegionsFromReplication/removes the replica",
		ref:  "§2.17 [Model]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1"); r.replicate("a", replicaRegion) })
			r.unreplicate("a", replicaRegion)
			out, err := r.client(replicaRegion).GetSecretValue(r.ctx, &sm.GetSecretValueInput{SecretId: aws.String(r.n("a"))})
			r.record("GetSecretValue(eu-west-1)", err, func() string { return value(out.SecretString, out.SecretBinary) })
		},
		aws: []string{
			"RemoveRegionsFromReplication: ok []",
			"GetSecretValue(eu-west-1): ResourceNotFoundException 400",
		},
		moto: []known{rnf404},
	}, {
		name: "DeleteSecret/a primary that still has replicas is InvalidParameterException",
		ref:  "§2.8 [moto; Doc: remove the replicas first]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1"); r.replicate("a", replicaRegion) })
			r.delShort("a")
		},
		aws: []string{"DeleteSecret: InvalidParameterException 400"},
	}, {
		name: "StopReplicationToReplica/promotes the replica to a standalone secret",
		ref:  "§2.17 [Model], §7 row 32",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1"); r.replicate("a", replicaRegion) })
			out, err := r.client(replicaRegion).StopReplicationToReplica(r.ctx, &sm.StopReplicationToReplicaInput{SecretId: aws.String(r.n("a"))})
			r.record("StopReplicationToReplica", err, func() string { return join(shape(out), "arn-region="+arnRegion(aws.ToString(out.ARN))) })
		},
		aws:  []string{"StopReplicationToReplica: ok {ARN} arn-region=eu-west-1"},
		moto: []known{moto500("§7 row 32 (StopReplicationToReplica is missing in moto)", "ok {ARN} arn-region=eu-west-1")},
	}}
}
