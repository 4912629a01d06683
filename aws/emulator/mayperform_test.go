package emulator

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// TestMayPerformAnswersAsARequestWould: MayPerform's verdicts are the ones
// the same member's signed request gets, and asking leaves no trace.
func TestMayPerformAnswersAsARequestWould(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	prod := mustCreate(t, e.client, "prod/db", "pw")
	mustCreate(t, e.client, "dev/db", "pw")
	before := len(e.srv.AuditEvents(DefaultAccountID))
	for _, c := range []struct {
		member, op, id string
		want           bool
		reason         string
	}{
		{"app", "GetSecretValue", "prod/db", true, ""},
		{"app", "GetSecretValue", "dev/db", false, "because no identity-based policy allows the secretsmanager:GetSecretValue action"},
		{"deployer", "GetSecretValue", "prod/db", false, "is not authorized to perform: secretsmanager:GetSecretValue"},
		{"deployer", "PutSecretValue", "prod/db", true, ""},
		{"auditor", "DescribeSecret", "prod/db", true, ""},
		{"intern", "DescribeSecret", "prod/db", false, "User: arn:aws:iam::123456789012:user/intern is not authorized"},
		{"partner", "GetSecretValue", aws.ToString(prod.ARN), false, "because no resource-based policy allows"},
		{"nobody", "GetSecretValue", "prod/db", false, "no cast member is named nobody"},
	} {
		ok, reason := e.srv.MayPerform(c.member, c.op, c.id, "")
		if ok != c.want || !strings.Contains(reason, c.reason) {
			t.Errorf("%s %s %s = %v %q, want %v %q", c.member, c.op, c.id, ok, reason, c.want, c.reason)
		}
		if c.op != "DescribeSecret" {
			continue
		}
		// The same request, signed by the member, gets the same verdict.
		_, err := castClient(t, e.url, c.member).DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(c.id)})
		if (err == nil) != c.want {
			t.Errorf("%s DescribeSecret over HTTP: %v, MayPerform said %v", c.member, err, c.want)
		}
	}
	if got := len(e.srv.AuditEvents(DefaultAccountID)); got != before+2 {
		t.Errorf("audit events: %d after asking, want %d (only the two DescribeSecret requests)", got, before+2)
	}
	// An explicit Deny in the resource policy takes the read away.
	deny := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::123456789012:role/app"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}`
	if _, err := e.client.PutResourcePolicy(ctx, &secretsmanager.PutResourcePolicyInput{SecretId: aws.String("prod/db"), ResourcePolicy: &deny}); err != nil {
		t.Fatal(err)
	}
	if ok, reason := e.srv.MayPerform("app", "GetSecretValue", "prod/db", ""); ok || !strings.Contains(reason, "explicit deny in a resource-based policy") {
		t.Errorf("after the Deny: %v %q", ok, reason)
	}
}
