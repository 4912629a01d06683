package emulator

import (
	"context"
	"strings"
)

// KMSTargetPrefix is the X-Amz-Target prefix of KMS.
const KMSTargetPrefix = "TrentService."

// cloudTrailShortPrefix is the X-Amz-Target prefix aws-sdk-go-v2 sends for
// CloudTrail; botocore (the aws CLI, boto3) sends CloudTrailTargetPrefix,
// the model's targetPrefix.
const cloudTrailShortPrefix = "CloudTrail_20131101."

// targetOf splits an X-Amz-Target into the event source of its service and
// the operation. Anything that is not KMS or CloudTrail is Secrets Manager,
// whose dispatch reports an unknown operation.
func targetOf(target string) (source, op string) {
	switch {
	case strings.HasPrefix(target, KMSTargetPrefix):
		return SourceKMS, target[len(KMSTargetPrefix):]
	case strings.HasPrefix(target, CloudTrailTargetPrefix):
		return SourceCloudTrail, target[len(CloudTrailTargetPrefix):]
	case strings.HasPrefix(target, cloudTrailShortPrefix):
		return SourceCloudTrail, target[len(cloudTrailShortPrefix):]
	}
	return SourceSecretsManager, strings.TrimPrefix(target, "secretsmanager.")
}

// serveService runs one request on the service of source, as p. KMS and
// CloudTrail answer for the caller's own account.
func (s *Server) serveService(ctx context.Context, p Principal, source, op, region string, body []byte) (any, error) {
	switch source {
	case SourceKMS:
		return s.serveKMS(p, op, p.Account, region, body)
	case SourceCloudTrail:
		return s.serveCloudTrail(p, op, region, body)
	}
	return s.dispatch(ctx, p, op, region, body)
}
