package emulator

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

// castClient is a Secrets Manager client signing as the named cast member.
func castClient(t *testing.T, url, name string) *secretsmanager.Client {
	t.Helper()
	m, ok := CastMemberNamed(name)
	if !ok {
		t.Fatalf("no cast member %q", name)
	}
	return secretsmanager.New(secretsmanager.Options{
		BaseEndpoint:     aws.String(url),
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider(m.AccessKeyID, m.SecretAccessKey, ""),
		RetryMaxAttempts: 1, HTTPClient: testHTTP,
	})
}

func apiCode(err error) (code, msg string) {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode(), ae.ErrorMessage()
	}
	if err != nil {
		return "other", err.Error()
	}
	return "", ""
}

func TestCastIsStableAndComplete(t *testing.T) {
	names := []string{"app", "deployer", "auditor", "intern", "partner"}
	c := Cast()
	if len(c) != len(names) {
		t.Fatalf("Cast() has %d members, want %d", len(c), len(names))
	}
	for i, m := range c {
		if m.Name != names[i] || len(m.AccessKeyID) != 20 || len(m.SecretAccessKey) != 40 || m.Description == "" {
			t.Errorf("member %d = %+v", i, m)
		}
		if _, err := parseIAMPolicy(m.IdentityPolicy, false); err != nil {
			t.Errorf("%s's identity policy does not parse: %v", m.Name, err)
		}
	}
	c[0].Tags["team"] = "changed"
	if m, _ := CastMemberNamed("app"); m.Tags["team"] != "payments" {
		t.Error("Cast() returned shared tags")
	}
	if p, _ := CastMemberNamed("partner"); p.Account != OtherAccountID {
		t.Errorf("partner account %s", p.Account)
	}
}

// TestSDKAsCastMembers runs the real SDK as each cast member against a
// prod secret with no resource policy: identity policies decide.
func TestSDKAsCastMembers(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	sec := mustCreate(t, e.client, "prod/db", "pw")
	mustCreate(t, e.client, "dev/db", "pw")
	type probe struct {
		who, op, id string
		want        string // "" allowed, else error code
	}
	get := func(c *secretsmanager.Client, id string) error {
		_, err := c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(id)})
		return err
	}
	describe := func(c *secretsmanager.Client, id string) error {
		_, err := c.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(id)})
		return err
	}
	put := func(c *secretsmanager.Client, id string) error {
		_, err := c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String(id), SecretString: aws.String("new")})
		return err
	}
	list := func(c *secretsmanager.Client, _ string) error {
		_, err := c.ListSecrets(ctx, &secretsmanager.ListSecretsInput{})
		return err
	}
	ops := map[string]func(*secretsmanager.Client, string) error{"get": get, "describe": describe, "put": put, "list": list}
	for _, p := range []probe{
		{"app", "get", "prod/db", ""},
		{"app", "describe", "prod/db", ""},
		{"app", "get", "dev/db", "AccessDeniedException"},
		{"app", "put", "prod/db", "AccessDeniedException"},
		{"app", "list", "", "AccessDeniedException"},
		{"deployer", "put", "prod/db", ""},
		{"deployer", "get", "prod/db", "AccessDeniedException"},
		{"auditor", "describe", "prod/db", ""},
		{"auditor", "list", "", ""},
		{"auditor", "get", "prod/db", "AccessDeniedException"},
		{"intern", "describe", "prod/db", "AccessDeniedException"},
		{"intern", "list", "", "AccessDeniedException"},
		{"partner", "get", *sec.ARN, "AccessDeniedException"}, // no resource policy yet
	} {
		err := ops[p.op](castClient(t, e.url, p.who), p.id)
		if code, msg := apiCode(err); code != p.want {
			t.Errorf("%s %s %s: got %q %s, want %q", p.who, p.op, p.id, code, msg, p.want)
		}
	}
	_, msg := apiCode(get(castClient(t, e.url, "app"), "dev/db"))
	want := "User: arn:aws:sts::123456789012:assumed-role/app/secretlings is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:123456789012:secret:dev/db-"
	if !strings.HasPrefix(msg, want) || !strings.HasSuffix(msg, " because no identity-based policy allows the secretsmanager:GetSecretValue action") {
		t.Errorf("message = %q", msg)
	}
	_, msg = apiCode(list(castClient(t, e.url, "intern"), ""))
	if msg != "User: arn:aws:iam::123456789012:user/intern is not authorized to perform: secretsmanager:ListSecrets because no identity-based policy allows the secretsmanager:ListSecrets action" {
		t.Errorf("list message = %q", msg)
	}
	// The root keys keep full access.
	if err := get(e.client, "dev/db"); err != nil {
		t.Errorf("root: %v", err)
	}
}

// TestSDKCrossAccountNeedsBothSides: partner's identity policy allows the
// read; only when the secret's resource policy also allows it does it work.
func TestSDKCrossAccountNeedsBothSides(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	// Another account can never use the AWS managed key, so the secret is
	// under a customer key whose policy lets the partner decrypt.
	keyPol := `{"Version":"2012-10-17","Statement":[` +
		`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kms:*","Resource":"*"},` +
		`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/partner"},"Action":"kms:Decrypt","Resource":"*"}]}`
	k, err := newKMSClient(e.url, "test").CreateKey(ctx, &kms.CreateKeyInput{Policy: aws.String(keyPol)})
	if err != nil {
		t.Fatal(err)
	}
	sec, err := e.client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("shared/key"),
		SecretString: aws.String("pw"), KmsKeyId: k.KeyMetadata.KeyId})
	if err != nil {
		t.Fatal(err)
	}
	managed := mustCreate(t, e.client, "shared/managed", "pw")
	partner := castClient(t, e.url, "partner")
	read := func() error {
		_, err := partner.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: sec.ARN})
		return err
	}
	_, msg := apiCode(read())
	if !strings.HasSuffix(msg, "because no resource-based policy allows the secretsmanager:GetSecretValue action") ||
		!strings.HasPrefix(msg, "User: arn:aws:sts::111122223333:assumed-role/partner/secretlings ") {
		t.Fatalf("before the policy: %q", msg)
	}
	pol := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/partner"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}`
	if _, err := e.client.PutResourcePolicy(ctx, &secretsmanager.PutResourcePolicyInput{SecretId: sec.ARN, ResourcePolicy: aws.String(pol)}); err != nil {
		t.Fatal(err)
	}
	if err := read(); err != nil {
		t.Fatalf("with the policy: %v", err)
	}
	// The same resource policy on a secret under aws/secretsmanager: KMS refuses.
	if _, err := e.client.PutResourcePolicy(ctx, &secretsmanager.PutResourcePolicyInput{SecretId: managed.ARN, ResourcePolicy: aws.String(pol)}); err != nil {
		t.Fatal(err)
	}
	_, err = partner.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: managed.ARN})
	if code, msg := apiCode(err); code != "AccessDeniedException" || msg != msgKMSDenied {
		t.Errorf("managed key across accounts: %s %q", code, msg)
	}
	// The other account's root needs the resource policy too.
	other := secretsmanager.New(secretsmanager.Options{BaseEndpoint: aws.String(e.url), Region: "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider(OtherAccountID, "x", ""), RetryMaxAttempts: 1, HTTPClient: testHTTP})
	_, err = other.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: sec.ARN})
	if code, msg := apiCode(err); code != "AccessDeniedException" || !strings.HasPrefix(msg, "User: arn:aws:iam::111122223333:root ") {
		t.Errorf("other root: %s %s", code, msg)
	}
}

func TestSDKWrongSecretKeyIsInvalidSignature(t *testing.T) {
	e := newEnv(t)
	m, _ := CastMemberNamed("app")
	c := secretsmanager.New(secretsmanager.Options{BaseEndpoint: aws.String(e.url), Region: "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider(m.AccessKeyID, "wrong-secret-key", ""), RetryMaxAttempts: 1, HTTPClient: testHTTP})
	_, err := c.ListSecrets(context.Background(), &secretsmanager.ListSecretsInput{})
	code, msg := apiCode(err)
	if code != "InvalidSignatureException" || msg != msgBadSignature {
		t.Fatalf("got %s %q", code, msg)
	}
	var re interface{ HTTPStatusCode() int }
	if !errors.As(err, &re) || re.HTTPStatusCode() != 400 {
		t.Errorf("status: %v", err)
	}
	// An AKIA-style key that is not a cast key is a root key, unverified.
	c = secretsmanager.New(secretsmanager.Options{BaseEndpoint: aws.String(e.url), Region: "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("AKIASLAPP00000000009", "anything", ""), RetryMaxAttempts: 1, HTTPClient: testHTTP})
	if _, err := c.ListSecrets(context.Background(), &secretsmanager.ListSecretsInput{}); err != nil {
		t.Errorf("unknown AKIA key: %v", err)
	}
}

func TestSDKEnforcementOff(t *testing.T) {
	e := newEnv(t, WithIAMEnforcement(false))
	mustCreate(t, e.client, "dev/db", "pw")
	if _, err := castClient(t, e.url, "intern").GetSecretValue(context.Background(),
		&secretsmanager.GetSecretValueInput{SecretId: aws.String("dev/db")}); err != nil {
		t.Fatalf("enforcement off: %v", err)
	}
}

func TestSDKResourcePolicyGrantsAndDenies(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	mustCreate(t, e.client, "dev/api", "pw")
	mustCreate(t, e.client, "prod/api", "pw")
	app := castClient(t, e.url, "app")
	read := func(id string) error {
		_, err := app.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(id)})
		return err
	}
	putPol := func(id, pol string) {
		t.Helper()
		if _, err := e.client.PutResourcePolicy(ctx, &secretsmanager.PutResourcePolicyInput{SecretId: aws.String(id), ResourcePolicy: aws.String(pol)}); err != nil {
			t.Fatal(err)
		}
	}
	putPol("dev/api", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/app"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}`)
	if err := read("dev/api"); err != nil {
		t.Errorf("resource policy allow: %v", err)
	}
	putPol("prod/api", `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::123456789012:role/app"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}`)
	_, msg := apiCode(read("prod/api"))
	if !strings.HasSuffix(msg, " with an explicit deny in a resource-based policy") {
		t.Errorf("deny: %q", msg)
	}
	// The same-account resource policy grants what the identity policy does
	// not; it cannot take away what the identity policy grants without a Deny.
	putPol("dev/api", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/auditor"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}`)
	if code, _ := apiCode(read("dev/api")); code != "AccessDeniedException" {
		t.Errorf("policy naming someone else still lets app read dev/api")
	}
}

func TestSDKBatchAuthorizesEachSecret(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	mustCreate(t, e.client, "prod/a", "pw")
	mustCreate(t, e.client, "dev/b", "pw")
	app := castClient(t, e.url, "app")
	out, err := app.BatchGetSecretValue(ctx, &secretsmanager.BatchGetSecretValueInput{SecretIdList: []string{"prod/a", "dev/b"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.SecretValues) != 1 || aws.ToString(out.SecretValues[0].Name) != "prod/a" {
		t.Errorf("values: %+v", out.SecretValues)
	}
	if len(out.Errors) != 1 || aws.ToString(out.Errors[0].ErrorCode) != "AccessDeniedException" ||
		!strings.Contains(aws.ToString(out.Errors[0].Message), ":secret:dev/b-") {
		t.Errorf("errors: %+v", out.Errors)
	}
	// Filters also need ListSecrets, which app does not have.
	_, err = app.BatchGetSecretValue(ctx, &secretsmanager.BatchGetSecretValueInput{Filters: []smtypes.Filter{{Key: smtypes.FilterNameStringTypeName, Values: []string{"prod"}}}})
	if code, msg := apiCode(err); code != "AccessDeniedException" || !strings.Contains(msg, "secretsmanager:ListSecrets") {
		t.Errorf("filters: %v", err)
	}
	// The auditor may not call BatchGetSecretValue at all.
	_, err = castClient(t, e.url, "auditor").BatchGetSecretValue(ctx, &secretsmanager.BatchGetSecretValueInput{SecretIdList: []string{"prod/a"}})
	if code, msg := apiCode(err); code != "AccessDeniedException" || !strings.Contains(msg, "secretsmanager:BatchGetSecretValue") {
		t.Errorf("auditor batch: %v", err)
	}
}

func TestSDKBlockPublicPolicy(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	mustCreate(t, e.client, "x", "pw")
	_, err := e.client.PutResourcePolicy(ctx, &secretsmanager.PutResourcePolicyInput{SecretId: aws.String("x"), BlockPublicPolicy: aws.Bool(true),
		ResourcePolicy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"secretsmanager:GetSecretValue","Resource":"*"}]}`)})
	var pe *smtypes.PublicPolicyException
	if !errors.As(err, &pe) {
		t.Fatalf("public policy: %v", err)
	}
	_, err = e.client.PutResourcePolicy(ctx, &secretsmanager.PutResourcePolicyInput{SecretId: aws.String("x"), BlockPublicPolicy: aws.Bool(true),
		ResourcePolicy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalAccount":"123456789012"}}}]}`)})
	if err != nil {
		t.Fatalf("narrowed policy: %v", err)
	}
}

func TestSTSGetCallerIdentitySDK(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct{ akid, secret, arn, account, userID string }{
		{"test", "test", "arn:aws:iam::123456789012:root", "123456789012", "123456789012"},
		{"AKIASLAPP00000000001", "secretlings/app/not-a-real-key/000000001", "arn:aws:sts::123456789012:assumed-role/app/secretlings", "123456789012", "AROASLAPP00000000001:secretlings"},
		{"AKIASLAUDITOR0000003", "secretlings/auditor/not-a-real-key/00003", "arn:aws:iam::123456789012:user/auditor", "123456789012", "AIDASLAUDITOR0000003"},
		{"AKIASLPARTNER0000005", "secretlings/partner/not-a-real-key/00005", "arn:aws:sts::111122223333:assumed-role/partner/secretlings", "111122223333", "AROASLPARTNER0000005:secretlings"},
	} {
		c := sts.New(sts.Options{BaseEndpoint: aws.String(e.url), Region: "us-east-1", RetryMaxAttempts: 1, HTTPClient: testHTTP,
			Credentials: credentials.NewStaticCredentialsProvider(tc.akid, tc.secret, "")})
		out, err := c.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
		if err != nil {
			t.Fatalf("%s: %v", tc.akid, err)
		}
		if aws.ToString(out.Arn) != tc.arn || aws.ToString(out.Account) != tc.account || aws.ToString(out.UserId) != tc.userID {
			t.Errorf("%s: %s %s %s", tc.akid, aws.ToString(out.Arn), aws.ToString(out.Account), aws.ToString(out.UserId))
		}
	}
	c := sts.New(sts.Options{BaseEndpoint: aws.String(e.url), Region: "us-east-1", RetryMaxAttempts: 1, HTTPClient: testHTTP,
		Credentials: credentials.NewStaticCredentialsProvider("AKIASLAPP00000000001", "wrong", "")})
	_, err := c.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if code, _ := apiCode(err); code != "SignatureDoesNotMatch" {
		t.Errorf("wrong key: %v", err)
	}
}

// TestConcurrentPolicyChangesAndReads: cast reads evaluate the secret's
// tags and policy while the root changes them (run with -race).
func TestConcurrentPolicyChangesAndReads(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	mustCreate(t, e.client, "prod/hot", "pw")
	app := castClient(t, e.url, "app")
	allow := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/app"},"Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"payments"}}}]}`
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 30 {
			e.client.TagResource(ctx, &secretsmanager.TagResourceInput{SecretId: aws.String("prod/hot"),
				Tags: []smtypes.Tag{{Key: aws.String("team"), Value: aws.String([]string{"payments", "other"}[i%2])}}})
			e.client.PutResourcePolicy(ctx, &secretsmanager.PutResourcePolicyInput{SecretId: aws.String("prod/hot"), ResourcePolicy: aws.String(allow)})
		}
	}()
	reads := 0
	for {
		select {
		case <-done:
			if reads == 0 {
				t.Fatal("no reads ran")
			}
			return
		default:
		}
		// app's identity policy allows prod/*: every read must succeed.
		if _, err := app.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("prod/hot")}); err != nil {
			t.Fatalf("read %d: %v", reads, err)
		}
		reads++
	}
}

// TestSDKVersionStageCondition: a Deny unless AWSCURRENT refuses other
// stages, and a VersionId alone is judged by that version's stages.
func TestSDKVersionStageCondition(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	first := mustCreate(t, e.client, "prod/pay", "v1")
	if _, err := e.client.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("prod/pay"), SecretString: aws.String("v2")}); err != nil {
		t.Fatal(err)
	}
	pol := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::123456789012:role/app"},"Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"ForAnyValue:StringNotEquals":{"secretsmanager:VersionStage":"AWSCURRENT"}}}]}`
	if _, err := e.client.PutResourcePolicy(ctx, &secretsmanager.PutResourcePolicyInput{SecretId: aws.String("prod/pay"), ResourcePolicy: aws.String(pol)}); err != nil {
		t.Fatal(err)
	}
	app := castClient(t, e.url, "app")
	for _, tc := range []struct {
		name string
		in   *secretsmanager.GetSecretValueInput
		want string
	}{
		{"default stage", &secretsmanager.GetSecretValueInput{SecretId: aws.String("prod/pay")}, ""},
		{"AWSCURRENT", &secretsmanager.GetSecretValueInput{SecretId: aws.String("prod/pay"), VersionStage: aws.String("AWSCURRENT")}, ""},
		{"AWSPREVIOUS", &secretsmanager.GetSecretValueInput{SecretId: aws.String("prod/pay"), VersionStage: aws.String("AWSPREVIOUS")}, "AccessDeniedException"},
		{"old VersionId", &secretsmanager.GetSecretValueInput{SecretId: aws.String("prod/pay"), VersionId: first.VersionId}, "AccessDeniedException"},
	} {
		_, err := app.GetSecretValue(ctx, tc.in)
		if code, msg := apiCode(err); code != tc.want || code != "" && !strings.HasSuffix(msg, "with an explicit deny in a resource-based policy") {
			t.Errorf("%s: %s %s", tc.name, code, msg)
		}
	}
	out, err := e.client.ValidateResourcePolicy(ctx, &secretsmanager.ValidateResourcePolicyInput{SecretId: aws.String("prod/pay"),
		ResourcePolicy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"123456789012"},"Action":"secretsmanager:*","Resource":"*"}]}`)})
	if err != nil || out.PolicyValidationPassed || len(out.ValidationErrors) != 1 || aws.ToString(out.ValidationErrors[0].CheckName) != "LOCKOUT_CHECK" {
		t.Errorf("lockout validation: %+v %v", out, err)
	}
}
