package dbconfig

import "testing"

// TestLoadDBConfig is yours to write: start a local Secrets Manager, store
// secrets, call LoadDBConfig and check what it returns. Read README.md;
// the checker grades this file by the bugs it catches in broken copies of
// config.go. As it stands, it tests nothing and catches none.
func TestLoadDBConfig(t *testing.T) {
}
