package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"secretlings/aws"
	"secretlings/lessons/runner"
)

const cleanupUsage = `Usage: secretlings cleanup [--yes] [--backend B] [--endpoint-url URL] [--region R] [--profile P]

Force-deletes every secret the tutorial created: everything whose name starts
with secretlings/ (secrets scheduled for deletion included), and nothing else.
There is no recovery window, so it lists the secrets and asks first, unless
--yes is given. The embedded backend starts empty on every run, so cleanup is
for LocalStack, other endpoints and real AWS.
`

// runCleanup is `secretlings cleanup`.
func runCleanup(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var f aws.Flags
	fs := flag.NewFlagSet("secretlings cleanup", flag.ContinueOnError)
	addBackendFlags(fs, &f)
	yes := fs.Bool("yes", false, "")
	if code := parseFlags(fs, args, cleanupUsage, stdout, stderr); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "secretlings cleanup: unexpected argument %q\n\n%s", fs.Arg(0), cleanupUsage)
		return 2
	}
	target, err := aws.Resolve(f, os.Getenv)
	if err != nil {
		fmt.Fprintf(stderr, "secretlings cleanup: %v\n", err)
		return 2
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	conn, err := aws.Connect(ctx, target)
	if err != nil {
		fmt.Fprintf(stderr, "secretlings cleanup: %v\n", err)
		return 1
	}
	defer conn.Close()
	where := fmt.Sprintf("%s (%s, %s)", conn.Target.Backend, conn.Target.Endpoint, conn.Target.Region)
	names, err := aws.ListNames(ctx, conn.Client, runner.Prefix)
	if err != nil {
		fmt.Fprintf(stderr, "secretlings cleanup: listing secrets on %s: %s\n", where, aws.Explain(err, conn.Target))
		return 1
	}
	if len(names) == 0 {
		fmt.Fprintf(stdout, "No tutorial secrets (%s*) on %s.\n", runner.Prefix, where)
		return 0
	}
	fmt.Fprintf(stdout, "Tutorial secrets on %s:\n", where)
	for _, n := range names {
		fmt.Fprintf(stdout, "  %s\n", n)
	}
	if !*yes {
		fmt.Fprintf(stdout, "Force-delete these %d secrets, with no recovery window? [y/N] ", len(names))
		answer, _ := bufio.NewReader(stdin).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
			fmt.Fprintln(stdout, "Nothing deleted.")
			return 1
		}
	}
	deleted, err := runner.New(conn).Cleanup(ctx)
	fmt.Fprintf(stdout, "Deleted %d secrets.\n", len(deleted))
	if err != nil {
		fmt.Fprintf(stderr, "secretlings cleanup: %s\n", aws.Explain(err, conn.Target))
		return 1
	}
	return 0
}
