package parity

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// kmsClient is a KMS client for the target, as the root.
func (r *run) kmsClient() *kms.Client {
	return kms.New(kms.Options{BaseEndpoint: aws.String(r.endpoint), Region: region, RetryMaxAttempts: 1, HTTPClient: plainHTTP,
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
}

// customerKey creates a KMS key and a secret "a" under it; a failure ends
// the scenario with a setup line.
func (r *run) customerKey() *string {
	key, err := r.kmsClient().CreateKey(r.ctx, &kms.CreateKeyInput{Description: aws.String("parity " + r.prefix)})
	if err != nil {
		r.lines = append(r.lines, "setup CreateKey: "+r.errLine(err))
		panic(abort{})
	}
	r.create(&sm.CreateSecretInput{Name: aws.String(r.n("a")), SecretString: aws.String("s1"), KmsKeyId: key.KeyMetadata.KeyId})
	return key.KeyMetadata.KeyId
}

// kmsStep runs one KMS call that must succeed.
func (r *run) kmsStep(name string, err error) {
	if err != nil {
		r.lines = append(r.lines, "setup "+name+": "+r.errLine(err))
		panic(abort{})
	}
}

// castRead reads "a" signed with the keys of a cast member (role/app's, which
// moto and AWS know as nothing but an unknown access key).
func (r *run) castRead(akid, secret string) {
	c := sm.New(sm.Options{BaseEndpoint: aws.String(r.endpoint), Region: region, RetryMaxAttempts: 1, HTTPClient: plainHTTP,
		Credentials: credentials.NewStaticCredentialsProvider(akid, secret, "")})
	_, err := c.GetSecretValue(r.ctx, &sm.GetSecretValueInput{SecretId: aws.String(r.n("a"))})
	r.record("GetSecretValue(as intern)", err, func() string { return "" })
}

// motoKMSState: moto keeps a key's state but never consults it when
// Secrets Manager encrypts or decrypts.
const motoKMSState = "GetSecretValue API reference (DecryptionFailure: \"Secrets Manager can't decrypt the protected secret text using the provided KMS key\"), " +
	"Common Errors (EncryptionFailure: \"Check that the KMS key is available, enabled, and not in an invalid state\"); " +
	"moto 5.2.1 reads and writes under a disabled or pending-deletion key (observed)"

func kmsCases() []scenario {
	return []scenario{{
		name: "GetSecretValue/under a disabled customer key is DecryptionFailure; enabled again, it reads",
		ref:  "§1 errors table (DecryptionFailure 400); GetSecretValue API reference",
		steps: func(r *run) {
			var key *string
			r.setup(func() {
				key = r.customerKey()
				_, err := r.kmsClient().DisableKey(r.ctx, &kms.DisableKeyInput{KeyId: key})
				r.kmsStep("DisableKey", err)
			})
			r.getValue(&sm.GetSecretValueInput{SecretId: aws.String(r.n("a"))})
			r.setup(func() {
				_, err := r.kmsClient().EnableKey(r.ctx, &kms.EnableKeyInput{KeyId: key})
				r.kmsStep("EnableKey", err)
			})
			r.getValue(&sm.GetSecretValueInput{SecretId: aws.String(r.n("a"))})
		},
		aws:  []string{"GetSecretValue: DecryptionFailure 400", `GetSecretValue: ok string="s1"`},
		moto: []known{motoDiff(motoKMSState, `GetSecretValue: DecryptionFailure 400`, `GetSecretValue: ok string="s1"`)},
	}, {
		name: "PutSecretValue/under a key pending deletion is EncryptionFailure",
		ref:  "§1 errors table (EncryptionFailure 400); Secrets Manager Common Errors",
		steps: func(r *run) {
			r.setup(func() {
				key := r.customerKey()
				_, err := r.kmsClient().ScheduleKeyDeletion(r.ctx, &kms.ScheduleKeyDeletionInput{KeyId: key, PendingWindowInDays: aws.Int32(7)})
				r.kmsStep("ScheduleKeyDeletion", err)
			})
			r.put(&sm.PutSecretValueInput{SecretId: aws.String(r.n("a")), SecretString: aws.String("s2")})
		},
		aws:  []string{"PutSecretValue: EncryptionFailure 400"},
		moto: []known{motoDiff(motoKMSState, "EncryptionFailure 400", "ok {ARN,Name,VersionId,VersionStages} v2[AWSCURRENT]")},
	}, {
		name: "GetSecretValue/a principal whose policies allow nothing is AccessDeniedException",
		ref:  "IAM policy evaluation logic (an implicit deny when no policy allows); moto does not evaluate IAM policies",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1") })
			r.castRead("AKIASLINTERN00000004", "secretlings/intern/not-a-real-key/000004")
		},
		aws: []string{"GetSecretValue(as intern): AccessDeniedException 400"},
		moto: []known{motoDiff("moto 5.2.1 accepts any access key as the account's root and enforces no IAM policy (observed; docs.getmoto.org IAM-like access control is opt-in and off by default)",
			"AccessDeniedException 400", "ok")},
	}}
}
