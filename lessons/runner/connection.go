package runner

import (
	"cmp"
	"context"
	"fmt"
	"os"

	"secretlings/aws"
)

// showConnection is the ShowConnection demo: where this session's endpoint,
// region and credentials came from, then what a program started from the
// same shell, with no endpoint in its code, would use. It only reads
// configuration, so it runs alike on every backend; access key ids are
// masked and secret keys never shown.
func (r *Runner) showConnection(ctx context.Context, res *Result) {
	session := r.conn.Describe(ctx)
	res.Lines = append(res.Lines, "this session (secretlings, backend "+string(r.target.Backend)+")")
	res.Lines = append(res.Lines, connectionLines(session)...)
	if session.Note != "" {
		res.Lines = append(res.Lines, "  "+session.Note)
	}
	shell := aws.DescribeEnvironment(ctx, os.Getenv)
	res.Lines = append(res.Lines, "", "a program you start from this shell, with no endpoint in its code")
	res.Lines = append(res.Lines, connectionLines(shell)...)
	if shell.Endpoint.Source == "" || shell.Endpoint.Source == "nothing configured: AWS's regional endpoint" {
		res.Notes = append(res.Notes, "Nothing in this shell sends a program to an emulator: run `secretlings serve` in another terminal and export AWS_ENDPOINT_URL=http://127.0.0.1:4566 AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test, or set endpoint_url in a profile.")
	}
	res.Notes = append(res.Notes, "Access key ids show their first 4 characters (AKIA: long-term, ASIA: temporary); a secret access key is never shown.")
	res.CLI, res.Python = connectionCLI, connectionPython
}

// connectionLines lays one connection out as a small table: part, value,
// and where it came from.
func connectionLines(c aws.Connection) []string {
	row := func(part string, o aws.Origin) string {
		return fmt.Sprintf("  %-12s %-26s ← %s", part, cmp.Or(o.Value, "(none)"), cmp.Or(o.Source, "nothing configured"))
	}
	return []string{row("endpoint", c.Endpoint), row("region", c.Region), row("credentials", c.Credentials)}
}

// connectionSnippet is the Go behind the demo: what a program can ask its
// own configuration.
const connectionSnippet = `cfg, err := config.LoadDefaultConfig(ctx) // AWS_REGION, AWS_PROFILE, ~/.aws/config, credentials
if err != nil {
	return err
}
creds, err := cfg.Credentials.Retrieve(ctx)
if err != nil {
	return err // no provider in the chain found credentials
}
// Source names the provider: EnvConfigCredentials, SharedConfigCredentials, …
fmt.Println(cfg.Region, creds.Source, creds.AccessKeyID[:4]+"…") // never creds.SecretAccessKey
// cfg.BaseEndpoint holds AWS_ENDPOINT_URL or the profile's endpoint_url;
// NewFromConfig also reads AWS_ENDPOINT_URL_SECRETS_MANAGER and the
// profile's services section, unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true.
client := secretsmanager.NewFromConfig(cfg)`

// connectionCLI asks the aws CLI the same: each setting, masked, with its
// type (env, config-file, shared-credentials-file) and where it was found.
const connectionCLI = "aws configure list"

// connectionPython asks boto3 the same; creds.method names the provider
// ("env", "shared-credentials-file", …).
const connectionPython = `import boto3

session = boto3.Session()
creds = session.get_credentials()
print(session.region_name, creds.method, creds.access_key[:4] + "…")  # never creds.secret_key
print(session.client("secretsmanager").meta.endpoint_url)`
