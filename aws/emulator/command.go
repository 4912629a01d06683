package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
)

// stderrTail is how much of a failed step's stderr goes into its error: the
// end, where a program says why it gave up.
const stderrTail = 4096

// ProcessExit is how one rotation step's process ended.
type ProcessExit struct {
	// Code is the exit status; non-zero fails the step.
	Code int
	// Stderr is what the process wrote to stderr (its end is enough); the
	// step's error quotes its last 4 KiB, trimmed.
	Stderr string
	// Err, when set, fails the step: the process could not start, was
	// killed, or ran out of time.
	Err error
}

// ProcessRunner runs one process for one step, with stdin (the event as
// JSON) as its standard input, and reports how it ended.
type ProcessRunner func(ctx context.Context, ev RotationEvent, stdin io.Reader) ProcessExit

// StdinRotationFunc is a rotation function made of one process per step,
// as Lambda runs a function: the event is written as JSON to the process's
// stdin, and an exit status other than 0 fails the step, with the end of
// its stderr in the error. name says what runs in that error. Command uses
// it with os/exec; a caller that must own how the process starts (its
// environment, its sandbox, where its output goes) passes its own run.
func StdinRotationFunc(name string, run ProcessRunner) RotationFunc {
	return func(ctx context.Context, ev RotationEvent) error {
		in, err := json.Marshal(ev)
		if err != nil {
			return err
		}
		return exitError(name, ev.Step, run(ctx, ev, bytes.NewReader(in)))
	}
}

// exitError maps a process's end to the step's result.
func exitError(name, step string, p ProcessExit) error {
	if p.Code == 0 && p.Err == nil {
		return nil
	}
	err := p.Err
	if err == nil {
		err = fmt.Errorf("exit status %d", p.Code)
	}
	msg := strings.TrimSpace(p.Stderr)
	if len(msg) > stderrTail {
		msg = strings.TrimSpace(msg[len(msg)-stderrTail:])
	}
	if msg == "" {
		return fmt.Errorf("rotation command %s, step %s: %w", name, step, err)
	}
	return fmt.Errorf("rotation command %s, step %s: %w: %s", name, step, err, msg)
}

// Command is a local program run as a rotation function, one process per
// step with the event as JSON on stdin (see StdinRotationFunc), so a
// Lambda handler's code runs here as Lambda would run it.
type Command struct {
	Path string
	Args []string
	// Env is the process's environment, as exec.Cmd.Env: nil inherits the
	// emulator's own. A Lambda's configuration arrives this way.
	Env []string
	// Dir is the working directory; empty is the emulator's.
	Dir string
	// Stdout and Stderr receive the process's output as it runs; nil
	// discards it. The end of stderr goes into a failed step's error either
	// way.
	Stdout, Stderr io.Writer
}

// CommandRotationFunc runs the command name with args as the rotation
// function, with the emulator's environment and working directory and its
// output discarded: Command{Path: name, Args: args}.RotationFunc().
func CommandRotationFunc(name string, args ...string) RotationFunc {
	return Command{Path: name, Args: args}.RotationFunc()
}

// RotationFunc returns the rotation function that runs c once per step.
func (c Command) RotationFunc() RotationFunc { return StdinRotationFunc(c.Path, c.run) }

func (c Command) run(ctx context.Context, _ RotationEvent, stdin io.Reader) ProcessExit {
	cmd := exec.CommandContext(ctx, c.Path, c.Args...)
	cmd.Stdin, cmd.Env, cmd.Dir = stdin, c.Env, c.Dir
	cmd.Stdout = c.Stdout
	tail := &tailWriter{n: stderrTail}
	cmd.Stderr = tail
	if c.Stderr != nil {
		cmd.Stderr = io.MultiWriter(c.Stderr, tail)
	}
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return ProcessExit{Stderr: tail.String()}
	case errors.As(err, &exit) && exit.ExitCode() > 0:
		return ProcessExit{Code: exit.ExitCode(), Stderr: tail.String(), Err: err}
	default:
		// Killed by a signal (its context ended) or never started.
		if ctx.Err() != nil {
			err = fmt.Errorf("%w (%w)", err, ctx.Err())
		}
		return ProcessExit{Code: -1, Stderr: tail.String(), Err: err}
	}
}

// tailWriter keeps the last n bytes written to it.
type tailWriter struct {
	n   int
	buf []byte
}

func (t *tailWriter) Write(p []byte) (int, error) {
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.n; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(p), nil
}

func (t *tailWriter) String() string { return string(t.buf) }
