// Command pystatus prints one line saying whether the Python track is ready
// (an interpreter, Python 3.9+, boto3), for make setup and make test. It
// always exits 0: a missing Python only skips the Python track.
package main

import (
	"flag"
	"fmt"
	"os"

	"secretlings/internal/pyenv"
)

func main() {
	python := flag.String("python", "", "the interpreter to check (default: $SECRETLINGS_PYTHON, else python3 on PATH)")
	tests := flag.Bool("tests", false, "say what it means for make test")
	flag.Parse()
	line, ok := pyenv.Status(*python, os.Getenv)
	switch {
	case *tests && ok:
		line += ": the Python exercises are graded on every backend"
	case *tests:
		line += " The Python exercise tests are SKIPPED."
	}
	fmt.Println(line)
}
