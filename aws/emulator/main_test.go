package emulator

import (
	"os"
	"testing"

	"secretlings/internal/motoserver"
)

func TestMain(m *testing.M) {
	code := m.Run()
	motoserver.StopShared()
	os.Exit(code)
}
