// Package lessons holds the tutorial's lessons, one folder each, and parses
// their lesson.md files into steps of prose and live actions.
//
// A lesson.md starts with front matter between two "---" lines (id, title,
// summary, and optionally "versions: shown" to draw each secret's versions
// after its actions), then one step per "## " heading. Inside a step, a fenced block
// with the info string "action" names a Secrets Manager operation on its
// first line and its parameters as "Member: value" lines below:
//
//	```action
//	CreateSecret
//	Name: db-password
//	SecretString: correct-horse-battery-staple
//	Tags: [{"Key": "team", "Value": "payments"}]
//	```
//
// Members are the API's own names. A string member takes the rest of the
// line as it is; any other member takes JSON. A line "expect: <ErrorCode>"
// marks an action that demonstrates an error. Secret names are relative to
// the lesson's namespace: the app puts its prefix in front when it runs them.
//
// An operation of another service is qualified as IAM names its actions
// (kms:CreateKey, sts:GetCallerIdentity, cloudtrail:LookupEvents). A line
// "As: app" runs the call as one of the emulator's cast (app, deployer,
// auditor, intern, partner), signed with that principal's keys. A line
// "needs: enforcement" (or key-state, audit-trail, policy-validation) says
// the step shows something only a backend that does it can show: the
// runner says so on the others instead of running it.
package lessons

import (
	"bufio"
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

//go:embed */lesson.md
var files embed.FS

// Lesson is one parsed lesson.md.
type Lesson struct {
	Number  int    // from the folder name: 01-store-and-retrieve is 1
	Dir     string // the folder under lessons/
	ID      string // stable id used in the progress file
	Title   string
	Summary string
	// ShowVersions asks for a picture of a secret's versions and labels after
	// each action (front matter "versions: shown").
	ShowVersions bool
	Steps        []Step
}

// Step is one "## " section of a lesson.
type Step struct {
	Title  string
	Line   int // line of the heading in lesson.md
	Blocks []Block
}

// Block is a run of Markdown prose or one action, in the order written.
type Block struct {
	Markdown string  // set for prose
	Action   *Action // set for an action block
}

// Action is a live Secrets Manager operation named in a lesson.
type Action struct {
	Operation string
	Params    []Param
	// Expect names the error code the step sets out to show (an
	// "expect: ResourceNotFoundException" line); empty when the call should
	// succeed.
	Expect string
	// Input is a pointer to the operation's SDK input struct (for example
	// *secretsmanager.CreateSecretInput) filled from Params, with secret
	// names still relative to the lesson's namespace.
	Input any
	Line  int
	// As names the cast member the call is signed as ("app"); empty for the
	// session's own credentials.
	As string
	// Needs lists what the backend must do for the step to show what it
	// means (see Features).
	Needs []string
}

// Param is one "Member: value" line of an action block.
type Param struct {
	Name  string
	Value string
	Line  int
}

// ParseError locates a problem in a lesson file.
type ParseError struct {
	File string
	Line int
	Msg  string
}

func (e *ParseError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// All parses every embedded lesson, ordered by folder name. It fails on the
// first malformed file, naming the file and line.
func All() ([]*Lesson, error) { return Load(files) }

// Load parses every */lesson.md in fsys, ordered by folder name.
func Load(fsys fs.FS) ([]*Lesson, error) {
	paths, err := fs.Glob(fsys, "*/lesson.md")
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	var out []*Lesson
	ids := map[string]string{}
	for _, p := range paths {
		src, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, err
		}
		file := path.Join("lessons", p)
		l, err := Parse(file, src)
		if err != nil {
			return nil, err
		}
		l.Dir = path.Dir(p)
		if l.Number, err = folderNumber(l.Dir); err != nil {
			return nil, &ParseError{File: file, Line: 1, Msg: err.Error()}
		}
		if other, dup := ids[l.ID]; dup {
			return nil, &ParseError{File: file, Line: 2, Msg: fmt.Sprintf("id %q is already used by %s", l.ID, other)}
		}
		ids[l.ID] = file
		out = append(out, l)
	}
	return out, nil
}

func folderNumber(dir string) (int, error) {
	num, _, ok := strings.Cut(dir, "-")
	n, err := strconv.Atoi(num)
	if !ok || err != nil || n < 1 {
		return 0, fmt.Errorf("folder %q must start with a lesson number, like 01-store-and-retrieve", dir)
	}
	return n, nil
}

// parser walks a lesson file line by line.
type parser struct {
	file  string
	lines []string
	i     int // index of the next line; line numbers are i+1
}

func (p *parser) errorf(line int, format string, args ...any) error {
	return &ParseError{File: p.file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// Parse parses one lesson.md; file is used in error messages only.
func Parse(file string, src []byte) (*Lesson, error) {
	p := &parser{file: file}
	sc := bufio.NewScanner(bytes.NewReader(src))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		p.lines = append(p.lines, strings.TrimRight(sc.Text(), "\r"))
	}
	if err := sc.Err(); err != nil {
		return nil, p.errorf(len(p.lines)+1, "%v", err)
	}
	l := &Lesson{}
	if err := p.frontMatter(l); err != nil {
		return nil, err
	}
	if err := p.steps(l); err != nil {
		return nil, err
	}
	if len(l.Steps) == 0 {
		return nil, p.errorf(len(p.lines), `no steps: start each step with a "## " heading`)
	}
	return l, nil
}

func (p *parser) frontMatter(l *Lesson) error {
	if len(p.lines) == 0 || p.lines[0] != "---" {
		return p.errorf(1, `missing front matter: the file must start with a "---" line, then id, title and summary`)
	}
	seen := map[string]bool{}
	for p.i = 1; p.i < len(p.lines); p.i++ {
		line := p.lines[p.i]
		if line == "---" {
			p.i++
			for _, k := range []string{"id", "title", "summary"} {
				if !seen[k] {
					return p.errorf(p.i, "front matter has no %q", k)
				}
			}
			return nil
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			return p.errorf(p.i+1, `front matter line must be "key: value", got %q`, line)
		}
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		if seen[key] {
			return p.errorf(p.i+1, "%q appears twice in the front matter", key)
		}
		seen[key] = true
		if value == "" {
			return p.errorf(p.i+1, "%q is empty", key)
		}
		switch key {
		case "id":
			if strings.ContainsFunc(value, func(r rune) bool { return !(r == '-' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') }) {
				return p.errorf(p.i+1, "id %q may hold only lower-case letters, digits and -", value)
			}
			l.ID = value
		case "title":
			l.Title = value
		case "summary":
			l.Summary = value
		case "versions":
			switch value {
			case "shown":
				l.ShowVersions = true
			case "hidden":
			default:
				return p.errorf(p.i+1, "versions is shown or hidden, got %q", value)
			}
		default:
			return p.errorf(p.i+1, "unknown front matter key %q (known: id, title, summary, versions)", key)
		}
	}
	return p.errorf(1, `front matter is not closed: add a "---" line after it`)
}

func (p *parser) steps(l *Lesson) error {
	var step *Step
	var prose []string
	flush := func() {
		text := strings.Trim(strings.Join(prose, "\n"), "\n")
		if step != nil && strings.TrimSpace(text) != "" {
			step.Blocks = append(step.Blocks, Block{Markdown: text})
		}
		prose = prose[:0]
	}
	for ; p.i < len(p.lines); p.i++ {
		line := p.lines[p.i]
		switch {
		case strings.HasPrefix(line, "## "):
			flush()
			l.Steps = append(l.Steps, Step{Title: strings.TrimSpace(line[3:]), Line: p.i + 1})
			step = &l.Steps[len(l.Steps)-1]
		case strings.HasPrefix(line, "# "):
			return p.errorf(p.i+1, `a "# " heading: the title comes from the front matter, and steps start with "## "`)
		case strings.HasPrefix(line, "```"):
			if step == nil {
				return p.errorf(p.i+1, `a code block before the first "## " step heading`)
			}
			info := strings.TrimSpace(strings.TrimPrefix(line, "```"))
			start := p.i
			body, err := p.fence()
			if err != nil {
				return err
			}
			if info == "action" {
				flush()
				a, err := p.action(start+1, body)
				if err != nil {
					return err
				}
				step.Blocks = append(step.Blocks, Block{Action: a})
				continue
			}
			prose = append(prose, p.lines[start:p.i+1]...)
		default:
			if step == nil {
				if strings.TrimSpace(line) != "" {
					return p.errorf(p.i+1, `text before the first "## " step heading`)
				}
				continue
			}
			prose = append(prose, line)
		}
	}
	flush()
	for _, s := range l.Steps {
		if len(s.Blocks) == 0 {
			return p.errorf(s.Line, "step %q is empty", s.Title)
		}
	}
	return nil
}

// fence consumes a fenced block starting at p.i and leaves p.i on its closing
// line, returning the lines in between.
func (p *parser) fence() ([]string, error) {
	open := p.i
	for p.i++; p.i < len(p.lines); p.i++ {
		if strings.TrimSpace(p.lines[p.i]) == "```" {
			return p.lines[open+1 : p.i], nil
		}
	}
	return nil, p.errorf(open+1, "code block is not closed: add a line with ``` after it")
}

// action parses the body of an action block whose fence opens on line open.
func (p *parser) action(open int, body []string) (*Action, error) {
	first := -1
	for i, line := range body {
		if strings.TrimSpace(line) != "" {
			first = i
			break
		}
	}
	if first < 0 {
		return nil, p.errorf(open, "empty action block: name an operation on its first line, like CreateSecret")
	}
	op := strings.TrimSpace(body[first])
	a := &Action{Operation: op, Line: open + first + 1}
	typ, ok := operations[op]
	if !ok {
		return nil, p.errorf(a.Line, "unknown operation %q%s", op, suggest(op, Operations()))
	}
	members := inputMembers(typ)
	fields := map[string]json.RawMessage{}
	for i := first + 1; i < len(body); i++ {
		line, lineNo := body[i], open+i+1
		if strings.TrimSpace(line) == "" {
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !ok || name == "" {
			return nil, p.errorf(lineNo, `action parameter must be "Member: value", got %q`, line)
		}
		if done, err := p.meta(a, name, value, lineNo); done || err != nil {
			if err != nil {
				return nil, err
			}
			continue
		}
		f, ok := typ.FieldByName(name)
		if !ok || !f.IsExported() {
			return nil, p.errorf(lineNo, "%s has no parameter %q%s", op, name, suggest(name, members))
		}
		if _, dup := fields[name]; dup {
			return nil, p.errorf(lineNo, "parameter %q appears twice", name)
		}
		raw, err := rawValue(op, typ, f, value)
		if err != nil {
			return nil, p.errorf(lineNo, "%v", err)
		}
		fields[name] = raw
		a.Params = append(a.Params, Param{Name: name, Value: value, Line: lineNo})
	}
	for _, req := range requiredMembers(op, typ) {
		if _, ok := fields[req]; !ok {
			return nil, p.errorf(a.Line, "%s needs the parameter %s", op, req)
		}
	}
	input, err := fill(typ, fields)
	if err != nil {
		return nil, p.errorf(a.Line, "%s: %v", op, err)
	}
	a.Input = input
	return a, nil
}

// rawValue turns a parameter's text into the JSON of its member: a string
// member takes the text as it is, any other member takes JSON.
func rawValue(op string, typ reflect.Type, f reflect.StructField, value string) (json.RawMessage, error) {
	raw := json.RawMessage(value)
	if isString(f.Type) {
		raw, _ = json.Marshal(value)
	} else if !json.Valid(raw) {
		return nil, fmt.Errorf("%s.%s takes JSON (%s), and %q is not valid JSON", op, f.Name, describeType(f.Type), value)
	}
	probe := reflect.New(typ)
	one, _ := json.Marshal(map[string]json.RawMessage{f.Name: raw})
	if err := json.Unmarshal(one, probe.Interface()); err != nil {
		return nil, fmt.Errorf("%s.%s takes %s: %s", op, f.Name, describeType(f.Type), unwrapJSON(err))
	}
	return raw, nil
}

func fill(typ reflect.Type, fields map[string]json.RawMessage) (any, error) {
	input := reflect.New(typ)
	all, _ := json.Marshal(fields)
	if err := json.Unmarshal(all, input.Interface()); err != nil {
		return nil, err
	}
	return input.Interface(), nil
}

// Build fills a fresh input for an action's operation from params, as the
// parser does. The runner calls it after it has put the lesson's namespace in
// front of secret names and resolved placeholders.
func (a *Action) Build(params []Param) (any, error) {
	typ := operations[a.Operation]
	fields := map[string]json.RawMessage{}
	for _, p := range params {
		f, ok := typ.FieldByName(p.Name)
		if !ok {
			return nil, fmt.Errorf("%s has no parameter %q", a.Operation, p.Name)
		}
		raw, err := rawValue(a.Operation, typ, f, p.Value)
		if err != nil {
			return nil, err
		}
		fields[p.Name] = raw
	}
	return fill(typ, fields)
}

func isString(t reflect.Type) bool {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Kind() == reflect.String
}

func describeType(t reflect.Type) string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Bool:
		return "true or false"
	case reflect.Int32, reflect.Int64:
		return "a number"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return "base64 text in quotes"
		}
		if t.Elem().Kind() == reflect.String {
			return `a list like ["a", "b"]`
		}
		return "a JSON list of " + t.Elem().Name()
	case reflect.Struct:
		return "a JSON object (" + t.Name() + ")"
	}
	return t.String()
}

func unwrapJSON(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("got a JSON %s where %s was expected", te.Value, te.Type)
	}
	return err.Error()
}

// Actions lists the lesson's actions in reading order; an action's index in
// this list is its place in the lesson's script.
func (l *Lesson) Actions() []*Action {
	var out []*Action
	for _, s := range l.Steps {
		for _, b := range s.Blocks {
			if b.Action != nil {
				out = append(out, b.Action)
			}
		}
	}
	return out
}
