package emulator

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"time"
)

// StateDamageError is returned by New when the state file holds a line that
// is neither a good record nor a torn final write. Nothing has been changed
// on disk; WithStateRepair keeps the Records good records before Offset
// after copying the file aside.
type StateDamageError struct {
	Path    string
	Offset  int64 // byte offset of the bad line
	Line    int   // 1-based
	Problem string
	Records int // good records before it
}

func (e *StateDamageError) Error() string {
	return fmt.Sprintf("state file %s is damaged at byte %d (line %d): %s. Nothing was changed. "+
		"Restore the file from a backup, or start with repair (serve --repair) to keep the %d records before byte %d: "+
		"the original is first copied to %s.corrupt-<time>.",
		e.Path, e.Offset, e.Line, e.Problem, e.Records, e.Offset, e.Path)
}

// checkLine verifies the checksum of one line (without or with its
// newline) and returns its JSON body. A line starting with '{' is the older
// format without a checksum. The audit trail (trail.go) reads with it too.
func checkLine(line []byte) ([]byte, error) {
	line = bytes.TrimSuffix(line, []byte("\n"))
	if len(line) > 0 && line[0] == '{' {
		return line, nil
	}
	if len(line) < 10 || line[8] != ' ' {
		return nil, errors.New("the line has no checksum")
	}
	var want [4]byte
	if _, err := hex.Decode(want[:], line[:8]); err != nil {
		return nil, errors.New("the line's checksum is not hexadecimal")
	}
	body := line[9:]
	got := crc32.Checksum(body, castagnoli)
	if got != uint32(want[0])<<24|uint32(want[1])<<16|uint32(want[2])<<8|uint32(want[3]) {
		return nil, errors.New("the record's CRC-32C checksum does not match (a changed byte)")
	}
	return body, nil
}

// parseLine checks one line and decodes it as a journal record.
func parseLine(line []byte) (*journalRecord, error) {
	body, err := checkLine(line)
	if err != nil {
		return nil, err
	}
	rec := &journalRecord{}
	if err := json.Unmarshal(body, rec); err != nil {
		return nil, fmt.Errorf("the record is not valid JSON (%v)", jsonProblem(err))
	}
	return rec, nil
}

// jsonProblem describes a decode error without quoting the input.
func jsonProblem(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("syntax error at offset %d", se.Offset)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return "wrong type for " + te.Field
	}
	return "cannot decode"
}

// validate checks the invariants the Store contract promises of a record.
func validate(rec *journalRecord) string {
	s := rec.Secret
	if rec.Account == "" || rec.Region == "" || rec.Name == "" {
		return "the record names no account, region or secret"
	}
	if s.Name != rec.Name {
		return fmt.Sprintf("the record for %q holds the secret %q", rec.Name, s.Name)
	}
	ids := map[string]bool{}
	holder := map[string]string{}
	valued := false
	for i, v := range s.Versions {
		if v == nil {
			return fmt.Sprintf("secret %q has an empty version (number %d)", rec.Name, i+1)
		}
		if v.ID == "" || ids[v.ID] {
			return fmt.Sprintf("secret %q has a missing or repeated version id", rec.Name)
		}
		ids[v.ID] = true
		valued = valued || v.hasValue()
		for _, l := range v.Stages {
			if h, ok := holder[l]; ok {
				return fmt.Sprintf("secret %q has the staging label %s on two versions (%s and %s)", rec.Name, l, h, v.ID)
			}
			holder[l] = v.ID
		}
	}
	if _, ok := holder[StageCurrent]; valued && !ok {
		return fmt.Sprintf("secret %q has versions but none is AWSCURRENT", rec.Name)
	}
	return ""
}

func applyAccess(s *secret, a *accessMark) bool {
	v := s.byID[a.Version]
	if v == nil {
		return false
	}
	t := time.Unix(a.Day, 0)
	s.Accessed.touch(t)
	v.Accessed.touch(t)
	return true
}

// replay applies the lines of r to the journal's maps and returns the live
// secrets, the offset after the last good line, and the damage found (nil:
// none; a torn final line is not damage).
func (j *fileJournal) replay(r io.Reader) (map[recKey]*secret, int64, *StateDamageError, error) {
	cur := map[recKey]*secret{}
	br := bufio.NewReaderSize(r, 1<<16)
	var good int64
	n, legacyOK := 0, true
	for {
		line, err := br.ReadBytes('\n')
		if len(line) > 0 && line[len(line)-1] == '\n' {
			n++
			problem := j.apply(cur, line, &legacyOK)
			if problem != "" {
				return cur, good, &StateDamageError{Path: j.path, Offset: good, Line: n, Problem: problem, Records: j.lines}, nil
			}
			j.lines++
			good += int64(len(line))
			continue
		}
		if err == io.EOF || err == nil {
			if len(line) > 0 {
				j.warn("state file: a torn final write (no newline, never acknowledged) is cut off",
					"path", j.path, "offset", good, "bytes", len(line))
			}
			return cur, good, nil, nil
		}
		return nil, 0, nil, fmt.Errorf("reading state file %s: %w", j.path, err)
	}
}

// apply checks and applies one complete line; it returns the problem, if
// any. Lines without a checksum are accepted only before the first line
// with one (a file written by an older version).
func (j *fileJournal) apply(cur map[recKey]*secret, line []byte, legacyOK *bool) string {
	legacy := line[0] == '{'
	if legacy && !*legacyOK {
		return "a line without a checksum follows checksummed lines"
	}
	if !legacy {
		*legacyOK = false
	}
	rec, err := parseLine(line)
	if err != nil {
		return err.Error()
	}
	k := recKey{rec.Account, rec.Region, rec.Name}
	switch {
	case rec.Access != nil:
		s := cur[k]
		if s == nil || !applyAccess(s, rec.Access) {
			return fmt.Sprintf("an access record names a version of %q that does not exist", rec.Name)
		}
		j.keepAccess(k, rec.Access.Version, line)
	case rec.Secret == nil:
		delete(cur, k)
		delete(j.live, k)
		delete(j.acc, k)
	default:
		if p := validate(rec); p != "" {
			return p
		}
		rec.Secret.index()
		cur[k] = rec.Secret
		j.live[k] = bytes.Clone(line)
		delete(j.acc, k)
	}
	if legacy {
		j.legacy = true
	}
	return ""
}

// openJournal reads the log at path (creating it if missing) and returns
// the live secrets it describes. With repair, damage is cut off after the
// original is copied to path.corrupt-<time>.
func openJournal(path string, repair bool, warn func(string, ...any), wrap func(*os.File) journalFile) (*fileJournal, []journalRecord, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("opening state file %s: %w (check the directory exists and is writable)", path, err)
	}
	j := &fileJournal{path: path, warn: warn, wrap: wrap, live: map[recKey][]byte{}, acc: map[recKey]map[string][]byte{}}
	tightenMode(f, path, warn)
	cur, good, damage, err := j.replay(f)
	if err == nil {
		err = settleReplay(f, path, good, damage, repair, warn)
	}
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	j.f, j.size = f, good
	if wrap != nil {
		j.f = wrap(f)
	}
	var out []journalRecord
	for k, s := range cur {
		out = append(out, journalRecord{Account: k.account, Region: k.region, Name: k.name, Secret: s})
	}
	if j.legacy || j.lines > 2*len(j.live)+64 {
		if err := j.compact(); err != nil {
			warn("state file not compacted; it stays valid, only longer", "path", path, "err", err)
		}
	}
	return j, out, nil
}

// settleReplay ends the replay of a checksummed file (the state file or a
// sidecar): damage is an error unless repair is on, when the file is first
// copied aside; then the file is cut back to its last good record, which
// drops a torn final line, and synced.
func settleReplay(f *os.File, path string, good int64, damage *StateDamageError, repair bool, warn func(string, ...any)) error {
	if damage != nil {
		if !repair {
			return damage
		}
		if err := keepCopy(path, warn, damage); err != nil {
			return err
		}
	}
	err := f.Truncate(good)
	if err == nil {
		err = f.Sync()
	}
	if err != nil {
		return fmt.Errorf("cutting a torn write off %s: %w", path, err)
	}
	return nil
}

// keepCopy copies the damaged file to path.corrupt-<time> (fsynced) before
// repair cuts it.
func keepCopy(path string, warn func(string, ...any), d *StateDamageError) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("repair: reading %s: %w", path, err)
	}
	cp := path + ".corrupt-" + time.Now().UTC().Format("20060102T150405.000000000Z")
	f, err := os.OpenFile(cp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		_, err = f.Write(b)
		if err == nil {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return fmt.Errorf("repair: copying %s to %s failed (%v); nothing was changed", path, cp, err)
	}
	warn("state file repaired: damage cut off, the original kept", "path", path, "offset", d.Offset, "line", d.Line,
		"problem", d.Problem, "recordsKept", d.Records, "copy", cp)
	return nil
}

// tightenMode makes the state file 0600 (it holds values in plain text),
// or warns when it cannot.
func tightenMode(f *os.File, path string, warn func(string, ...any)) {
	fi, err := f.Stat()
	if err != nil || fi.Mode().Perm()&0o077 == 0 {
		return
	}
	if err := f.Chmod(0o600); err != nil {
		warn("state file is readable by others and could not be made 0600; it holds secret values in plain text",
			"path", path, "mode", fmt.Sprintf("%04o", fi.Mode().Perm()), "err", err)
		return
	}
	warn("state file permissions tightened to 0600 (it holds secret values in plain text)",
		"path", path, "was", fmt.Sprintf("%04o", fi.Mode().Perm()))
}
