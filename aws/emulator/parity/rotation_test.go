package parity

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// The fake Lambda ARNs scenarios rotate with. rotationARN is registered with
// the emulator and runs templateRotation; unknownARN is registered nowhere,
// which on AWS is a function Secrets Manager cannot invoke.
const (
	rotationARN = "arn:aws:lambda:us-east-1:123456789012:function:parity-rotation"
	unknownARN  = "arn:aws:lambda:us-east-1:123456789012:function:parity-nobody"
)

// rotationLog collects what the rotation function did, in order. The
// function runs on the emulator's goroutine, hence the mutex.
type rotationLog struct {
	mu      sync.Mutex
	entries []rotationEntry
}

type rotationEntry struct {
	token string // the event's ClientRequestToken, aliased when rendered
	text  string
}

func (l *rotationLog) add(token, format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, rotationEntry{token, fmt.Sprintf(format, args...)})
}

// rotationSteps records one line with everything the rotation function saw
// since the last call, e.g. "rotation: createSecret(v2) pending-value=ResourceNotFoundException …".
func (r *run) rotationSteps() {
	r.rot.mu.Lock()
	es := r.rot.entries
	r.rot.entries = nil
	r.rot.mu.Unlock()
	if len(es) == 0 {
		r.note("rotation: none")
		return
	}
	var p []string
	for _, e := range es {
		p = append(p, strings.ReplaceAll(e.text, "{v}", r.v(aws.String(e.token))))
	}
	r.note("rotation: %s", strings.Join(p, " "))
}

// templateRotation is the four-step rotation function of §4.3 (the AWS
// template, with the LocalStack test function's AWSPENDING clean-up at the
// end, whose AWS-recorded end state is v1[AWSPREVIOUS] v2[AWSCURRENT]). It
// talks to the target with the SDK, exactly as a Lambda would.
func (r *run) templateRotation(ctx context.Context, step, secretID, token string) error {
	c := r.sm
	log := func(format string, args ...any) { r.rot.add(token, format, args...) }
	fail := func(what string, err error) error {
		log("%s-failed=%s", what, r.errLine(err))
		return err
	}
	if !strings.HasPrefix(secretID, "arn:") {
		log("%s(secretid-not-arn)", step)
	} else {
		log("%s({v})", step)
	}
	d, err := c.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: aws.String(secretID)})
	if err != nil {
		return fail("describe", err)
	}
	if !aws.ToBool(d.RotationEnabled) {
		log("rotation-not-enabled")
		return errors.New("rotation is not enabled")
	}
	labels, ok := d.VersionIdsToStages[token]
	if !ok {
		log("token-not-a-version")
		return errors.New("token is not a version of the secret")
	}
	if slices.Contains(labels, "AWSCURRENT") {
		log("already-current")
		return nil
	}
	if !slices.Contains(labels, "AWSPENDING") {
		log("token-not-pending")
		return errors.New("token is not AWSPENDING")
	}
	switch step {
	case "createSecret":
		if _, err := c.GetSecretValue(ctx, &sm.GetSecretValueInput{SecretId: aws.String(secretID), VersionStage: aws.String("AWSCURRENT")}); err != nil {
			return fail("get-current", err)
		}
		_, err := c.GetSecretValue(ctx, &sm.GetSecretValueInput{SecretId: aws.String(secretID), VersionId: aws.String(token), VersionStage: aws.String("AWSPENDING")})
		var rnf *types.ResourceNotFoundException
		switch {
		case errors.As(err, &rnf):
			log("pending-value=%s", r.errLine(err))
			if _, err := c.PutSecretValue(ctx, &sm.PutSecretValueInput{
				SecretId: aws.String(secretID), ClientRequestToken: aws.String(token),
				SecretString: aws.String("rotated"), VersionStages: []string{"AWSPENDING"},
			}); err != nil {
				return fail("put-pending", err)
			}
		case err != nil:
			return fail("get-pending", err)
		default:
			log("pending-value=present")
		}
	case "setSecret", "testSecret":
		// Nothing to set or test: the "database" is the secret itself.
	case "finishSecret":
		current := ""
		for id, ls := range d.VersionIdsToStages {
			if slices.Contains(ls, "AWSCURRENT") {
				current = id
			}
		}
		if _, err := c.UpdateSecretVersionStage(ctx, &sm.UpdateSecretVersionStageInput{
			SecretId: aws.String(secretID), VersionStage: aws.String("AWSCURRENT"),
			MoveToVersionId: aws.String(token), RemoveFromVersionId: aws.String(current),
		}); err != nil {
			return fail("move-current", err)
		}
		if _, err := c.UpdateSecretVersionStage(ctx, &sm.UpdateSecretVersionStageInput{
			SecretId: aws.String(secretID), VersionStage: aws.String("AWSPENDING"), RemoveFromVersionId: aws.String(token),
		}); err != nil {
			return fail("remove-pending", err)
		}
	default:
		log("unknown-step")
		return fmt.Errorf("unknown step %q", step)
	}
	return nil
}
