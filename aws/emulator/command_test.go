package emulator

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func needSh(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh on PATH")
	}
}

// A Command runs with the environment and working directory it names, and
// its output reaches the writers it names.
func TestCommandEnvDirAndOutput(t *testing.T) {
	needSh(t)
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	fn := Command{
		Path: "sh", Args: []string{"-c", `read ev; echo "$ev $DEMO" ; pwd >&2`},
		Env: []string{"DEMO=from-env", "PATH=" + os.Getenv("PATH")}, Dir: dir,
		Stdout: &stdout, Stderr: &stderr,
	}.RotationFunc()
	if err := fn(context.Background(), RotationEvent{Step: "setSecret", SecretId: "arn:x", ClientRequestToken: "t"}); err != nil {
		t.Fatal(err)
	}
	if want := `{"Step":"setSecret","SecretId":"arn:x","ClientRequestToken":"t"} from-env` + "\n"; stdout.String() != want {
		t.Errorf("stdout %q, want %q", stdout.String(), want)
	}
	resolved, _ := filepath.EvalSymlinks(dir)
	if got := strings.TrimSpace(stderr.String()); got != dir && got != resolved {
		t.Errorf("ran in %q, want %q", got, dir)
	}
}

// A failed step's error names the command and the step, wraps the exit
// error, and quotes the end of stderr only, also when stderr is shown too.
func TestCommandFailureKeepsStderrTail(t *testing.T) {
	needSh(t)
	var shown bytes.Buffer
	script := `head -c 10000 /dev/zero | tr '\0' 'a'; echo; echo "the pending key was refused" >&2; exit 4`
	fn := Command{Path: "sh", Args: []string{"-c", `(` + script + `) >&2`}, Stderr: &shown}.RotationFunc()
	err := fn(context.Background(), RotationEvent{Step: "testSecret"})
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 4 {
		t.Fatalf("error %v, want an exit status 4", err)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "rotation command sh, step testSecret: exit status 4: ") ||
		!strings.HasSuffix(msg, "the pending key was refused") || len(msg) > stderrTail+100 {
		t.Fatalf("error %.120q… (%d bytes)", msg, len(msg))
	}
	if shown.Len() < 10000 {
		t.Fatalf("the Stderr writer got %d bytes, want all of it", shown.Len())
	}
}

// A command that cannot start, or whose context has ended, fails the step.
func TestCommandCannotRun(t *testing.T) {
	err := Command{Path: filepath.Join(t.TempDir(), "missing")}.RotationFunc()(context.Background(), RotationEvent{Step: "createSecret"})
	if err == nil || !strings.Contains(err.Error(), "step createSecret") {
		t.Fatalf("missing command: %v", err)
	}
	needSh(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = CommandRotationFunc("sh", "-c", "exit 0")(ctx, RotationEvent{Step: "finishSecret"})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("ended context: %v, want context.Canceled", err)
	}
}

// StdinRotationFunc gives a caller's own runner the event as JSON and maps
// how its process ended to the step's result.
func TestStdinRotationFunc(t *testing.T) {
	var got []string
	exit := ProcessExit{}
	fn := StdinRotationFunc("handler", func(_ context.Context, ev RotationEvent, stdin io.Reader) ProcessExit {
		b, _ := io.ReadAll(stdin)
		got = append(got, ev.Step+" "+string(b))
		return exit
	})
	ev := RotationEvent{Step: "createSecret", SecretId: "arn:x", ClientRequestToken: "t", RotationToken: "rt"}
	if err := fn(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	if want := `createSecret {"Step":"createSecret","SecretId":"arn:x","ClientRequestToken":"t","RotationToken":"rt"}`; got[0] != want {
		t.Fatalf("runner got %q, want %q", got[0], want)
	}
	for _, tc := range []struct {
		exit ProcessExit
		want string
	}{
		{ProcessExit{Code: 1, Stderr: "  bad key\n"}, "rotation command handler, step createSecret: exit status 1: bad key"},
		{ProcessExit{Code: -1, Err: errors.New("killed")}, "rotation command handler, step createSecret: killed"},
		{ProcessExit{Err: errors.New("timed out"), Stderr: "last words"}, "rotation command handler, step createSecret: timed out: last words"},
	} {
		exit = tc.exit
		if err := fn(context.Background(), ev); err == nil || err.Error() != tc.want {
			t.Errorf("%+v: error %v, want %q", tc.exit, err, tc.want)
		}
	}
}
