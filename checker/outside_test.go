package checker

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A file made in a temp dir while the program ran is looked at; one that
// was there before is not, though it changed meanwhile: other programs
// (a test runner's own log, say) write there too, and may write what they
// saw of a grading.
func TestOutsideSeesOnlyWhatWasMade(t *testing.T) {
	tmp := os.TempDir()
	old := filepath.Join(tmp, "secretlings-outside-old-"+randHex(4)+".log")
	made := filepath.Join(tmp, "secretlings-outside-new-"+randHex(4)+".log")
	t.Cleanup(func() { os.Remove(old); os.Remove(made) })
	if err := os.WriteFile(old, []byte("started\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var b sandbox
	b.watchOutside("")
	time.Sleep(10 * time.Millisecond)
	f, err := os.OpenFile(old, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.WriteString("a value: hunter2-secret\n")
	f.Close()
	if err := os.WriteFile(made, []byte("hunter2-secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	b.collectOutside()
	if _, ok := b.outside[old]; ok {
		t.Errorf("a file that was there before is taken for the program's: %v", keys(b.outside))
	}
	if f, ok := b.outside[made]; !ok || !strings.Contains(string(f.data), "hunter2") || !f.made {
		t.Errorf("a file made meanwhile is not looked at: %v", keys(b.outside))
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
