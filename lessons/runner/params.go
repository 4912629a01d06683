package runner

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"secretlings/aws"
	"secretlings/lessons"
)

// placeholder is a fill-in of a lesson's parameters, resolved when the
// action runs: {{stage AWSCURRENT}} (a version id), {{demo-rotation-arn}},
// {{arn NAME}} (a lesson secret's ARN) and {{key NAME}} (a lesson KMS key).
var placeholder = regexp.MustCompile(`\{\{\s*([a-z-]+)\s*([A-Za-z0-9_\-/]*)\s*\}\}`)

// params returns the action's parameters as they go on the wire: secret
// names inside the lesson's namespace and placeholders resolved.
func (r *Runner) params(ctx context.Context, lessonID string, a *lessons.Action) ([]lessons.Param, string, error) {
	ns := Namespace(lessonID)
	out := make([]lessons.Param, 0, len(a.Params))
	secret := ""
	for _, p := range a.Params {
		switch p.Name {
		case "Name", "SecretId":
			// A placeholder ({{arn shared/report}}) names a secret whole.
			if !strings.HasPrefix(p.Value, "arn:") && !strings.HasPrefix(p.Value, ns) && !strings.HasPrefix(p.Value, "{{") {
				p.Value = ns + p.Value
			}
			secret = p.Value
		case "Description":
			// A lesson's keys are found again by their description.
			if a.Operation == "kms:CreateKey" {
				p.Value = ns + p.Value
			}
		case "SecretIdList":
			var ids []string
			if err := json.Unmarshal([]byte(p.Value), &ids); err == nil {
				for k, id := range ids {
					if !strings.HasPrefix(id, "arn:") {
						ids[k] = ns + id
					}
				}
				b, _ := json.Marshal(ids)
				p.Value = string(b)
			}
		}
		out = append(out, p)
	}
	for k, p := range out {
		var err error
		out[k].Value = placeholder.ReplaceAllStringFunc(p.Value, func(m string) string {
			parts := placeholder.FindStringSubmatch(m)
			switch parts[1] {
			case "demo-rotation-arn":
				return r.demoRotationARN()
			case "arn":
				arn, e := r.secretARN(ctx, ns+parts[2])
				if e != nil && err == nil {
					err = e
				}
				return arn
			case "key":
				id, e := r.keyID(ctx, lessonID, parts[2])
				if e != nil && err == nil {
					err = e
				}
				return id
			case "stage":
				id, e := r.versionWithStage(ctx, secret, parts[2])
				if e != nil && err == nil {
					err = e
				}
				return id
			}
			if err == nil {
				err = fmt.Errorf("unknown placeholder %s", m)
			}
			return m
		})
		if err != nil {
			return nil, secret, err
		}
		if p.Name == "SecretId" && out[k].Value != p.Value {
			secret = out[k].Value
		}
	}
	return out, secret, nil
}

// secretARN resolves {{arn NAME}}: the full ARN of one of the lesson's
// secrets, which a caller from another account must use.
func (r *Runner) secretARN(ctx context.Context, name string) (string, error) {
	out, err := r.client.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: sdkaws.String(name)})
	if err != nil {
		return "", err
	}
	return sdkaws.ToString(out.ARN), nil
}

func (r *Runner) versionWithStage(ctx context.Context, secret, stage string) (string, error) {
	if secret == "" {
		return "", errors.New("{{stage}} needs the action's SecretId")
	}
	out, err := r.client.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: sdkaws.String(secret)})
	if err != nil {
		return "", err
	}
	for id, stages := range out.VersionIdsToStages {
		for _, s := range stages {
			if s == stage {
				return id, nil
			}
		}
	}
	return "", fmt.Errorf("no version of %s carries the label %s", secret, stage)
}

func (r *Runner) demoRotationARN() string {
	region := r.target.Region
	if region == "" {
		region = aws.DefaultRegion
	}
	return "arn:aws:lambda:" + region + ":123456789012:function:secretlings-demo-rotation"
}
