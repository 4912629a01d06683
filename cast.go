package main

import (
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"secretlings/aws/emulator"
	"secretlings/lessons/runner"
)

const castHelp = `Usage: secretlings cast [--credentials]

Lists the tutorial's cast: the principals the embedded emulator and
secretlings serve know, with their fixed keys and what their policies let
them do. The keys are published on purpose: they mean something only inside
the emulator.

  --credentials   print them as ~/.aws/credentials sections instead, one
                  profile per member (secretlings-app, …), for the lessons'
                  snippets and your own code:

                    secretlings cast --credentials >> ~/.aws/credentials
`

func runCast(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("secretlings cast", flag.ContinueOnError)
	creds := fs.Bool("credentials", false, "")
	if code := parseFlags(fs, args, castHelp, stdout, stderr); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "secretlings cast: unexpected argument %q\n\n%s", fs.Arg(0), castHelp)
		return 2
	}
	if *creds {
		fmt.Fprint(stdout, runner.CredentialsFile())
		return 0
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PROFILE\tACCESS KEY ID\tSECRET ACCESS KEY\tWHO")
	for _, m := range emulator.Cast() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", runner.Profile(m.Name), m.AccessKeyID, m.SecretAccessKey, m.Description)
	}
	tw.Flush()
	fmt.Fprintln(stdout, "\nAny other key (test/test) is the root of its account. Add the profiles with:\n  secretlings cast --credentials >> ~/.aws/credentials")
	return 0
}
