//go:build !linux

package checker

import "net"

// connOwner cannot tell who holds a connection outside Linux, so every
// request is let through.
func connOwner(net.Conn) (int, bool) { return 0, false }

func isChild(int) bool { return true }
