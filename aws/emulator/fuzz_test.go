package emulator

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// handlerTransport is an in-process http.RoundTripper: the SDK's request
// goes straight into the handler, no socket (fake-gcs-server's
// mux_transport idea). It can record what the SDK sent.
type handlerTransport struct {
	h    http.Handler
	mu   sync.Mutex
	seen [][2]string // target, body
}

func (t *handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	body, _ := io.ReadAll(r.Body)
	t.mu.Lock()
	t.seen = append(t.seen, [2]string{r.Header.Get("X-Amz-Target"), string(body)})
	t.mu.Unlock()
	r.Body = io.NopCloser(bytes.NewReader(body))
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	return rec.Result(), nil
}

// sdkRequests records the requests the real SDK sends for a tour of every
// operation; they seed the fuzzer.
func sdkRequests(t testing.TB) [][2]string {
	srv, _ := New(WithClock(newTestClock().Now), WithIDs(seqIDs()), WithSyncRotation())
	defer srv.Close()
	tr := &handlerTransport{h: srv}
	c := secretsmanager.New(secretsmanager.Options{BaseEndpoint: aws.String("http://emulator.local"), Region: "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""), HTTPClient: &http.Client{Transport: tr}, RetryMaxAttempts: 1})
	s := aws.String
	c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: s("f"), SecretString: s("v"), Description: s("d"), Tags: []types.Tag{{Key: s("k"), Value: s("v")}}})
	c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: s("b"), SecretBinary: []byte{1, 2, 3}})
	c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: s("f"), VersionStage: s("AWSCURRENT")})
	c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: s("f"), SecretString: s("v2"), VersionStages: []string{"AWSPENDING"}})
	c.UpdateSecret(ctx, &secretsmanager.UpdateSecretInput{SecretId: s("f"), Description: s("d2"), KmsKeyId: s("k")})
	c.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: s("f")})
	c.ListSecrets(ctx, &secretsmanager.ListSecretsInput{MaxResults: aws.Int32(1), SortOrder: types.SortOrderTypeDesc, SortBy: types.SortByTypeName,
		Filters: []types.Filter{{Key: types.FilterNameStringTypeAll, Values: []string{"!x", "f"}}}, IncludePlannedDeletion: aws.Bool(true)})
	c.ListSecretVersionIds(ctx, &secretsmanager.ListSecretVersionIdsInput{SecretId: s("f"), IncludeDeprecated: aws.Bool(true), MaxResults: aws.Int32(1)})
	c.UpdateSecretVersionStage(ctx, &secretsmanager.UpdateSecretVersionStageInput{SecretId: s("f"), VersionStage: s("X"), MoveToVersionId: s("00000000-0000-4000-8000-000000000001")})
	c.BatchGetSecretValue(ctx, &secretsmanager.BatchGetSecretValueInput{SecretIdList: []string{"f", "b"}})
	c.TagResource(ctx, &secretsmanager.TagResourceInput{SecretId: s("f"), Tags: []types.Tag{{Key: s("a"), Value: s("b")}}})
	c.UntagResource(ctx, &secretsmanager.UntagResourceInput{SecretId: s("f"), TagKeys: []string{"a"}})
	c.GetRandomPassword(ctx, &secretsmanager.GetRandomPasswordInput{PasswordLength: aws.Int64(12), ExcludeCharacters: s("abc"), IncludeSpace: aws.Bool(true)})
	c.PutResourcePolicy(ctx, &secretsmanager.PutResourcePolicyInput{SecretId: s("f"), ResourcePolicy: s(`{"Version":"2012-10-17","Statement":[]}`)})
	c.GetResourcePolicy(ctx, &secretsmanager.GetResourcePolicyInput{SecretId: s("f")})
	c.ValidateResourcePolicy(ctx, &secretsmanager.ValidateResourcePolicyInput{ResourcePolicy: s(`{}`)})
	c.DeleteResourcePolicy(ctx, &secretsmanager.DeleteResourcePolicyInput{SecretId: s("f")})
	c.RotateSecret(ctx, &secretsmanager.RotateSecretInput{SecretId: s("f"), RotationLambdaARN: s("arn:aws:lambda:us-east-1:1:function:x"),
		RotationRules: &types.RotationRulesType{ScheduleExpression: s("cron(0 1 ? * MON-FRI *)"), Duration: s("2h")}, RotateImmediately: aws.Bool(false)})
	c.CancelRotateSecret(ctx, &secretsmanager.CancelRotateSecretInput{SecretId: s("f")})
	c.ReplicateSecretToRegions(ctx, &secretsmanager.ReplicateSecretToRegionsInput{SecretId: s("f"), AddReplicaRegions: []types.ReplicaRegionType{{Region: s("eu-west-1")}}})
	c.RemoveRegionsFromReplication(ctx, &secretsmanager.RemoveRegionsFromReplicationInput{SecretId: s("f"), RemoveReplicaRegions: []string{"eu-west-1"}})
	c.StopReplicationToReplica(ctx, &secretsmanager.StopReplicationToReplicaInput{SecretId: s("f")})
	c.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: s("f"), RecoveryWindowInDays: aws.Int64(7)})
	c.RestoreSecret(ctx, &secretsmanager.RestoreSecretInput{SecretId: s("f")})
	c.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: s("b"), ForceDeleteWithoutRecovery: aws.Bool(true)})
	if len(tr.seen) < 23 {
		t.Fatalf("recorded %d SDK requests", len(tr.seen))
	}
	return tr.seen
}

// FuzzHandler: any target and body gets an answer that is valid JSON with
// a request id, never a panic (a recovered panic would be a 500).
func FuzzHandler(f *testing.F) {
	for _, r := range sdkRequests(f) {
		f.Add(r[0], []byte(r[1]))
	}
	f.Add("secretsmanager.CreateSecret", []byte(`{"Name":[1,2]}`))
	f.Add("secretsmanager.ListSecrets", []byte(`{"MaxResults":"x"}`))
	f.Add("secretsmanager.Nope", []byte(`{}`))
	f.Add("", []byte(`null`))
	srv, _ := New(WithClock(newTestClock().Now), WithIDs(seqIDs()))
	f.Fuzz(func(t *testing.T, target string, body []byte) {
		req := httptest.NewRequest("POST", "/", bytes.NewReader(body))
		req.Header.Set("X-Amz-Target", target)
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("%s %q: response is not JSON: %q", target, body, rec.Body.String())
		}
		if rec.Code != 200 && rec.Code != 400 && rec.Code != 413 {
			t.Fatalf("%s %q: status %d %s", target, body, rec.Code, rec.Body.String())
		}
		if rec.Header().Get("X-Amzn-Requestid") == "" {
			t.Fatal("no request id")
		}
		if rec.Code != 200 && !strings.Contains(rec.Body.String(), `"__type":`) {
			t.Fatalf("error without __type: %s", rec.Body.String())
		}
	})
}

// FuzzDecodeGetSecretValue: the fast decoder agrees with encoding/json
// whenever it accepts a body.
func FuzzDecodeGetSecretValue(f *testing.F) {
	for _, s := range []string{`{"SecretId":"a"}`, `{"SecretId":"a","VersionStage":"AWSPREVIOUS"}`, ` { "VersionId" : "x" , "SecretId":"é" } `,
		`{"SecretId":"a\"b"}`, `{"SecretId":1}`, `{}`, `{"SecretId":"a","SecretId":"b"}`, `{"secretid":"a"}`, "{\"SecretId\":\"\xff\"}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var fast GetSecretValueInput
		if !decodeGetSecretValue(body, &fast) {
			return
		}
		var slow GetSecretValueInput
		if err := json.Unmarshal(body, &slow); err != nil {
			t.Fatalf("fast accepted %q, encoding/json rejects it: %v", body, err)
		}
		for _, p := range [][2]*string{{fast.SecretId, slow.SecretId}, {fast.VersionId, slow.VersionId}, {fast.VersionStage, slow.VersionStage}} {
			if (p[0] == nil) != (p[1] == nil) || (p[0] != nil && *p[0] != *p[1]) {
				t.Fatalf("%q: fast %+v, encoding/json %+v", body, fast, slow)
			}
		}
	})
}
