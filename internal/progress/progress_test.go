package progress

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestRoundTrip(t *testing.T) {
	s := NewStore(filepath.Join(t.TempDir(), "nested", "dir"))
	p := New()
	p.Visit("store", 3)
	p.Complete("store", 2)
	p.Complete("store", 0)
	p.Complete("store", 2)
	if err := s.Save(p); err != nil {
		t.Fatal(err)
	}
	got, notice, err := s.Load()
	if err != nil || notice != "" {
		t.Fatalf("Load: %v %q", err, notice)
	}
	if !reflect.DeepEqual(got, p) {
		t.Fatalf("round trip: got %+v, want %+v", got.Lessons["store"], p.Lessons["store"])
	}
	if want := []int{0, 2}; !reflect.DeepEqual(got.Lessons["store"].Done, want) {
		t.Fatalf("done = %v, want %v", got.Lessons["store"].Done, want)
	}
	data, _ := os.ReadFile(s.Path())
	if !strings.Contains(string(data), "\"version\": 1") {
		t.Fatalf("file is not the readable, versioned format:\n%s", data)
	}
}

func TestMissingFileIsEmptyProgress(t *testing.T) {
	p, notice, err := NewStore(t.TempDir()).Load()
	if err != nil || notice != "" || len(p.Lessons) != 0 || p.Version != Version {
		t.Fatalf("Load = %+v, %q, %v", p, notice, err)
	}
}

func TestCrashBeforeRenameKeepsOldFile(t *testing.T) {
	s := NewStore(t.TempDir())
	old := New()
	old.Complete("store", 0)
	if err := s.Save(old); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(s.Path())

	crash := errors.New("power cut")
	s.beforeRename = func() error { return crash }
	newer := New()
	newer.Complete("store", 5)
	if err := s.Save(newer); !errors.Is(err, crash) {
		t.Fatalf("Save = %v, want the simulated crash", err)
	}
	after, _ := os.ReadFile(s.Path())
	if string(after) != string(before) {
		t.Fatalf("the old file changed:\n%s", after)
	}
	got, _, err := s.Load()
	if err != nil || !reflect.DeepEqual(got.Lessons["store"].Done, []int{0}) {
		t.Fatalf("after crash: %+v %v", got.Lessons["store"], err)
	}
	entries, _ := os.ReadDir(s.Dir)
	if len(entries) != 1 {
		t.Fatalf("temporary files left behind: %v", entries)
	}
}

func TestUnusableFilesAreSetAsideNotOverwritten(t *testing.T) {
	for _, tc := range []struct{ name, content, why string }{
		{"corrupt", `{"version": 1, "lessons": {`, "not valid JSON"},
		{"future", `{"version": 99, "lessons": {}}`, "newer secretlings"},
		{"unversioned", `{"lessons": {}}`, "no format version"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := NewStore(t.TempDir())
			s.now = func() time.Time { return time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC) }
			if err := os.WriteFile(s.Path(), []byte(tc.content), 0o600); err != nil {
				t.Fatal(err)
			}
			p, notice, err := s.Load()
			if err != nil {
				t.Fatal(err)
			}
			aside := s.Path() + ".unreadable-20261125-120000"
			if !strings.Contains(notice, tc.why) || !strings.Contains(notice, aside) {
				t.Fatalf("notice %q should say %q and name %s", notice, tc.why, aside)
			}
			kept, err := os.ReadFile(aside)
			if err != nil || string(kept) != tc.content {
				t.Fatalf("the unusable file was not kept intact: %q %v", kept, err)
			}
			if len(p.Lessons) != 0 {
				t.Fatalf("progress not empty: %+v", p)
			}
		})
	}
}

func TestStateAndResume(t *testing.T) {
	p := New()
	if p.State("l", 3) != NotStarted || p.Resume("l", 3) != 0 {
		t.Fatal("fresh lesson should be not started at step 0")
	}
	p.Visit("l", 1)
	p.Complete("l", 0)
	if p.State("l", 3) != InProgress || p.Resume("l", 3) != 1 {
		t.Fatalf("state %v resume %d", p.State("l", 3), p.Resume("l", 3))
	}
	p.Complete("l", 1)
	if p.Resume("l", 3) != 2 {
		t.Fatalf("resume after completing the current step = %d, want 2", p.Resume("l", 3))
	}
	p.Complete("l", 2)
	if p.State("l", 3) != Done || p.Resume("l", 3) != 2 {
		t.Fatalf("state %v resume %d", p.State("l", 3), p.Resume("l", 3))
	}
	if p.State("l", 4) != InProgress {
		t.Fatal("a lesson that gained a step is in progress again")
	}
	p.Reset("l")
	if p.State("l", 3) != NotStarted {
		t.Fatal("reset")
	}
}

func TestDirPrecedence(t *testing.T) {
	env := map[string]string{EnvStateDir: "/from/env"}
	getenv := func(k string) string { return env[k] }
	if d, _ := Dir("/from/flag", getenv); d != "/from/flag" {
		t.Fatalf("flag: %s", d)
	}
	if d, _ := Dir("", getenv); d != "/from/env" {
		t.Fatalf("env: %s", d)
	}
	t.Setenv("XDG_CONFIG_HOME", "/xdg")
	if d, _ := Dir("", func(string) string { return "" }); d != "/xdg/secretlings" {
		t.Fatalf("xdg: %s", d)
	}
}

func TestExercisesRoundTripAndClone(t *testing.T) {
	s := NewStore(t.TempDir())
	p := New()
	p.Exercise("rollback").Namespace = "secretlings/ex/rollback/0123abcd/"
	p.Exercise("rollback").Hints = 2
	p.Exercise("ttl-cache").Passed = true
	if err := s.Save(p); err != nil {
		t.Fatal(err)
	}
	got, _, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Exercises, p.Exercises) {
		t.Fatalf("round trip: got %+v, want %+v", got.Exercises, p.Exercises)
	}
	c := p.Clone()
	c.Exercise("rollback").Hints = 3
	c.Exercise("new").Passed = true
	if p.Exercises["rollback"].Hints != 2 || p.Exercises["new"] != nil {
		t.Fatal("Clone shares exercise progress with the original")
	}
	p.ResetExercise("rollback")
	if _, ok := p.Exercises["rollback"]; ok {
		t.Fatal("ResetExercise kept the exercise")
	}
}

func TestOldFileWithoutExercisesLoads(t *testing.T) {
	s := NewStore(t.TempDir())
	if err := os.WriteFile(s.Path(), []byte(`{"version":1,"lessons":{"store":{"step":1}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	p, notice, err := s.Load()
	if err != nil || notice != "" {
		t.Fatalf("Load: %v %q", err, notice)
	}
	if p.Exercise("x").Passed {
		t.Fatal("a new exercise starts passed")
	}
}

// The language of an exercise is its own when switched alone, else the
// learner's; both survive a save and a load.
func TestLanguageChoiceRoundTrips(t *testing.T) {
	st := NewStore(t.TempDir())
	p := New()
	if p.LangOf("ttl-cache") != "" {
		t.Fatal("a language before any choice")
	}
	p.Lang = "python"
	p.Exercise("ttl-cache").Lang = "go"
	if err := st.Save(p); err != nil {
		t.Fatal(err)
	}
	got, _, err := st.Load()
	if err != nil {
		t.Fatal(err)
	}
	if got.LangOf("ttl-cache") != "go" || got.LangOf("config-manager") != "python" {
		t.Errorf("ttl-cache %q, config-manager %q; want go, python", got.LangOf("ttl-cache"), got.LangOf("config-manager"))
	}
}
