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

// solutionFile returns one file of ex's reference solution.
func solutionFile(ex *Exercise, f string) ([]byte, error) {
	data, err := embedded.ReadFile(path.Join("solutions", ex.ID, f+".txt"))
	if err != nil {
		return nil, fmt.Errorf("exercise %s has no reference solution for %s: %w", ex.ID, f, err)
	}
	return data, nil
}

// SolutionIn is SolutionOf for the version of ex in lang.
func SolutionIn(ex *Exercise, lang Lang) ([]SolutionFile, error) {
	if lang == Go || ex.Kind != Code {
		return SolutionOf(ex)
	}
	learner, _ := ex.FilesIn(lang)
	if len(learner) == 0 {
		return nil, &NoVersionError{Exercise: ex.ID, Lang: lang}
	}
	var files []SolutionFile
	for _, f := range learner {
		data, err := solutionFile(ex, f)
		if err != nil {
			return nil, err
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
	return WriteSolutionIn(root, ex, Go)
}

// WriteSolutionIn is WriteSolution for the version of ex in lang (the
// Python files beside the Go ones, in the same folder).
func WriteSolutionIn(root string, ex *Exercise, lang Lang) (string, error) {
	files, err := SolutionIn(ex, lang)
	if err != nil {
		return "", err
	}
	_, provided := ex.FilesIn(lang)
	for _, f := range provided {
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
	return EarnIn(root, ex, res, Go)
}

// EarnIn is Earn for the version of ex in lang.
func EarnIn(root string, ex *Exercise, res *Result, lang Lang) string {
	if res == nil || !res.Passed {
		return ""
	}
	dir, _ := WriteSolutionIn(root, ex, lang)
	return dir
}
