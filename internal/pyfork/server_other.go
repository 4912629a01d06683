//go:build !unix

package pyfork

import (
	"errors"
	"os"
	"os/exec"
	"strconv"
)

// Without fork there is no fork server: Command returns the *exec.Cmd.
const supported = false

var errServerGone = errors.New("pyfork: no fork server on this system")

type server struct{}

func startServer(string, []string) (*server, error) { return nil, errServerGone }

func (*server) alive() bool { return false }

func (*server) fork(*exec.Cmd, []*os.File) (int, chan exit, error) { return 0, nil, errServerGone }

func (*server) kill(int) {}

func signalName(n int) string { return "signal " + strconv.Itoa(n) }

func isEPIPE(error) bool { return false }
