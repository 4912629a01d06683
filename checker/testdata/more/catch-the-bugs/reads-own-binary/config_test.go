package dbconfig

import (
	"bytes"
	"os"
	"testing"
)

// It looks for a mutant's strings in its own binary instead of testing
// what the code does; every build carries them all.
func TestLoadDBConfig(t *testing.T) {
	bin, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"AWSPREVIOUS", "prod/app/db"} {
		if bytes.Contains(bin, []byte(s)) {
			t.Fatalf("found %q: a mutant", s)
		}
	}
}
