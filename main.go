// Command secretlings is an interactive terminal tutorial for AWS Secrets
// Manager. With no arguments it opens the tutorial; its subcommands serve the
// embedded Secrets Manager, run the example programs, grade and reset the
// exercises, and clean up what the tutorial created.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	// termbg must initialise before bubbletea, which would otherwise query
	// the terminal's background colour at init; see its package doc.
	"early.secretlings/termbg"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"secretlings/aws"
	"secretlings/internal/progress"
	"secretlings/internal/pyenv"
	"secretlings/lessons"
	"secretlings/ui"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

var usage = `secretlings: learn AWS Secrets Manager by doing.

Usage:
  secretlings [flags]              open the tutorial
  secretlings serve [flags]        run the embedded Secrets Manager alone (secretlings serve --help)
  secretlings example N            run example program N (1 to 4) of the lessons
  secretlings check [EXERCISE…]    grade exercises (--json, --solutions, --lang python); exit 0 when all pass
  secretlings run EXERCISE         run your program by hand, seeded as for a grading (secretlings run --help)
  secretlings reset EXERCISE       put an exercise back as it was, files and secrets
  secretlings watch [EXERCISE]     grade an exercise on every save, without the TUI
  secretlings cleanup [--yes]      force-delete every secret the tutorial created on a backend
  secretlings cast [--credentials] the emulator's principals and their keys (as profiles)
  secretlings version              print the version
  secretlings help                 show this help

Flags:
  --backend NAME       embedded (default), localstack, endpoint or aws
  --endpoint-url URL   Secrets Manager endpoint for --backend endpoint (default, as the
                       aws CLI: $AWS_ENDPOINT_URL_SECRETS_MANAGER, $AWS_ENDPOINT_URL, the
                       profile's services section, its endpoint_url; all but the flag
                       ignored with AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true). The status
                       bar says which one was used.
  --region REGION      AWS region (default: $AWS_REGION, the profile's region, else us-east-1)
  --profile NAME       shared config profile (default: $AWS_PROFILE)
  --state-dir DIR      where progress is kept (default: $SECRETLINGS_STATE_DIR,
                       else secretlings/ in the user config directory)
  --read-only          browse secrets without any key that changes them
` + wrapFlag("--lang go|python", "the language of the code exercises (default: "+langDefault+"; the app asks once, and L changes it)") +
	wrapFlag("--python PATH", "the Python 3.9+ interpreter with boto3 (default: $"+pyenv.EnvVar+", else python3 on PATH)") + `  --version            print the version
  -h, --help           show this help

Keys in the tutorial: ? help, enter open, n/p next and previous step,
esc back, q or ctrl+c quit. NO_COLOR=1 turns colour off.
`

// globalFlags are the flags of the root command.
type globalFlags struct {
	backend  aws.Flags
	stateDir string
	readOnly bool
	version  bool
	lang     langFlags
}

func (g *globalFlags) register(fs *flag.FlagSet) {
	addBackendFlags(fs, &g.backend)
	g.lang.register(fs)
	fs.StringVar(&g.stateDir, "state-dir", "", "")
	fs.BoolVar(&g.readOnly, "read-only", false, "")
	fs.BoolVar(&g.version, "version", false, "")
}

// addBackendFlags registers the flags that pick a backend, which every
// command that talks to Secrets Manager takes.
func addBackendFlags(fs *flag.FlagSet, f *aws.Flags) {
	fs.StringVar(&f.Backend, "backend", "", "")
	fs.StringVar(&f.EndpointURL, "endpoint-url", "", "")
	fs.StringVar(&f.Region, "region", "", "")
	fs.StringVar(&f.Profile, "profile", "", "")
}

// parseFlags parses args with fs, printing help to stdout for --help and a
// one-line error with the usage to stderr for a bad flag. It returns a
// non-negative exit code when the program should stop.
func parseFlags(fs *flag.FlagSet, args []string, help string, stdout, stderr io.Writer) int {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, help)
		return 0
	case err != nil:
		fmt.Fprintf(stderr, "%s: %v\n\n%s", fs.Name(), err, help)
		return 2
	}
	return -1
}

// parseInterspersed is parseFlags for commands whose flags may come before
// or after their arguments (secretlings check --json config-manager); it
// returns the arguments.
func parseInterspersed(fs *flag.FlagSet, args []string, help string, stdout, stderr io.Writer) (positional []string, code int) {
	for rest := args; ; {
		if code := parseFlags(fs, rest, help, stdout, stderr); code >= 0 {
			return nil, code
		}
		if fs.NArg() == 0 {
			return positional, -1
		}
		positional = append(positional, fs.Arg(0))
		rest = fs.Args()[1:]
	}
}

func run(args []string, stdout, stderr io.Writer) int {
	var g globalFlags
	fs := flag.NewFlagSet("secretlings", flag.ContinueOnError)
	g.register(fs)
	if code := parseFlags(fs, args, usage, stdout, stderr); code >= 0 {
		return code
	}
	if g.version {
		fmt.Fprintln(stdout, "secretlings", buildVersion())
		return 0
	}
	rest := fs.Args()
	if len(rest) == 0 {
		return runTUI(g, stderr)
	}
	switch cmd, cmdArgs := rest[0], rest[1:]; cmd {
	case "serve":
		return runServe(cmdArgs, stdout, stderr)
	case "example":
		return runExample(cmdArgs, stdout, stderr)
	case "cleanup":
		return runCleanup(cmdArgs, os.Stdin, stdout, stderr)
	case "check":
		return runCheck(cmdArgs, stdout, stderr)
	case "reset":
		return runReset(cmdArgs, os.Stdin, stdout, stderr)
	case "watch":
		return runWatch(cmdArgs, stdout, stderr)
	case "run":
		return runRun(cmdArgs, os.Stdin, stdout, stderr)
	case "cast":
		return runCast(cmdArgs, stdout, stderr)
	case "version":
		vfs := flag.NewFlagSet("secretlings version", flag.ContinueOnError)
		if code := parseFlags(vfs, cmdArgs, "Usage: secretlings version\n\nPrints the version of secretlings.\n", stdout, stderr); code >= 0 {
			return code
		}
		fmt.Fprintln(stdout, "secretlings", buildVersion())
		return 0
	case "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		if s := suggest(cmd, commands); s != "" {
			fmt.Fprintf(stderr, "secretlings: unknown command %q: did you mean %q?\n\n%s", cmd, s, usage)
			return 2
		}
		fmt.Fprintf(stderr, "secretlings: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
}

// commands are the subcommands, for suggestions after a typo.
var commands = []string{"serve", "example", "check", "run", "reset", "watch", "cleanup", "cast", "version", "help"}

// suggest returns the command within two edits of typed ("exmaple" →
// "example"), or "" when none is that close.
func suggest(typed string, commands []string) string {
	best, bestDist := "", 3
	for _, c := range commands {
		if d := editDistance(typed, c); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the Damerau–Levenshtein distance (optimal string
// alignment): a swap of two neighbours, the commonest typo, counts as one.
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

func runTUI(g globalFlags, stderr io.Writer) int {
	target, err := aws.Resolve(g.backend, os.Getenv)
	if err != nil {
		fmt.Fprintf(stderr, "secretlings: %v\n", err)
		return 2
	}
	all, err := lessons.All()
	if err != nil {
		fmt.Fprintf(stderr, "secretlings: a lesson is malformed: %v\n", err)
		return 1
	}
	dir, err := progress.Dir(g.stateDir, os.Getenv)
	if err != nil {
		fmt.Fprintf(stderr, "secretlings: %v\n", err)
		return 1
	}
	store := progress.NewStore(dir)
	prog, notice, err := store.Load()
	if err != nil {
		fmt.Fprintf(stderr, "secretlings: %v\n", err)
		return 1
	}

	ctx := context.Background()
	backend := ui.Backend{Target: target}
	conn, err := aws.Connect(ctx, target)
	switch {
	case err == nil:
		defer conn.Close()
		backend.Target, backend.Conn, backend.Ping = conn.Target, conn, conn.Ping
		if target.Backend != aws.AWS {
			backend.PingEvery = 15 * time.Second // real AWS is checked once: calls cost money
		}
	case target.Backend == aws.AWS:
		fmt.Fprintf(stderr, "secretlings: %v\n", err)
		return 1
	default:
		// The lessons can still be read; the status bar says what is wrong.
		backend.Err = err
	}

	style := "dark"
	if os.Getenv("NO_COLOR") != "" || lipgloss.ColorProfile() == termenv.Ascii {
		lipgloss.SetColorProfile(termenv.Ascii)
		style = "notty"
	} else if !termbg.Dark {
		style = "light"
	}

	lang, err := g.lang.chosen()
	if err != nil {
		fmt.Fprintf(stderr, "secretlings: %v\n", err)
		return 2
	}
	model := ui.New(ui.Options{
		Lang: lang,
		// Found after the first frame: the probe starts Python.
		FindPython:    func() (*pyenv.Python, error) { return pyenv.Find(g.lang.python, os.Getenv) },
		Lessons:       all,
		Progress:      prog,
		Save:          store.Save,
		Notice:        notice,
		Backend:       backend,
		MarkdownStyle: style,
		ReadOnly:      g.readOnly,
	})
	if _, err := tea.NewProgram(model, tea.WithAltScreen(), tea.WithReportFocus()).Run(); err != nil {
		fmt.Fprintf(stderr, "secretlings: %v\n", err)
		return 1
	}
	return 0
}
