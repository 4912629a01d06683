package parity

import (
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// byPrefix is the filter that confines a listing to the scenario's secrets,
// since moto is shared by every case.
func (r *run) byPrefix() types.Filter {
	return types.Filter{Key: types.FilterNameStringTypeName, Values: []string{r.prefix}}
}

// three creates secrets a, b and c holding s1, s2, s3.
func (r *run) three() {
	r.setup(func() { r.createString("a", "s1"); r.createString("b", "s2"); r.createString("c", "s3") })
}

func listCases() []scenario {
	return []scenario{{
		name: "ListSecrets/the name filter is a prefix, not a substring",
		ref:  "§2.6 filters, §7 row 19 [Doc; LocalStack #4820]",
		steps: func(r *run) {
			r.setup(func() { r.createString("app/one", "s"); r.createString("app/two", "s"); r.createString("x/app", "s") })
			r.list(&sm.ListSecretsInput{Filters: []types.Filter{{Key: types.FilterNameStringTypeName, Values: []string{r.n("app")}}}})
		},
		aws: []string{"ListSecrets: ok {SecretList} [app/one app/two]"},
	}, {
		name: "ListSecrets/a value starting with ! negates",
		ref:  "§2.6 filters, §7 row 19 [Doc; moto #4644]",
		steps: func(r *run) {
			r.three()
			r.list(&sm.ListSecretsInput{Filters: []types.Filter{r.byPrefix(), {Key: types.FilterNameStringTypeName, Values: []string{"!" + r.n("b")}}}})
		},
		aws: []string{"ListSecrets: ok {SecretList} [a c]"},
	}, {
		name: "ListSecrets/several values in one filter are ORed",
		ref:  "§2.6 filters [moto semantics; floci PR #1541]",
		steps: func(r *run) {
			r.three()
			r.list(&sm.ListSecretsInput{Filters: []types.Filter{{Key: types.FilterNameStringTypeName, Values: []string{r.n("a"), r.n("c")}}}})
		},
		aws: []string{"ListSecrets: ok {SecretList} [a c]"},
	}, {
		name: "ListSecrets/tag-key filter",
		ref:  "§2.6 filters [Doc: case-sensitive prefix]",
		steps: func(r *run) {
			r.three()
			r.setup(func() { r.tag("a", "Env", "prod"); r.tag("b", "env", "prod"); r.tag("c", "Envelope", "x") })
			r.list(&sm.ListSecretsInput{Filters: []types.Filter{r.byPrefix(), {Key: types.FilterNameStringTypeTagKey, Values: []string{"Env"}}}})
		},
		aws: []string{"ListSecrets: ok {SecretList} [a c]"},
	}, {
		name: "ListSecrets/tag-value filter",
		ref:  "§2.6 filters [Doc: case-sensitive prefix]",
		steps: func(r *run) {
			r.three()
			r.setup(func() { r.tag("a", "env", "prod"); r.tag("b", "env", "dev"); r.tag("c", "stage", "production") })
			r.list(&sm.ListSecretsInput{Filters: []types.Filter{r.byPrefix(), {Key: types.FilterNameStringTypeTagValue, Values: []string{"prod"}}}})
		},
		aws: []string{"ListSecrets: ok {SecretList} [a c]"},
	}, {
		name: "ListSecrets/description filter",
		ref:  "§2.6 filters [Doc; moto's measured word split]",
		steps: func(r *run) {
			r.setup(func() {
				r.create(&sm.CreateSecretInput{Name: aws.String(r.n("a")), Description: aws.String("Payments database")})
				r.create(&sm.CreateSecretInput{Name: aws.String(r.n("b")), Description: aws.String("Queue token")})
			})
			r.list(&sm.ListSecretsInput{Filters: []types.Filter{r.byPrefix(), {Key: types.FilterNameStringTypeDescription, Values: []string{"Payments"}}}})
		},
		aws: []string{"ListSecrets: ok {SecretList} [a]"},
	}, {
		name: "ListSecrets/the description filter ignores case",
		ref:  "§2.6 filters [Doc: description is a case-insensitive prefix]",
		steps: func(r *run) {
			r.setup(func() {
				r.create(&sm.CreateSecretInput{Name: aws.String(r.n("a")), Description: aws.String("Payments database")})
				r.create(&sm.CreateSecretInput{Name: aws.String(r.n("b")), Description: aws.String("Queue token")})
			})
			r.list(&sm.ListSecretsInput{Filters: []types.Filter{r.byPrefix(), {Key: types.FilterNameStringTypeDescription, Values: []string{"payments"}}}})
		},
		aws: []string{"ListSecrets: ok {SecretList} [a]"},
	}, {
		name: "ListSecrets/the name filter is case-sensitive",
		ref:  "§2.6 filters [Doc: name is a case-sensitive prefix]",
		steps: func(r *run) {
			r.setup(func() { r.createString("Svc-a", "s"); r.createString("svc-b", "s") })
			r.list(&sm.ListSecretsInput{Filters: []types.Filter{{Key: types.FilterNameStringTypeName, Values: []string{r.n("svc")}}}})
		},
		aws: []string{"ListSecrets: ok {SecretList} [svc-b]"},
	}, {
		name: "ListSecrets/the all filter matches a word of the name",
		ref:  "§2.6 filters [Doc: all matches name, description, tag keys and values; moto splits on / - _ + = . @]",
		steps: func(r *run) {
			r.setup(func() { r.createString("svc/Payments", "s"); r.createString("svc/orders", "s") })
			r.list(&sm.ListSecretsInput{Filters: []types.Filter{r.byPrefix(), {Key: types.FilterNameStringTypeAll, Values: []string{"payments"}}}})
		},
		aws:  []string{"ListSecrets: ok {SecretList} [svc/Payments]"},
		moto: []known{motoDiff("§2.6 filters [Doc]; moto 5.2.1 does not match a lower-case word against a capitalised word of the name (observed)", "[svc/Payments]", "[]")},
	}, {
		name: "ListSecrets/the all filter matches a tag value, case-insensitively",
		ref:  "§2.6 filters [Doc: all matches name, description, tag keys and values]",
		steps: func(r *run) {
			r.three()
			r.setup(func() { r.tag("b", "colour", "Blue") })
			r.list(&sm.ListSecretsInput{Filters: []types.Filter{r.byPrefix(), {Key: types.FilterNameStringTypeAll, Values: []string{"blue"}}}})
		},
		aws: []string{"ListSecrets: ok {SecretList} [b]"},
	}, {
		name: "ListSecrets/sort by name, descending",
		ref:  "§2.6 request (SortBy, SortOrder) [Model]",
		steps: func(r *run) {
			r.three()
			r.list(&sm.ListSecretsInput{Filters: []types.Filter{r.byPrefix()}, SortBy: types.SortByTypeName, SortOrder: types.SortOrderTypeDesc})
		},
		aws:  []string{"ListSecrets: ok {SecretList} [c b a]"},
		moto: []known{motoDiff("§2.6 [Model SortBy/SortOrder]; moto 5.2.1 ignores SortBy=name and SortOrder=desc (observed)", "[c b a]", "[a b c]")},
	}, {
		name: "ListSecrets/pagination with MaxResults 1",
		ref:  "§1.8, §2.6 [SDK: the last page omits NextToken]",
		steps: func(r *run) {
			r.three()
			r.listAll(&sm.ListSecretsInput{Filters: []types.Filter{r.byPrefix()}, MaxResults: aws.Int32(1), SortBy: types.SortByTypeName, SortOrder: types.SortOrderTypeAsc})
		},
		aws: []string{"ListSecrets(all pages): ok pages=1+1+1 [a b c]"},
	}, {
		name: "ListSecrets/secrets scheduled for deletion are hidden unless IncludePlannedDeletion",
		ref:  "§2.6, §7 row 18 [Doc; LocalStack #11635]",
		steps: func(r *run) {
			r.three()
			r.setup(func() { r.delShort("b") })
			r.list(&sm.ListSecretsInput{Filters: []types.Filter{r.byPrefix()}})
			r.list(&sm.ListSecretsInput{Filters: []types.Filter{r.byPrefix()}, IncludePlannedDeletion: aws.Bool(true)})
		},
		aws: []string{
			"ListSecrets: ok {SecretList} [a c]",
			"ListSecrets: ok {SecretList} [a b c]",
		},
	}, {
		name: "ListSecrets/an unknown filter key is ValidationException",
		ref:  "§2.6 filters [moto copies the AWS model-validation text]",
		steps: func(r *run) {
			r.list(&sm.ListSecretsInput{Filters: []types.Filter{{Key: "colour", Values: []string{"x"}}}})
		},
		aws: []string{"ListSecrets: ValidationException 400"},
	}, {
		name: "ListSecrets/a NextToken it never issued is InvalidNextTokenException",
		ref:  "§2.6 errors [Model: InvalidNextTokenException]",
		steps: func(r *run) {
			r.list(&sm.ListSecretsInput{Filters: []types.Filter{r.byPrefix()}, NextToken: aws.String("garbage-token")})
		},
		aws:  []string{"ListSecrets: InvalidNextTokenException 400"},
		moto: []known{moto500("§2.6 [Model]; moto 5.2.1 crashes on a foreign NextToken (observed)", "ListSecrets: InvalidNextTokenException 400")},
	}, {
		name: "ListSecrets/MaxResults 101 is ValidationException",
		ref:  "§2.0 constraint violations, §2.6 [Model: MaxResults 1–100]",
		steps: func(r *run) {
			r.three()
			r.list(&sm.ListSecretsInput{Filters: []types.Filter{r.byPrefix()}, MaxResults: aws.Int32(101)})
		},
		aws:  []string{"ListSecrets: ValidationException 400"},
		moto: []known{motoDiff("§2.0 [Model ranges]; moto 5.2.1 does not check MaxResults (observed)", "ValidationException 400", "ok {SecretList} [a b c]")},
	}, {
		name: "ListSecrets/an entry's members, with SecretVersionsToStages",
		ref:  "§2.6 response [Model; AWS-rec test_create_multi_secrets_snapshot]",
		steps: func(r *run) {
			r.setup(func() {
				r.create(&sm.CreateSecretInput{Name: aws.String(r.n("a")), SecretString: aws.String("s1"), Description: aws.String("d")})
				r.putString("a", "s2")
			})
			out := r.list(&sm.ListSecretsInput{Filters: []types.Filter{r.byPrefix()}})
			for _, e := range out.SecretList {
				r.note("entry %s %s", shape(&e), r.labels(e.SecretVersionsToStages))
			}
		},
		aws: []string{
			"ListSecrets: ok {SecretList} [a]",
			"entry {ARN,CreatedDate,Description,LastChangedDate,Name,SecretVersionsToStages} v1[AWSPREVIOUS] v2[AWSCURRENT]",
		},
	}}
}

func versionCases() []scenario {
	return []scenario{{
		name: "ListSecretVersionIds/IncludeDeprecated shows unlabelled versions without VersionStages",
		ref:  "§2.7, §3.2 rule 2 [AWS-rec test_deprecated_secret_version_stage]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1"); r.putString("a", "s2"); r.putString("a", "s3") })
			r.versionsOf("a", false)
			r.versionsOf("a", true)
		},
		aws: []string{
			"ListSecretVersionIds: ok {ARN,Name,Versions} n=2 v2[AWSPREVIOUS] v3[AWSCURRENT]",
			"ListSecretVersionIds: ok {ARN,Name,Versions} n=3 v1 v2[AWSPREVIOUS] v3[AWSCURRENT]",
		},
		moto: []known{motoDiff("§2.7 [AWS-rec test_deprecated_secret_version_stage]; moto 5.2.1 lists deprecated versions without IncludeDeprecated, with VersionStages [] (observed)",
			" v1 v2", " v1[] v2",
			"n=2 v2[AWSPREVIOUS] v3[AWSCURRENT]", "n=3 v1[] v2[AWSPREVIOUS] v3[AWSCURRENT]")},
	}, {
		name: "ListSecretVersionIds/pagination with MaxResults 1",
		ref:  "§1.8, §2.7 [Model; SDK paginator]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1"); r.putString("a", "s2"); r.putString("a", "s3") })
			r.versionsAll("a")
		},
		aws: []string{"ListSecretVersionIds(all pages): ok pages=1+1+1 v1 v2[AWSPREVIOUS] v3[AWSCURRENT]"},
		moto: []known{motoDiff("§2.7 [Model MaxResults; AWS-rec: no VersionStages on deprecated versions]; moto 5.2.1 ignores MaxResults and sends [] (observed)",
			"pages=1+1+1 v1 v2", "pages=3 v1[] v2")},
	}, {
		name: "ListSecretVersionIds/a NextToken it never issued is InvalidNextTokenException",
		ref:  "§2.7 errors [Model: InvalidNextTokenException]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1") })
			r.versions(&sm.ListSecretVersionIdsInput{SecretId: aws.String(r.n("a")), NextToken: aws.String("garbage-token")})
		},
		aws:  []string{"ListSecretVersionIds: InvalidNextTokenException 400"},
		moto: []known{motoDiff("§2.7 [Model]; moto 5.2.1 ignores a foreign NextToken (observed)", "InvalidNextTokenException 400", "ok {ARN,Name,Versions} n=1 v1[AWSCURRENT]")},
	}, {
		name: "ListSecretVersionIds/a missing secret is ResourceNotFoundException",
		ref:  "§2.0 resolving step 5 [AWS-rec test_secret_not_found]",
		steps: func(r *run) {
			r.messages = true
			r.versionsOf("nope", false)
		},
		aws:  []string{`ListSecretVersionIds: ResourceNotFoundException 400 "Secrets Manager can't find the specified secret."`},
		moto: []known{moto500("§2.7; moto 5.2.1 crashes on ListSecretVersionIds of an unknown secret (observed)", `ResourceNotFoundException 400 "Secrets Manager can't find the specified secret."`)},
	}, {
		name: "ListSecretVersionIds/KmsKeyIds and LastAccessedDate per version",
		ref:  "§2.7 [AWS-rec: DefaultEncryptionKey; LastAccessedDate only on read versions]",
		steps: func(r *run) {
			r.setup(func() {
				r.createString("a", "s1")
				r.putString("a", "s2")
				r.getValue(&sm.GetSecretValueInput{SecretId: aws.String(r.n("a"))})
			})
			out := r.versionsOf("a", false)
			var p []string
			for _, v := range out.Versions {
				p = append(p, fmt.Sprintf("%s%s kms=%v", r.v(v.VersionId), shape(&v), v.KmsKeyIds))
			}
			sort.Strings(p)
			r.note("%s", strings.Join(p, "; "))
		},
		aws: []string{
			"ListSecretVersionIds: ok {ARN,Name,Versions} n=2 v1[AWSPREVIOUS] v2[AWSCURRENT]",
			"v1{CreatedDate,KmsKeyIds,VersionId,VersionStages} kms=[DefaultEncryptionKey]; v2{CreatedDate,KmsKeyIds,LastAccessedDate,VersionId,VersionStages} kms=[DefaultEncryptionKey]",
		},
		moto: []known{motoDiff("§2.7 [AWS-rec: KmsKeyIds DefaultEncryptionKey, LastAccessedDate only on read versions]; moto 5.2.1 omits KmsKeyIds and dates every version (observed)",
			"v1{CreatedDate,KmsKeyIds,VersionId,VersionStages} kms=[DefaultEncryptionKey]; v2{CreatedDate,KmsKeyIds,LastAccessedDate,VersionId,VersionStages} kms=[DefaultEncryptionKey]",
			"v1{CreatedDate,LastAccessedDate,VersionId,VersionStages} kms=[]; v2{CreatedDate,LastAccessedDate,VersionId,VersionStages} kms=[]")},
	}, {
		name: "ListSecretVersionIds/an invalid name is ValidationException",
		ref:  "§2.0 name charset [AWS-rec test_invalid_secret_name]",
		steps: func(r *run) {
			r.messages = true
			r.versions(&sm.ListSecretVersionIdsInput{SecretId: aws.String(r.n("bad name"))})
		},
		aws:  []string{invalidNameLine("ListSecretVersionIds")},
		moto: []known{moto500("§2.0 name charset [AWS-rec]; moto 5.2.1 crashes on ListSecretVersionIds of an unknown secret (observed)", invalidNameLine("ListSecretVersionIds"))},
	}}
}

func stageCases() []scenario {
	return []scenario{{
		name: "UpdateSecretVersionStage/moving AWSCURRENT gives the old version AWSPREVIOUS and keeps other labels",
		ref:  "§3.2 rule 6 [AWS-rec …custom_stages_3]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1"); r.putString("a", "s2", "PENDING") })
			r.moveStage("a", "AWSCURRENT", "v1", "v2")
			r.describe("a")
			r.moveStage("a", "PENDING", "v2", "")
			r.describe("a")
		},
		aws: []string{
			"UpdateSecretVersionStage: ok {ARN,Name}",
			"DescribeSecret: ok " + freshShape + " v1[AWSPREVIOUS] v2[AWSCURRENT,PENDING]",
			"UpdateSecretVersionStage: ok {ARN,Name}",
			"DescribeSecret: ok " + freshShape + " v1[AWSPREVIOUS] v2[AWSCURRENT]",
		},
	}, {
		name: "UpdateSecretVersionStage/moving AWSCURRENT without RemoveFromVersionId is InvalidParameterException",
		ref:  "§2.12, §3.2 rule 8, Appendix A [moto @aws_verified test_update_secret_version_stage_dont_specify_current_stage]",
		steps: func(r *run) {
			r.messages = true
			r.setup(func() { r.createString("a", "s1"); r.putString("a", "s2", "PENDING") })
			r.moveStage("a", "AWSCURRENT", "", "v2")
			r.describe("a")
		},
		aws: []string{
			`UpdateSecretVersionStage: InvalidParameterException 400 "The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is currently attached to version v1, so you must explicitly reference that version in RemoveFromVersionId."`,
			"DescribeSecret: ok " + freshShape + " v1[AWSCURRENT] v2[PENDING]",
		},
	}, {
		name: "UpdateSecretVersionStage/moving AWSCURRENT to a version holding AWSPENDING and custom labels",
		ref:  "§3.2 rule 6 [AWS-rec …custom_stages_2]",
		steps: func(r *run) {
			r.setup(func() {
				r.createString("a", "s1")
				r.putString("a", "s2", "AWSCURRENT", "PUT0")
				r.putString("a", "s3", "AWSCURRENT", "PUT1")
				r.putString("a", "s4", "AWSPENDING", "PUT2")
			})
			r.describe("a")
			r.moveStage("a", "AWSCURRENT", "v3", "v4")
			r.describe("a")
		},
		aws: []string{
			"DescribeSecret: ok " + freshShape + " v2[AWSPREVIOUS,PUT0] v3[AWSCURRENT,PUT1] v4[AWSPENDING,PUT2]",
			"UpdateSecretVersionStage: ok {ARN,Name}",
			"DescribeSecret: ok " + freshShape + " v2[PUT0] v3[AWSPREVIOUS,PUT1] v4[AWSCURRENT,AWSPENDING,PUT2]",
		},
		moto: []known{motoDiff("§3.2 rules 4, 6 [AWS-rec …custom_stages_2], §2.5; moto 5.2.1 drops a custom label when AWSPREVIOUS moves and lists unlabelled versions (observed)",
			" v2[AWSPREVIOUS,PUT0] v3", " v1[] v2[AWSPREVIOUS] v3",
			" v2[PUT0] v3", " v1[] v2[] v3")},
	}, {
		name: "UpdateSecretVersionStage/removing a version's only label deprecates it",
		ref:  "§3.2 rule 7 [AWS-rec; Doc]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1"); r.putString("a", "s2", "X") })
			r.moveStage("a", "X", "v2", "")
			r.versionsOf("a", false)
			r.versionsOf("a", true)
		},
		aws: []string{
			"UpdateSecretVersionStage: ok {ARN,Name}",
			"ListSecretVersionIds: ok {ARN,Name,Versions} n=1 v1[AWSCURRENT]",
			"ListSecretVersionIds: ok {ARN,Name,Versions} n=2 v1[AWSCURRENT] v2",
		},
		moto: []known{motoDiff("§2.7 [AWS-rec test_deprecated_secret_version_stage]; moto 5.2.1 lists deprecated versions without IncludeDeprecated, with VersionStages [] (observed)",
			"n=2 v1[AWSCURRENT] v2", "n=2 v1[AWSCURRENT] v2[]",
			"n=1 v1[AWSCURRENT]", "n=2 v1[AWSCURRENT] v2[]")},
	}, {
		name: "UpdateSecretVersionStage/a custom label attached elsewhere needs RemoveFromVersionId",
		ref:  "§3.2 rule 8 [AWS-verified for AWSCURRENT; the same rule for other labels]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1"); r.putString("a", "s2", "X"); r.putString("a", "s3", "Y") })
			r.moveStage("a", "X", "", "v3")
		},
		aws:  []string{"UpdateSecretVersionStage: InvalidParameterException 400"},
		moto: []known{motoDiff("§3.2 rule 8; moto 5.2.1 moves a label held elsewhere without RemoveFromVersionId (observed)", "InvalidParameterException 400", "ok {ARN,Name}")},
	}, {
		name: "UpdateSecretVersionStage/RemoveFromVersionId that does not carry the label is InvalidParameterException",
		ref:  "§2.12 [moto; Unverified]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1"); r.putString("a", "s2", "X") })
			r.moveStage("a", "X", "v1", "")
		},
		aws: []string{"UpdateSecretVersionStage: InvalidParameterException 400"},
	}, {
		name: "UpdateSecretVersionStage/an unknown MoveToVersionId is InvalidParameterException",
		ref:  "§2.12 [moto: Not a valid version; Unverified]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1") })
			r.moveStage("a", "X", "", "v9")
		},
		aws: []string{"UpdateSecretVersionStage: InvalidParameterException 400"},
	}, {
		name: "UpdateSecretVersionStage/AWSCURRENT can be attached without RemoveFromVersionId when no version holds it",
		ref:  "§3.2 rule 8, §7 row 29 (https://github.com/getmoto/moto/issues/9451: an empty secret whose only version is a rotation placeholder)",
		steps: func(r *run) {
			r.setup(func() { r.create(&sm.CreateSecretInput{Name: aws.String(r.n("a"))}) })
			// The rotation cannot finish (there is no AWSCURRENT to start
			// from) but leaves its AWSPENDING placeholder behind (§4.2).
			r.try(func() { r.rotateWith("a", 1) })
			r.describe("a")
			r.moveStage("a", "AWSCURRENT", "", "v1")
			r.describe("a")
		},
		aws: []string{
			"DescribeSecret: ok " + rotationConfigured + " rotation=true rules={days=1} v1[AWSPENDING]",
			"UpdateSecretVersionStage: ok {ARN,Name}",
			"DescribeSecret: ok " + rotationConfigured + " rotation=true rules={days=1} v1[AWSCURRENT,AWSPENDING]",
		},
		moto: []known{motoDiff("§7 row 29 (https://github.com/getmoto/moto/issues/9451), §7 row 4: moto makes no placeholder on an empty secret and crashes on the move",
			",VersionIdsToStages} rotation=true rules={days=1} v1[AWSPENDING]", "} rotation=true rules={days=1}",
			"UpdateSecretVersionStage: ok {ARN,Name}", "UpdateSecretVersionStage: undecodable HTTP 500",
			",VersionIdsToStages} rotation=true rules={days=1} v1[AWSCURRENT,AWSPENDING]", "} rotation=true rules={days=1}")},
	}, {
		name: "UpdateSecretVersionStage/a missing secret is ResourceNotFoundException",
		ref:  "§2.12 errors [Model]",
		steps: func(r *run) {
			r.moveStage("nope", "X", "", "v9")
		},
		aws:  []string{"UpdateSecretVersionStage: ResourceNotFoundException 400"},
		moto: []known{rnf404},
	}}
}

func deleteCases() []scenario {
	return []scenario{{
		name: "DeleteSecret/the default window schedules deletion",
		ref:  "§2.8, §3.6 [AWS-rec]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1") })
			r.delShort("a")
			r.describe("a")
		},
		aws: []string{
			"DeleteSecret: ok {ARN,DeletionDate,Name}",
			"DescribeSecret: ok {ARN,CreatedDate,DeletedDate,LastChangedDate,Name,VersionIdsToStages} v1[AWSCURRENT]",
		},
	}, {
		name: "DeleteSecret/windows of 7 and 30 days are accepted",
		ref:  "§2.8 [Doc: 7–30 inclusive]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1"); r.createString("b", "s2") })
			r.del(&sm.DeleteSecretInput{SecretId: aws.String(r.n("a")), RecoveryWindowInDays: aws.Int64(7)})
			r.del(&sm.DeleteSecretInput{SecretId: aws.String(r.n("b")), RecoveryWindowInDays: aws.Int64(30)})
		},
		aws: []string{"DeleteSecret: ok {ARN,DeletionDate,Name}", "DeleteSecret: ok {ARN,DeletionDate,Name}"},
	}, {
		name: "DeleteSecret/a 6-day window is InvalidParameterException",
		ref:  "§2.8, Appendix A [moto; Doc 7–30]",
		steps: func(r *run) {
			r.messages = true
			r.setup(func() { r.createString("a", "s1") })
			r.del(&sm.DeleteSecretInput{SecretId: aws.String(r.n("a")), RecoveryWindowInDays: aws.Int64(6)})
		},
		aws:  []string{`DeleteSecret: InvalidParameterException 400 "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive)."`},
		moto: []known{botocorePrefix("InvalidParameterException", "DeleteSecret", "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).")},
	}, {
		name: "DeleteSecret/a 31-day window is InvalidParameterException",
		ref:  "§2.8, Appendix A [moto; Doc 7–30]",
		steps: func(r *run) {
			r.messages = true
			r.setup(func() { r.createString("a", "s1") })
			r.del(&sm.DeleteSecretInput{SecretId: aws.String(r.n("a")), RecoveryWindowInDays: aws.Int64(31)})
		},
		aws:  []string{`DeleteSecret: InvalidParameterException 400 "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive)."`},
		moto: []known{botocorePrefix("InvalidParameterException", "DeleteSecret", "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).")},
	}, {
		name: "DeleteSecret/force together with a window is InvalidParameterException",
		ref:  "§2.8, Appendix A [moto]",
		steps: func(r *run) {
			r.messages = true
			r.setup(func() { r.createString("a", "s1") })
			r.del(&sm.DeleteSecretInput{SecretId: aws.String(r.n("a")), RecoveryWindowInDays: aws.Int64(7), ForceDeleteWithoutRecovery: aws.Bool(true)})
		},
		aws:  []string{`DeleteSecret: InvalidParameterException 400 "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays."`},
		moto: []known{botocorePrefix("InvalidParameterException", "DeleteSecret", "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.")},
	}, {
		name: "DeleteSecret/again on a scheduled secret is InvalidRequestException",
		ref:  "§2.0 table, Appendix A [moto/LS; moto #8638]",
		steps: func(r *run) {
			r.messages = true
			r.setup(func() { r.createString("a", "s1"); r.delShort("a") })
			r.delShort("a")
		},
		aws:  []string{`DeleteSecret: InvalidRequestException 400 "You tried to perform the operation on a secret that's currently marked deleted."`},
		moto: []known{botocorePrefix("InvalidRequestException", "DeleteSecret", "You tried to perform the operation on a secret that's currently marked deleted.")},
	}, {
		name: "DeleteSecret/force on a scheduled secret purges it",
		ref:  "§2.0 table, §7 row 21 [AWS-rec test_force_delete_deleted_secret]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1"); r.delShort("a") })
			r.del(&sm.DeleteSecretInput{SecretId: aws.String(r.n("a")), ForceDeleteWithoutRecovery: aws.Bool(true)})
			r.describe("a")
		},
		aws: []string{
			"DeleteSecret: ok {ARN,DeletionDate,Name}",
			"DescribeSecret: ResourceNotFoundException 400",
		},
		moto: []known{rnf404},
	}, {
		name: "DeleteSecret/force on a secret that never existed is 200",
		ref:  "§2.8, §3.6, §7 row 20 [Doc; LocalStack #5872]",
		steps: func(r *run) {
			r.del(&sm.DeleteSecretInput{SecretId: aws.String(r.n("never")), ForceDeleteWithoutRecovery: aws.Bool(true)})
		},
		aws: []string{"DeleteSecret: ok {ARN,DeletionDate,Name}"},
	}, {
		name: "DeleteSecret/a missing secret without force is ResourceNotFoundException",
		ref:  "§2.8 errors [Model]",
		steps: func(r *run) {
			r.delShort("nope")
		},
		aws:  []string{"DeleteSecret: ResourceNotFoundException 400"},
		moto: []known{rnf404},
	}, {
		name: "DeleteSecret/an invalid name is ValidationException",
		ref:  "§2.0 name charset [AWS-rec test_invalid_secret_name]",
		steps: func(r *run) {
			r.messages = true
			r.del(&sm.DeleteSecretInput{SecretId: aws.String(r.n("bad name"))})
		},
		aws:  []string{invalidNameLine("DeleteSecret")},
		moto: []known{motoNoNameCheck("DeleteSecret", "DeleteSecret: "+motoRNFText)},
	}}
}

func restoreCases() []scenario {
	return []scenario{{
		name: "RestoreSecret/clears DeletedDate and makes the value readable again",
		ref:  "§2.9, §3.6 [AWS-rec test_secret_restore]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1"); r.delShort("a") })
			r.restore("a")
			r.describe("a")
			r.getValue(&sm.GetSecretValueInput{SecretId: aws.String(r.n("a"))})
		},
		aws: []string{
			"RestoreSecret: ok {ARN,Name}",
			"DescribeSecret: ok " + freshShape + " v1[AWSCURRENT]",
			`GetSecretValue: ok string="s1"`,
		},
	}, {
		name: "RestoreSecret/a missing secret is ResourceNotFoundException",
		ref:  "§2.9 [AWS-rec]",
		steps: func(r *run) {
			r.restore("nope")
		},
		aws:  []string{"RestoreSecret: ResourceNotFoundException 400"},
		moto: []known{rnf404},
	}, {
		name: "RestoreSecret/a secret that is not deleted is a no-op",
		ref:  "§2.9 [moto; Unverified]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1") })
			r.restore("a")
			r.describe("a")
		},
		aws: []string{
			"RestoreSecret: ok {ARN,Name}",
			"DescribeSecret: ok " + freshShape + " v1[AWSCURRENT]",
		},
	}}
}
