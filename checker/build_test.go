package checker

import (
	"context"
	"path/filepath"
	"testing"
)

// TestBuildCacheReusesAndPrunes: a Checker of its own keeps only the newest
// program per exercise and source (the app rebuilds on every save), and a
// shared cache builds the same sources once for any number of Checkers.
func TestBuildCacheReusesAndPrunes(t *testing.T) {
	ex, _ := Lookup("config-manager")
	r := root(t)
	ctx := context.Background()
	own := New(Backend{}, r)
	own.cache = newBuildCache()
	own.Source = Stub
	defer own.Close()
	build := func(c *Checker) buildResult {
		t.Helper()
		overlay, err := c.overlay(ex)
		if err != nil {
			t.Fatal(err)
		}
		b := c.buildVariant(ctx, ex, "", nil, overlay)
		if b.err != nil || b.compile != "" {
			t.Fatalf("build: %v %s", b.err, b.compile)
		}
		return b
	}
	first := build(own)
	// The same file with a comment added: other sources, another program.
	stub, err := pristineFile(ex, ex.Files[0])
	if err != nil {
		t.Fatal(err)
	}
	own.replace = map[string][]byte{ex.Files[0]: append(stub, "\n// saved again\n"...)}
	second := build(own)
	if second.bin == first.bin {
		t.Fatal("changed sources reused the old program")
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(second.bin), "prog-"+ex.ID+"-*"))
	if len(left) != 1 || left[0] != second.bin {
		t.Errorf("programs left after a rebuild: %v, want only %s", left, second.bin)
	}

	shared := &buildCache{built: map[string]buildResult{}, dir: t.TempDir(), keep: true}
	a, b := New(Backend{}, r), New(Backend{}, r)
	a.cache, b.cache = shared, shared
	a.Source, b.Source = Stub, Stub
	defer a.Close()
	defer b.Close()
	if pa, pb := build(a), build(b); pa.bin != pb.bin || len(shared.built) != 1 {
		t.Errorf("two Checkers sharing a cache built %d programs (%s, %s), want one", len(shared.built), pa.bin, pb.bin)
	}
}
