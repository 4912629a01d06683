package checker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/smithy-go"

	"secretlings/aws"
	"secretlings/aws/emulator"
)

// The access exercises (least-privilege, who-read-it) are graded by what
// each of the tutorial's principals may do: the checker signs requests
// with every cast member's own keys, straight to the backend, and reads
// the verdict. Only a backend that enforces policies (the embedded one and
// `secretlings serve`) can grade them; enforcementCheck says so first.

const (
	enforces       = "the backend enforces access policies"
	rootManages    = "the account root can still manage the secret"
	needsEnforcing = "this exercise needs a backend that enforces access policies: the embedded one (run secretlings without --endpoint) or `secretlings serve` (with --enforce-iam left on)"
)

// rootARN is the main account's root, which the checker's own keys are.
var rootARN = "arn:aws:iam::" + emulator.DefaultAccountID + ":root"

// castName is how a cast member is written in verdicts: "role/app".
func castName(m emulator.CastMember) string {
	if i := strings.LastIndex(m.ARN, ":"); i >= 0 {
		return m.ARN[i+1:]
	}
	return m.Name
}

// castMember returns the cast member called name; the cast is fixed, so a
// missing one is a bug of the checker.
func castMember(name string) emulator.CastMember {
	m, ok := emulator.CastMemberNamed(name)
	if !ok {
		panic("checker: the emulator's cast has no " + name)
	}
	return m
}

// clientAs is a Secrets Manager client that signs with m's keys and talks
// straight to the backend (not through the recording proxy: a probe is the
// checker's traffic, not the learner's).
func (r *run) clientAs(m emulator.CastMember) *secretsmanager.Client {
	b := r.c.Backend
	return secretsmanager.New(secretsmanager.Options{
		Region:       b.Region,
		BaseEndpoint: endpointOrNil(b.Endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider(m.AccessKeyID, m.SecretAccessKey, ""),
		Retryer:      aws.LocalRetryer(),
		HTTPClient:   accessHTTP,
	})
}

// accessHTTP is the transport of the access exercises' probes (some fifty
// a grading): one, with kept-alive connections, not one per client; the
// exercises grade only on local backends.
var accessHTTP = aws.LocalHTTPClient()

func endpointOrNil(url string) *string {
	if url == "" {
		return nil
	}
	return awssdk.String(url)
}

func errorCode(err error) string {
	var api smithy.APIError
	if errors.As(err, &api) {
		return api.ErrorCode()
	}
	return ""
}

func isAccessDenied(err error) bool { return errorCode(err) == "AccessDeniedException" }

// enforcementCheck asks user/intern, whose identity policy allows nothing,
// to list secrets: a backend that enforces policies refuses it. moto and
// LocalStack answer it (they store policies without enforcing them), and
// AWS does not know the tutorial's keys.
func (r *run) enforcementCheck(ctx context.Context) bool {
	intern := castMember("intern")
	_, err := r.clientAs(intern).ListSecrets(ctx, &secretsmanager.ListSecretsInput{MaxResults: awssdk.Int32(1)})
	var why string
	switch {
	case isAccessDenied(err):
	case err == nil:
		why = "the backend let " + castName(intern) + " list secrets, which nothing allows it: it does not enforce access policies (moto and LocalStack store policies but never apply them), so no verdict here would mean anything; " + needsEnforcing
	default:
		why = "the backend does not know the tutorial's principals (" + castName(intern) + "'s request failed: " + explain(err) + "): they exist only in secretlings' own backend; " + needsEnforcing
	}
	return r.check(enforces, 0, why)
}

// policyOf reads a secret's resource policy as the root; "" when it has none.
func (r *run) policyOf(ctx context.Context, id string) (string, error) {
	out, err := r.client.GetResourcePolicy(ctx, &secretsmanager.GetResourcePolicyInput{SecretId: awssdk.String(id)})
	if err != nil {
		return "", err
	}
	return awssdk.ToString(out.ResourcePolicy), nil
}

// putPolicy applies doc to the secret as the root, as a learner would with
// put-resource-policy (BlockPublicPolicy off, so a public policy lands and
// its check can fail).
func (r *run) putPolicy(ctx context.Context, id, doc string) error {
	_, err := r.client.PutResourcePolicy(ctx, &secretsmanager.PutResourcePolicyInput{
		SecretId: awssdk.String(id), ResourcePolicy: awssdk.String(doc), BlockPublicPolicy: awssdk.Bool(false),
	})
	return err
}

// validation asks the backend's ValidateResourcePolicy about the policy
// on the secret: the check names it reports (public policy, lockout) with
// their messages. A backend that cannot validate reports nothing.
func (r *run) validation(ctx context.Context, arn, doc string) map[string]string {
	out, err := r.client.ValidateResourcePolicy(ctx, &secretsmanager.ValidateResourcePolicyInput{
		SecretId: awssdk.String(arn), ResourcePolicy: awssdk.String(doc),
	})
	found := map[string]string{}
	if err != nil || out == nil {
		return found
	}
	for _, e := range out.ValidationErrors {
		found[strings.ToUpper(awssdk.ToString(e.CheckName))] = awssdk.ToString(e.ErrorMessage)
	}
	return found
}

// lockoutFinding is ValidateResourcePolicy's finding that a policy would
// lock the account out, if it reported one.
func lockoutFinding(found map[string]string) (string, bool) {
	for name, msg := range found {
		if strings.Contains(name, "LOCK") {
			return msg, true
		}
	}
	return "", false
}

// publicFinding is ValidateResourcePolicy's finding of broad access.
func publicFinding(found map[string]string) (string, bool) {
	for name, msg := range found {
		if strings.Contains(name, "PUBLIC") || strings.Contains(name, "BROAD") {
			return msg, true
		}
	}
	return "", false
}

// rootCheck judges whether the account root could still repair the
// secret's policy. The embedded backend lets its own root do everything,
// as before the cast existed, so probing alone would pass any policy; its
// ValidateResourcePolicy, with the evaluator requests use, reports a
// policy whose Deny takes in the root (as AWS's does). A backend that
// applies such a Deny to the root shows it in the probes as well.
func (r *run) rootCheck(ctx context.Context, arn, doc string, found map[string]string, hint int) bool {
	var refused []string
	if _, err := r.client.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: awssdk.String(arn)}); isAccessDenied(err) {
		refused = append(refused, "DescribeSecret")
	}
	if _, err := r.policyOf(ctx, arn); isAccessDenied(err) {
		refused = append(refused, "GetResourcePolicy")
	}
	if doc != "" {
		if err := r.putPolicy(ctx, arn, doc); isAccessDenied(err) {
			refused = append(refused, "PutResourcePolicy")
		}
	}
	fix := "a Deny for everyone but a few principals (NotPrincipal, or Principal \"*\") takes in the account root (" + rootARN + ") too, and then nobody can repair the policy; deny only the principals you mean, or list the root in NotPrincipal"
	why := ""
	if msg, locked := lockoutFinding(found); locked {
		why = "ValidateResourcePolicy says: " + msg + " (" + fix + ")"
	} else if len(refused) > 0 {
		why = "the account root was refused " + strings.Join(refused, ", ") + ": " + fix
	}
	return r.check(rootManages, hint, why)
}

// exerciseFiles are the files of ex the grading reads: the learner's from
// the exercise folder, or the pristine stubs or the reference solution
// (with a test's substitutes over them). A learner file that is missing is
// absent from the map.
func (r *run) exerciseFiles() (map[string][]byte, error) {
	files := map[string][]byte{}
	for _, f := range r.ex.Files {
		var data []byte
		var err error
		switch r.c.Source {
		case Learner:
			data, err = os.ReadFile(filepath.Join(r.c.Root, r.ex.Dir(), f))
			if errors.Is(err, os.ErrNotExist) {
				continue
			}
		case Stub:
			data, err = pristineFile(r.ex, f)
		case Solution:
			data, err = embedded.ReadFile(filepath.ToSlash(filepath.Join("solutions", r.ex.ID, f+".txt")))
		}
		if err != nil {
			return nil, fmt.Errorf("reading %s of exercise %s: %w", f, r.ex.ID, err)
		}
		files[f] = data
	}
	if r.c.Source != Learner {
		for f, data := range r.c.replace {
			files[f] = data
		}
	}
	return files, nil
}

// policyStatements parses a policy document's statements (one object or a
// list).
func policyStatements(doc string) ([]map[string]any, error) {
	var p struct {
		Statement json.RawMessage
	}
	if err := json.Unmarshal([]byte(doc), &p); err != nil {
		return nil, err
	}
	var list []map[string]any
	if err := json.Unmarshal(p.Statement, &list); err == nil {
		return list, nil
	}
	var one map[string]any
	if err := json.Unmarshal(p.Statement, &one); err != nil {
		return nil, fmt.Errorf("Statement is neither an object nor a list of them")
	}
	return []map[string]any{one}, nil
}

// publicStatement returns the first Allow statement that grants everyone:
// "Principal": "*" (or {"AWS": "*"}) or a NotPrincipal, without a condition
// on who the caller is. It names the statement by its Sid or position.
func publicStatement(doc string) (string, bool) {
	stmts, err := policyStatements(doc)
	if err != nil {
		return "", false
	}
	for i, s := range stmts {
		if s["Effect"] != "Allow" {
			continue
		}
		_, notPrincipal := s["NotPrincipal"]
		if !notPrincipal && !anyoneIn(s["Principal"]) {
			continue
		}
		if narrowsCaller(s["Condition"]) {
			continue
		}
		if sid, _ := s["Sid"].(string); sid != "" {
			return fmt.Sprintf("statement %q", sid), true
		}
		return fmt.Sprintf("statement %d", i+1), true
	}
	return "", false
}

// anyoneIn reports whether a Principal element names everyone.
func anyoneIn(p any) bool {
	switch p := p.(type) {
	case string:
		return p == "*"
	case map[string]any:
		for _, v := range p {
			if anyoneIn(v) {
				return true
			}
		}
	case []any:
		for _, v := range p {
			if anyoneIn(v) {
				return true
			}
		}
	}
	return false
}

// narrowsCaller reports whether a Condition element limits who the caller
// is (its principal, account, organization or tags, or where the call
// comes from).
func narrowsCaller(cond any) bool {
	ops, _ := cond.(map[string]any)
	for _, keys := range ops {
		kv, _ := keys.(map[string]any)
		for k := range kv {
			k = strings.ToLower(k)
			if strings.HasPrefix(k, "aws:principal") || strings.HasPrefix(k, "aws:source") {
				return true
			}
		}
	}
	return false
}

// sharedKey creates the customer managed KMS key the access exercises'
// secrets are encrypted with, and returns its ARN. Another account can
// never read a secret under the aws/secretsmanager key, so with it the
// partner's verdicts would say nothing of the learner's policy; this key's
// policy lets every principal of both accounts use it through Secrets
// Manager, as AWS's own managed key does within one account, and leaves
// the decision to the secret's resource policy. (Nothing is seeded on AWS,
// where the cast does not exist.)
func (r *run) sharedKey(ctx context.Context) (string, error) {
	b := r.c.Backend
	c := kms.New(kms.Options{Region: b.Region, BaseEndpoint: endpointOrNil(b.Endpoint), Credentials: b.Client.Options().Credentials, RetryMaxAttempts: 1})
	policy := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[`+
		`{"Sid":"RootManagesTheKey","Effect":"Allow","Principal":{"AWS":%q},"Action":"kms:*","Resource":"*"},`+
		`{"Sid":"UseThroughSecretsManager","Effect":"Allow","Principal":{"AWS":"*"},"Action":["kms:Decrypt","kms:GenerateDataKey","kms:DescribeKey"],"Resource":"*",`+
		`"Condition":{"StringEquals":{"kms:ViaService":"secretsmanager.%s.amazonaws.com","kms:CallerAccount":[%q,%q]}}}]}`,
		rootARN, b.Region, emulator.DefaultAccountID, emulator.OtherAccountID)
	out, err := c.CreateKey(ctx, &kms.CreateKeyInput{
		Description: awssdk.String("secretlings " + r.ex.ID + " exercise (" + r.ns + ")"), Policy: awssdk.String(policy),
	})
	if err != nil {
		return "", fmt.Errorf("creating the exercise's KMS key: %s", explain(err))
	}
	return awssdk.ToString(out.KeyMetadata.Arn), nil
}
