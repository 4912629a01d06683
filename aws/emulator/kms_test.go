package emulator

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/aws/smithy-go"
)

func newKMSClient(url, akid string) *kms.Client {
	return kms.New(kms.Options{
		BaseEndpoint: aws.String(url), Region: "us-east-1", RetryMaxAttempts: 1, HTTPClient: testHTTP,
		Credentials: credentials.NewStaticCredentialsProvider(akid, "test", ""),
	})
}

// errCode is the API error code of err, or "".
func errCode(err error) string {
	code, _ := apiCode(err)
	return code
}

func wantAPIErr(t *testing.T, err error, code, msgPart string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("want %s, got %v", code, err)
	}
	if ae.ErrorCode() != code || !strings.Contains(ae.ErrorMessage(), msgPart) {
		t.Fatalf("want %s containing %q, got %s: %s", code, msgPart, ae.ErrorCode(), ae.ErrorMessage())
	}
}

func TestKMSKeyLifecycleThroughSDK(t *testing.T) {
	e := newEnv(t)
	c := newKMSClient(e.url, "test")
	ctx := context.Background()
	created, err := c.CreateKey(ctx, &kms.CreateKeyInput{Description: aws.String("payments"),
		Tags: []kmstypes.Tag{{TagKey: aws.String("team"), TagValue: aws.String("pay")}}})
	if err != nil {
		t.Fatal(err)
	}
	md := created.KeyMetadata
	id := aws.ToString(md.KeyId)
	wantARN := "arn:aws:kms:us-east-1:123456789012:key/" + id
	if aws.ToString(md.Arn) != wantARN || md.KeyState != kmstypes.KeyStateEnabled || !md.Enabled ||
		md.KeyManager != kmstypes.KeyManagerTypeCustomer || aws.ToString(md.Description) != "payments" {
		t.Fatalf("metadata: %+v", md)
	}
	pol, err := c.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: &id})
	if err != nil || !strings.Contains(aws.ToString(pol.Policy), `"Sid" : "Enable IAM User Permissions"`) ||
		!strings.Contains(aws.ToString(pol.Policy), "arn:aws:iam::123456789012:root") {
		t.Fatalf("default policy: %v %v", err, aws.ToString(pol.Policy))
	}
	if _, err := c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/payments"), TargetKeyId: &id}); err != nil {
		t.Fatal(err)
	}
	_, err = c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/payments"), TargetKeyId: &id})
	wantAPIErr(t, err, "AlreadyExistsException", "An alias with the name arn:aws:kms:us-east-1:123456789012:alias/payments already exists")
	_, err = c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/aws/mine"), TargetKeyId: &id})
	wantAPIErr(t, err, "NotAuthorizedException", "alias/aws/")

	for _, ref := range []string{id, wantARN, "alias/payments", "arn:aws:kms:us-east-1:123456789012:alias/payments"} {
		d, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(ref)})
		if err != nil || aws.ToString(d.KeyMetadata.KeyId) != id {
			t.Fatalf("DescribeKey %s: %v", ref, err)
		}
	}
	_, err = c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/nope")})
	wantAPIErr(t, err, "NotFoundException", "Alias arn:aws:kms:us-east-1:123456789012:alias/nope is not found.")
	_, err = c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("00000000-0000-4000-8000-00000000ffff")})
	wantAPIErr(t, err, "NotFoundException", "Key 'arn:aws:kms:us-east-1:123456789012:key/00000000-0000-4000-8000-00000000ffff' does not exist")
	_, err = c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("nonsense")})
	wantAPIErr(t, err, "NotFoundException", "Invalid keyId nonsense")

	if _, err := c.DisableKey(ctx, &kms.DisableKeyInput{KeyId: &id}); err != nil {
		t.Fatal(err)
	}
	d, _ := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: &id})
	if d.KeyMetadata.KeyState != kmstypes.KeyStateDisabled || d.KeyMetadata.Enabled {
		t.Fatalf("after DisableKey: %+v", d.KeyMetadata)
	}
	_, err = c.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: &id, PendingWindowInDays: aws.Int32(6)})
	wantAPIErr(t, err, "ValidationException", "greater than or equal to 7")
	_, err = c.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: &id, PendingWindowInDays: aws.Int32(31)})
	wantAPIErr(t, err, "ValidationException", "less than or equal to 30")
	sch, err := c.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: &id, PendingWindowInDays: aws.Int32(7)})
	if err != nil || sch.KeyState != kmstypes.KeyStatePendingDeletion || aws.ToInt32(sch.PendingWindowInDays) != 7 ||
		!sch.DeletionDate.Equal(e.clock.Now().AddDate(0, 0, 7).Truncate(time.Millisecond)) {
		t.Fatalf("ScheduleKeyDeletion: %v %+v", err, sch)
	}
	_, err = c.EnableKey(ctx, &kms.EnableKeyInput{KeyId: &id})
	wantAPIErr(t, err, "KMSInvalidStateException", wantARN+" is pending deletion.")
	if _, err := c.CancelKeyDeletion(ctx, &kms.CancelKeyDeletionInput{KeyId: &id}); err != nil {
		t.Fatal(err)
	}
	d, _ = c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: &id})
	if d.KeyMetadata.KeyState != kmstypes.KeyStateDisabled || d.KeyMetadata.DeletionDate != nil {
		t.Fatalf("CancelKeyDeletion must leave the key Disabled: %+v", d.KeyMetadata)
	}
	_, err = c.CancelKeyDeletion(ctx, &kms.CancelKeyDeletionInput{KeyId: &id})
	wantAPIErr(t, err, "KMSInvalidStateException", "is not pending deletion")
	if _, err := c.EnableKey(ctx, &kms.EnableKeyInput{KeyId: &id}); err != nil {
		t.Fatal(err)
	}

	keys, err := c.ListKeys(ctx, &kms.ListKeysInput{})
	if err != nil || len(keys.Keys) != 1 || aws.ToString(keys.Keys[0].KeyArn) != wantARN {
		t.Fatalf("ListKeys: %v %+v", err, keys)
	}
	aliases, err := c.ListAliases(ctx, &kms.ListAliasesInput{})
	if err != nil || len(aliases.Aliases) != 1 || aws.ToString(aliases.Aliases[0].TargetKeyId) != id {
		t.Fatalf("ListAliases: %v %+v", err, aliases)
	}

	// A deleted key is gone once its waiting period ends.
	if _, err := c.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: &id}); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(31 * 24 * time.Hour)
	_, err = c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/payments")})
	wantAPIErr(t, err, "NotFoundException", "is not found")
}

func TestKMSKeysArePerAccountAndRegion(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if _, err := newKMSClient(e.url, "test").CreateKey(ctx, &kms.CreateKeyInput{}); err != nil {
		t.Fatal(err)
	}
	other, err := newKMSClient(e.url, "111122223333").ListKeys(ctx, &kms.ListKeysInput{})
	if err != nil || len(other.Keys) != 0 {
		t.Fatalf("another account sees keys: %v %+v", err, other)
	}
}

func TestManagedSecretsKeyIsCreatedOnFirstUse(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := newKMSClient(e.url, "test")
	if l, _ := c.ListAliases(ctx, &kms.ListAliasesInput{}); len(l.Aliases) != 0 {
		t.Fatalf("aliases before any use: %+v", l.Aliases)
	}
	if _, err := e.client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("a"), SecretString: aws.String("v")}); err != nil {
		t.Fatal(err)
	}
	d, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/aws/secretsmanager")})
	if err != nil || d.KeyMetadata.KeyManager != kmstypes.KeyManagerTypeAws {
		t.Fatalf("managed key: %v", err)
	}
	_, err = c.DisableKey(ctx, &kms.DisableKeyInput{KeyId: d.KeyMetadata.KeyId})
	wantAPIErr(t, err, "AccessDeniedException", "kms:DisableKey")
}

// secretWithKey creates a customer key and a secret under it.
func secretWithKey(t *testing.T, e *env, name string) (keyID string) {
	t.Helper()
	ctx := context.Background()
	k, err := newKMSClient(e.url, "test").CreateKey(ctx, &kms.CreateKeyInput{})
	if err != nil {
		t.Fatal(err)
	}
	keyID = aws.ToString(k.KeyMetadata.KeyId)
	if _, err := e.client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String(name),
		SecretString: aws.String("s3cr3t-value"), KmsKeyId: aws.String(keyID)}); err != nil {
		t.Fatal(err)
	}
	return keyID
}

func TestDisabledKeyRefusesReadsAndWrites(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	keyID := secretWithKey(t, e, "prod/db")
	c := newKMSClient(e.url, "test")
	d, err := e.client.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("prod/db")})
	if err != nil || aws.ToString(d.KmsKeyId) != keyID {
		t.Fatalf("DescribeSecret KmsKeyId: %v %v", err, aws.ToString(d.KmsKeyId))
	}
	if _, err := c.DisableKey(ctx, &kms.DisableKeyInput{KeyId: &keyID}); err != nil {
		t.Fatal(err)
	}
	_, err = e.client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("prod/db")})
	var df *smtypes.DecryptionFailure
	if !errors.As(err, &df) || !strings.Contains(df.ErrorMessage(), keyID+" is disabled.") {
		t.Fatalf("GetSecretValue under a disabled key: %v", err)
	}
	_, err = e.client.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("prod/db"), SecretString: aws.String("new")})
	var ef *smtypes.EncryptionFailure
	if !errors.As(err, &ef) || !strings.Contains(ef.ErrorMessage(), "is disabled.") {
		t.Fatalf("PutSecretValue under a disabled key: %v", err)
	}
	b, err := e.client.BatchGetSecretValue(ctx, &secretsmanager.BatchGetSecretValueInput{SecretIdList: []string{"prod/db"}})
	if err != nil || len(b.SecretValues) != 0 || len(b.Errors) != 1 || aws.ToString(b.Errors[0].ErrorCode) != "DecryptionFailure" {
		t.Fatalf("BatchGetSecretValue under a disabled key: %v %+v", err, b)
	}
	// Metadata needs no decryption.
	if _, err := e.client.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("prod/db")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: &keyID, PendingWindowInDays: aws.Int32(7)}); err != nil {
		t.Fatal(err)
	}
	_, err = e.client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("prod/db")})
	if !errors.As(err, &df) || !strings.Contains(df.ErrorMessage(), "is pending deletion.") {
		t.Fatalf("GetSecretValue under a key pending deletion: %v", err)
	}
	c.CancelKeyDeletion(ctx, &kms.CancelKeyDeletionInput{KeyId: &keyID})
	c.EnableKey(ctx, &kms.EnableKeyInput{KeyId: &keyID})
	g, err := e.client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("prod/db")})
	if err != nil || aws.ToString(g.SecretString) != "s3cr3t-value" {
		t.Fatalf("after enabling again: %v", err)
	}
}

func TestUnknownKmsKeyIdIsRefused(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	_, err := e.client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("x"), SecretString: aws.String("v"),
		KmsKeyId: aws.String("alias/missing")})
	wantAPIErr(t, err, "EncryptionFailure", "Secrets Manager can't encrypt the secret value: Alias arn:aws:kms:us-east-1:123456789012:alias/missing is not found.")
	_, err = e.client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("x"), KmsKeyId: aws.String("not a key")})
	wantAPIErr(t, err, "InvalidParameterException", "The operation failed because of an invalid KMS key")
	if _, err := e.client.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("x")}); errCode(err) != "ResourceNotFoundException" {
		t.Fatalf("a refused CreateSecret left a secret: %v", err)
	}
	if _, err := e.client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("y"), SecretString: aws.String("v")}); err != nil {
		t.Fatal(err)
	}
	_, err = e.client.UpdateSecret(ctx, &secretsmanager.UpdateSecretInput{SecretId: aws.String("y"),
		KmsKeyId: aws.String("arn:aws:kms:us-east-1:123456789012:key/00000000-0000-4000-8000-00000000ffff")})
	wantAPIErr(t, err, "InvalidParameterException", "does not exist")
}

func TestKeyPolicyDecidesWhoUsesTheKey(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	keyID := secretWithKey(t, e, "prod/api")
	c := newKMSClient(e.url, "test")
	// The default statement (IAM policies decide) and a Deny of decrypting.
	deny := `{"Version":"2012-10-17","Statement":[` +
		`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kms:*","Resource":"*"},` +
		`{"Effect":"Deny","Principal":"*","Action":"kms:Decrypt","Resource":"*"}]}`
	if _, err := c.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: &keyID, PolicyName: aws.String("default"), Policy: &deny}); err != nil {
		t.Fatal(err)
	}
	// The account root keeps using its key (the default policy's grant).
	if _, err := e.client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("prod/api")}); err != nil {
		t.Fatalf("root: %v", err)
	}
	st := e.srv.store(DefaultAccountID, "us-east-1")
	app := Principal{ARN: "arn:aws:sts::123456789012:assumed-role/app/s", PrincipalARN: "arn:aws:iam::123456789012:role/app",
		Account: DefaultAccountID, Type: "AssumedRole", UserName: "app"}
	err := e.srv.kmsGate(app, "GetSecretValue", st, []byte(`{"SecretId":"prod/api"}`))
	wantCode(t, err, ErrAccessDenied, "Access to KMS is not allowed")
	if err := e.srv.kmsGate(app, "PutSecretValue", st, []byte(`{"SecretId":"prod/api","SecretString":"x"}`)); err != nil {
		t.Fatalf("a Deny of kms:Decrypt refused a write: %v", err)
	}
	partner := Principal{ARN: "arn:aws:sts::111122223333:assumed-role/partner/s", Account: "111122223333", Type: "AssumedRole"}
	if _, err := e.client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("plain"), SecretString: aws.String("v")}); err != nil {
		t.Fatal(err)
	}
	err = e.srv.kmsGate(partner, "GetSecretValue", st, []byte(`{"SecretId":"plain"}`))
	wantCode(t, err, ErrAccessDenied, "Access to KMS is not allowed")
}
