package aws

import (
	"context"
	"testing"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
)

// TestLocalClientsReadWhatTheyAreSent: many reads of a large answer through
// the Conn's clients, none of them retried: without PlainBodies about one in
// 250 fails with "use of closed network connection" on this machine.
func TestLocalClientsReadWhatTheyAreSent(t *testing.T) {
	isolate(t)
	ctx := context.Background()
	c, err := Connect(ctx, Target{Backend: Embedded})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	cfg := c.cfg.Copy()
	cfg.Retryer = func() sdkaws.Retryer { return sdkaws.NopRetryer{} }
	ct := cloudtrail.NewFromConfig(cfg)
	for range 60 {
		c.Ping(ctx) // fills the trail: each ping is a ListSecrets event
	}
	for i := range 400 {
		if _, err := ct.LookupEvents(ctx, &cloudtrail.LookupEventsInput{MaxResults: sdkaws.Int32(50)}); err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
	}
}
