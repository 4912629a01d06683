package emulator

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// faultDisk is shared by every faultFile of one test: a byte budget after
// which writes fail half way with ENOSPC (a full disk), and an fsync switch.
type faultDisk struct {
	mu       sync.Mutex
	budget   int64 // bytes still writable; <0: unlimited
	syncFail bool
}

func (d *faultDisk) set(budget int64, syncFail bool) {
	d.mu.Lock()
	d.budget, d.syncFail = budget, syncFail
	d.mu.Unlock()
}

type faultFile struct {
	*os.File
	d *faultDisk
}

func (f faultFile) Write(p []byte) (int, error) {
	f.d.mu.Lock()
	defer f.d.mu.Unlock()
	if f.d.budget >= 0 && int64(len(p)) > f.d.budget {
		n, _ := f.File.Write(p[:f.d.budget]) // the partial line a full disk leaves
		f.d.budget = 0
		return n, &os.PathError{Op: "write", Path: f.Name(), Err: syscall.ENOSPC}
	}
	if f.d.budget >= 0 {
		f.d.budget -= int64(len(p))
	}
	return f.File.Write(p)
}

func (f faultFile) Sync() error {
	f.d.mu.Lock()
	fail := f.d.syncFail
	f.d.mu.Unlock()
	if fail {
		return &os.PathError{Op: "sync", Path: f.Name(), Err: syscall.EIO}
	}
	return f.File.Sync()
}

func withFaults(d *faultDisk) Option {
	return func(s *Server) { s.wrapState = func(f *os.File) journalFile { return faultFile{f, d} } }
}

func openState(t *testing.T, path string, opts ...Option) *Server {
	t.Helper()
	srv, err := New(append([]Option{WithStateFile(path), WithClock(newTestClock().Now)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

func valueOf(t *testing.T, st *memStore, name string) string {
	t.Helper()
	g, err := st.GetSecretValue(ctx, &GetSecretValueInput{SecretId: sp(name)})
	if err != nil {
		t.Fatalf("GetSecretValue(%s): %v", name, err)
	}
	return *g.SecretString
}

// TestDiskFullLosesNoAcknowledgedWrite fails the disk after every budget
// from 0 to 400 bytes in turn: the failed call changes nothing in memory,
// the next call (disk freed) succeeds, and after a restart every
// acknowledged value is there.
func TestDiskFullLosesNoAcknowledgedWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.jsonl")
	disk := &faultDisk{budget: -1}
	srv := openState(t, path, withFaults(disk))
	st := srv.store(DefaultAccountID, DefaultRegion)
	acked := map[string]string{} // latest acknowledged value per secret
	var versions [][2]string     // every acknowledged (secret, version)
	lost := 0
	refused := 0
	write := func(name, val string) error {
		var err error
		if acked[name] == "" {
			_, err = st.CreateSecret(ctx, &CreateSecretInput{Name: sp(name), ClientRequestToken: sp(tok(val)), SecretString: sp(val)})
		} else {
			_, err = st.PutSecretValue(ctx, &PutSecretValueInput{SecretId: sp(name), ClientRequestToken: sp(tok(val)), SecretString: sp(val)})
		}
		if err == nil {
			acked[name] = val
			versions = append(versions, [2]string{name, tok(val)})
		}
		return err
	}
	for i := range 60 {
		name := fmt.Sprintf("s%d", i%5)
		disk.set(int64(i*97%3000), false) // the disk fills somewhere inside (or after) the line
		if err := write(name, fmt.Sprintf("full-%d", i)); err != nil {
			refused++
			if !errors.Is(err, ErrInternalServiceError) || !strings.Contains(err.Error(), path) {
				t.Fatalf("step %d: error %v does not name the state file", i, err)
			}
			if _, gerr := st.GetSecretValue(ctx, &GetSecretValueInput{SecretId: sp(name)}); acked[name] == "" && gerr == nil {
				t.Fatalf("step %d: a secret whose create failed is served", i)
			} else if acked[name] != "" && valueOf(t, st, name) != acked[name] {
				t.Fatalf("step %d: memory serves the value of a failed write", i)
			}
		}
		disk.set(-1, false) // space freed: the next write lands after the last good line
		if err := write(name, fmt.Sprintf("freed-%d", i)); err != nil {
			t.Fatalf("step %d: write after freeing space: %v", i, err)
		}
	}
	srv.Close()
	srv2 := openState(t, path)
	defer srv2.Close()
	st2 := srv2.store(DefaultAccountID, DefaultRegion)
	for name, val := range acked {
		if got, err := st2.GetSecretValue(ctx, &GetSecretValueInput{SecretId: sp(name)}); err != nil || *got.SecretString != val {
			lost++
		}
	}
	for _, nv := range versions {
		if _, err := st2.GetSecretValue(ctx, &GetSecretValueInput{SecretId: sp(nv[0]), VersionId: sp(nv[1])}); err != nil {
			lost++
		}
	}
	if lost != 0 || refused < 20 || refused == 60 {
		t.Fatalf("%d acknowledged writes lost after disk-full failures (%d acknowledged)", lost, len(versions))
	}
	t.Logf("acknowledged writes lost under disk full: %d of %d (%d refused)", lost, len(versions), refused)
}

// TestFsyncFailureRefusesWritesKeepsReads: after a failed fsync writes are
// refused with a message naming the file and its disk, reads go on, and
// once the disk syncs again writes resume and survive a restart.
func TestFsyncFailureRefusesWritesKeepsReads(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.jsonl")
	disk := &faultDisk{budget: -1}
	srv := openState(t, path, withFaults(disk))
	st := srv.store(DefaultAccountID, DefaultRegion)
	if _, err := st.CreateSecret(ctx, &CreateSecretInput{Name: sp("a"), ClientRequestToken: sp(tok("one")), SecretString: sp("one")}); err != nil {
		t.Fatal(err)
	}
	disk.set(-1, true)
	for i := range 3 {
		_, err := st.PutSecretValue(ctx, &PutSecretValueInput{SecretId: sp("a"), ClientRequestToken: sp(tok(fmt.Sprint("x", i))), SecretString: sp("two")})
		if !errors.Is(err, ErrInternalServiceError) || !strings.Contains(err.Error(), "could not be synced") ||
			!strings.Contains(err.Error(), filepath.Dir(path)) || !strings.Contains(err.Error(), "Reads still work") {
			t.Fatalf("write %d after fsync failure: %v", i, err)
		}
		if v := valueOf(t, st, "a"); v != "one" {
			t.Fatalf("read after refused write = %q", v)
		}
	}
	disk.set(-1, false)
	if _, err := st.PutSecretValue(ctx, &PutSecretValueInput{SecretId: sp("a"), ClientRequestToken: sp(tok("three")), SecretString: sp("three")}); err != nil {
		t.Fatalf("write after the disk recovered: %v", err)
	}
	srv.Close()
	srv2 := openState(t, path)
	defer srv2.Close()
	if v := valueOf(t, srv2.store(DefaultAccountID, DefaultRegion), "a"); v != "three" {
		t.Fatalf("after restart %q, want three", v)
	}
}

// TestFailedDeleteAndTagAreRolledBack covers writes that remove or
// reschedule: memory keeps what the file keeps.
func TestFailedDeleteAndTagAreRolledBack(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.jsonl")
	disk := &faultDisk{budget: -1}
	srv := openState(t, path, withFaults(disk))
	defer srv.Close()
	st := srv.store(DefaultAccountID, DefaultRegion)
	st.CreateSecret(ctx, &CreateSecretInput{Name: sp("a"), ClientRequestToken: sp(tok("one")), SecretString: sp("one")})
	disk.set(10, false)
	if _, err := st.DeleteSecret(ctx, &DeleteSecretInput{SecretId: sp("a"), ForceDeleteWithoutRecovery: ptr(true)}); err == nil {
		t.Fatal("forced delete succeeded on a full disk")
	}
	if _, err := st.DeleteSecret(ctx, &DeleteSecretInput{SecretId: sp("a")}); err == nil {
		t.Fatal("scheduled delete succeeded on a full disk")
	}
	if err := st.TagResource(ctx, &TagResourceInput{SecretId: sp("a"), Tags: []Tag{{Key: sp("k"), Value: sp("v")}}}); err == nil {
		t.Fatal("tag succeeded on a full disk")
	}
	disk.set(-1, false)
	d, err := st.DescribeSecret(ctx, &SecretIdInput{SecretId: sp("a")})
	if err != nil || !d.DeletedDate.IsZero() || len(d.Tags) != 0 || len(st.scheduled) != 0 {
		t.Fatalf("after failed writes: %+v %v", d, err)
	}
}

// TestStatePermissionsTightened: a 0644 file is made 0600 at start.
func TestStatePermissionsTightened(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.jsonl")
	os.WriteFile(path, nil, 0o644)
	os.Chmod(path, 0o644)
	srv := openState(t, path)
	srv.Close()
	fi, _ := os.Stat(path)
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %o, want 0600", fi.Mode().Perm())
	}
}

// TestFailedCompactionIsNotFatal: the temporary path is a directory, so
// compaction cannot happen; start-up and writes go on.
func TestFailedCompactionIsNotFatal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.jsonl")
	os.Mkdir(path+".tmp", 0o700)
	os.WriteFile(path+".tmp/x", nil, 0o600)
	srv := openState(t, path)
	st := srv.store(DefaultAccountID, DefaultRegion)
	st.CreateSecret(ctx, &CreateSecretInput{Name: sp("c")})
	for i := range 1100 {
		if err := st.TagResource(ctx, &TagResourceInput{SecretId: sp("c"), Tags: []Tag{{Key: sp("n"), Value: sp(fmt.Sprint(i))}}}); err != nil {
			t.Fatalf("write %d with compaction failing: %v", i, err)
		}
	}
	srv.Close()
	srv = openState(t, path) // a long log and a failing compaction at load
	defer srv.Close()
	d, _ := srv.store(DefaultAccountID, DefaultRegion).DescribeSecret(ctx, &SecretIdInput{SecretId: sp("c")})
	if *d.Tags[0].Value != "1099" {
		t.Fatalf("tag %s", *d.Tags[0].Value)
	}
}

// TestAccessDatesDoNotRewriteSecrets: 1,000 first-reads-of-the-day (one
// per day) add a few bytes each, not a copy of the 2,000-byte secret.
func TestAccessDatesDoNotRewriteSecrets(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.jsonl")
	clock := newTestClock()
	srv, err := New(WithStateFile(path), WithClock(clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	st := srv.store(DefaultAccountID, DefaultRegion)
	big := strings.Repeat("v", 2000)
	st.CreateSecret(ctx, &CreateSecretInput{Name: sp("a"), ClientRequestToken: sp(tok("one")), SecretString: &big})
	fi0, _ := os.Stat(path)
	for range 1000 {
		clock.Advance(24 * time.Hour)
		st.GetSecretValue(ctx, &GetSecretValueInput{SecretId: sp("a")})
	}
	fi1, _ := os.Stat(path)
	if grew := fi1.Size() - fi0.Size(); grew > 1000*150 {
		t.Fatalf("1,000 access records grew the file by %d bytes", grew)
	} else {
		t.Logf("1,000 access records grew the file by %d bytes", grew)
	}
	want := clock.Now().UTC().Truncate(24 * time.Hour)
	srv.Close()
	srv, err = New(WithStateFile(path), WithClock(clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	d, _ := srv.store(DefaultAccountID, DefaultRegion).DescribeSecret(ctx, &SecretIdInput{SecretId: sp("a")})
	if !d.LastAccessedDate.Time.Equal(want) {
		t.Fatalf("LastAccessedDate after restart %v, want %v", d.LastAccessedDate, want)
	}
}
