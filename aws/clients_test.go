package aws

import (
	"context"
	"testing"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"secretlings/aws/emulator"
)

// TestClientsAsACastMember: every service's client reaches the embedded
// endpoint, and As signs as the member given, not as the Conn's root.
func TestClientsAsACastMember(t *testing.T) {
	isolate(t)
	ctx := context.Background()
	c, err := Connect(ctx, Target{Backend: Embedded})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	root := c.Clients()
	who, err := root.STS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil || sdkaws.ToString(who.Arn) != "arn:aws:iam::"+emulator.DefaultAccountID+":root" {
		t.Fatalf("root identity: %v %v", err, who)
	}
	if _, err := root.KMS.ListKeys(ctx, &kms.ListKeysInput{}); err != nil {
		t.Fatalf("kms: %v", err)
	}
	intern, _ := emulator.CastMemberNamed("intern")
	as := c.As(credentials.NewStaticCredentialsProvider(intern.AccessKeyID, intern.SecretAccessKey, ""))
	who, err = as.STS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil || sdkaws.ToString(who.Arn) != intern.ARN {
		t.Fatalf("intern identity: %v %v", err, who)
	}
	if _, err := as.SecretsManager.ListSecrets(ctx, &secretsmanager.ListSecretsInput{}); err == nil {
		t.Fatal("the intern listed secrets; its policy allows nothing")
	}
	ev, err := root.CloudTrail.LookupEvents(ctx, &cloudtrail.LookupEventsInput{})
	if err != nil {
		t.Fatalf("lookup-events: %v", err)
	}
	found := false
	for _, e := range ev.Events {
		found = found || sdkaws.ToString(e.EventName) == "ListSecrets" && sdkaws.ToString(e.Username) == "intern"
	}
	if !found {
		t.Errorf("the trail has no ListSecrets by the intern: %d events", len(ev.Events))
	}
}
