package checker

import (
	"embed"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
)

// The checker carries the exercises' original files in the binary, each as
// <id>/<name>.txt so the go tool builds none of them:
//
//   - pristine: the stubs and the provided driver files, so reset works on
//     any checkout and a provided file cannot be edited into a pass;
//   - solutions: the reference solutions (only the files the learner
//     writes), which are not in the exercise folders until earned, as in
//     rustlings: WriteSolution puts one there after a pass or when the
//     learner asks.
//
//go:embed pristine solutions
var embedded embed.FS

func pristinePath(id, file string) string { return path.Join("pristine", id, file+".txt") }

// solutionFiles are the files of ex's reference solution: the files the
// learner edits, or a state exercise's whole program.
func solutionFiles(ex *Exercise) []string {
	if len(ex.Files) == 0 {
		return []string{"main.go"}
	}
	return ex.Files
}

// SolutionFile is one file of a reference solution.
type SolutionFile struct {
	Name string // e.g. "cache.go"
	Data []byte
}

// SolutionOf returns ex's reference solution: the files the learner writes
// (a state exercise's whole program), without the provided drivers.
func SolutionOf(ex *Exercise) ([]SolutionFile, error) {
	var files []SolutionFile
	for _, f := range solutionFiles(ex) {
		data, err := embedded.ReadFile(path.Join("solutions", ex.ID, f+".txt"))
		if err != nil {
			return nil, fmt.Errorf("exercise %s has no reference solution for %s: %w", ex.ID, f, err)
		}
		files = append(files, SolutionFile{Name: f, Data: data})
	}
	return files, nil
}

// pristineFile returns the original of one of ex's files.
func pristineFile(ex *Exercise, f string) ([]byte, error) {
	data, err := embedded.ReadFile(pristinePath(ex.ID, f))
	if err != nil {
		return nil, fmt.Errorf("exercise %s has no original copy of %s: %w", ex.ID, f, err)
	}
	return data, nil
}

// SolutionDir is where WriteSolution puts ex's reference solution, relative
// to the checkout.
func SolutionDir(ex *Exercise) string { return filepath.Join(ex.Dir(), "solution") }

// WriteSolution writes ex's reference solution, with the provided drivers
// so that `go run ./solution` works, into SolutionDir under root, and
// returns that folder relative to root. The learner's own files are not
// touched.
func WriteSolution(root string, ex *Exercise) (string, error) {
	files, err := SolutionOf(ex)
	if err != nil {
		return "", err
	}
	for _, f := range ex.Provided {
		if slices.ContainsFunc(files, func(s SolutionFile) bool { return s.Name == f }) {
			continue
		}
		data, err := pristineFile(ex, f)
		if err != nil {
			return "", err
		}
		files = append(files, SolutionFile{Name: f, Data: data})
	}
	dir := SolutionDir(ex)
	if err := os.MkdirAll(filepath.Join(root, dir), 0o755); err != nil {
		return "", fmt.Errorf("writing the solution: %w", err)
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(root, dir, f.Name), f.Data, 0o644); err != nil {
			return "", fmt.Errorf("writing the solution: %w", err)
		}
	}
	return dir, nil
}

// Earn writes ex's reference solution (WriteSolution) when res passed, and
// returns where it is; "" when it did not pass or could not be written.
func Earn(root string, ex *Exercise, res *Result) string {
	if res == nil || !res.Passed {
		return ""
	}
	dir, _ := WriteSolution(root, ex)
	return dir
}
