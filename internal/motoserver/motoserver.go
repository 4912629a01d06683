// Package motoserver starts moto_server, a Secrets Manager emulator nobody on
// this project wrote, so tests can run the same scenario against it and
// against the embedded emulator.
package motoserver

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Server is a running moto_server child process.
type Server struct {
	// URL is the base endpoint, e.g. http://127.0.0.1:41234.
	URL  string
	cmd  *exec.Cmd
	wait <-chan error // receives when the process exits
}

// ErrNotInstalled reports that moto_server is not on PATH.
var ErrNotInstalled = errors.New("moto_server not found on PATH (install it with: pip install 'moto[server]')")

// Start launches moto_server on a free loopback port and waits until it
// answers. The caller must Stop it.
func Start() (*Server, error) {
	bin, err := exec.LookPath("moto_server")
	if err != nil {
		return nil, ErrNotInstalled
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// moto reads AWS_* variables; a test that blanked them (to keep real
	// credentials out) must not break the server it starts.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting moto_server: %w", err)
	}
	s := &Server{URL: "http://127.0.0.1:" + strconv.Itoa(port), cmd: cmd}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	s.wait = exited
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			// Most likely another process took the port between freePort
			// and moto's bind: the caller may simply try again.
			return nil, fmt.Errorf("%w on port %d: %v", errExited, port, err)
		default:
		}
		// Only moto answers this path with JSON; anything else on the port
		// is not our server.
		resp, err := http.Get(s.URL + "/moto-api/data.json")
		if err == nil {
			var state map[string]any
			ok := resp.StatusCode == http.StatusOK && json.NewDecoder(resp.Body).Decode(&state) == nil
			resp.Body.Close()
			if ok {
				return s, nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.Stop()
	return nil, fmt.Errorf("moto_server did not answer on %s within 30s", s.URL)
}

var errExited = errors.New("moto_server exited during startup")

// Stop kills moto_server and its children.
func (s *Server) Stop() {
	if s == nil || s.cmd.Process == nil {
		return
	}
	_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
	<-s.wait
}

// Reset clears all of moto's state.
func (s *Server) Reset() error {
	resp, err := http.Post(s.URL+"/moto-api/reset", "application/json", nil)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

var (
	shared     *Server
	sharedErr  error
	sharedOnce sync.Once
)

// ForTest returns one moto_server shared by every test in the package's
// test binary, started on first use, or skips the test with the reason when
// moto_server is not installed. Tests must use unique secret names, since
// the server is shared. The process is killed when the test binary exits
// only if the package's TestMain calls StopShared.
func ForTest(tb testing.TB) *Server {
	tb.Helper()
	if os.Getenv("SECRETLINGS_SKIP_MOTO") != "" {
		tb.Skip("SECRETLINGS_SKIP_MOTO is set: skipping the moto_server side of this test")
	}
	sharedOnce.Do(func() {
		for range 3 { // a port race at startup is retried
			if shared, sharedErr = Start(); !errors.Is(sharedErr, errExited) {
				return
			}
		}
	})
	if errors.Is(sharedErr, ErrNotInstalled) {
		tb.Skipf("skipping: %v", sharedErr)
	}
	if sharedErr != nil {
		tb.Fatalf("moto_server: %v", sharedErr)
	}
	return shared
}

// StopShared stops the server ForTest started, if any. Call it from TestMain
// after m.Run so no moto_server outlives the tests.
func StopShared() {
	if shared != nil {
		shared.Stop()
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
