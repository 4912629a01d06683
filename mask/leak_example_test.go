package mask_test

import (
	"encoding/hex"
	"fmt"

	"secretlings/mask"
)

// A grader registers the values it gave a program, then scans what the
// program printed: the report says where and how, never what.
func ExampleLeakScanner() {
	s := mask.NewLeakScanner("Tr0ub4dor&3xyzQW")
	out := []byte("connected\ndebug: key=" + hex.EncodeToString([]byte("Tr0ub4dor&3xyzQW")) + "\nuser t-r-0-u-b-4-d-o-r-&-3-x-y-z-q-w\n")
	for _, l := range s.Scan(out) {
		fmt.Println(l)
	}
	fmt.Print(s.RedactString(string(out)))
	// Output:
	// hex at byte 21
	// interleaved at byte 59
	// connected
	// debug: key=••••••••
	// user ••••••••
}
