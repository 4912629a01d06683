package lessons

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fence is one fenced code block of a lesson.md, with its info string.
type fence struct {
	Info string
	Body string
	Line int // of the opening fence
}

// fences returns the fenced blocks of a lesson file, in order.
func fences(t *testing.T, dir string) []fence {
	t.Helper()
	src, err := files.ReadFile(dir + "/lesson.md")
	if err != nil {
		t.Fatal(err)
	}
	var out []fence
	var cur *fence
	var body []string
	for i, line := range strings.Split(string(src), "\n") {
		switch {
		case cur == nil && strings.HasPrefix(line, "```"):
			cur = &fence{Info: strings.TrimSpace(strings.TrimPrefix(line, "```")), Line: i + 1}
			body = nil
		case cur != nil && strings.TrimSpace(line) == "```":
			cur.Body = strings.Join(body, "\n") + "\n"
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			body = append(body, line)
		}
	}
	return out
}

// fileHeader opens a go block that shows a file of the repository whole:
// the rest of the block must be that file, byte for byte.
const fileHeader = "// file: "

// TestGoBlocksAreTheirFiles keeps every go block that names a file equal
// to it, so the code a lesson shows is code that compiles and whose tests
// run in make test: edit the file, then paste it into the lesson.
func TestGoBlocksAreTheirFiles(t *testing.T) {
	all, err := All()
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, l := range all {
		for _, f := range fences(t, l.Dir) {
			first, rest, _ := strings.Cut(f.Body, "\n")
			if f.Info != "go" || !strings.HasPrefix(first, fileHeader) {
				continue
			}
			path := strings.TrimPrefix(first, fileHeader)
			want, err := os.ReadFile(filepath.Join("..", filepath.FromSlash(path)))
			if err != nil {
				t.Errorf("%s/lesson.md:%d shows %s, which cannot be read: %v", l.Dir, f.Line, path, err)
				continue
			}
			if rest != string(want) {
				t.Errorf("%s/lesson.md:%d differs from %s at line %d: copy the file into the block again", l.Dir, f.Line, path, firstDiff(rest, string(want)))
			}
			checked++
		}
	}
	if checked < 2 {
		t.Fatalf("%d go blocks name their file; lesson 7 shows two test files whole", checked)
	}
}

// firstDiff is the first line (from 1) where a and b differ.
func firstDiff(a, b string) int {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return i + 1
		}
	}
	return min(len(al), len(bl)) + 1
}
