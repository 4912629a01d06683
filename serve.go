package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"golang.org/x/net/netutil"

	"secretlings/aws/emulator"
)

const serveHelp = `usage: secretlings serve [--addr 127.0.0.1:4566] [--state FILE [--repair]] [--region R] [--enforce-iam=false]

Runs the embedded Secrets Manager alone, so any SDK, the aws CLI or boto3 can
use it as a Docker-free stand-in for LocalStack:

  aws --endpoint-url http://127.0.0.1:4566 secretsmanager list-secrets

Any access key (e.g. test/test) is the root of the account and may do
everything. The tutorial's cast (role/app, role/deployer, user/auditor,
user/intern and role/partner in account 111122223333) have their own fixed
keys, listed in the README; for them signatures are verified and IAM policies
(their identity policies and each secret's resource policy) are enforced,
as AWS does. --enforce-iam=false allows everything to everyone. STS
GetCallerIdentity, a small KMS (keys a secret's KmsKeyId names; disable one
and its secrets cannot be read) and CloudTrail's LookupEvents (every call,
allowed or denied, without any secret value) answer on the same endpoint:

  aws --endpoint-url http://127.0.0.1:4566 sts get-caller-identity
  aws --endpoint-url http://127.0.0.1:4566 cloudtrail lookup-events

With --state FILE, the keys are kept in FILE.kms and the audit trail in
FILE.trail. Values are stored in plain text whatever key a secret names.

Flags:
`

// serveRotationFlag collects --rotation-function ARN=COMMAND flags.
type serveRotationFlag map[string][]string

func (f serveRotationFlag) String() string { return "" }

func (f serveRotationFlag) Set(v string) error {
	arn, cmd, ok := strings.Cut(v, "=")
	fields := strings.Fields(cmd)
	if !ok || arn == "" || len(fields) == 0 {
		return errors.New("want ARN=COMMAND, e.g. arn:aws:lambda:us-east-1:123456789012:function:rotate=./rotate")
	}
	f[arn] = fields
	return nil
}

// runServe is `secretlings serve`: it listens (loopback only unless
// --allow-remote), prints "listening on http://ADDR" once connections are
// accepted, and stops cleanly with exit 0 on SIGINT or SIGTERM.
func runServe(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:4566", "address to listen on (host:port; port 0 picks a free one)")
	state := fs.String("state", "", "file that keeps the secrets across restarts, with FILE.kms and FILE.trail beside it (every change is on disk before it is acknowledged)")
	region := fs.String("region", emulator.DefaultRegion, "region for requests that are not SigV4-signed")
	account := fs.String("account", emulator.DefaultAccountID, "account id in ARNs (a 12-digit access key id overrides it per request)")
	repair := fs.Bool("repair", false, "start from a damaged --state file: copy it to FILE.corrupt-<time>, then keep only the records before the damage")
	allowRemote := fs.Bool("allow-remote", false, "allow a non-loopback --addr and any Host header (anyone who reaches it can read every secret)")
	verbose := fs.Bool("v", false, "log each request (operation and status; never secret values) to stderr")
	enforceIAM := fs.Bool("enforce-iam", true, "enforce IAM policies for the tutorial's cast (root keys such as test/test keep full access); false allows everything")
	rotations := serveRotationFlag{}
	fs.Var(rotations, "rotation-function", "ARN=COMMAND: run COMMAND as the rotation Lambda ARN (event JSON on stdin); repeatable")
	// --help goes to stdout like every other command's; a bad flag gets a
	// one-line error and the usage on stderr.
	fs.SetOutput(io.Discard)
	usage := func(w io.Writer) {
		fmt.Fprint(w, serveHelp)
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(stdout)
			return 0
		}
		fmt.Fprintf(stderr, "secretlings serve: %v\n\n", err)
		usage(stderr)
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "secretlings serve: unexpected argument %q (flags only; see secretlings serve --help)\n", fs.Arg(0))
		return 2
	}
	loopback, err := serveIsLoopback(*addr)
	if err != nil {
		fmt.Fprintf(stderr, "secretlings serve: --addr %q: %v (use host:port, e.g. 127.0.0.1:4566)\n", *addr, err)
		return 2
	}
	if !loopback && !*allowRemote {
		fmt.Fprintf(stderr, "secretlings serve: refusing to listen on %s: it is not a loopback address, and the emulator has no authentication.\n"+
			"Use --addr 127.0.0.1:PORT, or add --allow-remote if you really want other machines to reach it.\n", *addr)
		return 2
	}
	level := slog.LevelWarn
	if *verbose {
		level = slog.LevelDebug
	}
	opts := []emulator.Option{
		emulator.WithRegion(*region),
		emulator.WithAccountID(*account),
		emulator.WithIAMEnforcement(*enforceIAM),
		emulator.WithLogger(slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))),
	}
	if *state != "" {
		opts = append(opts, emulator.WithStateFile(*state))
	}
	if *repair {
		opts = append(opts, emulator.WithStateRepair())
	}
	for arn, cmd := range rotations {
		opts = append(opts, emulator.WithRotationFunction(arn, emulator.CommandRotationFunc(cmd[0], cmd[1:]...)))
	}
	srv, err := emulator.New(opts...)
	if err != nil {
		fmt.Fprintf(stderr, "secretlings serve: %v\n", err)
		if de := (*emulator.StateDamageError)(nil); errors.As(err, &de) {
			// --state names the main file even when a sidecar (FILE.kms,
			// FILE.trail) is the damaged one.
			fmt.Fprintf(stderr, "To keep the %d good records of %s: secretlings serve --state %s --repair\n", de.Records, de.Path, *state)
		}
		return 1
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		srv.Close()
		fmt.Fprintf(stderr, "secretlings serve: cannot listen on %s: %v\n"+
			"Another server (LocalStack?) may be using the port; pick another with --addr 127.0.0.1:4567.\n", *addr, err)
		return 1
	}
	if !loopback {
		fmt.Fprintf(stderr, "WARNING: listening on %s, which is NOT loopback. Anyone who can reach this address can read and change every secret: there is no authentication.\n", ln.Addr())
	}
	var h http.Handler = srv
	if !*allowRemote {
		host, _, _ := net.SplitHostPort(*addr)
		h = hostGuard(srv, host)
	}
	hs, ln := serveHTTP(h, ln, serveMaxConns)
	sigs, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	fmt.Fprintf(stdout, "listening on http://%s\n", ln.Addr())
	// Scheduled rotations: the service's scheduler, once a minute.
	tick := time.NewTicker(time.Minute)
	defer tick.Stop()
	code := 0
loop:
	for {
		select {
		case <-tick.C:
			srv.RotateDue(sigs)
		case <-sigs.Done():
			break loop
		case err := <-done:
			fmt.Fprintf(stderr, "secretlings serve: %v\n", err)
			code = 1
			break loop
		}
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		fmt.Fprintf(stderr, "secretlings serve: stopping: %v\n", err)
	}
	if err := srv.Close(); err != nil {
		fmt.Fprintf(stderr, "secretlings serve: closing the state file: %v\n", err)
		code = 1
	}
	return code
}

// The serve limits (figures in the README's serve section).
const (
	serveWriteTimeout = 90 * time.Second
	serveMaxConns     = 256
)

// serveHTTP is the http.Server of serve with its limits. WriteTimeout
// counts from the end of the request headers, so it covers ReadTimeout's
// body too. Connections beyond maxConns wait in the kernel's accept queue
// instead of each taking a goroutine and buffers.
func serveHTTP(h http.Handler, ln net.Listener, maxConns int) (*http.Server, net.Listener) {
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute,
		WriteTimeout: serveWriteTimeout, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	return hs, netutil.LimitListener(ln, maxConns)
}

// hostGuard answers only requests whose Host is a loopback name or the
// --addr host, so a web page that rebinds its own DNS name to 127.0.0.1
// cannot read secrets from a browser.
func hostGuard(next http.Handler, addrHost string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !serveHostAllowed(r.Host, addrHost) {
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			w.Header().Set("X-Amzn-Errortype", "AccessDeniedException")
			w.WriteHeader(http.StatusForbidden)
			msg := fmt.Sprintf("Host %q is not allowed: serve answers only loopback names (localhost, 127.0.0.1, [::1]) and its --addr host, "+
				"so a web page cannot reach it through DNS rebinding. Use http://127.0.0.1:PORT, or start serve with --allow-remote.", r.Host)
			b, _ := json.Marshal(map[string]string{"__type": "AccessDeniedException", "Message": msg})
			w.Write(b)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func serveHostAllowed(hostport, addrHost string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.ToLower(strings.TrimSuffix(strings.Trim(host, "[]"), "."))
	switch {
	case host == "":
		return true // HTTP/1.0 without Host: not a browser
	case host == "localhost" || strings.HasSuffix(host, ".localhost"):
		return true
	case addrHost != "" && strings.EqualFold(host, strings.Trim(addrHost, "[]")):
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// serveIsLoopback reports whether addr's host only accepts local
// connections. An empty host or 0.0.0.0 means every interface.
func serveIsLoopback(addr string) (bool, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false, err
	}
	if host == "localhost" {
		return true, nil
	}
	ip := net.ParseIP(host)
	if ip == nil {
		// A host name: only trust it if every address it names is loopback.
		ips, err := net.LookupIP(host)
		if err != nil || len(ips) == 0 {
			return false, nil
		}
		for _, ip := range ips {
			if !ip.IsLoopback() {
				return false, nil
			}
		}
		return true, nil
	}
	return ip.IsLoopback(), nil
}
