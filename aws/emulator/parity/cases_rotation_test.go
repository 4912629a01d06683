package parity

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// rotatedShape is DescribeSecret after a successful rotation whose function
// read the secret [AWS-rec test_rotate_secret_with_lambda_success].
const rotatedShape = "{ARN,CreatedDate,LastAccessedDate,LastChangedDate,LastRotatedDate,Name,NextRotationDate,RotationEnabled,RotationLambdaARN,RotationRules,VersionIdsToStages}"

// rotationConfigured is DescribeSecret once rotation is configured but no
// rotation has completed (no LastRotatedDate).
const rotationConfigured = "{ARN,CreatedDate,LastChangedDate,Name,NextRotationDate,RotationEnabled,RotationLambdaARN,RotationRules,VersionIdsToStages}"

// rotateWith starts a rotation through the registered rotation function.
func (r *run) rotateWith(short string, days int64) *sm.RotateSecretOutput {
	return r.rotate(&sm.RotateSecretInput{
		SecretId:          aws.String(r.n(short)),
		RotationLambdaARN: aws.String(rotationARN),
		RotationRules:     &types.RotationRulesType{AutomaticallyAfterDays: aws.Int64(days)},
	})
}

// fourSteps is what the rotation function logs for one successful rotation
// of version v: the placeholder has no value until createSecret stores one.
func fourSteps(v string) string {
	return "rotation: createSecret(" + v + ") pending-value=ResourceNotFoundException 400 setSecret(" + v + ") testSecret(" + v + ") finishSecret(" + v + ")"
}

// motoLeftover is DescribeSecret on moto after a RotateSecret that failed
// because moto has no such Lambda: the configuration is stored anyway and
// the AWSPENDING placeholder stays (observed; AWS stores nothing, §2.10).
const motoLeftover = "DescribeSecret: ok " + rotationConfigured + " rotation=true rules={days=1} v1[AWSCURRENT] v2[AWSPENDING]"

// motoNoLambda is what moto does with any Lambda ARN: it has no such
// function (moto cannot run Lambdas without Docker) and says so with a 404.
// AWS, given a function it can invoke, runs the four steps.
var motoNoLambda = motoDiff("§4.6 (moto: a missing Lambda function is RNF \"Resource not found for ARN\"); §7 rows 4, 8",
	"RotateSecret: ok {ARN,Name,VersionId} v2", "RotateSecret: ResourceNotFoundException 404",
	fourSteps("v2"), "rotation: none")

func rotateCases() []scenario {
	return []scenario{{
		name: "RotateSecret/without any Lambda ARN is InvalidRequestException and changes nothing",
		ref:  "§2.10, Appendix A [AWS-rec test_first_rotate_secret_with_missing_lambda_arn]",
		steps: func(r *run) {
			r.messages = true
			r.setup(func() { r.createString("a", "s1") })
			r.rotate(&sm.RotateSecretInput{SecretId: aws.String(r.n("a"))})
			r.describe("a")
		},
		aws: []string{
			`RotateSecret: InvalidRequestException 400 "No Lambda rotation function ARN is associated with this secret."`,
			"DescribeSecret: ok " + freshShape + " v1[AWSCURRENT]",
		},
		moto: []known{motoDiff("§7 row 5 (https://github.com/getmoto/moto/pull/3912), §4.6: moto rotates without a Lambda",
			`RotateSecret: InvalidRequestException 400 "No Lambda rotation function ARN is associated with this secret."`, "RotateSecret: ok {ARN,Name,VersionId} v2",
			"DescribeSecret: ok "+freshShape+" v1[AWSCURRENT]",
			"DescribeSecret: ok {ARN,CreatedDate,LastChangedDate,LastRotatedDate,Name,RotationEnabled,RotationLambdaARN,RotationRules,VersionIdsToStages} rotation=false rules={days=0} v1[AWSPREVIOUS] v2[AWSCURRENT]")},
	}, {
		name: "RotateSecret/a Lambda that cannot be invoked is AccessDeniedException and stores nothing",
		ref:  "§2.10, §4.8, Appendix A [AWS-rec test_rotate_secret_invalid_lambda_arn]",
		steps: func(r *run) {
			r.messages = true
			r.setup(func() { r.createString("a", "s1") })
			r.rotate(&sm.RotateSecretInput{SecretId: aws.String(r.n("a")), RotationLambdaARN: aws.String(unknownARN),
				RotationRules: &types.RotationRulesType{AutomaticallyAfterDays: aws.Int64(1)}})
			r.describe("a")
		},
		aws: []string{
			`RotateSecret: AccessDeniedException 400 "Secrets Manager cannot invoke the specified Lambda function. Ensure that the function policy grants access to the principal secretsmanager.amazonaws.com."`,
			"DescribeSecret: ok " + freshShape + " v1[AWSCURRENT]",
		},
		moto: []known{motoDiff("§4.6 (moto: RNF \"Resource not found for ARN\"), §7 row 6",
			`AccessDeniedException 400 "Secrets Manager cannot invoke the specified Lambda function. Ensure that the function policy grants access to the principal secretsmanager.amazonaws.com."`,
			`ResourceNotFoundException 404 "Resource not found for ARN '`+unknownARN+`'."`,
			"DescribeSecret: ok "+freshShape+" v1[AWSCURRENT]", motoLeftover)},
	}, {
		name: "RotateSecret/with a Lambda the four steps run and AWSCURRENT moves",
		ref:  "§4.2, §4.3 [AWS-rec test_rotate_secret_with_lambda_success[True]]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1") })
			r.rotateWith("a", 1)
			r.rotationSteps()
			r.describe("a")
			r.getValue(&sm.GetSecretValueInput{SecretId: aws.String(r.n("a"))})
		},
		aws: []string{
			"RotateSecret: ok {ARN,Name,VersionId} v2",
			fourSteps("v2"),
			"DescribeSecret: ok " + rotatedShape + " rotation=true rules={days=1} v1[AWSPREVIOUS] v2[AWSCURRENT]",
			`GetSecretValue: ok string="rotated"`,
		},
		moto: []known{motoNoLambda, motoDiff("§7 rows 4, 8: moto cannot rotate through a Lambda, so nothing changes",
			"DescribeSecret: ok "+rotatedShape+" rotation=true rules={days=1} v1[AWSPREVIOUS] v2[AWSCURRENT]",
			motoLeftover,
			`GetSecretValue: ok string="rotated"`, `GetSecretValue: ok string="s1"`)},
	}, {
		name: "RotateSecret/a second call reuses the stored Lambda and rules",
		ref:  "§4.1, §4.3 [AWS-rec test_rotate_secret_multiple_times_with_lambda_success]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1"); r.rotateWith("a", 1) })
			r.rotate(&sm.RotateSecretInput{SecretId: aws.String(r.n("a"))})
			r.describe("a")
		},
		aws: []string{
			"RotateSecret: ok {ARN,Name,VersionId} v3",
			"DescribeSecret: ok " + rotatedShape + " rotation=true rules={days=1} v2[AWSPREVIOUS] v3[AWSCURRENT]",
		},
		moto: []known{motoDiff("§4.6, §7 rows 4, 8: the setup rotation fails on moto (no Lambda)",
			"RotateSecret: ok {ARN,Name,VersionId} v3\nDescribeSecret: ok "+rotatedShape+" rotation=true rules={days=1} v2[AWSPREVIOUS] v3[AWSCURRENT]",
			"setup RotateSecret: ResourceNotFoundException 404")},
	}, {
		name: "RotateSecret/frequency and schedule together is InvalidParameterException",
		ref:  "§2.10, Appendix A [quoted from AWS in terraform-provider-aws#33329]",
		steps: func(r *run) {
			r.messages = true
			r.setup(func() { r.createString("a", "s1") })
			r.rotate(&sm.RotateSecretInput{SecretId: aws.String(r.n("a")), RotationLambdaARN: aws.String(rotationARN),
				RotationRules: &types.RotationRulesType{AutomaticallyAfterDays: aws.Int64(1), ScheduleExpression: aws.String("rate(10 days)")}})
		},
		aws: []string{`RotateSecret: InvalidParameterException 400 "You cannot specify both rotation frequency and schedule expression together."`},
		moto: []known{motoDiff("§4.6: moto looks the Lambda up first and has none",
			`InvalidParameterException 400 "You cannot specify both rotation frequency and schedule expression together."`,
			`ResourceNotFoundException 404 "Resource not found for ARN '`+rotationARN+`'."`)},
	}, {
		name: "RotateSecret/AutomaticallyAfterDays 1001 is ValidationException",
		ref:  "§2.0 constraint violations, §2.10 [Model range 1–1000; AWS's code presumed ValidationException]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1") })
			r.rotateWith("a", 1001)
		},
		aws:  []string{"RotateSecret: ValidationException 400"},
		moto: []known{motoDiff("§2.10, §4.6 (moto: InvalidParameterException \"RotationRules.AutomaticallyAfterDays must be within 1-1000.\")", "ValidationException", "InvalidParameterException")},
	}, {
		name: "RotateSecret/ScheduleExpression and Duration are stored and returned",
		ref:  "§4.1, §7 row 10 [Model/Doc; https://github.com/faiscadev/fakecloud/pull/1916]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1") })
			r.rotate(&sm.RotateSecretInput{SecretId: aws.String(r.n("a")), RotationLambdaARN: aws.String(rotationARN),
				RotationRules: &types.RotationRulesType{ScheduleExpression: aws.String("rate(10 days)"), Duration: aws.String("3h")}})
			r.describe("a")
		},
		aws: []string{
			"RotateSecret: ok {ARN,Name,VersionId} v2",
			`DescribeSecret: ok ` + rotatedShape + ` rotation=true rules={schedule="rate(10 days)",duration=3h} v1[AWSPREVIOUS] v2[AWSCURRENT]`,
		},
		moto: []known{motoDiff("§4.6, §7 rows 4, 8, 10: moto has no Lambda to run",
			"RotateSecret: ok {ARN,Name,VersionId} v2", "RotateSecret: ResourceNotFoundException 404",
			`DescribeSecret: ok `+rotatedShape+` rotation=true rules={schedule="rate(10 days)",duration=3h} v1[AWSPREVIOUS] v2[AWSCURRENT]`,
			"DescribeSecret: ok {ARN,CreatedDate,LastChangedDate,Name,RotationEnabled,RotationLambdaARN,RotationRules,VersionIdsToStages} rotation=false rules={days=0} v1[AWSCURRENT] v2[AWSPENDING]")},
	}, {
		name: "RotateSecret/a secret scheduled for deletion is InvalidRequestException",
		ref:  "§2.0 table, Appendix A [moto]",
		steps: func(r *run) {
			r.messages = true
			r.setup(func() { r.createString("a", "s1"); r.delShort("a") })
			r.rotateWith("a", 1)
		},
		aws:  []string{`RotateSecret: InvalidRequestException 400 "You tried to perform the operation on a secret that's currently marked deleted."`},
		moto: []known{botocorePrefix("InvalidRequestException", "RotateSecret", "You tried to perform the operation on a secret that's currently marked deleted.")},
	}, {
		name: "RotateSecret/an unfinished rotation (AWSPENDING not on AWSCURRENT) is InvalidRequestException",
		ref:  "§2.10, §4.2 step 6 [Doc], §7 row 9",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1"); r.putString("a", "s2", "AWSPENDING") })
			r.rotateWith("a", 1)
			r.rotationSteps()
		},
		aws: []string{"RotateSecret: InvalidRequestException 400", "rotation: none"},
		moto: []known{motoDiff("§7 row 9 (moto models.py: the in-progress check is inverted), §4.6",
			"RotateSecret: InvalidRequestException 400", "RotateSecret: ResourceNotFoundException 404")},
	}, {
		name: "RotateSecret/a finished rotation (AWSPENDING on AWSCURRENT) does not block the next one",
		ref:  "§4.2 step 6 [Doc], §7 row 9",
		steps: func(r *run) {
			r.setup(func() {
				r.createString("a", "s1")
				r.putString("a", "s2", "AWSPENDING")
				r.moveStage("a", "AWSCURRENT", "v1", "v2")
			})
			r.rotateWith("a", 1)
			r.rotationSteps()
			r.describe("a")
		},
		aws: []string{
			"RotateSecret: ok {ARN,Name,VersionId} v3",
			fourSteps("v3"),
			"DescribeSecret: ok " + rotatedShape + " rotation=true rules={days=1} v2[AWSPREVIOUS] v3[AWSCURRENT]",
		},
		moto: []known{motoDiff("§7 row 9 (moto models.py: the in-progress check is inverted, so the finished state blocks)",
			"RotateSecret: ok {ARN,Name,VersionId} v3", `RotateSecret: InvalidRequestException 400`,
			fourSteps("v3"), "rotation: none",
			"DescribeSecret: ok "+rotatedShape+" rotation=true rules={days=1} v2[AWSPREVIOUS] v3[AWSCURRENT]",
			"DescribeSecret: ok {ARN,CreatedDate,LastChangedDate,Name,NextRotationDate,VersionIdsToStages} v1[AWSPREVIOUS] v2[AWSCURRENT,AWSPENDING]")},
	}, {
		name: "RotateSecret/RotateImmediately=false runs only testSecret and leaves the labels",
		ref:  "§4.1 RotateImmediately, §4.8, §7 row 8 [Doc]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1") })
			_, err := r.sm.RotateSecret(r.ctx, &sm.RotateSecretInput{SecretId: aws.String(r.n("a")), RotationLambdaARN: aws.String(rotationARN),
				RotationRules: &types.RotationRulesType{AutomaticallyAfterDays: aws.Int64(1)}, RotateImmediately: aws.Bool(false)})
			r.record("RotateSecret", err, func() string { return "" })
			r.rotationSteps()
			r.describe("a")
		},
		aws: []string{
			"RotateSecret: ok",
			"rotation: testSecret(v2)",
			"DescribeSecret: ok " + rotationConfigured + " rotation=true rules={days=1} v1[AWSCURRENT]",
		},
		moto: []known{motoDiff("§4.6, §7 row 8: moto has no Lambda to run",
			"RotateSecret: ok\nrotation: testSecret(v2)", "RotateSecret: ResourceNotFoundException 404\nrotation: none",
			"rules={days=1} v1[AWSCURRENT]", "rules={days=1} v1[AWSCURRENT] v2[AWSPENDING]")},
	}, {
		name: "RotateSecret/a missing secret is ResourceNotFoundException",
		ref:  "§2.10 errors [Model]",
		steps: func(r *run) {
			r.rotateWith("nope", 1)
		},
		aws:  []string{"RotateSecret: ResourceNotFoundException 400"},
		moto: []known{rnf404},
	}}
}

func cancelRotateCases() []scenario {
	return []scenario{{
		name: "CancelRotateSecret/turns rotation off but keeps the rules and the Lambda",
		ref:  "§2.11, §4.5 [Doc; aws-sdk-go-v2 #2274]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1"); r.rotateWith("a", 1) })
			r.cancelRotate("a")
			r.describe("a")
		},
		aws: []string{
			"CancelRotateSecret: ok {ARN,Name}",
			"DescribeSecret: ok {ARN,CreatedDate,LastAccessedDate,LastChangedDate,LastRotatedDate,Name,RotationEnabled,RotationLambdaARN,RotationRules,VersionIdsToStages} rotation=false rules={days=1} v1[AWSPREVIOUS] v2[AWSCURRENT]",
		},
		moto: []known{motoDiff("§4.6, §7 rows 4, 8: the setup rotation fails on moto (no Lambda)",
			"CancelRotateSecret: ok {ARN,Name}\nDescribeSecret: ok {ARN,CreatedDate,LastAccessedDate,LastChangedDate,LastRotatedDate,Name,RotationEnabled,RotationLambdaARN,RotationRules,VersionIdsToStages} rotation=false rules={days=1} v1[AWSPREVIOUS] v2[AWSCURRENT]",
			"setup RotateSecret: ResourceNotFoundException 404")},
	}, {
		name: "CancelRotateSecret/returns the half-built AWSPENDING version and leaves its label",
		ref:  "§2.11 [Doc: VersionId of the pending version; labels are not cleaned up]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1"); r.rotateWith("a", 1); r.putString("a", "s3", "AWSPENDING") })
			r.cancelRotate("a")
			r.describe("a")
		},
		aws: []string{
			"CancelRotateSecret: ok {ARN,Name,VersionId} v3",
			"DescribeSecret: ok {ARN,CreatedDate,LastAccessedDate,LastChangedDate,LastRotatedDate,Name,RotationEnabled,RotationLambdaARN,RotationRules,VersionIdsToStages} rotation=false rules={days=1} v1[AWSPREVIOUS] v2[AWSCURRENT] v3[AWSPENDING]",
		},
		moto: []known{motoDiff("§4.6, §7 rows 4, 8: the setup rotation fails on moto (no Lambda)",
			"CancelRotateSecret: ok {ARN,Name,VersionId} v3\nDescribeSecret: ok {ARN,CreatedDate,LastAccessedDate,LastChangedDate,LastRotatedDate,Name,RotationEnabled,RotationLambdaARN,RotationRules,VersionIdsToStages} rotation=false rules={days=1} v1[AWSPREVIOUS] v2[AWSCURRENT] v3[AWSPENDING]",
			"setup RotateSecret: ResourceNotFoundException 404")},
	}, {
		name: "CancelRotateSecret/a missing secret is ResourceNotFoundException",
		ref:  "§2.11 errors [Model]",
		steps: func(r *run) {
			r.cancelRotate("nope")
		},
		aws:  []string{"CancelRotateSecret: ResourceNotFoundException 400"},
		moto: []known{rnf404},
	}, {
		name: "CancelRotateSecret/a secret scheduled for deletion is InvalidRequestException",
		ref:  "§2.0 table, Appendix A [moto]",
		steps: func(r *run) {
			r.messages = true
			r.setup(func() { r.createString("a", "s1"); r.delShort("a") })
			r.cancelRotate("a")
		},
		aws: []string{`CancelRotateSecret: InvalidRequestException 400 "You tried to perform the operation on a secret that's currently marked deleted."`},
	}}
}
