package browser

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"secretlings/lessons/runner"
	"secretlings/mask"
	"secretlings/ui/common"
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

// formModel is a small keyboard-driven form: tab and shift+tab move between
// fields, enter on the last field or ctrl+s saves, esc cancels. Values never
// show while typed, not even their length: a value field draws a fixed mask.
type formModel struct {
	c      *common.Common
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

func (f *formModel) newInput(value string, secret bool) textinput.Model {
	in := textinput.New()
	in.Prompt = ""
	in.SetValue(value)
	in.Cursor.SetMode(cursor.CursorStatic) // no blink: fewer frames, stable goldens
	in.TextStyle = f.c.Styles.Value
	in.PlaceholderStyle = f.c.Styles.Muted
	if secret {
		in.EchoMode = textinput.EchoNone
		in.Placeholder = "hidden while typed"
	}
	in.Width = max(10, f.width-18)
	return in
}

func (f *formModel) add(key, label, value string, secret bool) {
	f.fields = append(f.fields, formField{key: key, label: label, in: f.newInput(value, secret)})
}

// newForm builds the form for kind. det is the open secret (nil for a
// new one); version is the version selected in the timeline.
func newForm(c *common.Common, kind formKind, width int, det *secretDetails, version string) formModel {
	f := &formModel{c: c, kind: kind, width: width}
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
		f.add(fieldLabel, "Label", common.StageCurrent, false)
		f.add(fieldVersion, "To version", version, false)
	case formDelete:
		f.title = "Delete " + f.secret
		f.add(fieldWindow, "Recovery days", "30", false)
		f.fields[0].in.Placeholder = "7 to 30, or force"
	}
	f.setFocus(0)
	return *f
}

func (f *formModel) setFocus(i int) {
	f.focus = (i + len(f.fields)) % len(f.fields)
	for j := range f.fields {
		if j == f.focus {
			f.fields[j].in.Focus()
		} else {
			f.fields[j].in.Blur()
		}
	}
}

func (f *formModel) hasValue() bool { return f.kind == formNew || f.kind == formPut }

func (f *formModel) get(key string) string {
	for _, fl := range f.fields {
		if fl.key == key {
			return strings.TrimSpace(fl.in.Value())
		}
	}
	return ""
}

// valueRange is where the value's fields sit in f.fields.
func (f *formModel) valueRange() (from, to int) {
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
func (f *formModel) value() (string, error) {
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
func (f *formModel) toggleValueMode() {
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

func (f *formModel) addRow() {
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
	// typeName asks for the secret's name typed instead of y (force delete).
	typeName bool
	op       opFunc
}

// submitMsg carries a submitted form's change to the browser.
type submitMsg struct{ res *formResult }

// Update handles a key: esc cancels, a valid submit hands the change to
// the browser, anything else edits the focused field.
func (f formModel) Update(msg tea.Msg) (formModel, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && k.Type == tea.KeyEsc {
		return f, msgCmd(popMsg{})
	}
	res, cmd := f.update(msg)
	if res != nil {
		return f, msgCmd(submitMsg{res})
	}
	return f, cmd
}

// update handles a key; it returns a result once the form is submitted.
func (f *formModel) update(msg tea.Msg) (*formResult, tea.Cmd) {
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
func (f *formModel) submit() *formResult {
	r, err := f.build()
	if err != nil {
		f.err = err.Error()
		return nil
	}
	return r
}

// View draws the form.
func (f formModel) View() string {
	s := f.c.Styles
	var b strings.Builder
	b.WriteString(s.Title.Render(f.title))
	b.WriteString("\n\n")
	for i, fl := range f.fields {
		mark := "  "
		if i == f.focus {
			mark = s.Cursor.Render("› ")
		}
		in := fl.in.View()
		if fl.in.EchoMode == textinput.EchoNone {
			// The input would pad by the value's length: draw it here.
			in = s.Muted.Render(fl.in.Placeholder)
			if fl.in.Value() != "" {
				in = s.Masked.Render(mask.Masked)
			}
		}
		b.WriteString(mark + s.Label.Render(fmt.Sprintf("%-13s", fl.label)) + " " + in + "\n")
	}
	b.WriteString("\n")
	if f.hasValue() {
		if f.kvRows {
			b.WriteString(s.Muted.Render("The value is a JSON object of these rows. ctrl+n adds a row, ctrl+t switches to text.") + "\n")
		} else {
			b.WriteString(s.Muted.Render("Values stay hidden while typed. ctrl+t switches to key/value rows. Enter on the last field saves.") + "\n")
		}
	}
	if f.kind == formDelete {
		b.WriteString(s.Muted.Width(max(10, f.width)).Render("Recovery window: 7 to 30 days (AWS's default is 30). Until it ends, R restores the secret. "+
			"Type force instead to delete it at once, without recovery: you confirm by typing its name.") + "\n")
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
