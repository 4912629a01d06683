package rotation_test

import (
	"os"
	"testing"

	"secretlings/internal/motoserver"
)

func TestMain(m *testing.M) {
	if os.Getenv("ROTATION_HELPER") != "" {
		os.Exit(helperMain())
	}
	code := m.Run()
	motoserver.StopShared()
	os.Exit(code)
}
