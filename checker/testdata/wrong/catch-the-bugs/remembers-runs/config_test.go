package dbconfig

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// It passes the first run it sees and fails every later one, remembering
// in a file outside its sandbox: the mutants run after the correct code,
// so it "catches" them all, and fails the control runs.
func TestLoadDBConfig(t *testing.T) {
	marker := filepath.Join("/tmp", fmt.Sprintf("secretlings-corpus-remembers-%d", os.Getppid()))
	if fi, err := os.Stat(marker); err == nil && time.Since(fi.ModTime()) < 2*time.Minute {
		t.Fatal("seen before: must be a mutant")
	}
	if err := os.WriteFile(marker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
}
