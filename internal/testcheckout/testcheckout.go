// Package testcheckout copies a secretlings checkout for tests that let a
// program write into one, so that no test running beside them sees the
// write in the real checkout.
package testcheckout

import (
	"os"
	"path/filepath"
	"testing"
)

// Copy copies the checkout at src, but for .git, into a temporary directory
// removed when tb ends, and returns the copy's path.
func Copy(tb testing.TB, src string) string {
	tb.Helper()
	dst := tb.TempDir()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		switch {
		case d.IsDir() && d.Name() == ".git":
			return filepath.SkipDir
		case d.IsDir():
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		case !d.Type().IsRegular():
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		tb.Fatal(err)
	}
	return dst
}
