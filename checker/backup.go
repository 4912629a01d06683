package checker

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// BackupRoot is where Reset keeps the learner's files before it restores
// the stubs, relative to the checkout (git ignores .secretlings/).
const BackupRoot = ".secretlings/backups"

// Changed lists the learner's files of ex that differ from the stubs.
func Changed(root string, ex *Exercise) ([]string, error) {
	var changed []string
	for _, f := range ex.learnerFiles() {
		mine, err := os.ReadFile(filepath.Join(root, ex.Dir(), f))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", f, err)
		}
		stub, err := pristineFile(ex, f)
		if err != nil {
			return nil, err
		}
		if !bytes.Equal(mine, stub) {
			changed = append(changed, f)
		}
	}
	return changed, nil
}

// Backup copies the learner's files of ex that differ from the stubs into
// a new folder under BackupRoot, named by the time, and returns that folder
// relative to root; "" when every file is still the stub (nothing to keep).
func Backup(root string, ex *Exercise, now time.Time) (string, error) {
	changed, err := Changed(root, ex)
	if err != nil {
		return "", err
	}
	if len(changed) == 0 {
		return "", nil
	}
	dir := filepath.Join(BackupRoot, ex.ID, now.UTC().Format("20060102-150405.000"))
	if err := os.MkdirAll(filepath.Join(root, dir), 0o700); err != nil {
		return "", fmt.Errorf("backing up your files: %w", err)
	}
	for _, f := range changed {
		if err := copyFile(filepath.Join(root, ex.Dir(), f), filepath.Join(root, dir, f)); err != nil {
			return "", fmt.Errorf("backing up %s: %w", f, err)
		}
	}
	return dir, nil
}

// LatestBackup returns ex's newest backup folder relative to root, or ""
// when there is none.
func LatestBackup(root string, ex *Exercise) (string, error) {
	entries, err := os.ReadDir(filepath.Join(root, BackupRoot, ex.ID))
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	if len(names) == 0 {
		return "", nil
	}
	slices.Sort(names) // the names are times, so the last is the newest
	return filepath.Join(BackupRoot, ex.ID, names[len(names)-1]), nil
}

// RestoreBackup puts the files of ex's newest backup back into the
// exercise folder, and returns the backup's folder and the files restored.
// The backup itself stays.
func RestoreBackup(root string, ex *Exercise) (string, []string, error) {
	dir, err := LatestBackup(root, ex)
	if err != nil || dir == "" {
		if err == nil {
			err = fmt.Errorf("there is no backup of %s: reset keeps one when it replaces files you changed", ex.ID)
		}
		return "", nil, err
	}
	var restored []string
	for _, f := range ex.learnerFiles() {
		src := filepath.Join(root, dir, f)
		if _, err := os.Stat(src); errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err := copyFile(src, filepath.Join(root, ex.Dir(), f)); err != nil {
			return dir, restored, fmt.Errorf("restoring %s: %w", f, err)
		}
		restored = append(restored, f)
	}
	return dir, restored, nil
}

func copyFile(src, dst string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, data, 0o644)
}
