package browser

import (
	"context"
	"strings"
	"testing"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/charmbracelet/x/exp/teatest"

	"secretlings/aws"
)

// partnerPolicy lets role/partner of the other account read the secret,
// which its identity policy allows too; the default key still stops it.
const partnerPolicy = `{"Version":"2012-10-17","Statement":[{"Sid":"PartnerReads","Effect":"Allow",` +
	`"Principal":{"AWS":"arn:aws:iam::111122223333:role/partner"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}`

// openWithPolicy stores prod/payments with partnerPolicy and opens its
// details on the embedded backend, the emulator judging who may read it.
func openWithPolicy(t *testing.T) *teatest.TestModel {
	t.Helper()
	f := newFixture(t)
	ctx := context.Background()
	f.at(20, 9)
	if _, err := f.client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: sdkaws.String("prod/payments"), ClientRequestToken: sdkaws.String(token(1)),
		Description: sdkaws.String("Payment provider key"), SecretString: sdkaws.String(seeded["api"])}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.client.PutResourcePolicy(ctx, &secretsmanager.PutResourcePolicyInput{SecretId: sdkaws.String("prod/payments"), ResourcePolicy: sdkaws.String(partnerPolicy)}); err != nil {
		t.Fatal(err)
	}
	c := testCommon(f.client, aws.Embedded, false)
	c.Backend.Conn.Emulator = f.srv
	tm := start(t, newApp(c), 100, 30)
	waitFor(t, tm, "prod/payments")
	tm.Send(press("enter"))
	waitFor(t, tm, "Versions (1)")
	return tm
}

func TestBrowserDetailsPolicyAndWhoMayRead(t *testing.T) {
	tm := openWithPolicy(t)
	tm.Send(keyMsg("G")) // the policy and the verdicts are at the bottom
	view := finalView(t, tm)
	for _, want := range []string{
		`"Sid": "PartnerReads"`, "Who may read it",
		"✓ app", "✗ deployer", "✗ auditor", "✗ intern", "✗ partner",
		"no identity-based policy allows the secretsmanager:GetSecretValue action",
		"role/app: the application",
	} {
		if !strings.Contains(view, want) {
			t.Errorf("the details lack %q:\n%s", want, view)
		}
	}
	if strings.Contains(view, seeded["api"]) {
		t.Error("the details show the value")
	}
	assertFits(t, view, 100, 30)
	teatest.RequireEqualOutput(t, []byte(view))
}

// Without the embedded emulator nobody in the app can judge a policy: the
// details say so in one line instead of guessing.
func TestBrowserWhoMayReadNeedsTheEmulator(t *testing.T) {
	f := newFixture(t)
	f.seed(t)
	tm := openBrowser(t, f.client, aws.LocalStack, false)
	tm.Send(press("j"))
	tm.Send(press("enter"))
	waitFor(t, tm, "Versions (4)")
	tm.Send(keyMsg("G"))
	view := finalView(t, tm)
	if !strings.Contains(view, "policies are enforced only by the embedded emulator") || strings.Contains(view, "✓ app") {
		t.Errorf("a backend without the emulator claims verdicts:\n%s", view)
	}
}
