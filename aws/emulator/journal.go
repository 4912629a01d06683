package emulator

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
)

// The state file is a write-ahead log of JSON lines, one per change: the
// complete new state of one secret, or its removal. A change is written and
// fsynced before the request is acknowledged, so a kill -9 loses nothing
// acknowledged. On load the last line for a secret wins; a torn final line
// (a crash mid-write, never acknowledged) is cut off. When the log holds
// many superseded lines it is compacted: the live lines go to a temporary
// file, which is fsynced and renamed over the log (atomic), and the
// directory is fsynced, so the file on disk is always the old log or the
// new one, never a mix.

type journalRecord struct {
	Account string  `json:"a"`
	Region  string  `json:"r"`
	Name    string  `json:"n"`
	Secret  *secret `json:"s"`
}

type recKey struct{ account, region, name string }

type fileJournal struct {
	path string

	mu    sync.Mutex
	f     *os.File
	live  map[recKey][]byte // latest line per live secret, for compaction
	lines int               // lines in the current file
	buf   bytes.Buffer
}

// openJournal reads the log at path (creating it if missing) and returns
// the live secrets it describes.
func openJournal(path string) (*fileJournal, []journalRecord, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("opening state file %s: %w (check the directory exists and is writable)", path, err)
	}
	j := &fileJournal{path: path, f: f, live: map[recKey][]byte{}}
	recs := map[recKey]journalRecord{}
	var order []recKey
	r := bufio.NewReaderSize(f, 1<<16)
	var good int64
	for {
		line, err := r.ReadBytes('\n')
		if len(line) > 0 && line[len(line)-1] == '\n' {
			var rec journalRecord
			if jerr := json.Unmarshal(line, &rec); jerr != nil {
				// A damaged line followed by more data is not a torn write.
				if _, perr := r.Peek(1); perr == nil {
					f.Close()
					return nil, nil, fmt.Errorf("state file %s is damaged at byte %d: %v (move it aside to start empty)", path, good, jerr)
				}
				break
			}
			k := recKey{rec.Account, rec.Region, rec.Name}
			if _, seen := recs[k]; !seen {
				order = append(order, k)
			}
			if rec.Secret == nil {
				delete(j.live, k)
				recs[k] = journalRecord{}
			} else {
				j.live[k] = bytes.Clone(line)
				recs[k] = rec
			}
			j.lines++
			good += int64(len(line))
			continue
		}
		if err == io.EOF || err == nil {
			break // a torn final line without its newline is dropped
		}
		f.Close()
		return nil, nil, fmt.Errorf("reading state file %s: %w", path, err)
	}
	if err := f.Truncate(good); err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("trimming a torn write from state file %s: %w", path, err)
	}
	if _, err := f.Seek(good, io.SeekStart); err != nil {
		f.Close()
		return nil, nil, err
	}
	var out []journalRecord
	for _, k := range order {
		if rec := recs[k]; rec.Secret != nil {
			out = append(out, rec)
		}
	}
	if j.lines > 2*len(j.live)+64 {
		if err := j.compact(); err != nil {
			f.Close()
			return nil, nil, err
		}
	}
	return j, out, nil
}

func (j *fileJournal) record(account, region, name string, s *secret) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return errors.New("state file is closed")
	}
	j.buf.Reset()
	enc := json.NewEncoder(&j.buf)
	if err := enc.Encode(journalRecord{Account: account, Region: region, Name: name, Secret: s}); err != nil {
		return err
	}
	if _, err := j.f.Write(j.buf.Bytes()); err != nil {
		return fmt.Errorf("writing state file: %w", err)
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("syncing state file: %w", err)
	}
	k := recKey{account, region, name}
	if s == nil {
		delete(j.live, k)
	} else {
		j.live[k] = bytes.Clone(j.buf.Bytes())
	}
	j.lines++
	if j.lines > 4*len(j.live)+1024 {
		return j.compact()
	}
	return nil
}

// compact rewrites the log with the live lines only. j.mu held (or load).
func (j *fileJournal) compact() error {
	tmp := j.path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("compacting state file: %w", err)
	}
	w := bufio.NewWriterSize(f, 1<<16)
	for _, line := range j.live {
		w.Write(line)
	}
	if err := w.Flush(); err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, j.path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("compacting state file: %w", err)
	}
	if d, err := os.Open(filepath.Dir(j.path)); err == nil {
		d.Sync()
		d.Close()
	}
	nf, err := os.OpenFile(j.path, os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("reopening state file: %w", err)
	}
	j.f.Close()
	j.f = nf
	j.lines = len(j.live)
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
