package parity

import (
	"errors"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// suite is every scenario, grouped by operation.
func suite() []scenario {
	var all []scenario
	for _, group := range [][]scenario{
		createCases(), getCases(), batchGetCases(), putCases(), updateCases(), describeCases(),
		listCases(), versionCases(), stageCases(), deleteCases(), restoreCases(),
		rotateCases(), cancelRotateCases(), tagCases(), noTokenCases(), passwordCases(), policyCases(), replicationCases(), wireCases(), kmsCases(),
	} {
		all = append(all, group...)
	}
	return all
}

// Shapes that recur in the expectations: which response members AWS sends.
const (
	freshShape = "{ARN,CreatedDate,LastChangedDate,Name,VersionIdsToStages}" // DescribeSecret of a new secret [AWS-rec §2.5]
	getShape   = "{ARN,CreatedDate,Name,SecretString,VersionId,VersionStages}"
	putShape   = "{ARN,Name,VersionId,VersionStages}"
	// token is a fixed ClientRequestToken (32–64 characters) for idempotency cases.
	token = "11111111-2222-3333-4444-555555555555"
)

// invalidNameLine is what AWS answers any operation given a name with a
// space, r.n("bad name") [AWS-rec test_invalid_secret_name].
func invalidNameLine(op string) string {
	return op + `: ValidationException 400 "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!"`
}

var arnSuffix = regexp.MustCompile(`-[A-Za-z0-9]{6}$`)

// arnForm renders an ARN with the scenario's name and the random suffix replaced.
func (r *run) arnForm(arn string) string {
	i := strings.LastIndex(arn, ":secret:")
	if i < 0 {
		return "arn=" + arn
	}
	name := arn[i+len(":secret:"):]
	suffix := "-??????"
	if arnSuffix.MatchString(name) {
		suffix = "-XXXXXX"
		name = arnSuffix.ReplaceAllString(name, "")
	}
	return "arn=" + arn[:i] + ":secret:" + r.short(name) + suffix
}

func createCases() []scenario {
	return []scenario{{
		name: "CreateSecret/a string value becomes version v1 with AWSCURRENT",
		ref:  "§2.1, §2.5 [AWS-rec test_create_and_update_secret]",
		steps: func(r *run) {
			r.createString("a", "s1")
			r.describe("a")
			r.get(&sm.GetSecretValueInput{SecretId: aws.String(r.n("a"))})
		},
		aws: []string{
			"CreateSecret: ok {ARN,Name,VersionId} v1",
			"DescribeSecret: ok " + freshShape + " v1[AWSCURRENT]",
			`GetSecretValue: ok ` + getShape + ` v1[AWSCURRENT] string="s1"`,
		},
	}, {
		name: "CreateSecret/a binary value comes back as SecretBinary",
		ref:  "§1.3, §2.2 [AWS-rec test_get_secret_value]",
		steps: func(r *run) {
			r.create(&sm.CreateSecretInput{Name: aws.String(r.n("a")), SecretBinary: []byte("bin\x00\xff")})
			r.get(&sm.GetSecretValueInput{SecretId: aws.String(r.n("a"))})
		},
		aws: []string{
			"CreateSecret: ok {ARN,Name,VersionId} v1",
			`GetSecretValue: ok {ARN,CreatedDate,Name,SecretBinary,VersionId,VersionStages} v1[AWSCURRENT] binary="bin\x00\xff"`,
		},
	}, {
		name: "CreateSecret/without a value the secret has no versions",
		ref:  "§2.1 [AWS-rec test_create_secret_version_from_empty_secret, test_secret_version_not_found]",
		steps: func(r *run) {
			r.messages = true
			r.create(&sm.CreateSecretInput{Name: aws.String(r.n("a"))})
			r.describe("a")
			r.get(&sm.GetSecretValueInput{SecretId: aws.String(r.n("a"))})
		},
		aws: []string{
			"CreateSecret: ok {ARN,Name}",
			"DescribeSecret: ok {ARN,CreatedDate,LastChangedDate,Name}",
			`GetSecretValue: ResourceNotFoundException 400 "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT"`,
		},
		moto: []known{rnf404},
	}, {
		name: "CreateSecret/an empty Description is not returned",
		ref:  "§1.3 [AWS-rec test_create_secret_version_from_empty_secret: Description=\"\" then DescribeSecret has no Description]",
		steps: func(r *run) {
			r.create(&sm.CreateSecretInput{Name: aws.String(r.n("a")), Description: aws.String("")})
			r.describe("a")
		},
		aws: []string{
			"CreateSecret: ok {ARN,Name}",
			"DescribeSecret: ok {ARN,CreatedDate,LastChangedDate,Name}",
		},
	}, {
		name: "CreateSecret/an existing name is ResourceExistsException",
		ref:  "§2.1, Appendix A [AWS-rec test_secret_exists_snapshots]",
		steps: func(r *run) {
			r.messages = true
			r.setup(func() { r.createString("a", "s1") })
			r.createString("a", "s2")
		},
		aws: []string{`CreateSecret: ResourceExistsException 400 "The operation failed because the secret a already exists."`},
	}, {
		name: "CreateSecret/the same token and value again is a no-op",
		ref:  "§2.1 idempotency [AWS-rec, moto @aws_verified]",
		steps: func(r *run) {
			in := &sm.CreateSecretInput{Name: aws.String(r.n("a")), SecretString: aws.String("s1"), ClientRequestToken: aws.String(token)}
			r.create(in)
			r.create(in)
			r.versionsOf("a", true)
		},
		aws: []string{
			"CreateSecret: ok {ARN,Name,VersionId} v1",
			"CreateSecret: ok {ARN,Name,VersionId} v1",
			"ListSecretVersionIds: ok {ARN,Name,Versions} n=1 v1[AWSCURRENT]",
		},
	}, {
		name: "CreateSecret/the same token with another value is ResourceExistsException",
		ref:  "§2.1 idempotency, Appendix A [AWS-verified]",
		steps: func(r *run) {
			r.messages = true
			r.create(&sm.CreateSecretInput{Name: aws.String(r.n("a")), SecretString: aws.String("s1"), ClientRequestToken: aws.String(token)})
			r.create(&sm.CreateSecretInput{Name: aws.String(r.n("a")), SecretString: aws.String("s2"), ClientRequestToken: aws.String(token)})
		},
		aws: []string{
			"CreateSecret: ok {ARN,Name,VersionId} v1",
			`CreateSecret: ResourceExistsException 400 "You can't use ClientRequestToken v1 because that value is already in use for a version of secret <ARN>."`,
		},
	}, {
		name: "CreateSecret/string and binary together is InvalidParameterException",
		ref:  "§2.1 [Doc: not both]",
		steps: func(r *run) {
			r.create(&sm.CreateSecretInput{Name: aws.String(r.n("a")), SecretString: aws.String("s"), SecretBinary: []byte("b")})
		},
		aws:  []string{"CreateSecret: InvalidParameterException 400"},
		moto: []known{motoDiff("§2.1 [Doc: not both]; moto 5.2.1 accepts both (observed)", "CreateSecret: InvalidParameterException 400", "CreateSecret: ok {ARN,Name,VersionId} v1")},
	}, {
		name: "CreateSecret/a name with a space is ValidationException",
		ref:  "§2.0 name charset [AWS-rec test_invalid_secret_name]",
		steps: func(r *run) {
			r.messages = true
			r.create(&sm.CreateSecretInput{Name: aws.String(r.n("bad name")), SecretString: aws.String("s")})
		},
		aws:  []string{invalidNameLine("CreateSecret")},
		moto: []known{motoNoNameCheck("CreateSecret", "CreateSecret: ok {ARN,Name,VersionId} v1")},
	}, {
		name: "CreateSecret/a name scheduled for deletion is InvalidRequestException",
		ref:  "§2.0 table, §3.6, Appendix A [AWS-rec]",
		steps: func(r *run) {
			r.messages = true
			r.setup(func() { r.createString("a", "s1"); r.delShort("a") })
			r.createString("a", "s2")
		},
		aws: []string{`CreateSecret: InvalidRequestException 400 "You can't create this secret because a secret with this name is already scheduled for deletion."`},
		moto: []known{motoDiff("§7 row 16 (LocalStack #6530; moto 5.2.1 does the same, observed)",
			`InvalidRequestException 400 "You can't create this secret because a secret with this name is already scheduled for deletion."`,
			`ResourceExistsException 400 "The operation failed because the secret a already exists."`)},
	}, {
		name: "CreateSecret/description and tags show in DescribeSecret",
		ref:  "§2.1, §2.5 [AWS-rec test_secret_tags]",
		steps: func(r *run) {
			r.create(&sm.CreateSecretInput{
				Name: aws.String(r.n("a")), SecretString: aws.String("s1"), Description: aws.String("the db"),
				Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("a")}, {Key: aws.String("env"), Value: aws.String("dev")}},
			})
			r.describe("a")
		},
		aws: []string{
			"CreateSecret: ok {ARN,Name,VersionId} v1",
			`DescribeSecret: ok {ARN,CreatedDate,Description,LastChangedDate,Name,Tags,VersionIdsToStages} desc="the db" tags=[env=dev,team=a] v1[AWSCURRENT]`,
		},
	}, {
		name: "CreateSecret/the ARN is name plus a 6-character suffix",
		ref:  "§2.1, §3.4 [AWS-rec asserts len==6]",
		steps: func(r *run) {
			out := r.createString("a/b", "s1")
			r.note("%s", r.arnForm(aws.ToString(out.ARN)))
		},
		aws: []string{
			"CreateSecret: ok {ARN,Name,VersionId} v1",
			"arn=arn:aws:secretsmanager:us-east-1:123456789012:secret:a/b-XXXXXX",
		},
	}, {
		name: "CreateSecret/a re-created name gets a new ARN and the old ARN no longer resolves",
		ref:  "§2.0 resolving step 4, §3.4 [Doc]",
		steps: func(r *run) {
			var old *sm.CreateSecretOutput
			r.setup(func() {
				old = r.createString("a", "s1")
				r.del(&sm.DeleteSecretInput{SecretId: aws.String(r.n("a")), ForceDeleteWithoutRecovery: aws.Bool(true)})
			})
			nu := r.createString("a", "s2")
			r.note("arn-changed=%v", aws.ToString(nu.ARN) != aws.ToString(old.ARN))
			r.getValue(&sm.GetSecretValueInput{SecretId: old.ARN})
			r.getValue(&sm.GetSecretValueInput{SecretId: nu.ARN})
		},
		aws: []string{
			"CreateSecret: ok {ARN,Name,VersionId} v2",
			"arn-changed=true",
			"GetSecretValue: ResourceNotFoundException 400",
			`GetSecretValue: ok string="s2"`,
		},
		moto: []known{rnf404},
	}}
}

func getCases() []scenario {
	return []scenario{{
		name: "GetSecretValue/a missing secret is ResourceNotFoundException",
		ref:  "§2.2, Appendix A [AWS-rec test_secret_not_found]",
		steps: func(r *run) {
			r.messages = true
			r.get(&sm.GetSecretValueInput{SecretId: aws.String(r.n("nope"))})
		},
		aws:  []string{`GetSecretValue: ResourceNotFoundException 400 "Secrets Manager can't find the specified secret."`},
		moto: []known{rnf404},
	}, {
		name: "GetSecretValue/AWSPREVIOUS on a one-version secret is ResourceNotFoundException",
		ref:  "§2.2, Appendix A [AWS-rec]",
		steps: func(r *run) {
			r.messages = true
			r.setup(func() { r.createString("a", "s1") })
			r.get(&sm.GetSecretValueInput{SecretId: aws.String(r.n("a")), VersionStage: aws.String("AWSPREVIOUS")})
		},
		aws:  []string{`GetSecretValue: ResourceNotFoundException 400 "Secrets Manager can't find the specified secret value for staging label: AWSPREVIOUS"`},
		moto: []known{rnf404, motoDiff("Appendix A [AWS-rec]; moto 5.2.1 uses the secret-not-found text (observed)", "can't find the specified secret value for staging label: AWSPREVIOUS", "can't find the specified secret.")},
	}, {
		name: "GetSecretValue/an unknown VersionId is ResourceNotFoundException",
		ref:  "§2.2, Appendix A, §7 row 22 [AWS-rec]",
		steps: func(r *run) {
			r.messages = true
			r.setup(func() { r.createString("a", "s1") })
			r.get(&sm.GetSecretValueInput{SecretId: aws.String(r.n("a")), VersionId: r.id("v9")})
		},
		aws:  []string{`GetSecretValue: ResourceNotFoundException 400 "Secrets Manager can't find the specified secret value for VersionId: 00000000-0000-0000-0000-000000000000"`},
		moto: []known{rnf404},
	}, {
		name: "GetSecretValue/a VersionStage not on the VersionId is InvalidRequestException",
		ref:  "§2.2, Appendix A [AWS-rec]",
		steps: func(r *run) {
			r.messages = true
			r.setup(func() { r.createString("a", "s1"); r.putString("a", "s2") })
			r.get(&sm.GetSecretValueInput{SecretId: aws.String(r.n("a")), VersionId: r.id("v1"), VersionStage: aws.String("AWSCURRENT")})
		},
		aws:  []string{`GetSecretValue: InvalidRequestException 400 "You provided a VersionStage that is not associated to the provided VersionId."`},
		moto: []known{motoDiff("§1.5 [AWS-rec: 400]; moto 5.2.1 sends this InvalidRequestException with 404 (observed)", "InvalidRequestException 400", "InvalidRequestException 404")},
	}, {
		name: "GetSecretValue/the previous version by VersionId and by AWSPREVIOUS",
		ref:  "§2.2, §3.2 rule 2 [AWS-rec]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1"); r.putString("a", "s2") })
			r.get(&sm.GetSecretValueInput{SecretId: aws.String(r.n("a")), VersionId: r.id("v1")})
			r.get(&sm.GetSecretValueInput{SecretId: aws.String(r.n("a")), VersionStage: aws.String("AWSPREVIOUS")})
			r.get(&sm.GetSecretValueInput{SecretId: aws.String(r.n("a"))})
		},
		aws: []string{
			`GetSecretValue: ok ` + getShape + ` v1[AWSPREVIOUS] string="s1"`,
			`GetSecretValue: ok ` + getShape + ` v1[AWSPREVIOUS] string="s1"`,
			`GetSecretValue: ok ` + getShape + ` v2[AWSCURRENT] string="s2"`,
		},
	}, {
		name: "GetSecretValue/by full ARN and by partial ARN",
		ref:  "§2.0 resolving SecretId [AWS-rec test_create_and_update_secret]",
		steps: func(r *run) {
			var c *sm.CreateSecretOutput
			r.setup(func() { c = r.createString("db-c64bdc03", "s1") })
			arn := aws.ToString(c.ARN)
			r.getValue(&sm.GetSecretValueInput{SecretId: aws.String(arn)})
			r.getValue(&sm.GetSecretValueInput{SecretId: aws.String(arn[:len(arn)-7])})
		},
		aws: []string{`GetSecretValue: ok string="s1"`, `GetSecretValue: ok string="s1"`},
	}, {
		name: "GetSecretValue/a full ARN with the wrong suffix is ResourceNotFoundException",
		ref:  "§2.0 resolving step 4 [Doc; kumo PR #518]",
		steps: func(r *run) {
			var c *sm.CreateSecretOutput
			r.setup(func() { c = r.createString("a", "s1") })
			arn := aws.ToString(c.ARN)
			r.getValue(&sm.GetSecretValueInput{SecretId: aws.String(arn[:len(arn)-6] + "zzzzzz")})
		},
		aws:  []string{"GetSecretValue: ResourceNotFoundException 400"},
		moto: []known{rnf404},
	}, {
		name: "GetSecretValue/a secret scheduled for deletion is InvalidRequestException",
		ref:  "§2.0 table, Appendix A [LS mapping; Doc: a scheduled secret's value cannot be retrieved]",
		steps: func(r *run) {
			r.messages = true
			r.setup(func() { r.createString("a", "s1"); r.delShort("a") })
			r.get(&sm.GetSecretValueInput{SecretId: aws.String(r.n("a"))})
		},
		aws: []string{`GetSecretValue: InvalidRequestException 400 "You can't perform this operation on the secret because it was marked for deletion."`},
		moto: []known{motoDiff("§2.0 table, §7 row 3: moto uses the delete text, with the botocore prefix",
			"You can't perform this operation on the secret because it was marked for deletion.",
			"An error occurred (InvalidRequestException) when calling the GetSecretValue operation: You tried to perform the operation on a secret that's currently marked deleted.")},
	}, {
		name: "GetSecretValue/sets LastAccessedDate",
		ref:  "§2.2 side effect, §2.5 [AWS-rec: After a GetSecretValue: LastAccessedDate appears]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1") })
			r.describe("a")
			r.getValue(&sm.GetSecretValueInput{SecretId: aws.String(r.n("a"))})
			r.describe("a")
		},
		aws: []string{
			"DescribeSecret: ok " + freshShape + " v1[AWSCURRENT]",
			`GetSecretValue: ok string="s1"`,
			"DescribeSecret: ok {ARN,CreatedDate,LastAccessedDate,LastChangedDate,Name,VersionIdsToStages} v1[AWSCURRENT]",
		},
		moto: []known{motoDiff("§2.2, §3.5 [Doc; AWS-rec]; moto 5.2.1 does not show the secret's LastAccessedDate (observed)", "{ARN,CreatedDate,LastAccessedDate,LastChangedDate,", "{ARN,CreatedDate,LastChangedDate,")},
	}, {
		name: "GetSecretValue/a deprecated version is still readable by VersionId",
		ref:  "§2.2, §3.1 [https://github.com/mpyw/suve/issues/312]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1"); r.putString("a", "s2"); r.putString("a", "s3") })
			r.getValue(&sm.GetSecretValueInput{SecretId: aws.String(r.n("a")), VersionId: r.id("v1")})
		},
		aws: []string{`GetSecretValue: ok string="s1"`},
	}, {
		name: "GetSecretValue/a secret lives in the region it was created in",
		ref:  "§1.4 [the region of the SigV4 credential scope selects the store]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1") })
			_, err := r.client(replicaRegion).GetSecretValue(r.ctx, &sm.GetSecretValueInput{SecretId: aws.String(r.n("a"))})
			r.record("GetSecretValue(eu-west-1)", err, func() string { return "" })
			r.getValue(&sm.GetSecretValueInput{SecretId: aws.String(r.n("a"))})
		},
		aws:  []string{"GetSecretValue(eu-west-1): ResourceNotFoundException 400", `GetSecretValue: ok string="s1"`},
		moto: []known{rnf404},
	}, {
		name: "DescribeSecret/answers and errors carry a request id",
		ref:  "§1.3, §1.5 [x-amzn-RequestId, read by the SDK into the result and error metadata]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1") })
			out, err := r.sm.DescribeSecret(r.ctx, &sm.DescribeSecretInput{SecretId: aws.String(r.n("a"))})
			if err == nil {
				id, _ := awsmiddleware.GetRequestIDMetadata(out.ResultMetadata)
				r.note("DescribeSecret: request-id=%v", id != "")
			}
			_, err = r.sm.DescribeSecret(r.ctx, &sm.DescribeSecretInput{SecretId: aws.String(r.n("nope"))})
			var re *awshttp.ResponseError
			r.note("DescribeSecret(missing): request-id=%v", errors.As(err, &re) && re.ServiceRequestID() != "")
		},
		aws: []string{"DescribeSecret: request-id=true", "DescribeSecret(missing): request-id=true"},
	}, {
		name: "GetSecretValue/an invalid name is ValidationException",
		ref:  "§2.0 name charset [AWS-rec test_invalid_secret_name]",
		steps: func(r *run) {
			r.messages = true
			r.get(&sm.GetSecretValueInput{SecretId: aws.String(r.n("bad name"))})
		},
		aws:  []string{invalidNameLine("GetSecretValue")},
		moto: []known{motoNoNameCheck("GetSecretValue", "GetSecretValue: "+motoRNFText)},
	}}
}

func batchGetCases() []scenario {
	return []scenario{{
		name: "BatchGetSecretValue/by id list: found values and a per-secret error",
		ref:  "§2.15 [Doc: per-secret failures go into Errors, the call returns 200]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1"); r.createString("b", "s2") })
			r.batchGet(&sm.BatchGetSecretValueInput{SecretIdList: []string{r.n("a"), r.n("b"), r.n("missing")}})
		},
		aws: []string{`BatchGetSecretValue: ok values=[a:v1[AWSCURRENT]=string="s1" b:v2[AWSCURRENT]=string="s2"] errors=[missing:ResourceNotFoundException]`},
	}, {
		name: "BatchGetSecretValue/counts as a read: LastAccessedDate appears",
		ref:  "§2.15 [Doc: each returned value counts as a GetSecretValue], §3.5",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1") })
			r.batchGet(&sm.BatchGetSecretValueInput{SecretIdList: []string{r.n("a")}})
			r.describe("a")
		},
		aws: []string{
			`BatchGetSecretValue: ok values=[a:v1[AWSCURRENT]=string="s1"] errors=[]`,
			"DescribeSecret: ok {ARN,CreatedDate,LastAccessedDate,LastChangedDate,Name,VersionIdsToStages} v1[AWSCURRENT]",
		},
		moto: []known{motoDiff("§2.15, §3.5 [Doc]; moto 5.2.1 does not show the secret's LastAccessedDate (observed)", "{ARN,CreatedDate,LastAccessedDate,LastChangedDate,", "{ARN,CreatedDate,LastChangedDate,")},
	}, {
		name: "BatchGetSecretValue/both SecretIdList and Filters is InvalidParameterException",
		ref:  "§2.15, Appendix A [moto]",
		steps: func(r *run) {
			r.messages = true
			r.batchGet(&sm.BatchGetSecretValueInput{
				SecretIdList: []string{r.n("a")},
				Filters:      []types.Filter{{Key: types.FilterNameStringTypeName, Values: []string{r.prefix}}},
			})
		},
		aws: []string{`BatchGetSecretValue: InvalidParameterException 400 "Either 'SecretIdList' or 'Filters' must be provided, but not both."`},
	}, {
		name: "BatchGetSecretValue/MaxResults without Filters is InvalidParameterException",
		ref:  "§2.15 [moto]",
		steps: func(r *run) {
			r.messages = true
			r.batchGet(&sm.BatchGetSecretValueInput{SecretIdList: []string{r.n("a")}, MaxResults: aws.Int32(5)})
		},
		aws: []string{`BatchGetSecretValue: InvalidParameterException 400 "'Filters' not specified. 'Filters' must also be specified when 'MaxResults' is provided."`},
	}, {
		name: "BatchGetSecretValue/by name filter",
		ref:  "§2.15 [Doc: filters use the ListSecrets semantics]",
		steps: func(r *run) {
			r.setup(func() { r.createString("app-a", "s1"); r.createString("app-b", "s2"); r.createString("other", "s3") })
			r.batchGet(&sm.BatchGetSecretValueInput{Filters: []types.Filter{{Key: types.FilterNameStringTypeName, Values: []string{r.n("app-")}}}})
		},
		aws: []string{`BatchGetSecretValue: ok values=[app-a:v1[AWSCURRENT]=string="s1" app-b:v2[AWSCURRENT]=string="s2"] errors=[]`},
	}, {
		name: "BatchGetSecretValue/pagination over a filter with MaxResults 1",
		ref:  "§1.8, §2.15 [Model: MaxResults with Filters; SDK paginator]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1"); r.createString("b", "s2") })
			in := &sm.BatchGetSecretValueInput{Filters: []types.Filter{{Key: types.FilterNameStringTypeName, Values: []string{r.prefix}}}, MaxResults: aws.Int32(1)}
			var pages, vals []string
			var err error
			for range 10 {
				var out *sm.BatchGetSecretValueOutput
				if out, err = r.sm.BatchGetSecretValue(r.ctx, in); err != nil {
					break
				}
				pages = append(pages, strconv.Itoa(len(out.SecretValues)))
				for _, v := range out.SecretValues {
					vals = append(vals, r.short(aws.ToString(v.Name))+"="+value(v.SecretString, v.SecretBinary))
				}
				if aws.ToString(out.NextToken) == "" {
					break
				}
				in.NextToken = out.NextToken
			}
			sort.Strings(vals)
			r.record("BatchGetSecretValue(all pages)", err, func() string {
				return "pages=" + strings.Join(pages, "+") + " [" + strings.Join(vals, " ") + "]"
			})
		},
		aws: []string{`BatchGetSecretValue(all pages): ok pages=1+1 [a=string="s1" b=string="s2"]`},
	}, {
		name: "BatchGetSecretValue/a secret scheduled for deletion is a per-secret error",
		ref:  "§2.0 table (BatchGetSecretValue row; the code is GetSecretValue's, InvalidRequestException) [moto]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1"); r.createString("b", "s2"); r.delShort("b") })
			r.batchGet(&sm.BatchGetSecretValueInput{SecretIdList: []string{r.n("a"), r.n("b")}})
		},
		aws: []string{`BatchGetSecretValue: ok values=[a:v1[AWSCURRENT]=string="s1"] errors=[b:InvalidRequestException]`},
	}}
}

func putCases() []scenario {
	return []scenario{{
		name: "PutSecretValue/a new value takes AWSCURRENT and the old one gets AWSPREVIOUS",
		ref:  "§3.2 rule 2 [AWS-rec]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1") })
			r.putString("a", "s2")
			r.describe("a")
			r.getValue(&sm.GetSecretValueInput{SecretId: aws.String(r.n("a"))})
		},
		aws: []string{
			"PutSecretValue: ok " + putShape + " v2[AWSCURRENT]",
			"DescribeSecret: ok " + freshShape + " v1[AWSPREVIOUS] v2[AWSCURRENT]",
			`GetSecretValue: ok string="s2"`,
		},
	}, {
		name: "PutSecretValue/VersionStages AWSPENDING leaves AWSCURRENT where it is",
		ref:  "§3.2 rule 3 [AWS-rec]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1") })
			r.putString("a", "s2", "AWSPENDING")
			r.describe("a")
		},
		aws: []string{
			"PutSecretValue: ok " + putShape + " v2[AWSPENDING]",
			"DescribeSecret: ok " + freshShape + " v1[AWSCURRENT] v2[AWSPENDING]",
		},
	}, {
		name: "PutSecretValue/custom labels move to the new version without replacing the rest",
		ref:  "§3.2 rule 3 [AWS-rec test_non_versioning_version_stages_no_replacement]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1") })
			r.putString("a", "s2", "one", "two", "three")
			r.putString("a", "s3", "one", "two", "four")
			r.describe("a")
		},
		aws: []string{
			"PutSecretValue: ok " + putShape + " v2[one,three,two]",
			"PutSecretValue: ok " + putShape + " v3[four,one,two]",
			"DescribeSecret: ok " + freshShape + " v1[AWSCURRENT] v2[three] v3[four,one,two]",
		},
	}, {
		name: "PutSecretValue/taking every label of a version deprecates it",
		ref:  "§3.2 rule 3 [AWS-rec test_non_versioning_version_stages_replacement]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1"); r.putString("a", "s2", "one", "two", "three") })
			r.putString("a", "s3", "one", "two", "three", "four")
			r.versionsOf("a", false)
		},
		aws: []string{
			"PutSecretValue: ok " + putShape + " v3[four,one,three,two]",
			"ListSecretVersionIds: ok {ARN,Name,Versions} n=2 v1[AWSCURRENT] v3[four,one,three,two]",
		},
		moto: []known{motoDiff("§2.7 [AWS-rec]; moto 5.2.1 lists deprecated versions without IncludeDeprecated (observed)", "n=2 v1[AWSCURRENT] v3", "n=3 v1[AWSCURRENT] v2[] v3")},
	}, {
		name: "PutSecretValue/VersionStages with AWSCURRENT moves AWSCURRENT too",
		ref:  "§3.2 rule 4 [AWS-rec …custom_stages_2]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1") })
			r.putString("a", "s2", "AWSCURRENT", "PUT0")
			r.describe("a")
		},
		aws: []string{
			"PutSecretValue: ok " + putShape + " v2[AWSCURRENT,PUT0]",
			"DescribeSecret: ok " + freshShape + " v1[AWSPREVIOUS] v2[AWSCURRENT,PUT0]",
		},
	}, {
		name: "PutSecretValue/labels taken from a version holding AWSCURRENT leave it the rest",
		ref:  "§3.2 rule 3 [AWS-rec: Put([AWSPENDING,PUT2]) on v2[AWSCURRENT,AWSPENDING,AWSSOMETHING,PUT1]]",
		steps: func(r *run) {
			r.setup(func() {
				r.createString("a", "s1")
				r.putString("a", "s2", "AWSCURRENT", "AWSPENDING", "AWSSOMETHING", "PUT1")
			})
			r.putString("a", "s3", "AWSPENDING", "PUT2")
			r.describe("a")
		},
		aws: []string{
			"PutSecretValue: ok " + putShape + " v3[AWSPENDING,PUT2]",
			"DescribeSecret: ok " + freshShape + " v1[AWSPREVIOUS] v2[AWSCURRENT,AWSSOMETHING,PUT1] v3[AWSPENDING,PUT2]",
		},
	}, {
		name: "PutSecretValue/neither string nor binary is InvalidRequestException",
		ref:  "§2.3, Appendix A [moto; AWS text Unverified]",
		steps: func(r *run) {
			r.messages = true
			r.setup(func() { r.createString("a", "s1") })
			r.put(&sm.PutSecretValueInput{SecretId: aws.String(r.n("a"))})
		},
		aws: []string{`PutSecretValue: InvalidRequestException 400 "You must provide either SecretString or SecretBinary."`},
	}, {
		name: "PutSecretValue/the same token and value again is a no-op",
		ref:  "§2.3 [moto @aws_verified test_put_same_secret_value_with_same_token]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1") })
			in := &sm.PutSecretValueInput{SecretId: aws.String(r.n("a")), SecretString: aws.String("s2"), ClientRequestToken: aws.String(token)}
			r.put(in)
			r.put(in)
			r.versionsOf("a", true)
		},
		aws: []string{
			"PutSecretValue: ok " + putShape + " v2[AWSCURRENT]",
			"PutSecretValue: ok " + putShape + " v2[AWSCURRENT]",
			"ListSecretVersionIds: ok {ARN,Name,Versions} n=2 v1[AWSPREVIOUS] v2[AWSCURRENT]",
		},
	}, {
		name: "PutSecretValue/an old token again returns that version with its current labels and moves nothing",
		ref:  "§2.3, §3.2 rule 10 [moto @aws_verified test_put_same_secret_value_with_same_token]",
		steps: func(r *run) {
			r.setup(func() {
				r.createString("a", "s1")
				r.put(&sm.PutSecretValueInput{SecretId: aws.String(r.n("a")), SecretString: aws.String("s2"), ClientRequestToken: aws.String(token)})
				r.putString("a", "s3")
			})
			r.put(&sm.PutSecretValueInput{SecretId: aws.String(r.n("a")), SecretString: aws.String("s2"), ClientRequestToken: aws.String(token)})
			r.describe("a")
		},
		aws: []string{
			"PutSecretValue: ok " + putShape + " v2[AWSPREVIOUS]",
			"DescribeSecret: ok " + freshShape + " v2[AWSPREVIOUS] v3[AWSCURRENT]",
		},
		moto: []known{motoDiff("§2.5 [Doc; AWS-rec]: only labelled versions; moto 5.2.1 lists unlabelled ones with [] (observed)", " v2[AWSPREVIOUS] v3", " v1[] v2[AWSPREVIOUS] v3")},
	}, {
		name: "PutSecretValue/the same token with another value is ResourceExistsException",
		ref:  "§2.3, Appendix A [AWS-verified]",
		steps: func(r *run) {
			r.messages = true
			r.setup(func() {
				r.createString("a", "s1")
				r.put(&sm.PutSecretValueInput{SecretId: aws.String(r.n("a")), SecretString: aws.String("s2"), ClientRequestToken: aws.String(token)})
			})
			r.put(&sm.PutSecretValueInput{SecretId: aws.String(r.n("a")), SecretString: aws.String("s3"), ClientRequestToken: aws.String(token)})
		},
		aws: []string{`PutSecretValue: ResourceExistsException 400 "You can't use ClientRequestToken v2 because that value is already in use for a version of secret <ARN>."`},
	}, {
		name: "PutSecretValue/the first value of an empty secret becomes AWSCURRENT",
		ref:  "§2.3, §3.2 rule 5 [Doc; AWS-rec]",
		steps: func(r *run) {
			r.setup(func() { r.create(&sm.CreateSecretInput{Name: aws.String(r.n("a"))}) })
			r.putString("a", "s1")
			r.describe("a")
		},
		aws: []string{
			"PutSecretValue: ok " + putShape + " v1[AWSCURRENT]",
			"DescribeSecret: ok " + freshShape + " v1[AWSCURRENT]",
		},
	}, {
		name: "PutSecretValue/a secret scheduled for deletion is InvalidRequestException",
		ref:  "§2.0 table (UpdateSecret, PutSecretValue row) [moto/LS; Unverified for Put]",
		steps: func(r *run) {
			r.messages = true
			r.setup(func() { r.createString("a", "s1"); r.delShort("a") })
			r.putString("a", "s2")
		},
		aws:  []string{`PutSecretValue: InvalidRequestException 400 "You can't perform this operation on the secret because it was marked for deletion."`},
		moto: []known{motoDiff("§2.0 table (moto/LS do not check PutSecretValue)", `InvalidRequestException 400 "You can't perform this operation on the secret because it was marked for deletion."`, "ok "+putShape+" v2[AWSCURRENT]")},
	}, {
		name: "PutSecretValue/a plain put on AWSCURRENT+AWSPENDING drops both from the old version",
		ref:  "§3.2 rule 9 [AWS-rec test_update_secret_version_stages_current_pending]",
		steps: func(r *run) {
			r.setup(func() {
				r.createString("a", "s1")
				r.putString("a", "s2", "AWSPENDING")
				r.moveStage("a", "AWSCURRENT", "v1", "v2")
			})
			r.describe("a")
			r.putString("a", "s3")
			r.describe("a")
		},
		aws: []string{
			"DescribeSecret: ok " + freshShape + " v1[AWSPREVIOUS] v2[AWSCURRENT,AWSPENDING]",
			"PutSecretValue: ok " + putShape + " v3[AWSCURRENT]",
			"DescribeSecret: ok " + freshShape + " v2[AWSPREVIOUS] v3[AWSCURRENT]",
		},
		moto: []known{motoDiff("§3.2 rule 9 [AWS-rec test_update_secret_version_stages_current_pending]; moto 5.2.1 leaves AWSCURRENT on two versions (observed)", "v2[AWSPREVIOUS] v3[AWSCURRENT]", "v1[AWSPREVIOUS] v2[AWSCURRENT,AWSPENDING] v3[AWSCURRENT]")},
	}, {
		name: "PutSecretValue/an AWSPENDING put on the finished-rotation state keeps AWSCURRENT",
		ref:  "§3.2 rule 9 [AWS-rec …current_pending_cycle]",
		steps: func(r *run) {
			r.setup(func() {
				r.createString("a", "s1")
				r.putString("a", "s2", "AWSPENDING")
				r.moveStage("a", "AWSCURRENT", "v1", "v2")
			})
			r.putString("a", "s3", "AWSPENDING")
			r.describe("a")
		},
		aws: []string{
			"PutSecretValue: ok " + putShape + " v3[AWSPENDING]",
			"DescribeSecret: ok " + freshShape + " v1[AWSPREVIOUS] v2[AWSCURRENT] v3[AWSPENDING]",
		},
	}, {
		name: "PutSecretValue/a missing secret is ResourceNotFoundException",
		ref:  "§2.3 errors, §2.0 resolving step 5 [AWS-rec]",
		steps: func(r *run) {
			r.putString("nope", "s1")
		},
		aws:  []string{"PutSecretValue: ResourceNotFoundException 400"},
		moto: []known{rnf404},
	}, {
		name: "PutSecretValue/a binary value",
		ref:  "§1.3, §2.3 [AWS-rec]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1") })
			r.put(&sm.PutSecretValueInput{SecretId: aws.String(r.n("a")), SecretBinary: []byte{0, 1, 2}})
			r.getValue(&sm.GetSecretValueInput{SecretId: aws.String(r.n("a"))})
		},
		aws: []string{
			"PutSecretValue: ok " + putShape + " v2[AWSCURRENT]",
			`GetSecretValue: ok binary="\x00\x01\x02"`,
		},
	}, {
		name: "PutSecretValue/an invalid name is ValidationException",
		ref:  "§2.0 name charset [AWS-rec test_invalid_secret_name]",
		steps: func(r *run) {
			r.messages = true
			r.put(&sm.PutSecretValueInput{SecretId: aws.String(r.n("bad name")), SecretString: aws.String("s")})
		},
		aws:  []string{invalidNameLine("PutSecretValue")},
		moto: []known{motoNoNameCheck("PutSecretValue", "PutSecretValue: "+motoRNFText)},
	}}
}

func updateCases() []scenario {
	return []scenario{{
		name: "UpdateSecret/a description alone creates no version",
		ref:  "§2.4, §7 row 12 [AWS-rec test_update_secret_description]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1") })
			r.update(&sm.UpdateSecretInput{SecretId: aws.String(r.n("a")), Description: aws.String("new")})
			r.describe("a")
			r.versionsOf("a", true)
		},
		aws: []string{
			"UpdateSecret: ok {ARN,Name}",
			`DescribeSecret: ok {ARN,CreatedDate,Description,LastChangedDate,Name,VersionIdsToStages} desc="new" v1[AWSCURRENT]`,
			"ListSecretVersionIds: ok {ARN,Name,Versions} n=1 v1[AWSCURRENT]",
		},
	}, {
		name: "UpdateSecret/a new value takes AWSCURRENT",
		ref:  "§2.4, §3.2 rule 2 [AWS-rec]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1") })
			r.update(&sm.UpdateSecretInput{SecretId: aws.String(r.n("a")), SecretString: aws.String("s2")})
			r.describe("a")
		},
		aws: []string{
			"UpdateSecret: ok {ARN,Name,VersionId} v2",
			"DescribeSecret: ok " + freshShape + " v1[AWSPREVIOUS] v2[AWSCURRENT]",
		},
	}, {
		name: "UpdateSecret/the same token and value again is a no-op",
		ref:  "§2.4 [moto @aws_verified test_update_same_secret_value_with_same_token]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1") })
			in := &sm.UpdateSecretInput{SecretId: aws.String(r.n("a")), SecretString: aws.String("s2"), ClientRequestToken: aws.String(token)}
			r.update(in)
			r.update(in)
			r.versionsOf("a", true)
		},
		aws: []string{
			"UpdateSecret: ok {ARN,Name,VersionId} v2",
			"UpdateSecret: ok {ARN,Name,VersionId} v2",
			"ListSecretVersionIds: ok {ARN,Name,Versions} n=2 v1[AWSPREVIOUS] v2[AWSCURRENT]",
		},
	}, {
		name: "UpdateSecret/the same token with another value is ResourceExistsException",
		ref:  "§2.4 [AWS-verified]",
		steps: func(r *run) {
			r.setup(func() {
				r.createString("a", "s1")
				r.update(&sm.UpdateSecretInput{SecretId: aws.String(r.n("a")), SecretString: aws.String("s2"), ClientRequestToken: aws.String(token)})
			})
			r.update(&sm.UpdateSecretInput{SecretId: aws.String(r.n("a")), SecretString: aws.String("s3"), ClientRequestToken: aws.String(token)})
		},
		aws: []string{"UpdateSecret: ResourceExistsException 400"},
	}, {
		name: "UpdateSecret/a secret scheduled for deletion is InvalidRequestException",
		ref:  "§2.0 table, Appendix A [moto/LS]",
		steps: func(r *run) {
			r.messages = true
			r.setup(func() { r.createString("a", "s1"); r.delShort("a") })
			r.update(&sm.UpdateSecretInput{SecretId: aws.String(r.n("a")), Description: aws.String("x")})
		},
		aws:  []string{`UpdateSecret: InvalidRequestException 400 "You can't perform this operation on the secret because it was marked for deletion."`},
		moto: []known{botocorePrefix("InvalidRequestException", "UpdateSecret", "You can't perform this operation on the secret because it was marked for deletion.")},
	}, {
		name: "UpdateSecret/a missing secret is ResourceNotFoundException",
		ref:  "§2.4 errors [AWS-rec]",
		steps: func(r *run) {
			r.update(&sm.UpdateSecretInput{SecretId: aws.String(r.n("nope")), SecretString: aws.String("s")})
		},
		aws:  []string{"UpdateSecret: ResourceNotFoundException 400"},
		moto: []known{rnf404},
	}, {
		name: "UpdateSecret/KmsKeyId alone creates no version",
		ref:  "§2.4 [Doc], §7 row 13",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1"); r.kmsAlias("alias/parity") })
			r.update(&sm.UpdateSecretInput{SecretId: aws.String(r.n("a")), KmsKeyId: aws.String("alias/parity")})
			r.describe("a")
			r.versionsOf("a", true)
		},
		aws: []string{
			"UpdateSecret: ok {ARN,Name}",
			`DescribeSecret: ok {ARN,CreatedDate,KmsKeyId,LastChangedDate,Name,VersionIdsToStages} kms="alias/parity" v1[AWSCURRENT]`,
			"ListSecretVersionIds: ok {ARN,Name,Versions} n=1 v1[AWSCURRENT]",
		},
	}, {
		name: "UpdateSecret/an empty KmsKeyId goes back to the default key",
		ref:  "§2.4 [Doc: KmsKeyId=\"\" means aws/secretsmanager], §2.1 [Doc: the default key is not shown]",
		steps: func(r *run) {
			r.setup(func() {
				r.createString("a", "s1")
				r.kmsAlias("alias/parity")
				r.update(&sm.UpdateSecretInput{SecretId: aws.String(r.n("a")), KmsKeyId: aws.String("alias/parity")})
			})
			r.update(&sm.UpdateSecretInput{SecretId: aws.String(r.n("a")), KmsKeyId: aws.String("")})
			r.describe("a")
		},
		aws: []string{
			"UpdateSecret: ok {ARN,Name}",
			"DescribeSecret: ok " + freshShape + " v1[AWSCURRENT]",
		},
		moto: []known{motoDiff("§2.4 [Doc]; moto 5.2.1 stores and returns KmsKeyId \"\" (observed)", freshShape+" v1", "{ARN,CreatedDate,KmsKeyId,LastChangedDate,Name,VersionIdsToStages} kms=\"\" v1")},
	}, {
		name: "UpdateSecret/the first value of an empty secret becomes AWSCURRENT",
		ref:  "§3.2 rule 5 [Doc]",
		steps: func(r *run) {
			r.setup(func() { r.create(&sm.CreateSecretInput{Name: aws.String(r.n("a"))}) })
			r.update(&sm.UpdateSecretInput{SecretId: aws.String(r.n("a")), SecretString: aws.String("s1")})
			r.describe("a")
		},
		aws: []string{
			"UpdateSecret: ok {ARN,Name,VersionId} v1",
			"DescribeSecret: ok " + freshShape + " v1[AWSCURRENT]",
		},
	}, {
		name: "UpdateSecret/an invalid name is ValidationException",
		ref:  "§2.0 name charset [AWS-rec test_invalid_secret_name]",
		steps: func(r *run) {
			r.messages = true
			r.update(&sm.UpdateSecretInput{SecretId: aws.String(r.n("bad name")), Description: aws.String("d")})
		},
		aws:  []string{invalidNameLine("UpdateSecret")},
		moto: []known{motoNoNameCheck("UpdateSecret", "UpdateSecret: "+motoRNFText)},
	}}
}

func describeCases() []scenario {
	return []scenario{{
		name: "DescribeSecret/a missing secret is ResourceNotFoundException",
		ref:  "§2.5 errors, Appendix A [AWS-rec]",
		steps: func(r *run) {
			r.messages = true
			r.describe("nope")
		},
		aws:  []string{`DescribeSecret: ResourceNotFoundException 400 "Secrets Manager can't find the specified secret."`},
		moto: []known{rnf404},
	}, {
		name: "DescribeSecret/a secret scheduled for deletion shows DeletedDate",
		ref:  "§2.0 table, §2.5 [AWS-rec test_force_delete_deleted_secret]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1"); r.delShort("a") })
			r.describe("a")
		},
		aws: []string{"DescribeSecret: ok {ARN,CreatedDate,DeletedDate,LastChangedDate,Name,VersionIdsToStages} v1[AWSCURRENT]"},
	}, {
		name: "DescribeSecret/VersionIdsToStages lists only labelled versions",
		ref:  "§2.5, §3.1 [Doc; AWS-rec test_deprecated_secret_version_stage]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1"); r.putString("a", "s2"); r.putString("a", "s3") })
			r.describe("a")
		},
		aws:  []string{"DescribeSecret: ok " + freshShape + " v2[AWSPREVIOUS] v3[AWSCURRENT]"},
		moto: []known{motoDiff("§2.5 [Doc; AWS-rec]: only labelled versions; moto 5.2.1 lists unlabelled ones with [] (observed)", " v2[AWSPREVIOUS]", " v1[] v2[AWSPREVIOUS]")},
	}, {
		name: "DescribeSecret/by partial ARN",
		ref:  "§2.0 resolving step 3 [AWS-rec]",
		steps: func(r *run) {
			var c *sm.CreateSecretOutput
			r.setup(func() { c = r.createString("a", "s1") })
			arn := aws.ToString(c.ARN)
			r.describeID(arn[:len(arn)-7])
		},
		aws: []string{"DescribeSecret: ok " + freshShape + " v1[AWSCURRENT]"},
	}, {
		name: "DescribeSecret/an invalid name is ValidationException",
		ref:  "§2.0 name charset [AWS-rec test_invalid_secret_name]",
		steps: func(r *run) {
			r.messages = true
			r.describeID(r.n("bad name"))
		},
		aws:  []string{invalidNameLine("DescribeSecret")},
		moto: []known{motoNoNameCheck("DescribeSecret", "DescribeSecret: "+motoRNFText)},
	}}
}
