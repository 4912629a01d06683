package emulator

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"
)

// The trail keeps the newest events of each account in a ring (10,000 by
// default, the oldest dropped first). With WithStateFile it also appends
// every event to STATE.trail, one checksummed line each (the journal's
// format: encodeLine, checkLine), fsynced before the request is answered,
// so an answered request's event survives a kill -9. A write that fails is
// cut off again and logged; the event stays in memory and the request is
// still answered, since the call itself has already happened. On start a
// torn final line is cut off, any other damage stops New with a
// *StateDamageError (WithStateRepair keeps a copy and cuts the file).
// Compaction rewrites the file with the events the rings still hold.

// DefaultAuditCapacity is how many events the trail keeps per account.
const DefaultAuditCapacity = 10000

// WithAuditCapacity sets how many events the trail keeps per account
// (default DefaultAuditCapacity); older ones are dropped.
func WithAuditCapacity(n int) Option { return func(s *Server) { s.trail.capacity = n } }

type trailEntry struct {
	seq uint64
	ev  *AuditEvent
}

// trailRing is a ring of one account's events, oldest at start.
type trailRing struct {
	buf   []trailEntry
	start int
}

func (r *trailRing) add(e trailEntry, capacity int) {
	if len(r.buf) < capacity {
		r.buf = append(r.buf, e)
		return
	}
	r.buf[r.start] = e
	r.start = (r.start + 1) % len(r.buf)
}

// newestFirst returns the entries, newest first.
func (r *trailRing) newestFirst() []trailEntry {
	out := make([]trailEntry, 0, len(r.buf))
	for i := len(r.buf) - 1; i >= 0; i-- {
		out = append(out, r.buf[(r.start+i)%len(r.buf)])
	}
	return out
}

// auditTrail is the zero-value-ready trail of a Server.
type auditTrail struct {
	mu       sync.Mutex
	capacity int
	seq      uint64
	rings    map[string]*trailRing
	file     *trailFile // nil: memory only
}

func (t *auditTrail) cap() int {
	if t.capacity <= 0 {
		return DefaultAuditCapacity
	}
	return t.capacity
}

// record adds ev to the trail of the caller's account and of each other
// account that owns one of its resources, as CloudTrail delivers a
// cross-account call to both; and to the file.
func (t *auditTrail) record(ev *AuditEvent) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	ev.RecipientAccountID = ev.UserIdentity.AccountID
	werr := t.deliver(ev)
	for i, r := range ev.Resources {
		if r.AccountID == "" || r.AccountID == ev.UserIdentity.AccountID || seenAccount(ev.Resources[:i], r.AccountID) {
			continue
		}
		cp := *ev
		cp.RecipientAccountID = r.AccountID
		if err := t.deliver(&cp); err != nil && werr == nil {
			werr = err
		}
	}
	if t.file != nil && werr == nil && t.file.lines > 2*t.held()+1024 {
		if err := t.compact(); err != nil {
			t.file.warn("trail file not compacted; it stays valid, only longer", "path", t.file.path, "err", err)
		}
	}
	return werr
}

func seenAccount(rs []AuditResource, account string) bool {
	for _, r := range rs {
		if r.AccountID == account {
			return true
		}
	}
	return false
}

// deliver writes e to the file (when durable) and its account's ring;
// t.mu held.
func (t *auditTrail) deliver(e *AuditEvent) error {
	var err error
	if t.file != nil {
		e.settle()
		err = t.file.append(e)
	}
	t.add(e)
	return err
}

// add puts e in its account's ring; t.mu held.
func (t *auditTrail) add(e *AuditEvent) {
	if t.rings == nil {
		t.rings = map[string]*trailRing{}
	}
	r := t.rings[e.RecipientAccountID]
	if r == nil {
		r = &trailRing{}
		t.rings[e.RecipientAccountID] = r
	}
	t.seq++
	r.add(trailEntry{seq: t.seq, ev: e}, t.cap())
}

func (t *auditTrail) held() int {
	n := 0
	for _, r := range t.rings {
		n += len(r.buf)
	}
	return n
}

// entries returns the entries of account, newest first.
func (t *auditTrail) entries(account string) []trailEntry {
	t.mu.Lock()
	defer t.mu.Unlock()
	r := t.rings[account]
	if r == nil {
		return nil
	}
	out := r.newestFirst()
	for _, e := range out {
		e.ev.settle()
	}
	return out
}

func (t *auditTrail) events(account string) []AuditEvent {
	var out []AuditEvent
	for _, e := range t.entries(account) {
		out = append(out, *e.ev)
	}
	return out
}

// trailFile is the append-only file of the trail.
type trailFile struct {
	path   string
	f      *os.File
	size   int64
	lines  int
	broken error
	warn   func(string, ...any)
}

func (f *trailFile) append(ev *AuditEvent) error {
	if f.broken != nil {
		if err := f.f.Truncate(f.size); err != nil {
			return fmt.Errorf("trail file %s still cannot be cut back after a failed write: %w", f.path, err)
		}
		f.broken = nil
	}
	var buf bytes.Buffer
	if err := encodeLine(&buf, ev); err != nil {
		return err
	}
	if _, err := f.f.Write(buf.Bytes()); err != nil {
		f.cutBack(err)
		return fmt.Errorf("writing trail file %s: %w (free space on %s)", f.path, err, filepath.Dir(f.path))
	}
	if err := f.f.Sync(); err != nil {
		f.cutBack(err)
		return fmt.Errorf("syncing trail file %s: %w", f.path, err)
	}
	f.size += int64(buf.Len())
	f.lines++
	return nil
}

// cutBack removes a partial line, so the next one never follows it.
func (f *trailFile) cutBack(cause error) {
	if err := f.f.Truncate(f.size); err != nil {
		f.broken = cause
	}
}

// open loads the trail file at path (creating it), refusing damage unless
// repair.
func (t *auditTrail) open(path string, repair bool, warn func(string, ...any)) error {
	fh, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("opening trail file %s: %w (check the directory exists and is writable)", path, err)
	}
	tightenMode(fh, path, warn)
	f := &trailFile{path: path, f: fh, warn: warn}
	t.mu.Lock()
	defer t.mu.Unlock()
	good, damage, err := t.replay(f)
	if err == nil {
		err = settleReplay(fh, path, good, damage, repair, warn)
	}
	if err != nil {
		fh.Close()
		t.rings, t.seq = nil, 0
		return err
	}
	f.size = good
	t.file = f
	if f.lines > 2*t.held()+1024 {
		if err := t.compact(); err != nil {
			warn("trail file not compacted; it stays valid, only longer", "path", path, "err", err)
		}
	}
	return nil
}

// replay reads the events of f into the rings and returns the offset after
// the last good line and the damage found (a torn final line is not).
func (t *auditTrail) replay(f *trailFile) (int64, *StateDamageError, error) {
	br := bufio.NewReaderSize(f.f, 1<<16)
	var good int64
	for n := 1; ; n++ {
		line, err := br.ReadBytes('\n')
		if len(line) > 0 && line[len(line)-1] == '\n' {
			problem := ""
			ev := &AuditEvent{}
			body, cerr := checkLine(line)
			if cerr != nil {
				problem = cerr.Error()
			} else if jerr := json.Unmarshal(body, ev); jerr != nil {
				problem = fmt.Sprintf("the record is not valid JSON (%v)", jsonProblem(jerr))
			} else if ev.EventID == "" || ev.RecipientAccountID == "" {
				problem = "the record is not an audit event (no eventID or recipientAccountId)"
			}
			if problem != "" {
				return good, &StateDamageError{Path: f.path, Offset: good, Line: n, Problem: problem, Records: f.lines}, nil
			}
			t.add(ev)
			f.lines++
			good += int64(len(line))
			continue
		}
		if err == io.EOF || err == nil {
			if len(line) > 0 {
				f.warn("trail file: a torn final write (no newline, never acknowledged) is cut off", "path", f.path, "offset", good)
			}
			return good, nil, nil
		}
		return 0, nil, fmt.Errorf("reading trail file %s: %w", f.path, err)
	}
}

// compact rewrites the file with the events the rings hold, oldest first;
// t.mu held. The temporary file's descriptor becomes the trail's.
func (t *auditTrail) compact() error {
	f := t.file
	var all []trailEntry
	for _, r := range t.rings {
		all = append(all, r.buf...)
	}
	slices.SortFunc(all, func(a, b trailEntry) int { return cmp.Compare(a.seq, b.seq) })
	tmp := f.path + ".tmp"
	fh, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(fh, 1<<16)
	var buf bytes.Buffer
	for _, e := range all {
		buf.Reset()
		if err = encodeLine(&buf, e.ev); err != nil {
			break
		}
		w.Write(buf.Bytes())
	}
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = fh.Sync()
	}
	if err == nil {
		err = os.Rename(tmp, f.path)
	}
	if err != nil {
		fh.Close()
		os.Remove(tmp)
		return err
	}
	if d, err := os.Open(filepath.Dir(f.path)); err == nil {
		d.Sync()
		d.Close()
	}
	st, _ := fh.Stat()
	f.f.Close()
	f.f, f.lines, f.broken = fh, len(all), nil
	if st != nil {
		f.size = st.Size()
	}
	return nil
}

func (t *auditTrail) close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.file == nil {
		return nil
	}
	err := t.file.f.Close()
	t.file = nil
	return err
}
