package parity

import (
	"testing"

	"secretlings/internal/motoserver"
)

// BenchmarkSuite measures one pass of the whole scenario suite against each
// target: the cost of the parity check itself, and a rough feel for how much
// faster the embedded emulator answers than moto_server.
func BenchmarkSuite(b *testing.B) {
	all := suite()
	b.Run("emulator", func(b *testing.B) {
		for b.Loop() {
			for _, sc := range all {
				var stop func()
				execute(b, "emulator", "", sc, func(r *run) { stop = startEmulator(b, r) })
				stop()
			}
		}
	})
	b.Run("moto", func(b *testing.B) {
		srv := motoserver.ForTest(b)
		for b.Loop() {
			for _, sc := range all {
				execute(b, "moto", srv.URL, sc, nil)
			}
		}
	})
}
