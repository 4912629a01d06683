package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// With WithStateFile the KMS keeps its keys and aliases in STATE.kms: one
// checksummed line (the journal's format) holding the whole KMS, rewritten
// through a temporary file, fsync and rename after every change, before the
// change is acknowledged. KMS changes are few and small, so a snapshot is
// simpler than a log and the file is always the old state or the new one.

type kmsSnapshot struct {
	Regions []*kmsRegion `json:"regions"`
}

// openSidecars loads the files that live beside the state file: the KMS
// snapshot and the audit trail. Damage stops New, as for the state file.
func (s *Server) openSidecars() error {
	if s.statePath == "" {
		return nil
	}
	if err := s.loadKMS(s.statePath + ".kms"); err != nil {
		return err
	}
	return s.trail.open(s.statePath+".trail", s.repair, func(msg string, args ...any) { s.log.Warn(msg, args...) })
}

func (s *Server) loadKMS(path string) error {
	s.kms.file = path
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading the KMS file %s: %w (check its permissions)", path, err)
	}
	var snap kmsSnapshot
	body, err := checkLine(b)
	if err == nil && !bytes.HasSuffix(b, []byte("\n")) {
		err = errors.New("the file does not end with a newline (a torn write)")
	}
	if err == nil {
		err = decodeStrict(body, &snap)
	}
	if err != nil {
		damage := &StateDamageError{Path: path, Line: 1, Problem: err.Error()}
		if !s.repair {
			return damage
		}
		return keepCopy(path, func(msg string, args ...any) { s.log.Warn(msg, args...) }, damage)
	}
	for _, kr := range snap.Regions {
		if kr == nil || kr.Keys == nil || kr.Aliases == nil {
			return &StateDamageError{Path: path, Line: 1, Problem: "a region of the KMS file has no keys or aliases map"}
		}
		s.kms.region(kr.Account, kr.Region)
		s.kms.regions[storeKey{kr.Account, kr.Region}] = kr
		for _, key := range kr.Keys {
			if !key.Managed {
				s.kms.customerKeys.Add(1)
			}
		}
	}
	return nil
}

func decodeStrict(body []byte, v any) error {
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("the record is not valid JSON (%v)", jsonProblem(err))
	}
	return nil
}

// saveKMS writes the whole KMS to its file; k.mu held. Without a state file
// it does nothing.
func (s *Server) saveKMS() error {
	path := s.kms.file
	if path == "" {
		return nil
	}
	var snap kmsSnapshot
	for _, kr := range s.kms.regions {
		snap.Regions = append(snap.Regions, kr)
	}
	var buf bytes.Buffer
	if err := encodeLine(&buf, &snap); err != nil {
		return err
	}
	if err := writeFileAtomic(path, buf.Bytes()); err != nil {
		return &Error{Code: ErrInternalServiceError, Message: fmt.Sprintf(
			"Writing the KMS file %s failed (%v), so the change was not made. Free space on the disk holding %s and retry.",
			path, err, filepath.Dir(path))}
	}
	return nil
}

// writeFileAtomic replaces path with b: temporary file, fsync, rename,
// fsync of the directory.
func writeFileAtomic(path string, b []byte) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
