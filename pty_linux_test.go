package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal pair: the master end reads what a program
// writes to its terminal; the slave end is that terminal.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	fd, err := unix.Open("/dev/ptmx", unix.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here (%v): this test needs /dev/ptmx", err)
	}
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	master = os.NewFile(uintptr(fd), "/dev/ptmx")
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		master.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { master.Close(); slave.Close() })
	return master, slave
}

// mainChildEnv makes the test binary act as `secretlings ARGS` (a JSON array).
const mainChildEnv = "SECRETLINGS_MAIN_CHILD"

func TestMainChildProcessHelper(t *testing.T) {
	args, ok := os.LookupEnv(mainChildEnv)
	if !ok {
		return // only meaningful as a child process
	}
	var argv []string
	if err := json.Unmarshal([]byte(args), &argv); err != nil {
		t.Fatal(err)
	}
	os.Exit(run(argv, os.Stdout, os.Stderr))
}

// runOnSilentTerminal runs `secretlings ARGS` (this test binary, re-executed)
// on a terminal that never answers a query, and returns every byte it wrote.
func runOnSilentTerminal(t *testing.T, args ...string) []byte {
	t.Helper()
	master, slave := openPTY(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestMainChildProcessHelper$")
	argv, _ := json.Marshal(args)
	cmd.Env = append(os.Environ(), mainChildEnv+"="+string(argv), "TERM=xterm-256color", "COLORFGBG=")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	slave.Close() // the child holds it now; reads end with EIO when it exits
	var out bytes.Buffer
	_, err := io.Copy(&out, master)
	var pathErr *os.PathError
	if err != nil && !(errors.As(err, &pathErr) && errors.Is(err, syscall.EIO)) {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			t.Fatal(err)
		}
	}
	return out.Bytes()
}

// TestCommandsWithoutATUISendNoTerminalQueries runs the commands that draw
// no TUI on a terminal that never answers: a background-colour or cursor
// query there would stall each for termenv's 5 s timeout.
func TestCommandsWithoutATUISendNoTerminalQueries(t *testing.T) {
	for _, args := range [][]string{
		{"version"}, {"--version"}, {"--help"}, {"check", "no-such-exercise"}, {"serve", "--help"},
		{"example", "--help"}, {"reset", "--help"}, {"cleanup", "--help"},
	} {
		t.Run(fmt.Sprint(args), func(t *testing.T) {
			out := runOnSilentTerminal(t, args...)
			for _, q := range []string{"\x1b]11;?", "\x1b]10;?", "\x1b[6n"} {
				if bytes.Contains(out, []byte(q)) {
					t.Errorf("%v wrote the terminal query %q: %q", args, q, out)
				}
			}
			if len(out) == 0 {
				t.Errorf("%v wrote nothing to the terminal", args)
			}
		})
	}
}
