package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"secretlings/lessons/runner"
)

// formKind names what a form changes.
type formKind int

const (
	formNew    formKind = iota // CreateSecret
	formPut                    // PutSecretValue
	formEdit                   // UpdateSecret description, TagResource, UntagResource
	formLabel                  // UpdateSecretVersionStage
	formDelete                 // DeleteSecret
)

// Field keys; value rows use rowKey/rowVal.
const (
	fieldName    = "name"
	fieldDesc    = "desc"
	fieldValue   = "value"
	fieldTags    = "tags"
	fieldLabel   = "label"
	fieldVersion = "version"
	fieldWindow  = "window"
	rowKey       = "row-key"
	rowVal       = "row-value"
)

type formField struct {
	key   string
	label string
	in    textinput.Model
}

// secretForm is a small keyboard-driven form: tab and shift+tab move between
// fields, enter on the last field or ctrl+s saves, esc cancels. Values are
// typed into password-style inputs, so they never show while typed.
type secretForm struct {
	c      *Common
	kind   formKind
	title  string
	secret string // the secret it changes; empty for a new one
	fields []formField
	focus  int
	kvRows bool // the value is key/value rows instead of text
	err    string
	width  int

	oldDesc string
	oldTags []types.Tag
	holders map[string]string // staging label → version holding it
}

func (f *secretForm) newInput(value string, secret bool) textinput.Model {
	in := textinput.New()
	in.Prompt = ""
	in.SetValue(value)
	in.Cursor.SetMode(cursor.CursorStatic) // no blink: fewer frames, stable goldens
	in.TextStyle = f.c.Styles.Value
	in.PlaceholderStyle = f.c.Styles.Muted
	if secret {
		in.EchoMode = textinput.EchoPassword
		in.EchoCharacter = '•'
	}
	in.Width = max(10, f.width-18)
	return in
}

func (f *secretForm) add(key, label, value string, secret bool) {
	f.fields = append(f.fields, formField{key: key, label: label, in: f.newInput(value, secret)})
}

// newSecretForm builds the form for kind. det is the open secret (nil for a
// new one); version is the version selected in the timeline.
func newSecretForm(c *Common, kind formKind, width int, det *secretDetails, version string) *secretForm {
	f := &secretForm{c: c, kind: kind, width: width}
	if det != nil {
		f.secret = sdkaws.ToString(det.d.Name)
	}
	switch kind {
	case formNew:
		f.title = "New secret"
		f.add(fieldName, "Name", runner.Prefix, false)
		f.fields[0].in.Placeholder = runner.Prefix + "my-secret"
		f.add(fieldDesc, "Description", "", false)
		f.add(fieldValue, "Value", "", true)
		f.add(fieldTags, "Tags", "", false)
		f.fields[3].in.Placeholder = "key=value, key2=value2"
	case formPut:
		f.title = "New value for " + f.secret
		f.add(fieldValue, "Value", "", true)
	case formEdit:
		f.title = "Edit " + f.secret
		f.oldDesc = sdkaws.ToString(det.d.Description)
		f.oldTags = det.d.Tags
		f.add(fieldDesc, "Description", f.oldDesc, false)
		f.add(fieldTags, "Tags", formatTags(det.d.Tags), false)
		f.fields[1].in.Placeholder = "key=value, key2=value2"
	case formLabel:
		f.title = "Move a label of " + f.secret
		f.holders = map[string]string{}
		for _, v := range det.versions {
			for _, s := range v.VersionStages {
				f.holders[s] = sdkaws.ToString(v.VersionId)
			}
		}
		f.add(fieldLabel, "Label", stageCurrent, false)
		f.add(fieldVersion, "To version", version, false)
	case formDelete:
		f.title = "Delete " + f.secret
		f.add(fieldWindow, "Recovery", "30", false)
		f.fields[0].in.Placeholder = "7–30 days, or force"
	}
	f.setFocus(0)
	return f
}

func (f *secretForm) setFocus(i int) {
	f.focus = (i + len(f.fields)) % len(f.fields)
	for j := range f.fields {
		if j == f.focus {
			f.fields[j].in.Focus()
		} else {
			f.fields[j].in.Blur()
		}
	}
}

func (f *secretForm) hasValue() bool { return f.kind == formNew || f.kind == formPut }

func (f *secretForm) get(key string) string {
	for _, fl := range f.fields {
		if fl.key == key {
			return strings.TrimSpace(fl.in.Value())
		}
	}
	return ""
}

// valueRange is where the value's fields sit in f.fields.
func (f *secretForm) valueRange() (from, to int) {
	from = -1
	for i, fl := range f.fields {
		if fl.key == fieldValue || fl.key == rowKey || fl.key == rowVal {
			if from < 0 {
				from = i
			}
			to = i + 1
		}
	}
	return from, to
}

// value is the secret value the form describes: the text, or a JSON object
// built from the rows.
func (f *secretForm) value() (string, error) {
	from, to := f.valueRange()
	if !f.kvRows {
		v := f.fields[from].in.Value()
		if v == "" {
			return "", errors.New("the value is empty: type a value (ctrl+t switches to key/value rows)")
		}
		return v, nil
	}
	var b bytes.Buffer
	b.WriteByte('{')
	seen := map[string]bool{}
	for i := from; i+1 < to; i += 2 {
		k, v := strings.TrimSpace(f.fields[i].in.Value()), f.fields[i+1].in.Value()
		if k == "" && v == "" {
			continue
		}
		if k == "" {
			return "", fmt.Errorf("row %d has a value but no key: give it a key or clear it", (i-from)/2+1)
		}
		if seen[k] {
			return "", fmt.Errorf("the key %q appears twice: each key may appear once", k)
		}
		seen[k] = true
		if len(seen) > 1 {
			b.WriteByte(',')
		}
		kj, _ := json.Marshal(k)
		vj, _ := json.Marshal(v)
		b.Write(kj)
		b.WriteByte(':')
		b.Write(vj)
	}
	b.WriteByte('}')
	if len(seen) == 0 {
		return "", errors.New("no key/value rows: fill in a row (ctrl+n adds one)")
	}
	return b.String(), nil
}

// toggleValueMode switches between one text value and key/value rows,
// carrying over what was typed where it can.
func (f *secretForm) toggleValueMode() {
	from, to := f.valueRange()
	var repl []formField
	if f.kvRows {
		v, _ := f.value() // "" when the rows make no value yet
		repl = []formField{{key: fieldValue, label: "Value", in: f.newInput(v, true)}}
	} else {
		fields, ok := topLevelFields(f.fields[from].in.Value())
		if !ok || len(fields) == 0 {
			fields = []jsonField{{}}
		}
		for _, fl := range fields {
			v := ""
			if fl.raw != nil {
				v = fieldText(fl.raw)
			}
			repl = append(repl,
				formField{key: rowKey, label: "Key", in: f.newInput(fl.key, false)},
				formField{key: rowVal, label: "  value", in: f.newInput(v, true)})
		}
	}
	f.kvRows = !f.kvRows
	f.fields = slices.Concat(f.fields[:from], repl, f.fields[to:])
	f.setFocus(from)
}

func (f *secretForm) addRow() {
	_, to := f.valueRange()
	row := []formField{
		{key: rowKey, label: "Key", in: f.newInput("", false)},
		{key: rowVal, label: "  value", in: f.newInput("", true)},
	}
	f.fields = slices.Insert(f.fields, to, row...)
	f.setFocus(to)
}

// formResult is what a submitted form asks for.
type formResult struct {
	what   string // past tense, for the status line: "created secretlings/x"
	secret string
	gone   bool
	// confirm asks for a y/N confirmation even on local backends (delete).
	confirm string
	op      opFunc
}

// update handles a key; it returns a result once the form is submitted.
func (f *secretForm) update(msg tea.Msg) (*formResult, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		var cmd tea.Cmd
		f.fields[f.focus].in, cmd = f.fields[f.focus].in.Update(msg)
		return nil, cmd
	}
	keys := f.c.Keys
	switch {
	case key.Matches(k, keys.Submit):
		return f.submit(), nil
	case k.Type == tea.KeyEnter:
		if f.focus == len(f.fields)-1 {
			return f.submit(), nil
		}
		f.setFocus(f.focus + 1)
		return nil, nil
	case key.Matches(k, keys.NextField) && k.Type != tea.KeyRunes:
		f.setFocus(f.focus + 1)
		return nil, nil
	case key.Matches(k, keys.PrevField) && k.Type != tea.KeyRunes:
		f.setFocus(f.focus - 1)
		return nil, nil
	case key.Matches(k, keys.ValueMode) && f.hasValue():
		f.toggleValueMode()
		return nil, nil
	case key.Matches(k, keys.AddRow) && f.hasValue() && f.kvRows:
		f.addRow()
		return nil, nil
	}
	var cmd tea.Cmd
	f.fields[f.focus].in, cmd = f.fields[f.focus].in.Update(msg)
	f.err = ""
	return nil, cmd
}

// submit validates the form and builds its operation; on a mistake it sets
// err and returns nil, keeping everything typed.
func (f *secretForm) submit() *formResult {
	r, err := f.build()
	if err != nil {
		f.err = err.Error()
		return nil
	}
	return r
}

func (f *secretForm) build() (*formResult, error) {
	name := f.secret
	switch f.kind {
	case formNew:
		name = f.get(fieldName)
		if name == "" || name == runner.Prefix {
			return nil, errors.New("the secret needs a name, such as " + runner.Prefix + "db-password")
		}
		val, err := f.value()
		if err != nil {
			return nil, err
		}
		tags, err := parseTags(f.get(fieldTags))
		if err != nil {
			return nil, err
		}
		in := &secretsmanager.CreateSecretInput{Name: sdkaws.String(name), SecretString: sdkaws.String(val), Tags: tags}
		if d := f.get(fieldDesc); d != "" {
			in.Description = sdkaws.String(d)
		}
		return &formResult{what: "created " + name, secret: name, op: func(ctx context.Context, c *secretsmanager.Client) error {
			_, err := c.CreateSecret(ctx, in)
			return err
		}}, nil
	case formPut:
		val, err := f.value()
		if err != nil {
			return nil, err
		}
		return &formResult{what: "stored a new value of " + name + " (a new AWSCURRENT version)", secret: name,
			op: func(ctx context.Context, c *secretsmanager.Client) error {
				_, err := c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: sdkaws.String(name), SecretString: sdkaws.String(val)})
				return err
			}}, nil
	case formEdit:
		desc := f.get(fieldDesc)
		tags, err := parseTags(f.get(fieldTags))
		if err != nil {
			return nil, err
		}
		var removed []string
		for _, t := range f.oldTags {
			if !slices.ContainsFunc(tags, func(n types.Tag) bool { return sdkaws.ToString(n.Key) == sdkaws.ToString(t.Key) }) {
				removed = append(removed, sdkaws.ToString(t.Key))
			}
		}
		var changed []types.Tag
		for _, t := range tags {
			if !slices.ContainsFunc(f.oldTags, func(o types.Tag) bool {
				return sdkaws.ToString(o.Key) == sdkaws.ToString(t.Key) && sdkaws.ToString(o.Value) == sdkaws.ToString(t.Value)
			}) {
				changed = append(changed, t)
			}
		}
		descChanged := desc != f.oldDesc
		if !descChanged && len(removed) == 0 && len(changed) == 0 {
			return nil, errors.New("nothing changed: edit the description or the tags, or press esc")
		}
		return &formResult{what: "updated the description and tags of " + name, secret: name,
			op: func(ctx context.Context, c *secretsmanager.Client) error {
				if descChanged {
					if _, err := c.UpdateSecret(ctx, &secretsmanager.UpdateSecretInput{SecretId: sdkaws.String(name), Description: sdkaws.String(desc)}); err != nil {
						return err
					}
				}
				if len(removed) > 0 {
					if _, err := c.UntagResource(ctx, &secretsmanager.UntagResourceInput{SecretId: sdkaws.String(name), TagKeys: removed}); err != nil {
						return err
					}
				}
				if len(changed) > 0 {
					if _, err := c.TagResource(ctx, &secretsmanager.TagResourceInput{SecretId: sdkaws.String(name), Tags: changed}); err != nil {
						return err
					}
				}
				return nil
			}}, nil
	case formLabel:
		label, to := f.get(fieldLabel), f.get(fieldVersion)
		if label == "" || to == "" {
			return nil, errors.New("name a label (such as AWSCURRENT) and the version id to move it to")
		}
		from := f.holders[label]
		if from == to {
			return nil, fmt.Errorf("%s is already on that version: choose another version", label)
		}
		in := &secretsmanager.UpdateSecretVersionStageInput{SecretId: sdkaws.String(name), VersionStage: sdkaws.String(label), MoveToVersionId: sdkaws.String(to)}
		if from != "" {
			in.RemoveFromVersionId = sdkaws.String(from)
		}
		return &formResult{what: "moved " + label + " of " + name + " to version " + shortID(to), secret: name,
			op: func(ctx context.Context, c *secretsmanager.Client) error {
				_, err := c.UpdateSecretVersionStage(ctx, in)
				return err
			}}, nil
	case formDelete:
		w := strings.ToLower(f.get(fieldWindow))
		in := &secretsmanager.DeleteSecretInput{SecretId: sdkaws.String(name)}
		var what, confirm string
		if w == "force" {
			in.ForceDeleteWithoutRecovery = sdkaws.Bool(true)
			what = "deleted " + name + " for good"
			confirm = "Delete " + name + " now, without recovery? It cannot be restored."
		} else {
			days, err := strconv.Atoi(w)
			if err != nil || days < 7 || days > 30 {
				return nil, errors.New("the recovery window is 7 to 30 days, or type force to delete without recovery")
			}
			in.RecoveryWindowInDays = sdkaws.Int64(int64(days))
			what = fmt.Sprintf("scheduled %s for deletion in %d days (R restores it until then)", name, days)
			confirm = fmt.Sprintf("Delete %s with a %d-day recovery window?", name, days)
		}
		return &formResult{what: what, secret: name, gone: in.ForceDeleteWithoutRecovery != nil, confirm: confirm,
			op: func(ctx context.Context, c *secretsmanager.Client) error {
				_, err := c.DeleteSecret(ctx, in)
				return err
			}}, nil
	}
	return nil, errors.New("unknown form")
}

// view draws the form.
func (f *secretForm) view() string {
	s := f.c.Styles
	var b strings.Builder
	b.WriteString(s.Title.Render(f.title))
	b.WriteString("\n\n")
	for i, fl := range f.fields {
		mark := "  "
		if i == f.focus {
			mark = s.Cursor.Render("› ")
		}
		b.WriteString(mark + s.Label.Render(fmt.Sprintf("%-12s", fl.label)) + " " + fl.in.View() + "\n")
	}
	b.WriteString("\n")
	if f.hasValue() {
		if f.kvRows {
			b.WriteString(s.Muted.Render("The value is a JSON object of these rows. ctrl+n adds a row, ctrl+t switches to text.") + "\n")
		} else {
			b.WriteString(s.Muted.Render("Values stay hidden while typed. ctrl+t switches to key/value rows. Enter on the last field saves.") + "\n")
		}
	}
	if f.kind == formLabel {
		b.WriteString(s.Muted.Render("Labels: "+labelsSummary(f.holders)) + "\n")
	}
	if f.err != "" {
		b.WriteString(s.Error.Render("✗ "+f.err) + "\n")
	}
	return b.String()
}

func labelsSummary(holders map[string]string) string {
	labels := make([]string, 0, len(holders))
	for l := range holders {
		labels = append(labels, l)
	}
	slices.Sort(labels)
	parts := make([]string, len(labels))
	for i, l := range labels {
		parts[i] = l + " on " + shortID(holders[l])
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// shortID shortens a version id for status lines.
func shortID(id string) string {
	if len(id) > 8 {
		return id[:8] + "…"
	}
	return id
}

// confirmation asks before a change: y/N naming the secret, or the
// secret's name typed out for changes on AWS outside the tutorial prefix.
type confirmation struct {
	prompt string
	name   string // when set, the learner must type it
	typed  textinput.Model
	res    *formResult
	back   browserMode
	err    string
}

func restoreOp(name string) opFunc {
	return func(ctx context.Context, c *secretsmanager.Client) error {
		_, err := c.RestoreSecret(ctx, &secretsmanager.RestoreSecretInput{SecretId: sdkaws.String(name)})
		return err
	}
}
