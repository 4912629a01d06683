// Package progress keeps the learner's progress in a small, versioned,
// human-readable JSON file, written atomically so a crash never loses it.
package progress

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// Version is the file format this build writes and reads.
const Version = 1

// FileName is the progress file inside the state directory.
const FileName = "progress.json"

// EnvStateDir overrides the state directory, like --state-dir.
const EnvStateDir = "SECRETLINGS_STATE_DIR"

// Progress is everything the file holds.
type Progress struct {
	Version int                `json:"version"`
	Note    string             `json:"note,omitempty"`
	Lessons map[string]*Lesson `json:"lessons"`
	// Exercises is the progress through the graded exercises, by id.
	Exercises map[string]*Exercise `json:"exercises,omitempty"`
	// Lang is the language the learner chose for the code exercises
	// ("go", "python"); "" until they chose.
	Lang string `json:"lang,omitempty"`
}

// Exercise is the progress through one graded exercise.
type Exercise struct {
	// Passed is true when the last grading passed every check.
	Passed bool `json:"passed,omitempty"`
	// Solved is true once a grading passed: a later one that fails (a
	// save in the middle of a change) sets Passed back, not Solved. A
	// reset clears both. See Exercise.Done.
	Solved bool `json:"solved,omitempty"`
	// Hints is how many hints the learner has revealed.
	Hints int `json:"hints,omitempty"`
	// Namespace is the secret name prefix of a state exercise, kept so the
	// secrets the learner created are still graded after a restart.
	Namespace string `json:"namespace,omitempty"`
	// Lang is the language of this exercise when the learner switched it
	// alone away from Progress.Lang; "" follows Progress.Lang.
	Lang string `json:"lang,omitempty"`
}

// Lesson is the progress through one lesson.
type Lesson struct {
	// Step is the step the learner was last on (0-based).
	Step int `json:"step"`
	// Done lists the steps completed, sorted.
	Done []int `json:"done,omitempty"`
}

// State summarises a lesson's progress for the home screen.
type State int

// The states a lesson can be in.
const (
	NotStarted State = iota
	InProgress
	Done
)

func (s State) String() string {
	return [...]string{"not started", "in progress", "done"}[s]
}

// New returns empty progress.
func New() *Progress {
	return &Progress{Version: Version, Note: "secretlings progress; safe to copy between machines", Lessons: map[string]*Lesson{}}
}

func (p *Progress) lesson(id string) *Lesson {
	l := p.Lessons[id]
	if l == nil {
		l = &Lesson{}
		p.Lessons[id] = l
	}
	return l
}

// Visit records that the learner is on step of lesson id.
func (p *Progress) Visit(id string, step int) { p.lesson(id).Step = step }

// Complete marks step of lesson id as done.
func (p *Progress) Complete(id string, step int) {
	l := p.lesson(id)
	if i, found := slices.BinarySearch(l.Done, step); !found {
		l.Done = slices.Insert(l.Done, i, step)
	}
}

// Exercise returns the progress through exercise id, creating it if needed.
func (p *Progress) Exercise(id string) *Exercise {
	if p.Exercises == nil {
		p.Exercises = map[string]*Exercise{}
	}
	e := p.Exercises[id]
	if e == nil {
		e = &Exercise{}
		p.Exercises[id] = e
	}
	return e
}

// Done reports whether the exercise has passed once, now or before: a
// file written before Solved existed says so with Passed alone.
func (e *Exercise) Done() bool { return e != nil && (e.Solved || e.Passed) }

// LangOf is the language exercise id is solved in: its own choice, else
// the learner's, else "" (not chosen yet).
func (p *Progress) LangOf(id string) string {
	if e := p.Exercises[id]; e != nil && e.Lang != "" {
		return e.Lang
	}
	return p.Lang
}

// ResetExercise forgets the progress through exercise id (its namespace
// included).
func (p *Progress) ResetExercise(id string) { delete(p.Exercises, id) }

// Reset forgets all progress through lesson id.
func (p *Progress) Reset(id string) { delete(p.Lessons, id) }

// State tells whether lesson id, which has steps steps, is done.
func (p *Progress) State(id string, steps int) State {
	l := p.Lessons[id]
	switch {
	case l == nil || (len(l.Done) == 0 && l.Step == 0):
		return NotStarted
	case p.DoneCount(id, steps) >= steps:
		return Done
	default:
		return InProgress
	}
}

// DoneCount is the number of completed steps among the first steps.
func (p *Progress) DoneCount(id string, steps int) int {
	l := p.Lessons[id]
	if l == nil {
		return 0
	}
	n := 0
	for _, s := range l.Done {
		if s < steps {
			n++
		}
	}
	return n
}

// Resume is the step to open lesson id at: the step the learner was on if it
// is not done, else the first step not done, else the last one.
func (p *Progress) Resume(id string, steps int) int {
	l := p.Lessons[id]
	if l == nil || steps == 0 {
		return 0
	}
	if l.Step < steps && !slices.Contains(l.Done, l.Step) {
		return l.Step
	}
	for s := range steps {
		if !slices.Contains(l.Done, s) {
			return s
		}
	}
	return steps - 1
}

// Dir picks the state directory: the flag, then $SECRETLINGS_STATE_DIR, then
// secretlings/ in the user's config directory ($XDG_CONFIG_HOME or
// ~/.config on Linux, as os.UserConfigDir decides).
func Dir(flag string, getenv func(string) string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	if d := getenv(EnvStateDir); d != "" {
		return d, nil
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("finding a place for the progress file: %w (set %s or pass --state-dir)", err, EnvStateDir)
	}
	return filepath.Join(base, "secretlings"), nil
}

// Store reads and writes the progress file in one directory.
type Store struct {
	Dir string
	now func() time.Time
	// beforeRename runs between writing the temporary file and renaming it
	// over the real one; tests use it to simulate a crash at that moment.
	beforeRename func() error
}

// NewStore returns a Store for dir; the directory is created on first Save.
func NewStore(dir string) *Store { return &Store{Dir: dir, now: time.Now} }

// Path is the progress file's full path.
func (s *Store) Path() string { return filepath.Join(s.Dir, FileName) }

// Load reads the progress file. A missing file is empty progress. A file this
// build cannot use (corrupt, or written by a newer version) is renamed aside,
// never overwritten, and notice says where it went; the progress returned is
// then empty.
func (s *Store) Load() (p *Progress, notice string, err error) {
	data, err := os.ReadFile(s.Path())
	if errors.Is(err, fs.ErrNotExist) {
		return New(), "", nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("reading progress: %w", err)
	}
	p = &Progress{}
	var why string
	if err := json.Unmarshal(data, p); err != nil {
		why = fmt.Sprintf("it is not valid JSON (%v)", err)
	} else if p.Version > Version {
		why = fmt.Sprintf("it was written by a newer secretlings (format %d, this one reads %d): update secretlings to keep it", p.Version, Version)
	} else if p.Version < 1 {
		why = "it has no format version"
	}
	if why == "" {
		if p.Lessons == nil {
			p.Lessons = map[string]*Lesson{}
		}
		return p, "", nil // Note is kept as written
	}
	aside := fmt.Sprintf("%s.unreadable-%s", s.Path(), s.now().UTC().Format("20060102-150405"))
	if err := os.Rename(s.Path(), aside); err != nil {
		return nil, "", fmt.Errorf("progress file %s cannot be used because %s, and moving it aside failed: %w", s.Path(), why, err)
	}
	return New(), fmt.Sprintf("Progress file %s could not be used because %s. It was kept as %s; starting afresh.", s.Path(), why, aside), nil
}

// Save writes p atomically: a temporary file in the same directory, fsync,
// rename over the old file, fsync of the directory. A crash at any point
// leaves either the old file or the new one, never a torn one.
func (s *Store) Save(p *Progress) error {
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return fmt.Errorf("saving progress: %w", err)
	}
	data, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(s.Dir, FileName+".tmp-*")
	if err != nil {
		return fmt.Errorf("saving progress: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("saving progress: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("saving progress: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("saving progress: %w", err)
	}
	if s.beforeRename != nil {
		if err := s.beforeRename(); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp.Name(), s.Path()); err != nil {
		return fmt.Errorf("saving progress: %w", err)
	}
	ok = true
	if d, err := os.Open(s.Dir); err == nil {
		_ = d.Sync() // makes the rename itself durable; not all filesystems support it
		d.Close()
	}
	return nil
}

// Clone returns a deep copy, so a save running in the background never sees
// later changes.
func (p *Progress) Clone() *Progress {
	c := *p
	c.Lessons = make(map[string]*Lesson, len(p.Lessons))
	for id, l := range p.Lessons {
		cl := *l
		cl.Done = slices.Clone(l.Done)
		c.Lessons[id] = &cl
	}
	if p.Exercises != nil {
		c.Exercises = make(map[string]*Exercise, len(p.Exercises))
		for id, e := range p.Exercises {
			ce := *e
			c.Exercises[id] = &ce
		}
	}
	return &c
}
