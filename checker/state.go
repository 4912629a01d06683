package checker

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// randHex returns n random bytes in hex.
func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func randInt(max int64) int64 {
	n, _ := rand.Int(rand.Reader, big.NewInt(max))
	return n.Int64()
}

// tokenFor derives a stable version id (a UUID-shaped string) from the
// namespace, so a state exercise's seeded versions are known to the grader
// across runs without storing them.
func tokenFor(ns, what string) string {
	h := sha256.Sum256([]byte(ns + "\x00" + what))
	s := hex.EncodeToString(h[:16])
	return s[0:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:32]
}

func isNotFound(err error) bool {
	var nf *types.ResourceNotFoundException
	return errors.As(err, &nf)
}

// describe reads a secret's metadata; found is false when it does not exist
// or is scheduled for deletion.
func (r *run) describe(ctx context.Context, name string) (out *secretsmanager.DescribeSecretOutput, found bool) {
	out, err := r.client.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: awssdk.String(name)})
	switch {
	case isNotFound(err):
		return nil, false
	case err != nil:
		r.fatal = fmt.Errorf("reading %s: %s", name, explain(err))
		return nil, false
	}
	return out, out.DeletedDate == nil
}

// value reads a secret's value by stage (when id is empty) or version id.
func (r *run) value(ctx context.Context, name, stage, id string) (string, error) {
	in := &secretsmanager.GetSecretValueInput{SecretId: awssdk.String(name)}
	if id != "" {
		in.VersionId = awssdk.String(id)
	} else {
		in.VersionStage = awssdk.String(stage)
	}
	out, err := r.client.GetSecretValue(ctx, in)
	if err != nil {
		return "", err
	}
	v := awssdk.ToString(out.SecretString)
	r.known.Add(v)
	return v, nil
}

// versions lists every version of a secret, deprecated ones included.
func (r *run) versions(ctx context.Context, name string) ([]types.SecretVersionsListEntry, error) {
	var all []types.SecretVersionsListEntry
	p := secretsmanager.NewListSecretVersionIdsPaginator(r.client, &secretsmanager.ListSecretVersionIdsInput{
		SecretId: awssdk.String(name), IncludeDeprecated: awssdk.Bool(true),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		all = append(all, page.Versions...)
	}
	return all, nil
}

// create seeds a secret, recording it for cleanup.
func (r *run) create(ctx context.Context, suffix, value, token string) (string, error) {
	in := createInput(r.ns+suffix, value)
	if token != "" {
		in.ClientRequestToken = awssdk.String(token)
	}
	return r.createFrom(ctx, suffix, in)
}

// createWithKey seeds a secret encrypted with the KMS key keyID (the
// default key when empty).
func (r *run) createWithKey(ctx context.Context, suffix, value, keyID string) (string, error) {
	in := createInput(r.ns+suffix, value)
	if keyID != "" {
		in.KmsKeyId = awssdk.String(keyID)
	}
	return r.createFrom(ctx, suffix, in)
}

func (r *run) createFrom(ctx context.Context, suffix string, in *secretsmanager.CreateSecretInput) (string, error) {
	name := r.seedName(suffix)
	value := awssdk.ToString(in.SecretString)
	r.known.Add(value)
	out, err := r.client.CreateSecret(ctx, in)
	if err != nil {
		return "", fmt.Errorf("seeding %s: %s", name, explain(err))
	}
	if r.arns == nil {
		r.arns = map[string]string{}
	}
	r.arns[awssdk.ToString(out.ARN)] = name
	return name, nil
}

// requests returns the learner's recorded requests with each SecretID
// resolved as Secrets Manager resolves it: a seeded secret's full or
// partial ARN (without the random suffix) counts as its name.
func (r *run) requests() []Request {
	reqs := r.proxy.Requests()
	for i := range reqs {
		reqs[i].SecretID = r.resolve(reqs[i].SecretID)
	}
	return reqs
}

func (r *run) resolve(id string) string {
	if name, ok := r.arns[id]; ok {
		return name
	}
	if !strings.HasPrefix(id, "arn:") {
		return id
	}
	for arn, name := range r.arns {
		if partial, ok := strings.CutSuffix(arn, "-"+arn[max(len(arn)-6, 0):]); ok && partial == id {
			return name
		}
	}
	return id
}

func (r *run) put(ctx context.Context, name, value, token string) error {
	in := &secretsmanager.PutSecretValueInput{SecretId: awssdk.String(name), SecretString: awssdk.String(value)}
	if token != "" {
		in.ClientRequestToken = awssdk.String(token)
	}
	r.known.Add(value)
	_, err := r.client.PutSecretValue(ctx, in)
	if err != nil {
		return fmt.Errorf("changing %s: %s", name, explain(err))
	}
	return nil
}

// runSolution runs a state exercise's reference solution (Source Solution).
func (r *run) runSolution(ctx context.Context) bool {
	if r.c.Source != Solution {
		return true
	}
	p := r.exec(ctx, nil, nil)
	return r.check("the reference solution runs", 0, failIf(p.Code != 0, p.summary(r.known)))
}

func failIf(cond bool, reason string) string {
	if cond {
		return reason
	}
	return ""
}

func stagesOf(d *secretsmanager.DescribeSecretOutput, id string) []string {
	if d == nil {
		return nil
	}
	return d.VersionIdsToStages[id]
}

func versionWith(d *secretsmanager.DescribeSecretOutput, stage string) string {
	if d == nil {
		return ""
	}
	for id, st := range d.VersionIdsToStages {
		if slices.Contains(st, stage) {
			return id
		}
	}
	return ""
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// describeOrFail reads a secret's metadata; unlike describe, a missing
// secret is fatal too, since the rotation grader only reads what it seeded.
func (r *run) describeOrFail(ctx context.Context, name string) *secretsmanager.DescribeSecretOutput {
	out, err := r.client.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: awssdk.String(name)})
	if err != nil {
		r.fatal = fmt.Errorf("reading %s: %s", name, explain(err))
		return nil
	}
	return out
}

// learnValues reads every version of the secret, so its values (the
// pending key of a failed rotation too) are masked wherever the learner's
// program printed them.
func (r *run) learnValues(ctx context.Context, d *secretsmanager.DescribeSecretOutput) {
	for id := range d.VersionIdsToStages {
		_, _ = r.value(ctx, awssdk.ToString(d.Name), "", id)
	}
}

// createInput is a CreateSecret of value under name.
func createInput(name, value string) *secretsmanager.CreateSecretInput {
	return &secretsmanager.CreateSecretInput{Name: awssdk.String(name), SecretString: awssdk.String(value)}
}
