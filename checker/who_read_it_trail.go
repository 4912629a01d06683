package checker

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"secretlings/aws"
	"secretlings/aws/emulator"
)

// trailPages bounds how much of the trail the checker reads: the
// emulator's trail is bounded anyway, and the culprit made few calls.
const trailPages = 20

// findIncident finds the culprit's staged read of the vault through
// CloudTrail's LookupEvents, as the learner does: the earliest successful
// GetSecretValue of this vault (this ARN, so a vault staged before a reset
// does not count) by the culprit's access key since the vault was created.
// Later reads are the checker's own probes. The incident names the culprit
// even when it is not found, for grading the block.
func (r *run) findIncident(ctx context.Context, d *secretsmanager.DescribeSecretOutput, culprit emulator.CastMember) (incident, bool, error) {
	inc := incident{culprit: culprit}
	b := r.c.Backend
	ct := cloudtrail.New(cloudtrail.Options{
		Region: b.Region, BaseEndpoint: endpointOrNil(b.Endpoint),
		Credentials: b.Client.Options().Credentials, Retryer: aws.LocalRetryer(), HTTPClient: accessHTTP,
	})
	in := &cloudtrail.LookupEventsInput{
		LookupAttributes: []cttypes.LookupAttribute{{AttributeKey: cttypes.LookupAttributeKeyAccessKeyId, AttributeValue: awssdk.String(culprit.AccessKeyID)}},
	}
	if d.CreatedDate != nil {
		in.StartTime = awssdk.Time(d.CreatedDate.Add(-2 * time.Second))
	}
	var reads []incident
	for page := 0; page < trailPages; page++ {
		out, err := ct.LookupEvents(ctx, in)
		if err != nil {
			return inc, false, fmt.Errorf("reading the audit trail (CloudTrail LookupEvents): %s", explain(err))
		}
		for _, e := range out.Events {
			if ev, ok := vaultRead(e, d, culprit); ok {
				reads = append(reads, ev)
			}
		}
		if awssdk.ToString(out.NextToken) == "" {
			break
		}
		in.NextToken = out.NextToken
	}
	if len(reads) == 0 {
		return inc, false, nil
	}
	sort.Slice(reads, func(i, j int) bool { return reads[i].at.Before(reads[j].at) })
	return reads[0], true, nil
}

// trailRecord is the part of a CloudTrail record the grader reads.
type trailRecord struct {
	EventName    string `json:"eventName"`
	ErrorCode    string `json:"errorCode"`
	UserIdentity struct {
		ARN         string `json:"arn"`
		AccessKeyID string `json:"accessKeyId"`
	} `json:"userIdentity"`
	RequestParameters struct {
		SecretID string `json:"secretId"`
	} `json:"requestParameters"`
}

// vaultRead reports whether e is a successful GetSecretValue of the vault
// by the culprit.
func vaultRead(e cttypes.Event, d *secretsmanager.DescribeSecretOutput, culprit emulator.CastMember) (incident, bool) {
	var rec trailRecord
	if e.CloudTrailEvent == nil || json.Unmarshal([]byte(*e.CloudTrailEvent), &rec) != nil || e.EventTime == nil {
		return incident{}, false
	}
	if rec.EventName != "GetSecretValue" || rec.ErrorCode != "" || rec.UserIdentity.AccessKeyID != culprit.AccessKeyID {
		return incident{}, false
	}
	arn, name, id := awssdk.ToString(d.ARN), awssdk.ToString(d.Name), rec.RequestParameters.SecretID
	// A name, a full ARN, or a partial ARN (without the random suffix).
	if id != name && id != arn && !(strings.HasPrefix(arn, id+"-") && len(arn)-len(id) == 7) {
		return incident{}, false
	}
	return incident{culprit: culprit, eventARN: rec.UserIdentity.ARN, at: *e.EventTime}, true
}

// probeStage is a staging label no version has. The culprit's probe asks
// for it, so the probe reads no value and cannot pass in the trail for a
// read: an explicit Deny refuses it (AccessDeniedException); a principal
// still allowed gets ResourceNotFoundException, after authorization.
const probeStage = "SECRETLINGS-CHECK"

// probeVault asks for the vault as m at probeStage and reports the error
// (nil never: no version has that label).
func (r *run) probeVault(ctx context.Context, arn string, m string) error {
	_, err := r.clientAs(castMember(m)).GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{
		SecretId: awssdk.String(arn), VersionStage: awssdk.String(probeStage),
	})
	return err
}

// stillAllowed reports whether a probe's answer means the principal may
// still read: the request got past authorization.
func stillAllowed(err error) bool {
	return err == nil || errorCode(err) == "ResourceNotFoundException"
}

// explicitlyDenied reports a refusal by an explicit Deny.
func explicitlyDenied(err error) bool {
	return isAccessDenied(err) && strings.Contains(strings.ToLower(err.Error()), "explicit deny")
}
