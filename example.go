package main

// `secretlings example N` builds the example program of lesson N from its
// source in lessons/, picks a backend, and runs the program against it with
// the endpoint, region, credentials and a fresh name prefix in its
// environment, the way the checker runs a learner's program.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"secretlings/aws"
	"secretlings/aws/emulator"
	"secretlings/aws/rotation/demoservice"
	"secretlings/checker"
)

const exampleUsage = `Usage: secretlings example [flags] N

Builds and runs an example program (N is 1 to 4):
  1  store and retrieve: create, read, describe, list, missing and existing names
  2  JSON secrets and versions: new versions, stages, version ids, a label, a rollback
  3  rotation: a rotation function rotating a demo service's API keys
  4  develop locally (lesson 7): one program, no endpoint in its code, any backend

The program prints each step with secret values masked and deletes every
secret it created. Its secrets live under a fresh prefix,
secretlings/example-N/<random>/.

Backend: --backend or an endpoint (--endpoint-url, AWS_ENDPOINT_URL_SECRETS_MANAGER,
AWS_ENDPOINT_URL) when given; otherwise LocalStack if it answers on
http://localhost:4566, else the embedded emulator. The examples are built from
source, so the Go toolchain must be on PATH.

Flags:
  --backend NAME       embedded, localstack, endpoint or aws
  --endpoint-url URL   Secrets Manager endpoint for --backend endpoint
  --region REGION      AWS region (default: $AWS_REGION, else us-east-1)
  --profile NAME       shared config profile, for --backend aws
  -h, --help           show this help
`

// exampleDirs are the example packages, relative to the module root.
var exampleDirs = map[int]string{
	1: "lessons/01-store-and-retrieve/example",
	2: "lessons/02-json-and-versions/example",
	3: "lessons/03-rotation/example",
	// Lesson 7's: the examples are numbered in the order they were added.
	4: "lessons/07-develop-locally/example",
}

// exampleLambdaARN is the made-up Lambda ARN under which the embedded
// emulator invokes example 3's rotation function.
const exampleLambdaARN = "arn:aws:lambda:%s:123456789012:function:secretlings-example-3"

// runExample is `secretlings example`: it returns the example's exit status,
// 2 for bad usage and 1 when the backend or the build fails.
func runExample(args []string, stdout, stderr io.Writer) int {
	var f aws.Flags
	fs := flag.NewFlagSet("secretlings example", flag.ContinueOnError)
	addBackendFlags(fs, &f)
	// Flags may come before or after N.
	positional, code := parseInterspersed(fs, args, exampleUsage, stdout, stderr)
	if code >= 0 {
		return code
	}
	if len(positional) != 1 {
		fmt.Fprintf(stderr, "secretlings example: give exactly one example number, 1 to %d\n\n%s", len(exampleDirs), exampleUsage)
		return 2
	}
	n, err := strconv.Atoi(positional[0])
	if _, ok := exampleDirs[n]; err != nil || !ok {
		fmt.Fprintf(stderr, "secretlings example: there is no example %q: choose 1 to %d\n\n%s", positional[0], len(exampleDirs), exampleUsage)
		return 2
	}

	f, note := pickExampleBackend(f, os.Getenv, func() (bool, string) { return localStackAnswers(aws.LocalStackURL) })
	target, err := aws.Resolve(f, os.Getenv)
	if err != nil {
		fmt.Fprintf(stderr, "secretlings example: %v\n", err)
		return 2
	}
	if note != "" {
		fmt.Fprintln(stdout, note)
	}

	// Ctrl-C reaches the example too (same process group), which then cleans
	// up; this process waits for it instead of dying first.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	defer signal.Stop(sig)
	ctx := context.Background()

	// A backend that is down fails before the build, which takes seconds.
	b, target, stopBackend, err := connectBackend(ctx, target)
	if err != nil {
		fmt.Fprintf(stderr, "secretlings example: %v\n", err)
		return 1
	}
	defer stopBackend()
	spec := exampleSpec{
		N: n, Prefix: newExamplePrefix(n), Profile: target.Profile, Local: b.Local,
		Endpoint: b.Endpoint, Region: b.Region, Emu: b.Emulator,
	}

	dir, err := os.MkdirTemp("", "secretlings-example-")
	if err != nil {
		fmt.Fprintf(stderr, "secretlings example: %v\n", err)
		return 1
	}
	defer os.RemoveAll(dir)
	fmt.Fprintf(stdout, "Building %s … ", exampleDirs[n])
	spec.Bin, err = buildExample(ctx, n, dir, stderr)
	if err != nil {
		fmt.Fprintln(stdout, "failed")
		fmt.Fprintf(stderr, "secretlings example: %v\n", err)
		return 1
	}
	fmt.Fprintln(stdout, "done")

	where := string(target.Backend)
	if spec.Endpoint != "" {
		where += " at " + spec.Endpoint
	}
	fmt.Fprintf(stdout, "Running example %d on %s (%s), names under %s\n\n", n, where, spec.Region, spec.Prefix)
	return runBuiltExample(ctx, spec, stdout, stderr)
}

// pickExampleBackend chooses LocalStack when the user named no backend and
// no endpoint and LocalStack answers; otherwise it leaves the choice to
// aws.Resolve (whose default is the embedded emulator). The note tells the
// user what was detected.
func pickExampleBackend(f aws.Flags, getenv aws.Getenv, localStack func() (bool, string)) (aws.Flags, string) {
	if f.Backend != "" || f.EndpointURL != "" || getenv("AWS_ENDPOINT_URL_SECRETS_MANAGER") != "" || getenv("AWS_ENDPOINT_URL") != "" {
		return f, ""
	}
	up, why := localStack()
	if up {
		f.Backend = string(aws.LocalStack)
		return f, "LocalStack answers on " + aws.LocalStackURL + ": using it (--backend embedded uses the built-in emulator instead)"
	}
	return f, why
}

// localStackAnswers probes LocalStack's health endpoint at base. A LocalStack
// without a working secretsmanager service does not count, and the reason
// says so.
func localStackAnswers(base string) (bool, string) {
	ctx, cancel := context.WithTimeout(context.Background(), 700*time.Millisecond)
	defer cancel()
	switch err := aws.LocalStackHealth(ctx, http.DefaultClient, base); {
	case err == nil:
		return true, ""
	case errors.Is(err, aws.ErrLocalStackDown):
		return false, "" // nothing there: the embedded emulator, silently
	case errors.Is(err, aws.ErrNotLocalStack):
		return false, "Something other than LocalStack answers on " + base + ": using the embedded emulator"
	default:
		return false, "LocalStack answers but its secretsmanager service is not available: using the embedded emulator"
	}
}

// exampleSpec is one run of a built example program.
type exampleSpec struct {
	N        int
	Bin      string // the built example program
	Endpoint string // empty for AWS's regional endpoint
	Region   string
	Profile  string // for AWS
	Local    bool   // dummy credentials instead of the user's own
	Prefix   string // SECRETLINGS_PREFIX
	// Emu is the embedded emulator, where example 3 registers its
	// rotation function; nil on other backends (example 3 then rotates
	// with rotation.Drive).
	Emu *emulator.Server
}

// runBuiltExample runs the example program with its environment, streams
// its output, and returns its exit status.
func runBuiltExample(ctx context.Context, spec exampleSpec, stdout, stderr io.Writer) int {
	// The example and (for example 3) its rotation function write at the
	// same time: serialise writes unless the writer is a file, which the
	// child processes then write to directly.
	stdout, stderr = lockWriter(stdout), lockWriter(stderr)
	extra := map[string]string{"SECRETLINGS_PREFIX": spec.Prefix}
	if spec.N == 3 {
		// The demo service runs here, so both the example and the rotation
		// function (a separate process per step) reach it.
		token := rand.Text()
		svc, err := demoservice.New(token).Start("127.0.0.1:0")
		if err != nil {
			fmt.Fprintf(stderr, "secretlings example: starting the demo service: %v\n", err)
			return 1
		}
		defer svc.Close()
		extra["DEMO_SERVICE_URL"], extra["DEMO_SERVICE_ADMIN_TOKEN"] = svc.URL, token
		if spec.Emu != nil {
			arn := fmt.Sprintf(exampleLambdaARN, spec.Region)
			extra["ROTATION_LAMBDA_ARN"] = arn
			env := exampleEnv(os.Environ(), spec, extra)
			spec.Emu.RegisterRotationFunction(arn, exampleRotationFunc(spec.Bin, env, stdout, stderr))
		}
	}

	cmd := exec.CommandContext(ctx, spec.Bin)
	cmd.Env = exampleEnv(os.Environ(), spec, extra)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit) && exit.ExitCode() > 0:
		return exit.ExitCode()
	case errors.As(err, &exit):
		fmt.Fprintf(stderr, "secretlings example: example %d was stopped (%v)\n", spec.N, err)
		return 1
	default:
		fmt.Fprintf(stderr, "secretlings example: running example %d: %v\n", spec.N, err)
		return 1
	}
}

// exampleRotationFunc runs the example program as a rotation function, one
// process per step with the event as JSON on stdin, as Lambda delivers it,
// with the function's configuration in its environment (as a Lambda's
// environment variables would be) and its output shown.
func exampleRotationFunc(bin string, env []string, stdout, stderr io.Writer) emulator.RotationFunc {
	return emulator.Command{Path: bin, Args: []string{"rotation-handler"}, Env: env, Stdout: stdout, Stderr: stderr}.RotationFunc()
}

// exampleEnv is the example's environment: the user's, minus every setting
// that would send it elsewhere, plus the backend's and the names it needs.
// Local backends get dummy credentials, so the user's real ones never reach
// an emulator.
func exampleEnv(base []string, spec exampleSpec, extra map[string]string) []string {
	drop := map[string]bool{
		"AWS_ENDPOINT_URL": true, "AWS_ENDPOINT_URL_SECRETS_MANAGER": true,
		"AWS_REGION": true, "AWS_DEFAULT_REGION": true,
		"SECRETLINGS_PREFIX": true, "DEMO_SERVICE_URL": true, "DEMO_SERVICE_ADMIN_TOKEN": true,
		"ROTATION_LAMBDA_ARN": true, "AWS_LAMBDA_RUNTIME_API": true,
	}
	if spec.Local {
		for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE"} {
			drop[k] = true
		}
	} else if spec.Profile != "" {
		drop["AWS_PROFILE"] = true // --profile wins
	}
	var env []string
	for _, kv := range base {
		k, _, _ := strings.Cut(kv, "=")
		if !drop[k] {
			env = append(env, kv)
		}
	}
	set := map[string]string{"AWS_REGION": spec.Region}
	if spec.Endpoint != "" {
		set["AWS_ENDPOINT_URL_SECRETS_MANAGER"] = spec.Endpoint
	}
	if spec.Local {
		set["AWS_ACCESS_KEY_ID"], set["AWS_SECRET_ACCESS_KEY"] = "test", "test"
		set["AWS_EC2_METADATA_DISABLED"] = "true"
	} else if spec.Profile != "" {
		set["AWS_PROFILE"] = spec.Profile
	}
	for k, v := range extra {
		set[k] = v
	}
	for k, v := range set {
		if v != "" {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// newExamplePrefix returns a fresh namespace for one run, so runs never
// collide and cleanup (or a look in the browser) finds everything.
func newExamplePrefix(n int) string {
	var b [4]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return fmt.Sprintf("secretlings/example-%d/%s/", n, hex.EncodeToString(b[:]))
}

// buildExample compiles example n into dir and returns the program's path.
func buildExample(ctx context.Context, n int, dir string, stderr io.Writer) (string, error) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		return "", errors.New("the Go toolchain is not on PATH: the examples are built from their source in lessons/, so install Go (https://go.dev/dl/) and try again")
	}
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	out := filepath.Join(dir, fmt.Sprintf("example-%d", n))
	if runtime.GOOS == "windows" {
		out += ".exe"
	}
	args := append([]string{"build", "-o", out}, checker.ProgramFlags()...)
	cmd := exec.CommandContext(ctx, goBin, append(args, "./"+exampleDirs[n])...)
	cmd.Dir = root
	var msg bytes.Buffer
	cmd.Stdout, cmd.Stderr = &msg, &msg
	if err := cmd.Run(); err != nil {
		io.Copy(stderr, &msg)
		return "", fmt.Errorf("building %s failed (%v): the compiler's message is above", exampleDirs[n], err)
	}
	return out, nil
}

// moduleRoot finds the secretlings checkout the examples are built from:
// the working directory or one of its parents, else the directory this
// binary was built from.
func moduleRoot() (string, error) {
	if root, err := checker.FindRoot("."); err == nil {
		return root, nil
	}
	if _, file, _, ok := runtime.Caller(0); ok {
		if root, err := checker.FindRoot(filepath.Dir(file)); err == nil {
			return root, nil
		}
	}
	return "", errors.New("cannot find the secretlings source (the examples are built from it): run this command inside your clone of the secretlings repository")
}

// lockWriter makes w safe for concurrent writers; files already are.
func lockWriter(w io.Writer) io.Writer {
	switch w.(type) {
	case *os.File, *lockedWriter:
		return w
	}
	return &lockedWriter{w: w}
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
