package main

// `secretlings reset` puts an exercise back to its start, keeping a backup
// of the learner's files.

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"golang.org/x/term"

	"secretlings/checker"
)

const resetUsage = `Usage: secretlings reset [flags] EXERCISE

Puts an exercise back to its start: your files are restored from the
original stubs, the exercise's secrets are deleted (a state exercise's
starting secret is seeded again), and its progress is cleared. It asks
first. The files you changed are kept in .secretlings/backups/EXERCISE/,
and --undo puts the newest backup back.

Flags:
  -y, --yes   reset without asking (needed when stdin is not a terminal)
  --undo      restore your files from the newest backup instead
  --backend, --endpoint-url, --region, --profile and --state-dir as for
  secretlings check; -h, --help shows this help.
`

// runReset is `secretlings reset EXERCISE`.
func runReset(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	f, ids, code := parseCheckArgs("secretlings reset", resetUsage, args, false, stdout, stderr)
	if code >= 0 {
		return code
	}
	if len(ids) != 1 {
		fmt.Fprintf(stderr, "secretlings reset: name exactly one exercise: %s\n", strings.Join(checker.IDs(), ", "))
		return 2
	}
	ex, _ := checker.Lookup(ids[0])
	root, err := checker.FindRoot(".")
	if err != nil {
		fmt.Fprintf(stderr, "secretlings reset: %v\n", err)
		return 1
	}
	if f.undo {
		return undoReset(root, ex, stdout, stderr)
	}
	if !f.yes {
		if code := confirmReset(root, ex, stdin, stdout, stderr); code >= 0 {
			return code
		}
	}
	store, prog := loadProgress(f.stateDir)
	ns := ""
	if e := prog.Exercises[ex.ID]; e != nil && ex.Kind == checker.State && checker.ValidNamespace(ex.ID, e.Namespace) {
		ns = e.Namespace
	}
	ctx := context.Background()
	var b checker.Backend // restoring files alone needs no backend
	if ns != "" {
		var stop func()
		b, _, stop, err = checkBackend(ctx, f.backend)
		if err != nil {
			fmt.Fprintf(stderr, "secretlings reset: %v\n", err)
			return 1
		}
		defer stop()
	}
	changed, _ := checker.Changed(root, ex)
	if err := checker.New(b, root).Reset(ctx, ex, ns); err != nil {
		fmt.Fprintf(stderr, "secretlings reset: %v\n", err)
		return 1
	}
	if e := prog.Exercises[ex.ID]; e != nil {
		e.Passed, e.Solved, e.Hints = false, false, 0
		if store != nil {
			if err := store.Save(prog); err != nil {
				fmt.Fprintf(stderr, "secretlings reset: %v\n", err)
				return 1
			}
		}
	}
	pyFiles, pyProvided := ex.FilesIn(checker.Python)
	files := slices.Concat(ex.Files, ex.Provided)
	if ex.Python != nil {
		files = slices.Concat(files, pyFiles, pyProvided) // Reset restores both languages' files
	}
	if len(files) > 0 {
		fmt.Fprintf(stdout, "Restored %s in %s.\n", strings.Join(files, ", "), ex.Dir())
	}
	if dir, _ := checker.LatestBackup(root, ex); dir != "" && len(changed) > 0 {
		fmt.Fprintf(stdout, "Your version is in %s: secretlings reset --undo %s puts it back.\n", dir, ex.ID)
	}
	if ns != "" {
		fmt.Fprintf(stdout, "Deleted the secrets under %s and seeded the exercise again.\n", ns)
	}
	fmt.Fprintf(stdout, "Exercise %s is back at its start.\n", ex.ID)
	return 0
}

// confirmReset asks before a reset replaces files the learner changed.
// It returns -1 to go on, or the exit code to stop with.
func confirmReset(root string, ex *checker.Exercise, stdin io.Reader, stdout, stderr io.Writer) int {
	changed, err := checker.Changed(root, ex)
	if err != nil {
		fmt.Fprintf(stderr, "secretlings reset: %v\n", err)
		return 1
	}
	what := "its secrets and progress"
	if len(changed) > 0 {
		what = "your " + strings.Join(changed, ", ") + " (a backup is kept), its secrets and progress"
	}
	if f, ok := stdin.(*os.File); !ok || !term.IsTerminal(int(f.Fd())) {
		if len(changed) == 0 {
			return -1 // nothing of the learner's is lost
		}
		fmt.Fprintf(stderr, "secretlings reset: this replaces %s; run it again with --yes to confirm\n", what)
		return 2
	}
	fmt.Fprintf(stdout, "Reset %s? This replaces %s. [y/N] ", ex.ID, what)
	answer, _ := bufio.NewReader(stdin).ReadString('\n')
	if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
		fmt.Fprintln(stdout, "Nothing was changed.")
		return 0
	}
	return -1
}

// undoReset is `secretlings reset --undo EXERCISE`.
func undoReset(root string, ex *checker.Exercise, stdout, stderr io.Writer) int {
	dir, files, err := checker.RestoreBackup(root, ex)
	if err != nil {
		fmt.Fprintf(stderr, "secretlings reset: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "Restored %s in %s from %s.\n", strings.Join(files, ", "), ex.Dir(), dir)
	return 0
}
