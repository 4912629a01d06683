package checker

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// A binary that is still open for writing cannot be started (ETXTBSY):
// startBusy tries again until it can, as a mutant's freshly written test
// binary needs when another goroutine forks meanwhile.
func TestStartBusy(t *testing.T) {
	src, err := os.ReadFile("/bin/true")
	if err != nil {
		t.Skip("no /bin/true")
	}
	bin := filepath.Join(t.TempDir(), "true")
	f, err := os.OpenFile(bin, os.O_CREATE|os.O_WRONLY, 0o700)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(src); err != nil {
		t.Fatal(err)
	}
	if err := exec.Command(bin).Start(); !errors.Is(err, syscall.ETXTBSY) {
		t.Fatalf("a binary open for writing started: %v", err)
	}
	time.AfterFunc(100*time.Millisecond, func() { f.Close() })
	p, err := startBusy(context.Background(), exec.Command(bin), false)
	if err != nil {
		t.Fatalf("startBusy: %v", err)
	}
	if err := p.Wait(); err != nil {
		t.Fatal(err)
	}
}
