package checker

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// connOwner returns the process id that holds the client end of a loopback
// connection to the proxy, found the way ss(8) finds it: the socket's inode
// in /proc/net/tcp, then the process with a descriptor on it. ok is false
// when it cannot tell (no /proc, no permission), so the caller lets the
// request through.
func connOwner(c net.Conn) (pid int, ok bool) {
	client, ok1 := c.RemoteAddr().(*net.TCPAddr)
	server, ok2 := c.LocalAddr().(*net.TCPAddr)
	if !ok1 || !ok2 || client.IP.To4() == nil {
		return 0, false
	}
	inode := socketInode(client, server)
	if inode == "" {
		return 0, false
	}
	target := "socket:[" + inode + "]"
	procs, _ := os.ReadDir("/proc")
	for _, p := range procs {
		n, err := strconv.Atoi(p.Name())
		if err != nil || n == os.Getpid() {
			continue
		}
		fds, _ := os.ReadDir(filepath.Join("/proc", p.Name(), "fd"))
		for _, fd := range fds {
			if l, _ := os.Readlink(filepath.Join("/proc", p.Name(), "fd", fd.Name())); l == target {
				return n, true
			}
		}
	}
	return 0, false
}

// socketInode finds the inode of the socket whose local end is client and
// remote end is server, in /proc/net/tcp ("0100007F:8A3C" is 127.0.0.1
// port 0x8A3C, the address in host byte order).
func socketInode(client, server *net.TCPAddr) string {
	f, err := os.Open("/proc/net/tcp")
	if err != nil {
		return ""
	}
	defer f.Close()
	local, remote := procAddr(client), procAddr(server)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) > 9 && fields[1] == local && fields[2] == remote {
			return fields[9]
		}
	}
	return ""
}

func procAddr(a *net.TCPAddr) string {
	ip := a.IP.To4()
	return fmt.Sprintf("%02X%02X%02X%02X:%04X", ip[3], ip[2], ip[1], ip[0], a.Port)
}

// isChild reports whether pid's parent is this process (or it cannot be
// told), from /proc/<pid>/stat.
func isChild(pid int) bool {
	data, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return true
	}
	// The command name, in parentheses, may hold spaces: count after it.
	rest := string(data[strings.LastIndexByte(string(data), ')')+1:])
	fields := strings.Fields(rest)
	if len(fields) < 2 {
		return true
	}
	ppid, err := strconv.Atoi(fields[1])
	return err != nil || ppid == os.Getpid()
}
