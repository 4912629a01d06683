package emulator

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

func newTrailClient(url, akid string) *cloudtrail.Client {
	return cloudtrail.New(cloudtrail.Options{BaseEndpoint: aws.String(url), Region: "us-east-1", RetryMaxAttempts: 1, HTTPClient: testHTTP,
		Credentials: newKMSClient(url, akid).Options().Credentials})
}

// leakForms are the ways a value could be written into an event: raw,
// base64 (padded, raw, URL) and hex (either case).
func leakForms(v []byte) []string {
	return []string{string(v), base64.StdEncoding.EncodeToString(v), base64.RawStdEncoding.EncodeToString(v),
		base64.URLEncoding.EncodeToString(v), base64.RawURLEncoding.EncodeToString(v),
		hex.EncodeToString(v), strings.ToUpper(hex.EncodeToString(v))}
}

func assertNoLeak(t *testing.T, where string, blob []byte, values [][]byte) {
	t.Helper()
	for _, v := range values {
		for _, f := range leakForms(v) {
			if bytes.Contains(blob, []byte(f)) {
				t.Errorf("%s holds a secret value (form %q)", where, f)
			}
		}
	}
}

// exerciseEverything calls every operation of every service once or more,
// with the canary values in every place a value can go.
func exerciseEverything(t *testing.T, e *env, str string, bin []byte) (password string) {
	t.Helper()
	ctx := context.Background()
	c := e.client
	k := newKMSClient(e.url, "test")
	key, err := k.CreateKey(ctx, &kms.CreateKeyInput{Description: aws.String("canary key")})
	if err != nil {
		t.Fatal(err)
	}
	keyID := key.KeyMetadata.KeyId
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("leak/str"), SecretString: aws.String(str),
		ClientRequestToken: aws.String("11111111-1111-4111-8111-111111111111"), KmsKeyId: keyID,
		Tags: []smtypes.Tag{{Key: aws.String("team"), Value: aws.String("pay")}}}))
	must(c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("leak/bin"), SecretBinary: bin}))
	must(c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("leak/str")}))
	must(c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("leak/bin")}))
	must(c.BatchGetSecretValue(ctx, &secretsmanager.BatchGetSecretValueInput{SecretIdList: []string{"leak/str", "leak/bin"}}))
	must(c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("leak/str"), SecretString: aws.String(str + "2")}))
	must(c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("leak/bin"), SecretBinary: append(bin, 1)}))
	must(c.UpdateSecret(ctx, &secretsmanager.UpdateSecretInput{SecretId: aws.String("leak/str"), SecretString: aws.String(str + "3")}))
	must(c.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("leak/str")}))
	must(c.ListSecrets(ctx, &secretsmanager.ListSecretsInput{}))
	v, err := c.ListSecretVersionIds(ctx, &secretsmanager.ListSecretVersionIdsInput{SecretId: aws.String("leak/str")})
	must(v, err)
	must(c.UpdateSecretVersionStage(ctx, &secretsmanager.UpdateSecretVersionStageInput{SecretId: aws.String("leak/str"),
		VersionStage: aws.String("MINE"), MoveToVersionId: v.Versions[0].VersionId}))
	must(c.TagResource(ctx, &secretsmanager.TagResourceInput{SecretId: aws.String("leak/str"), Tags: []smtypes.Tag{{Key: aws.String("k"), Value: aws.String("v")}}}))
	must(c.UntagResource(ctx, &secretsmanager.UntagResourceInput{SecretId: aws.String("leak/str"), TagKeys: []string{"k"}}))
	pol := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/app"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}`
	must(c.ValidateResourcePolicy(ctx, &secretsmanager.ValidateResourcePolicyInput{ResourcePolicy: &pol}))
	must(c.PutResourcePolicy(ctx, &secretsmanager.PutResourcePolicyInput{SecretId: aws.String("leak/str"), ResourcePolicy: &pol}))
	must(c.GetResourcePolicy(ctx, &secretsmanager.GetResourcePolicyInput{SecretId: aws.String("leak/str")}))
	must(c.DeleteResourcePolicy(ctx, &secretsmanager.DeleteResourcePolicyInput{SecretId: aws.String("leak/str")}))
	rp, err := c.GetRandomPassword(ctx, &secretsmanager.GetRandomPasswordInput{})
	must(rp, err)
	e.srv.RegisterRotationFunction("arn:aws:lambda:us-east-1:123456789012:function:rot", func(context.Context, RotationEvent) error { return nil })
	c.RotateSecret(ctx, &secretsmanager.RotateSecretInput{SecretId: aws.String("leak/bin"),
		RotationLambdaARN: aws.String("arn:aws:lambda:us-east-1:123456789012:function:rot")})
	c.CancelRotateSecret(ctx, &secretsmanager.CancelRotateSecretInput{SecretId: aws.String("leak/bin")})
	c.ReplicateSecretToRegions(ctx, &secretsmanager.ReplicateSecretToRegionsInput{SecretId: aws.String("leak/str"),
		AddReplicaRegions: []smtypes.ReplicaRegionType{{Region: aws.String("eu-west-1")}}})
	c.StopReplicationToReplica(ctx, &secretsmanager.StopReplicationToReplicaInput{SecretId: aws.String("leak/str")})
	c.RemoveRegionsFromReplication(ctx, &secretsmanager.RemoveRegionsFromReplicationInput{SecretId: aws.String("leak/str"), RemoveReplicaRegions: []string{"eu-west-1"}})
	must(c.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: aws.String("leak/bin")}))
	must(c.RestoreSecret(ctx, &secretsmanager.RestoreSecretInput{SecretId: aws.String("leak/bin")}))
	// Failures carry the value too: a duplicate name and a bad token.
	c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("leak/str"), SecretString: aws.String(str)})
	c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("leak/str"), SecretString: aws.String(str), ClientRequestToken: aws.String("short")})
	must(k.DisableKey(ctx, &kms.DisableKeyInput{KeyId: keyID}))
	c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("leak/str")})
	c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("leak/str"), SecretString: aws.String(str)})
	must(k.EnableKey(ctx, &kms.EnableKeyInput{KeyId: keyID}))
	must(k.ListKeys(ctx, &kms.ListKeysInput{}))
	must(k.ListAliases(ctx, &kms.ListAliasesInput{}))
	must(k.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: keyID}))
	must(newTrailClient(e.url, "test").LookupEvents(ctx, &cloudtrail.LookupEventsInput{}))
	return aws.ToString(rp.RandomPassword)
}

func TestAuditNeverHoldsASecretValue(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.jsonl")
	e := newEnv(t, WithStateFile(state), WithSyncRotation())
	str := "Canary-Str-7f3e91c2"
	bin := []byte("Canary-Bin-\x00\x01\xfe-5d2a")
	password := exerciseEverything(t, e, str, bin)
	values := [][]byte{[]byte(str), bin, []byte(str + "2"), append(bin, 1), []byte(str + "3"), []byte(password)}

	events := e.srv.AuditEvents(DefaultAccountID)
	names := map[string]bool{}
	for _, ev := range events {
		names[ev.EventName] = true
		b, _ := json.Marshal(ev)
		assertNoLeak(t, ev.EventName+" event", b, values)
	}
	for _, op := range []string{"CreateSecret", "GetSecretValue", "BatchGetSecretValue", "PutSecretValue", "UpdateSecret",
		"GetRandomPassword", "RotateSecret", "CreateKey", "DisableKey", "LookupEvents"} {
		if !names[op] {
			t.Errorf("no %s event recorded", op)
		}
	}
	if len(events) < 35 {
		t.Errorf("only %d events recorded", len(events))
	}
	out, err := newTrailClient(e.url, "test").LookupEvents(context.Background(), &cloudtrail.LookupEventsInput{MaxResults: aws.Int32(50)})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(out.Events)
	assertNoLeak(t, "LookupEvents", b, values)
	disk, err := os.ReadFile(state + ".trail")
	if err != nil || len(disk) == 0 {
		t.Fatalf("trail file: %v", err)
	}
	assertNoLeak(t, "the trail file", disk, values)
	// The canary does reach the state file, which holds values in plain
	// text: proof that the scan can find it.
	if raw, _ := os.ReadFile(state); !bytes.Contains(raw, []byte(str)) {
		t.Fatal("the leak scan's canary is not in the state file; the scan proves nothing")
	}
}

func TestAuditEventShape(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if _, err := e.client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("prod/db"), SecretString: aws.String("pw"),
		ClientRequestToken: aws.String("22222222-2222-4222-8222-222222222222")}); err != nil {
		t.Fatal(err)
	}
	e.client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("prod/db"), VersionStage: aws.String("AWSCURRENT")})
	e.client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("prod/none")})
	evs := e.srv.AuditEvents(DefaultAccountID)
	if len(evs) != 3 {
		t.Fatalf("%d events, want 3 (newest first): %+v", len(evs), evs)
	}
	failed, read, create := evs[0], evs[1], evs[2]
	if create.EventName != "CreateSecret" || create.ReadOnly || create.RequestParameters["name"] != "prod/db" ||
		create.RequestParameters["secretString"] != nil || create.RequestParameters["clientRequestToken"] != nil ||
		create.ResponseElements["aRN"] == nil {
		t.Errorf("CreateSecret event: %+v", create)
	}
	arn, _ := create.ResponseElements["aRN"].(string)
	if read.EventName != "GetSecretValue" || !read.ReadOnly || read.ResponseElements != nil ||
		read.RequestParameters["secretId"] != "prod/db" || read.RequestParameters["versionStage"] != "AWSCURRENT" ||
		len(read.Resources) != 1 || read.Resources[0].ARN != arn || read.Resources[0].Type != "AWS::SecretsManager::Secret" ||
		read.Resources[0].AccountID != DefaultAccountID {
		t.Errorf("GetSecretValue event: %+v", read)
	}
	id := read.UserIdentity
	if id.Type != "Root" || id.ARN != "arn:aws:iam::123456789012:root" || id.AccountID != DefaultAccountID ||
		id.AccessKeyID != "test" || id.PrincipalID != DefaultAccountID {
		t.Errorf("userIdentity: %+v", id)
	}
	if read.EventVersion != "1.08" || read.EventSource != SourceSecretsManager || read.AWSRegion != "us-east-1" ||
		read.SourceIPAddress != "127.0.0.1" || !strings.Contains(read.UserAgent, "aws-sdk-go-v2") || read.EventID == "" ||
		read.RecipientAccountID != DefaultAccountID || !read.ManagementEvent || read.EventCategory != "Management" ||
		!read.EventTime.Equal(e.clock.Now().Truncate(1e9)) {
		t.Errorf("envelope: %+v", read)
	}
	if failed.ErrorCode != "ResourceNotFoundException" || failed.ErrorMessage != msgNotFound || len(failed.Resources) != 0 {
		t.Errorf("failed call: %+v", failed)
	}
	raw, _ := json.Marshal(read)
	for _, member := range []string{`"eventTime":"2026-11-25T10:30:15Z"`, `"responseElements":null`, `"userIdentity":{"type":"Root"`} {
		if !bytes.Contains(raw, []byte(member)) {
			t.Errorf("event JSON lacks %s: %s", member, raw)
		}
	}
}

func TestAuditIdentityOfCastShapes(t *testing.T) {
	srv, _ := New()
	role := srv.auditIdentity(Principal{ARN: "arn:aws:sts::123456789012:assumed-role/app/secretlings", PrincipalARN: "arn:aws:iam::123456789012:role/app",
		Account: DefaultAccountID, AccessKeyID: "AKIAAPP", Type: "AssumedRole", UserName: "app"}, "AKIAAPP")
	if !strings.HasPrefix(role.PrincipalID, "AROA") || !strings.HasSuffix(role.PrincipalID, ":secretlings") ||
		role.SessionContext == nil || role.SessionContext.SessionIssuer.UserName != "app" || role.SessionContext.SessionIssuer.ARN != "arn:aws:iam::123456789012:role/app" {
		t.Errorf("assumed role: %+v", role)
	}
	user := srv.auditIdentity(Principal{ARN: "arn:aws:iam::123456789012:user/auditor", PrincipalARN: "arn:aws:iam::123456789012:user/auditor",
		Account: DefaultAccountID, Type: "IAMUser", UserName: "auditor"}, "AKIAAUD")
	if !strings.HasPrefix(user.PrincipalID, "AIDA") || len(user.PrincipalID) != 21 || user.UserName != "auditor" || user.SessionContext != nil {
		t.Errorf("IAM user: %+v", user)
	}
}

func TestLookupEventsThroughSDK(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("prod/db"), SecretString: aws.String("pw")})
	for i := 0; i < 5; i++ {
		e.clock.Advance(1e9)
		e.client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("prod/db")})
	}
	e.client.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("prod/db")})
	// The lookups below are audited too, an hour later: EndTime leaves them out.
	end := aws.Time(e.clock.Now())
	e.clock.Advance(3600e9)
	ct := newTrailClient(e.url, "test")
	attr := func(k cttypes.LookupAttributeKey, v string) []cttypes.LookupAttribute {
		return []cttypes.LookupAttribute{{AttributeKey: k, AttributeValue: aws.String(v)}}
	}
	count := func(in *cloudtrail.LookupEventsInput) int {
		t.Helper()
		if in.EndTime == nil {
			in.EndTime = end
		}
		n := 0
		p := cloudtrail.NewLookupEventsPaginator(ct, in)
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			n += len(out.Events)
		}
		return n
	}
	cases := []struct {
		name string
		in   *cloudtrail.LookupEventsInput
		want int
	}{
		{"all", &cloudtrail.LookupEventsInput{}, 7},
		{"by event name", &cloudtrail.LookupEventsInput{LookupAttributes: attr(cttypes.LookupAttributeKeyEventName, "GetSecretValue")}, 5},
		{"by username", &cloudtrail.LookupEventsInput{LookupAttributes: attr(cttypes.LookupAttributeKeyUsername, "root")}, 7},
		{"read only", &cloudtrail.LookupEventsInput{LookupAttributes: attr(cttypes.LookupAttributeKeyReadOnly, "false")}, 1},
		{"by secret name", &cloudtrail.LookupEventsInput{LookupAttributes: attr(cttypes.LookupAttributeKeyResourceName, "prod/db")}, 7},
		{"by resource type", &cloudtrail.LookupEventsInput{LookupAttributes: attr(cttypes.LookupAttributeKeyResourceType, "AWS::KMS::Key")}, 0},
		{"by source", &cloudtrail.LookupEventsInput{LookupAttributes: attr(cttypes.LookupAttributeKeyEventSource, SourceSecretsManager)}, 7},
		{"by access key", &cloudtrail.LookupEventsInput{LookupAttributes: attr(cttypes.LookupAttributeKeyAccessKeyId, "nobody")}, 0},
		{"paged by 2", &cloudtrail.LookupEventsInput{MaxResults: aws.Int32(2)}, 7},
		{"time range", &cloudtrail.LookupEventsInput{StartTime: aws.Time(end.Add(-2e9).Truncate(1e9)), EndTime: aws.Time(end.Add(-1e9))}, 2},
	}
	for _, tc := range cases {
		if got := count(tc.in); got != tc.want {
			t.Errorf("%s: %d events, want %d", tc.name, got, tc.want)
		}
	}
	out, err := ct.LookupEvents(ctx, &cloudtrail.LookupEventsInput{MaxResults: aws.Int32(3), EndTime: end})
	if err != nil || len(out.Events) != 3 || out.NextToken == nil {
		t.Fatalf("first page: %v %+v", err, out)
	}
	first := out.Events[0]
	if aws.ToString(first.EventName) != "DescribeSecret" || aws.ToString(first.ReadOnly) != "true" ||
		aws.ToString(first.Username) != "root" || aws.ToString(first.AccessKeyId) != "test" || len(first.Resources) != 1 ||
		aws.ToString(first.Resources[0].ResourceType) != "AWS::SecretsManager::Secret" || !out.Events[1].EventTime.After(*out.Events[2].EventTime) {
		t.Errorf("newest first, with the event fields: %+v", first)
	}
	var full AuditEvent
	if err := json.Unmarshal([]byte(aws.ToString(first.CloudTrailEvent)), &full); err != nil || full.EventID != aws.ToString(first.EventId) {
		t.Errorf("CloudTrailEvent is not the event: %v", err)
	}
	// LookupEvents itself is audited, after it answered.
	if evs := e.srv.AuditEvents(DefaultAccountID); evs[0].EventName != "LookupEvents" || evs[0].EventSource != SourceCloudTrail {
		t.Errorf("LookupEvents not audited: %+v", evs[0])
	}
	bad := []struct {
		in   *cloudtrail.LookupEventsInput
		code string
	}{
		{&cloudtrail.LookupEventsInput{LookupAttributes: append(attr(cttypes.LookupAttributeKeyEventName, "a"), attr(cttypes.LookupAttributeKeyUsername, "b")...)}, "InvalidLookupAttributesException"},
		{&cloudtrail.LookupEventsInput{LookupAttributes: attr("Nope", "a")}, "InvalidLookupAttributesException"},
		{&cloudtrail.LookupEventsInput{MaxResults: aws.Int32(51)}, "InvalidMaxResultsException"},
		{&cloudtrail.LookupEventsInput{NextToken: aws.String("garbage")}, "InvalidNextTokenException"},
		{&cloudtrail.LookupEventsInput{StartTime: aws.Time(e.clock.Now()), EndTime: aws.Time(e.clock.Now().Add(-1e9))}, "InvalidTimeRangeException"},
	}
	for _, b := range bad {
		if _, err := ct.LookupEvents(ctx, b.in); errCode(err) != b.code {
			t.Errorf("%+v: got %v, want %s", b.in, err, b.code)
		}
	}
}

func TestLookupEventsIsPerAccountAndRegion(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.client.ListSecrets(ctx, &secretsmanager.ListSecretsInput{})
	newClient(e.url, "eu-west-1").ListSecrets(ctx, &secretsmanager.ListSecretsInput{})
	out, err := newTrailClient(e.url, "111122223333").LookupEvents(ctx, &cloudtrail.LookupEventsInput{})
	if err != nil || len(out.Events) != 0 {
		t.Fatalf("another account sees the trail: %v %d", err, len(out.Events))
	}
	out, err = newTrailClient(e.url, "test").LookupEvents(ctx, &cloudtrail.LookupEventsInput{})
	if err != nil || len(out.Events) != 1 {
		t.Fatalf("us-east-1 sees %d events, want its one: %v", len(out.Events), err)
	}
}

func TestTrailIsBoundedPerAccount(t *testing.T) {
	e := newEnv(t, WithAuditCapacity(5))
	ctx := context.Background()
	for i := 0; i < 12; i++ {
		e.client.ListSecrets(ctx, &secretsmanager.ListSecretsInput{MaxResults: aws.Int32(int32(i + 1))})
	}
	evs := e.srv.AuditEvents(DefaultAccountID)
	if len(evs) != 5 {
		t.Fatalf("%d events kept, want 5", len(evs))
	}
	if got := evs[0].RequestParameters["maxResults"]; got != json.Number("12") {
		t.Errorf("newest kept is %v, want the 12th call", got)
	}
	if got := evs[4].RequestParameters["maxResults"]; got != json.Number("8") {
		t.Errorf("oldest kept is %v, want the 8th call", got)
	}
}
