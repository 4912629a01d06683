package checker

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"secretlings/mask"
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

// In a temp dir, a file the grading saw made is the program's only when it
// holds a whole value: a part of one (eight hex digits in a Go build's
// importcfg) turns up by chance, and such a file is neither blamed nor
// removed. In the program's own folder a part counts.
func TestOutsideWantsWholeValues(t *testing.T) {
	const value = "a1b2c3d4e5f6a7b8c9d0"
	dir := t.TempDir()
	part := filepath.Join(dir, "importcfg.link")
	whole := filepath.Join(dir, "debug.log")
	for p, data := range map[string]string{part: "packagefile x=/tmp/go-build/" + value[:10] + "ffff\n", whole: "pw " + value + "\n"} {
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	r := &run{secret: mask.NewLeakScanner()}
	r.secret.Add(value)
	r.box.outside = map[string]outsideFile{}
	for _, p := range []string{part, whole} {
		data, _ := os.ReadFile(p)
		r.box.outside[p] = outsideFile{data: data, shown: p, made: true}
	}
	found := r.outsideLeaks()
	if len(found) != 1 || !strings.HasPrefix(found[0], whole) {
		t.Errorf("found %q; want only %s", found, whole)
	}
	if _, err := os.Stat(part); err != nil {
		t.Errorf("a file holding a part of a value was removed: %v", err)
	}
	if _, err := os.Stat(whole); err == nil {
		t.Error("a file the grading saw made, holding a whole value, was left")
	}
}
