package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/aws/smithy-go"
)

func mustCreate(t *testing.T, c *secretsmanager.Client, name, value string) *secretsmanager.CreateSecretOutput {
	t.Helper()
	out, err := c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String(name), SecretString: aws.String(value)})
	if err != nil {
		t.Fatalf("CreateSecret %s: %v", name, err)
	}
	return out
}

func stagesOf(t *testing.T, c *secretsmanager.Client, id string) map[string][]string {
	t.Helper()
	d, err := c.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range d.VersionIdsToStages {
		sort.Strings(v)
	}
	return d.VersionIdsToStages
}

func TestSDKTypedErrors(t *testing.T) {
	e := newEnv(t)
	c := e.client
	mustCreate(t, c, "dup", "x")
	_, err := c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("dup"), SecretString: aws.String("y")})
	var ree *types.ResourceExistsException
	if !errors.As(err, &ree) || ree.ErrorMessage() != "The operation failed because the secret dup already exists." {
		t.Fatalf("dup: %v", err)
	}
	_, err = c.UpdateSecretVersionStage(ctx, &secretsmanager.UpdateSecretVersionStageInput{SecretId: aws.String("dup"), VersionStage: aws.String("AWSCURRENT"), MoveToVersionId: aws.String(strings.Repeat("a", 32))})
	var ipe *types.InvalidParameterException
	if !errors.As(err, &ipe) {
		t.Fatalf("bad move: %v", err)
	}
	_, err = c.ListSecrets(ctx, &secretsmanager.ListSecretsInput{NextToken: aws.String("bogus")})
	var inte *types.InvalidNextTokenException
	if !errors.As(err, &inte) {
		t.Fatalf("bad token: %v", err)
	}
	_, err = c.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("bad name!")})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "ValidationException" || ae.ErrorMessage() != msgBadName {
		t.Fatalf("bad name: %v", err)
	}
	_, err = c.RotateSecret(ctx, &secretsmanager.RotateSecretInput{SecretId: aws.String("dup"), RotationLambdaARN: aws.String("arn:aws:lambda:us-east-1:123456789012:function:none")})
	if !errors.As(err, &ae) || ae.ErrorCode() != "AccessDeniedException" {
		t.Fatalf("unknown lambda: %v", err)
	}
	_, err = c.PutResourcePolicy(ctx, &secretsmanager.PutResourcePolicyInput{SecretId: aws.String("dup"), ResourcePolicy: aws.String("nope")})
	var mpe *types.MalformedPolicyDocumentException
	if !errors.As(err, &mpe) {
		t.Fatalf("bad policy: %v", err)
	}
	// The request id reaches the error.
	var re interface{ ServiceRequestID() string }
	if !errors.As(err, &re) || re.ServiceRequestID() == "" {
		t.Fatalf("no request id in %v", err)
	}
}

func TestSDKEveryOperation(t *testing.T) {
	e := newEnv(t)
	c := e.client
	cr, err := c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("bin"), SecretBinary: []byte{0, 1, 2, 255},
		Description: aws.String("binary"), Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("1")}}})
	if err != nil {
		t.Fatal(err)
	}
	g, err := c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: cr.ARN})
	if err != nil || !bytes.Equal(g.SecretBinary, []byte{0, 1, 2, 255}) || g.SecretString != nil {
		t.Fatalf("binary round trip: %v %+v", err, g)
	}
	up, err := c.UpdateSecret(ctx, &secretsmanager.UpdateSecretInput{SecretId: aws.String("bin"), Description: aws.String("d2")})
	if err != nil || up.VersionId != nil {
		t.Fatalf("metadata update: %v %+v", err, up)
	}
	up, err = c.UpdateSecret(ctx, &secretsmanager.UpdateSecretInput{SecretId: aws.String("bin"), SecretString: aws.String("now a string")})
	if err != nil || up.VersionId == nil {
		t.Fatalf("value update: %v %+v", err, up)
	}
	lv, err := c.ListSecretVersionIds(ctx, &secretsmanager.ListSecretVersionIdsInput{SecretId: aws.String("bin")})
	if err != nil || len(lv.Versions) != 2 || *lv.Name != "bin" {
		t.Fatalf("versions: %v %+v", err, lv)
	}
	if _, err := c.TagResource(ctx, &secretsmanager.TagResourceInput{SecretId: aws.String("bin"), Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("2")}, {Key: aws.String("b"), Value: aws.String("3")}}}); err != nil {
		t.Fatal(err)
	}
	d, _ := c.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("bin")})
	if len(d.Tags) != 2 || *d.Tags[0].Value != "2" || *d.Description != "d2" {
		t.Fatalf("tags after merge: %+v", d.Tags)
	}
	if _, err := c.UntagResource(ctx, &secretsmanager.UntagResourceInput{SecretId: aws.String("bin"), TagKeys: []string{"a", "b", "zzz"}}); err != nil {
		t.Fatal(err)
	}
	// After untagging everything AWS shows "Tags": [] (present, empty).
	raw := rawCall(t, e.url, "DescribeSecret", `{"SecretId":"bin"}`)
	if !strings.Contains(raw, `"Tags":[]`) {
		t.Fatalf("untag all: %s", raw)
	}
	pw, err := c.GetRandomPassword(ctx, &secretsmanager.GetRandomPasswordInput{})
	if err != nil || len(*pw.RandomPassword) != 32 {
		t.Fatalf("password: %v", err)
	}
	pol := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}`
	if _, err := c.PutResourcePolicy(ctx, &secretsmanager.PutResourcePolicyInput{SecretId: aws.String("bin"), ResourcePolicy: aws.String(pol), BlockPublicPolicy: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	gp, err := c.GetResourcePolicy(ctx, &secretsmanager.GetResourcePolicyInput{SecretId: aws.String("bin")})
	if err != nil || *gp.ResourcePolicy != pol {
		t.Fatalf("get policy: %v", err)
	}
	vp, err := c.ValidateResourcePolicy(ctx, &secretsmanager.ValidateResourcePolicyInput{ResourcePolicy: aws.String(strings.Replace(pol, `{"AWS":"arn:aws:iam::123456789012:root"}`, `"*"`, 1))})
	if err != nil || vp.PolicyValidationPassed || len(vp.ValidationErrors) != 1 {
		t.Fatalf("validate public: %v %+v", err, vp)
	}
	if _, err := c.DeleteResourcePolicy(ctx, &secretsmanager.DeleteResourcePolicyInput{SecretId: aws.String("bin")}); err != nil {
		t.Fatal(err)
	}
	if gp, _ := c.GetResourcePolicy(ctx, &secretsmanager.GetResourcePolicyInput{SecretId: aws.String("bin")}); gp.ResourcePolicy != nil {
		t.Fatal("policy survived delete")
	}
	mustCreate(t, c, "other", "o")
	bg, err := c.BatchGetSecretValue(ctx, &secretsmanager.BatchGetSecretValueInput{SecretIdList: []string{"bin", "other", "missing"}})
	if err != nil || len(bg.SecretValues) != 2 || len(bg.Errors) != 1 || *bg.Errors[0].ErrorCode != "ResourceNotFoundException" {
		t.Fatalf("batch: %v %+v", err, bg)
	}
	if _, err := c.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: aws.String("other")}); err != nil {
		t.Fatal(err)
	}
	bg, _ = c.BatchGetSecretValue(ctx, &secretsmanager.BatchGetSecretValueInput{SecretIdList: []string{"other"}})
	if len(bg.Errors) != 1 || *bg.Errors[0].ErrorCode != "InvalidRequestException" {
		t.Fatalf("batch on deleted: %+v", bg.Errors)
	}
	if _, err := c.RestoreSecret(ctx, &secretsmanager.RestoreSecretInput{SecretId: aws.String("other")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CancelRotateSecret(ctx, &secretsmanager.CancelRotateSecretInput{SecretId: aws.String("other")}); err != nil {
		t.Fatal(err)
	}
	// Replication: a replica in eu-west-1, read-only there, then promoted.
	rep, err := c.ReplicateSecretToRegions(ctx, &secretsmanager.ReplicateSecretToRegionsInput{SecretId: aws.String("other"), AddReplicaRegions: []types.ReplicaRegionType{{Region: aws.String("eu-west-1")}}})
	if err != nil || len(rep.ReplicationStatus) != 1 || rep.ReplicationStatus[0].Status != types.StatusTypeInSync {
		t.Fatalf("replicate: %v %+v", err, rep)
	}
	eu := newClient(e.url, "eu-west-1")
	rg, err := eu.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("other")})
	if err != nil || *rg.SecretString != "o" || !strings.Contains(*rg.ARN, ":eu-west-1:") {
		t.Fatalf("replica read: %v %+v", err, rg)
	}
	// Changes to the primary reach the replica.
	if _, err := c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("other"), SecretString: aws.String("o2")}); err != nil {
		t.Fatal(err)
	}
	if rg, err := eu.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("other")}); err != nil || *rg.SecretString != "o2" {
		t.Fatalf("replica after primary put: %v %v", err, rg)
	}
	_, err = eu.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("other"), SecretString: aws.String("no")})
	if !errors.As(err, new(*types.InvalidParameterException)) {
		t.Fatalf("write to replica: %v", err)
	}
	_, err = c.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: aws.String("other")})
	if !errors.As(err, new(*types.InvalidParameterException)) {
		t.Fatalf("delete primary with replicas: %v", err)
	}
	if _, err := eu.StopReplicationToReplica(ctx, &secretsmanager.StopReplicationToReplicaInput{SecretId: aws.String("other")}); err != nil {
		t.Fatal(err)
	}
	if _, err := eu.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("other"), SecretString: aws.String("promoted")}); err != nil {
		t.Fatalf("write after promotion: %v", err)
	}
	rep, err = c.ReplicateSecretToRegions(ctx, &secretsmanager.ReplicateSecretToRegionsInput{SecretId: aws.String("bin"), AddReplicaRegions: []types.ReplicaRegionType{{Region: aws.String("ap-south-1")}}})
	if err != nil {
		t.Fatal(err)
	}
	rr, err := c.RemoveRegionsFromReplication(ctx, &secretsmanager.RemoveRegionsFromReplicationInput{SecretId: aws.String("bin"), RemoveReplicaRegions: []string{"ap-south-1"}})
	if err != nil || len(rr.ReplicationStatus) != 0 {
		t.Fatalf("remove region: %v %+v", err, rr)
	}
	_, err = newClient(e.url, "ap-south-1").DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("bin")})
	if !errors.As(err, new(*types.ResourceNotFoundException)) {
		t.Fatalf("replica survived removal: %v", err)
	}
}

func TestSDKRegionsAreSeparate(t *testing.T) {
	e := newEnv(t)
	mustCreate(t, e.client, "r", "x")
	_, err := newClient(e.url, "eu-central-1").GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("r")})
	if !errors.As(err, new(*types.ResourceNotFoundException)) {
		t.Fatalf("secret visible in another region: %v", err)
	}
}

func TestSDKPaginators(t *testing.T) {
	e := newEnv(t)
	c := e.client
	for i := range 7 {
		mustCreate(t, c, fmt.Sprintf("p-%02d", i), "x")
	}
	pg := secretsmanager.NewListSecretsPaginator(c, &secretsmanager.ListSecretsInput{MaxResults: aws.Int32(3)})
	var names []string
	pages := 0
	for pg.HasMorePages() {
		out, err := pg.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, s := range out.SecretList {
			names = append(names, *s.Name)
		}
	}
	if pages != 3 || len(names) != 7 || names[0] != "p-00" || names[6] != "p-06" {
		t.Fatalf("pages %d names %v", pages, names)
	}
	for i := range 4 {
		if _, err := c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("p-00"), SecretString: aws.String(fmt.Sprint(i))}); err != nil {
			t.Fatal(err)
		}
	}
	vp := secretsmanager.NewListSecretVersionIdsPaginator(c, &secretsmanager.ListSecretVersionIdsInput{SecretId: aws.String("p-00"), MaxResults: aws.Int32(2), IncludeDeprecated: aws.Bool(true)})
	n := 0
	for vp.HasMorePages() {
		out, err := vp.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		n += len(out.Versions)
	}
	if n != 5 {
		t.Fatalf("%d versions through the paginator, want 5", n)
	}
	bp := secretsmanager.NewBatchGetSecretValuePaginator(c, &secretsmanager.BatchGetSecretValueInput{
		Filters: []types.Filter{{Key: types.FilterNameStringTypeName, Values: []string{"p-"}}}, MaxResults: aws.Int32(4)})
	n = 0
	for bp.HasMorePages() {
		out, err := bp.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		n += len(out.SecretValues)
	}
	if n != 7 {
		t.Fatalf("%d values through the batch paginator, want 7", n)
	}
}

// rawCall sends a request without the SDK and returns the body.
func rawCall(t *testing.T, url, op, body string) string {
	t.Helper()
	req, _ := http.NewRequest("POST", url+"/", strings.NewReader(body))
	req.Header.Set("X-Amz-Target", "secretsmanager."+op)
	req.Header.Set("Content-Type", contentType)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.Header.Get("X-Amzn-Requestid") == "" {
		t.Fatalf("%s: no x-amzn-RequestId", op)
	}
	return fmt.Sprintf("%d %s", resp.StatusCode, b)
}

func TestWireFormat(t *testing.T) {
	e := newEnv(t)
	tok := `"ClientRequestToken":"11111111-2222-4333-8444-555555555555"`
	tests := []struct {
		name, op, body string
		want           string // substring of "<status> <body>"
	}{
		{"unknown operation", "Frobnicate", `{}`, `400 {"__type":"UnknownOperationException",` +
			`"Message":"Unknown operation \"Frobnicate\". Secrets Manager operations are sent as X-Amz-Target: secretsmanager.<Operation>."}`},
		{"malformed JSON", "CreateSecret", `{"Name":`, `400 {"__type":"SerializationException"`},
		{"wrong type", "CreateSecret", `{"Name":42}`, `400 {"__type":"SerializationException"`},
		{"no token on create", "CreateSecret", `{"Name":"raw","SecretString":"x","Description":"d"}`,
			`400 {"__type":"InvalidRequestException","Message":"You must provide a ClientRequestToken value. We recommend a UUID-type value."}`},
		{"create", "CreateSecret", `{"Name":"raw","SecretString":"x",` + tok + `}`, `"VersionId":"11111111-2222-4333-8444-555555555555"`},
		{"no token on rotate", "RotateSecret", `{"SecretId":"raw"}`, `400 {"__type":"InvalidParameterException","Message":"You must provide a ClientRequestToken value.`},
		{"not found is 400", "GetSecretValue", `{"SecretId":"missing"}`, `400 {"__type":"ResourceNotFoundException","Message":"Secrets Manager can't find the specified secret."}`},
		{"epoch seconds, omitted members", "GetSecretValue", `{"SecretId":"raw"}`, `"CreatedDate":1795602615.25}`},
		{"empty output", "TagResource", `{"SecretId":"raw","Tags":[{"Key":"k","Value":"v"}]}`, `200 {}`},
		{"describe omits unset members", "DescribeSecret", `{"SecretId":"raw"}`, `"LastChangedDate":1795602615.25`},
		{"force delete of a missing secret", "DeleteSecret", `{"SecretId":"ghost","ForceDeleteWithoutRecovery":true}`, `200 {"ARN":"arn:aws:secretsmanager:us-east-1:123456789012:secret:ghost-`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := rawCall(t, e.url, tc.op, tc.body)
			if !strings.Contains(got, tc.want) {
				t.Fatalf("got %s\nwant it to contain %s", got, tc.want)
			}
			if i := strings.IndexByte(got, ' '); !json.Valid([]byte(got[i+1:])) {
				t.Fatalf("not JSON: %s", got)
			}
		})
	}
	d := rawCall(t, e.url, "DescribeSecret", `{"SecretId":"raw"}`)
	for _, absent := range []string{"RotationEnabled", "KmsKeyId", "DeletedDate", "LastAccessedDate\":0", "null"} {
		if strings.Contains(d, absent) {
			t.Fatalf("describe contains %s: %s", absent, d)
		}
	}
}

func TestOversizedBodyGetsJSONError(t *testing.T) {
	e := newEnv(t)
	big := `{"Name":"x","SecretString":"` + strings.Repeat("a", 10<<20) + `"}`
	got := rawCall(t, e.url, "CreateSecret", big)
	if !strings.HasPrefix(got, `413 {"__type":"RequestEntityTooLargeException"`) {
		t.Fatalf("got %.200s", got)
	}
}

func TestAccountFromAccessKey(t *testing.T) {
	e := newEnv(t)
	req, _ := http.NewRequest("POST", e.url+"/", strings.NewReader(`{"Name":"acct"}`))
	req.Header.Set("X-Amz-Target", "secretsmanager.CreateSecret")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=000000000042/20261125/eu-west-3/secretsmanager/aws4_request, SignedHeaders=host, Signature=00")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), "arn:aws:secretsmanager:eu-west-3:000000000042:secret:acct-") {
		t.Fatalf("got %s", b)
	}
}

func TestFastEncoderMatchesJSON(t *testing.T) {
	s := "line\n\"quoted\" \\ tab\t <html> & \u2028 é \x01 \xff end"
	for _, g := range []*GetSecretValueOutput{
		{ARN: "arn:a", Name: "n", VersionId: "v", SecretString: &s, VersionStages: []string{"AWSCURRENT", "X"}, CreatedDate: epoch(time.UnixMilli(1764066615250))},
		{ARN: "arn:a", Name: "n", VersionId: "v", SecretBinary: []byte{0, 1, 254}, CreatedDate: epoch(time.Unix(1764066615, 0))},
		{},
	} {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.Encode(g)
		if got := appendGetSecretValue(nil, g); !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("fast encoder\n got %s\nwant %s", got, want.Bytes())
		}
	}
}

func TestLabelsThroughSDK(t *testing.T) {
	e := newEnv(t)
	c := e.client
	v1 := mustCreate(t, c, "lab", "one").VersionId
	p, _ := c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("lab"), SecretString: aws.String("two"), VersionStages: []string{"AWSPENDING"}})
	if !slices.Equal(p.VersionStages, []string{"AWSPENDING"}) {
		t.Fatalf("put stages %v", p.VersionStages)
	}
	if _, err := c.UpdateSecretVersionStage(ctx, &secretsmanager.UpdateSecretVersionStageInput{SecretId: aws.String("lab"), VersionStage: aws.String("AWSCURRENT"),
		MoveToVersionId: p.VersionId, RemoveFromVersionId: v1}); err != nil {
		t.Fatal(err)
	}
	got := stagesOf(t, c, "lab")
	if !slices.Equal(got[*v1], []string{"AWSPREVIOUS"}) || !slices.Equal(got[*p.VersionId], []string{"AWSCURRENT", "AWSPENDING"}) {
		t.Fatalf("stages %v", got)
	}
	prev, err := c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("lab"), VersionStage: aws.String("AWSPREVIOUS")})
	if err != nil || *prev.SecretString != "one" {
		t.Fatalf("previous: %v", err)
	}
}

func TestReplicateToOwnRegionIsInvalid(t *testing.T) {
	e := newEnv(t)
	mustCreate(t, e.client, "self", "x")
	_, err := e.client.ReplicateSecretToRegions(ctx, &secretsmanager.ReplicateSecretToRegionsInput{SecretId: aws.String("self"),
		AddReplicaRegions: []types.ReplicaRegionType{{Region: aws.String("us-east-1")}}})
	var ipe *types.InvalidParameterException
	if !errors.As(err, &ipe) || ipe.ErrorMessage() != "Invalid replica region." {
		t.Fatalf("err = %v", err)
	}
	_, err = e.client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("self2"),
		AddReplicaRegions: []types.ReplicaRegionType{{Region: aws.String("us-east-1")}}})
	if !errors.As(err, &ipe) {
		t.Fatalf("create err = %v", err)
	}
}

// TestLogsNeverCarrySecretValues runs every value-bearing path with a debug
// logger and looks for the values in the log.
func TestLogsNeverCarrySecretValues(t *testing.T) {
	var logs bytes.Buffer
	var mu sync.Mutex
	w := writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return logs.Write(p)
	})
	e := newEnv(t, WithLogger(slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))), WithSyncRotation())
	const v1, v2 = "hunter2-first-value", "hunter2-second-value"
	e.srv.RegisterRotationFunction(lambdaARN, func(ctx context.Context, ev RotationEvent) error {
		return errors.New("rotation refused")
	})
	mustCreate(t, e.client, "quiet", v1)
	e.client.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("quiet"), SecretString: aws.String(v2)})
	e.client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("quiet")})
	e.client.BatchGetSecretValue(ctx, &secretsmanager.BatchGetSecretValueInput{SecretIdList: []string{"quiet"}})
	e.client.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("quiet"), SecretString: aws.String(v1),
		ClientRequestToken: aws.String(strings.Repeat("1", 32))})
	e.client.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("quiet"), SecretString: aws.String(v2),
		ClientRequestToken: aws.String(strings.Repeat("1", 32))}) // token reuse error
	e.client.RotateSecret(ctx, &secretsmanager.RotateSecretInput{SecretId: aws.String("quiet"), RotationLambdaARN: aws.String(lambdaARN)})
	mu.Lock()
	defer mu.Unlock()
	if logs.Len() == 0 {
		t.Fatal("nothing logged: the test proves nothing")
	}
	if strings.Contains(logs.String(), "hunter2") {
		t.Fatalf("a secret value reached the log:\n%s", logs.String())
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
