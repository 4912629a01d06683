//go:build unix

package pyfork

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

const supported = true

// forkTimeout bounds the wait for a fork: one takes milliseconds.
var forkTimeout = 30 * time.Second

// errServerGone says the server ended (or was killed) before it could
// start or report on a program.
var errServerGone = errors.New("pyfork: the Python fork server stopped")

// server is one running zygote.py and the socket to it.
type server struct {
	cmd    *exec.Cmd
	conn   *net.UnixConn
	stderr *limitedBuffer // what it said, should it fail to start

	sendMu sync.Mutex // one message at a time on the socket

	mu      sync.Mutex
	nextID  int
	starts  map[int]chan startReply // by request id
	running map[int]chan exit       // by pid
	dead    bool
	// modules are the top-level modules it holds.
	modules map[string]bool
}

type startReply struct {
	pid    int
	exited chan exit // told when it ends
	err    error
}

// reply is one line the server writes.
type reply struct {
	Ready   int      `json:"ready"`
	Modules []string `json:"modules"`
	ID      int      `json:"id"`
	PID     int      `json:"pid"`
	Error   string   `json:"error"`
	Exit    int      `json:"exit"`
	Code    int      `json:"code"`
}

// startServer starts zygote.py with exe and env (and nothing else in its
// environment), and waits until it has imported what it preloads.
func startServer(exe string, env []string) (*server, error) {
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
	if err != nil {
		return nil, fmt.Errorf("pyfork: socketpair: %w", err)
	}
	syscall.CloseOnExec(fds[0])
	ours, theirs := os.NewFile(uintptr(fds[0]), "pyfork"), os.NewFile(uintptr(fds[1]), "pyfork-zygote")
	defer theirs.Close()
	fc, err := net.FileConn(ours)
	_ = ours.Close()
	if err != nil {
		return nil, fmt.Errorf("pyfork: %w", err)
	}
	conn := fc.(*net.UnixConn)
	s := &server{conn: conn, stderr: &limitedBuffer{n: 64 << 10}, starts: map[int]chan startReply{}, running: map[int]chan exit{}}
	s.cmd = exec.Command(exe, append([]string{"-c", zygote}, envNames(env)...)...)
	s.cmd.Env = env
	// An empty directory of its own: -c imports from its working
	// directory first, and a json.py left in /tmp must not be boto3's.
	dir, err := os.MkdirTemp("", "secretlings-pyfork-")
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("pyfork: %w", err)
	}
	defer os.Remove(dir) // imported by then; a child works in its own
	s.cmd.Dir = dir
	s.cmd.ExtraFiles = []*os.File{theirs}
	s.cmd.Stderr = s.stderr
	// Its own group: a ctrl+c meant for us must not kill it before it
	// has killed the programs it started.
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := s.cmd.Start(); err != nil {
		conn.Close()
		return nil, fmt.Errorf("pyfork: starting %s: %w", exe, err)
	}
	go func() { _ = s.cmd.Wait() }()
	lines := bufio.NewReader(conn)
	ready := make(chan error, 1)
	go func() {
		line, err := lines.ReadBytes('\n')
		var r reply
		if err == nil && json.Unmarshal(line, &r) == nil && r.Ready > 0 {
			s.modules = map[string]bool{}
			for _, m := range r.Modules {
				s.modules[m] = true
			}
			ready <- nil
			s.read(lines)
			return
		}
		ready <- fmt.Errorf("pyfork: the fork server did not start: %s", lastLine(s.stderr.String()))
	}()
	select {
	case err = <-ready:
	case <-time.After(60 * time.Second):
		err = errors.New("pyfork: the fork server did not start within 60s")
	}
	if err != nil {
		_ = s.cmd.Process.Kill()
		conn.Close()
		return nil, err
	}
	return s, nil
}

// read dispatches the server's replies until it ends; then every program
// still waiting hears that it is gone, and is killed.
func (s *server) read(lines *bufio.Reader) {
	for {
		line, err := lines.ReadBytes('\n')
		if err != nil {
			break
		}
		var r reply
		if json.Unmarshal(line, &r) != nil {
			continue
		}
		s.mu.Lock()
		switch {
		case r.Exit > 0:
			if ch, ok := s.running[r.Exit]; ok {
				delete(s.running, r.Exit)
				live.Delete(r.Exit)
				ch <- exit{code: r.Code}
			}
		case r.ID > 0:
			if ch, ok := s.starts[r.ID]; ok {
				delete(s.starts, r.ID)
				if r.Error != "" {
					ch <- startReply{err: errors.New("pyfork: " + r.Error)}
				} else {
					exited := make(chan exit, 1)
					s.running[r.PID] = exited
					live.Store(r.PID, true)
					ch <- startReply{pid: r.PID, exited: exited}
				}
			}
		}
		s.mu.Unlock()
	}
	s.mu.Lock()
	s.dead = true
	for _, ch := range s.starts {
		ch <- startReply{err: errServerGone}
	}
	for pid, ch := range s.running {
		// Nobody reaps it now, so its group is still its own: stop it.
		_ = syscall.Kill(-pid, syscall.SIGKILL)
		live.Delete(pid)
		ch <- exit{err: errServerGone}
	}
	s.starts, s.running = map[int]chan startReply{}, map[int]chan exit{}
	s.mu.Unlock()
	_ = s.conn.Close()
}

func (s *server) alive() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return !s.dead
}

// fork asks the server for a child running desc with files as its file
// descriptors 0, 1, 2, 3… and returns its pid, and where its end is
// told.
func (s *server) fork(desc *exec.Cmd, files []*os.File) (int, chan exit, error) {
	dir := desc.Dir
	if dir == "" {
		var err error
		if dir, err = os.Getwd(); err != nil {
			return 0, nil, err
		}
	}
	s.mu.Lock()
	if s.dead {
		s.mu.Unlock()
		return 0, nil, errServerGone
	}
	s.nextID++
	id := s.nextID
	started := make(chan startReply, 1)
	s.starts[id] = started
	s.mu.Unlock()
	body, err := json.Marshal(map[string]any{"id": id, "argv": desc.Args[1:], "env": envMap(desc.Env), "cwd": dir})
	if err == nil {
		fds := make([]int, len(files))
		for i, f := range files {
			fds[i] = int(f.Fd())
		}
		err = s.send('R', body, syscall.UnixRights(fds...))
	}
	if err != nil {
		s.mu.Lock()
		delete(s.starts, id)
		s.mu.Unlock()
		return 0, nil, fmt.Errorf("%w: %v", errServerGone, err)
	}
	select {
	case r := <-started:
		return r.pid, r.exited, r.err
	case <-time.After(forkTimeout):
		// A server that does not fork in this long is stuck (stopped, or
		// out of memory): end it, so the next program gets a new one.
		s.mu.Lock()
		s.dead = true
		s.mu.Unlock()
		_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		return 0, nil, fmt.Errorf("%w: it did not fork in %s", errServerGone, forkTimeout)
	}
}

// kill asks the server to kill pid's process group, which it does only
// while pid is its unreaped child (so never another process's group).
func (s *server) kill(pid int) {
	body, _ := json.Marshal(map[string]int{"pid": pid})
	_ = s.send('K', body, nil)
}

// send writes one message: its kind (carrying the file descriptors),
// then the body's length and the body.
func (s *server) send(kind byte, body, rights []byte) error {
	s.sendMu.Lock()
	defer s.sendMu.Unlock()
	_ = s.conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
	if _, _, err := s.conn.WriteMsgUnix([]byte{kind}, rights, nil); err != nil {
		return err
	}
	msg := binary.BigEndian.AppendUint32(nil, uint32(len(body)))
	_, err := s.conn.Write(append(msg, body...))
	return err
}

// envNames are the names of env's variables.
func envNames(env []string) []string {
	names := make([]string, len(env))
	for i, kv := range env {
		names[i], _, _ = strings.Cut(kv, "=")
	}
	return names
}

func signalName(n int) string { return syscall.Signal(n).String() }

func isEPIPE(err error) bool { return errors.Is(err, syscall.EPIPE) }

// limitedBuffer keeps the first n bytes written to it.
type limitedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
	n  int
}

func (l *limitedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if room := l.n - l.b.Len(); room > 0 {
		l.b.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if last := strings.TrimSpace(lines[len(lines)-1]); last != "" {
		return last
	}
	return "it ended without saying why"
}
