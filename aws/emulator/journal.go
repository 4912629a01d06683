package emulator

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"sync"
)

// The state file is a write-ahead log of lines "CRC32C-HEX JSON\n", one per
// change: the complete new state of one secret, its removal, or the first
// access of a version on a day (a few bytes, not the whole secret). A change
// is written and fsynced before memory changes are kept and the request is
// acknowledged, so a kill -9 loses nothing acknowledged. A failed write is
// cut off again (the file is truncated back to the last good offset), and
// after a failed fsync every write is refused until truncating and syncing
// succeed, so a partial line never has a good one appended to it. On load
// only a final line without its newline counts as a torn write; any other
// bad line stops New (see journal_load.go). Compaction writes the live lines
// to a temporary file, fsyncs and renames it over the log and fsyncs the
// directory, so the file on disk is always the old log or the new one.

type journalRecord struct {
	Account string      `json:"a"`
	Region  string      `json:"r"`
	Name    string      `json:"n"`
	Secret  *secret     `json:"s"`
	Access  *accessMark `json:"t,omitempty"`
}

// accessMark is an access-date record: version Version (and its secret)
// was read on the day starting at Unix second Day.
type accessMark struct {
	Version string `json:"v"`
	Day     int64  `json:"d"`
}

type recKey struct{ account, region, name string }

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// journalFile is what the journal needs of its file; tests inject one that
// fails after N bytes or on Sync.
type journalFile interface {
	Write(p []byte) (int, error)
	Sync() error
	Truncate(size int64) error
	Close() error
}

type fileJournal struct {
	path string
	warn func(msg string, args ...any)
	wrap func(*os.File) journalFile // test hook; nil: the file itself

	mu     sync.Mutex
	f      journalFile
	size   int64                        // bytes known to be on disk
	broken error                        // a failed fsync or truncate: writes refused
	live   map[recKey][]byte            // latest full line per live secret
	acc    map[recKey]map[string][]byte // access lines since it, per version
	lines  int                          // lines in the current file
	legacy bool                         // lines without checksums were read
	buf    bytes.Buffer
}

func (j *fileJournal) open(flag int) (journalFile, error) {
	f, err := os.OpenFile(j.path, flag, 0o600)
	if err != nil || j.wrap == nil {
		return f, err
	}
	return j.wrap(f), nil
}

// encodeLine appends the checksummed line of rec (any JSON value) to buf.
// The audit trail (trail.go) writes its lines with it too.
func encodeLine(buf *bytes.Buffer, rec any) error {
	buf.Write([]byte("00000000 "))
	start := buf.Len()
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rec); err != nil { // ends with '\n'
		return err
	}
	b := buf.Bytes()
	sum := crc32.Checksum(b[start:len(b)-1], castagnoli)
	hex.Encode(b[start-9:start-1], []byte{byte(sum >> 24), byte(sum >> 16), byte(sum >> 8), byte(sum)})
	return nil
}

func (j *fileJournal) record(account, region, name string, s *secret) error {
	return j.write(&journalRecord{Account: account, Region: region, Name: name, Secret: s})
}

// access journals the first read of a version on a day.
func (j *fileJournal) access(account, region, name, versionID string, day int64) error {
	return j.write(&journalRecord{Account: account, Region: region, Name: name, Access: &accessMark{versionID, day}})
}

func (j *fileJournal) write(rec *journalRecord) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return errors.New("state file is closed")
	}
	if err := j.heal(); err != nil {
		return err
	}
	j.buf.Reset()
	if err := encodeLine(&j.buf, rec); err != nil {
		return err
	}
	line := j.buf.Bytes()
	if _, err := j.f.Write(line); err != nil {
		j.cutBack()
		return &Error{Code: ErrInternalServiceError, Message: fmt.Sprintf(
			"Writing the state file %s failed (%v), so the change was not made. Free space on the disk holding %s and retry.",
			j.path, err, filepath.Dir(j.path))}
	}
	if err := j.f.Sync(); err != nil {
		j.broken = err
		j.cutBack()
		return j.refusal()
	}
	j.size += int64(len(line))
	j.lines++
	k := recKey{rec.Account, rec.Region, rec.Name}
	switch {
	case rec.Access != nil:
		j.keepAccess(k, rec.Access.Version, line)
	case rec.Secret == nil:
		delete(j.live, k)
		delete(j.acc, k)
	default:
		j.live[k] = bytes.Clone(line)
		delete(j.acc, k)
	}
	if j.lines > 4*len(j.live)+1024 {
		// The change is durable already; a failed compaction only leaves
		// the longer log in place.
		if err := j.compact(); err != nil {
			j.warn("state file not compacted; it stays valid, only longer", "path", j.path, "err", err)
		}
	}
	return nil
}

// keepAccess remembers the latest access line of a version, for
// compaction and rollback.
func (j *fileJournal) keepAccess(k recKey, version string, line []byte) {
	m := j.acc[k]
	if m == nil {
		m = map[string][]byte{}
		j.acc[k] = m
	}
	m[version] = bytes.Clone(line)
}

// cutBack truncates the file to the last good offset after a failed write,
// so the next line never lands after a partial one. j.mu held.
func (j *fileJournal) cutBack() {
	if err := j.f.Truncate(j.size); err != nil {
		j.broken = err
	}
}

// heal clears a broken state once the file is back at its last good
// offset on disk. j.mu held.
func (j *fileJournal) heal() error {
	if j.broken == nil {
		return nil
	}
	err := j.f.Truncate(j.size)
	if err == nil {
		err = j.f.Sync()
	}
	if err != nil {
		j.broken = err
		return j.refusal()
	}
	j.broken = nil
	return nil
}

func (j *fileJournal) refusal() error {
	return &Error{Code: ErrInternalServiceError, Message: fmt.Sprintf(
		"The state file %s could not be synced to its disk (%v): the change was not made, and writes are refused until the disk holding %s accepts them again (check free space and the disk). Reads still work.",
		j.path, j.broken, filepath.Dir(j.path))}
}

// durable returns the state of one secret as the file holds it (nil: not
// there), to roll memory back after a failed write.
func (j *fileJournal) durable(account, region, name string) (*secret, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	k := recKey{account, region, name}
	line := j.live[k]
	if line == nil {
		return nil, nil
	}
	rec, err := parseLine(line)
	if err != nil || rec.Secret == nil {
		return nil, fmt.Errorf("re-reading %s from the state file: %v", name, err)
	}
	s := rec.Secret
	s.index()
	for _, l := range j.acc[k] {
		if a, err := parseLine(l); err == nil && a.Access != nil {
			applyAccess(s, a.Access)
		}
	}
	return s, nil
}

// compact rewrites the log with the live lines only. j.mu held (or load).
// The temporary file's descriptor becomes the log's: no reopen can fail
// after the rename.
func (j *fileJournal) compact() error {
	tmp := j.path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("compacting state file: %w", err)
	}
	w := bufio.NewWriterSize(f, 1<<16)
	var size int64
	lines := 0
	for k, line := range j.live {
		w.Write(line)
		size += int64(len(line))
		for _, a := range j.acc[k] {
			w.Write(a)
			size += int64(len(a))
			lines++
		}
	}
	lines += len(j.live)
	if err = w.Flush(); err == nil {
		err = f.Sync()
	}
	if err == nil {
		err = os.Rename(tmp, j.path)
	}
	if err != nil {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("compacting state file: %w", err)
	}
	if d, err := os.Open(filepath.Dir(j.path)); err == nil {
		d.Sync()
		d.Close()
	}
	if j.f != nil {
		j.f.Close()
	}
	j.f = f
	if j.wrap != nil {
		j.f = j.wrap(f)
	}
	j.size, j.lines = size, lines
	return nil
}

func (j *fileJournal) close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return nil
	}
	err := j.f.Close()
	j.f = nil
	return err
}
