package ui

import (
	"fmt"
	"strings"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/charmbracelet/x/ansi"

	"secretlings/mask"
)

// Widths of the list's fixed columns.
const (
	colPrefix   = 4 // cursor and deletion marker
	colChanged  = 16
	colAccessed = 10
	colRotation = 13
	colTags     = 4
	colGap      = 2
)

// fit pads or cuts s to exactly w cells.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if sw := ansi.StringWidth(s); sw > w {
		return ansi.Truncate(s, w, "…")
	} else if sw < w {
		return s + strings.Repeat(" ", w-sw)
	}
	return s
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04")
}

func fmtDate(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.UTC().Format("2006-01-02")
}

// listColumns splits the flexible width between name and description: the
// names drawn get the room they need, up to all but 12 cells.
func listColumns(w, longest int) (name, desc int) {
	rest := w - colPrefix - colChanged - colAccessed - colRotation - colTags - 5*colGap
	// Names are what a learner scans for; descriptions may shrink to a hint.
	name = max(12, min(longest, rest-8))
	return name, max(0, rest-name)
}

func (m browserModel) listView() string {
	s := m.c.Styles
	var b strings.Builder

	count := fmt.Sprintf("%d secrets", len(m.rows))
	if m.query != "" {
		count = fmt.Sprintf("%d of %d secrets", len(m.visible), len(m.rows))
	}
	order := "by name"
	if m.byDate {
		order = "newest change first"
	}
	deleted := "scheduled deletions hidden"
	if m.withDeleted {
		deleted = "scheduled deletions shown"
	}
	title := s.Title.Render("Secrets") + s.Muted.Render(" · "+count+" · "+order+" · "+deleted)
	if m.loading {
		title += " " + m.spin.View()
	}
	b.WriteString(truncate(title, m.width) + "\n")

	if m.filtering || m.query != "" {
		b.WriteString(truncate(m.filter.View(), m.width) + "\n")
	} else {
		b.WriteString(s.Muted.Render(truncate("/ filter by name, description or tag", m.width)) + "\n")
	}

	end := min(len(m.visible), m.offset+m.listRows())
	longest := 4
	for i := m.offset; i < end; i++ {
		longest = max(longest, ansi.StringWidth(m.rows[m.visible[i]].name))
	}
	nw, dw := listColumns(m.width, longest)
	gap := strings.Repeat(" ", colGap)
	header := strings.Repeat(" ", colPrefix) + fit("NAME", nw) + gap + fit("DESCRIPTION", dw) + gap +
		fit("LAST CHANGED", colChanged) + gap + fit("ACCESSED", colAccessed) + gap +
		fit("ROTATION", colRotation) + gap + fit("TAGS", colTags)
	b.WriteString(s.TableHeader.Render(truncate(header, m.width)) + "\n")

	if len(m.visible) == 0 {
		switch {
		case m.client == nil:
		case m.loading:
			b.WriteString(s.Muted.Render("    loading the first page…") + "\n")
		case m.query != "":
			b.WriteString(s.Muted.Render("    no secret matches the filter: esc clears it") + "\n")
		case m.c.ReadOnly:
			b.WriteString(s.Muted.Render("    no secrets yet: the lessons create some") + "\n")
		default:
			b.WriteString(s.Muted.Render("    no secrets yet: n creates one, or run a lesson") + "\n")
		}
		return b.String()
	}

	// Only the rows on screen are formatted: this is what keeps a frame
	// cheap with 10,000 secrets.
	for i := m.offset; i < end; i++ {
		r := &m.rows[m.visible[i]]
		prefix := "  "
		if i == m.cursor {
			prefix = "› "
		}
		marker := "  "
		if !r.deleted.IsZero() {
			marker = "✗ "
		}
		rot := "off"
		if r.rotation {
			rot = "on"
			if !r.nextRotation.IsZero() {
				rot += " " + fmtDate(r.nextRotation)
			}
		}
		accessed := "never"
		if !r.accessed.IsZero() {
			accessed = fmtDate(r.accessed)
		}
		line := prefix + marker + fit(cleanLine(r.name), nw) + gap + fit(cleanLine(r.desc), dw) + gap +
			fit(fmtTime(r.changed), colChanged) + gap + fit(accessed, colAccessed) + gap +
			fit(rot, colRotation) + gap + fit(fmt.Sprint(r.tags), colTags)
		line = truncate(line, m.width)
		switch {
		case i == m.cursor:
			line = s.RowSelected.Render(line)
		case !r.deleted.IsZero():
			line = s.Deleted.Render(line)
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

func (m *browserModel) label(l string) string {
	return m.c.Styles.Label.Render(fmt.Sprintf("%-12s", l)) + " "
}

// stage draws a staging label from the backend, made safe to print.
func (m *browserModel) stage(l string) string {
	l = cleanLine(l)
	return stageStyle(m.c.Styles, l).Render(l)
}

// renderDetails lays out the open secret into the viewport, keeping the
// selected version on screen.
func (m *browserModel) renderDetails() {
	if m.det == nil {
		m.vp.SetContent("")
		return
	}
	s := m.c.Styles
	d := m.det.d
	var lines []string
	add := func(l ...string) { lines = append(lines, l...) }

	add(m.label("ARN") + sdkaws.ToString(d.ARN))
	if desc := sdkaws.ToString(d.Description); desc != "" {
		add(m.label("Description") + cleanLine(desc))
	}
	kms := sdkaws.ToString(d.KmsKeyId)
	if kms == "" {
		kms = "aws/secretsmanager (the default key)"
	}
	add(m.label("KMS key") + kms)
	add(m.label("Created") + fmtTime(sdkaws.ToTime(d.CreatedDate)) +
		s.Label.Render("   changed ") + fmtTime(sdkaws.ToTime(d.LastChangedDate)) +
		s.Label.Render("   accessed ") + fmtDate(sdkaws.ToTime(d.LastAccessedDate)))
	if d.DeletedDate != nil {
		add(m.label("Deletion") + s.Error.Render("requested "+fmtTime(*d.DeletedDate)+" · gone after the recovery window · R restores"))
	}

	add("", s.PanelTitle.Render(fmt.Sprintf("Versions (%d)", len(m.det.versions)))+
		s.Muted.Render(" · newest at the top · enter opens a value, v reveals it"))
	first := len(lines)
	for i, v := range m.det.versions {
		cur := "  "
		if i == m.verSel {
			cur = s.Cursor.Render("› ")
		}
		node := "●"
		labels := make([]string, 0, len(v.VersionStages))
		for _, l := range v.VersionStages {
			labels = append(labels, m.stage(l))
		}
		tail := strings.Join(labels, " ")
		if len(v.VersionStages) == 0 {
			node = "○"
			tail = s.Muted.Render("no label: deprecated")
		}
		id := cleanLine(sdkaws.ToString(v.VersionId))
		line := cur + node + " " + fit(id, 36) + "  " + fmtTime(sdkaws.ToTime(v.CreatedDate)) + "  " + tail
		if i == m.verSel {
			line = cur + s.Selected.Render(node+" "+fit(id, 36)) + "  " + fmtTime(sdkaws.ToTime(v.CreatedDate)) + "  " + tail
		}
		add(line)
		if i < len(m.det.versions)-1 {
			add("  " + s.Rule.Render("│"))
		}
	}
	if len(m.det.versions) == 0 {
		add(s.Muted.Render("  no versions: the secret has no value yet"))
	}
	add(s.Muted.Render("  AWSCURRENT is served by default · AWSPREVIOUS the value before · AWSPENDING a rotation under way"))

	add("")
	rot := "off"
	if sdkaws.ToBool(d.RotationEnabled) {
		rot = "on"
		if r := d.RotationRules; r != nil {
			switch {
			case r.ScheduleExpression != nil:
				rot += " · schedule " + *r.ScheduleExpression
			case r.AutomaticallyAfterDays != nil:
				rot += fmt.Sprintf(" · every %d days", *r.AutomaticallyAfterDays)
			}
			if r.Duration != nil {
				rot += " · window " + *r.Duration
			}
		}
		rot += " · next " + fmtDate(sdkaws.ToTime(d.NextRotationDate))
	}
	add(m.label("Rotation") + rot)
	if fn := sdkaws.ToString(d.RotationLambdaARN); fn != "" {
		add(m.label("  function") + fn)
	}
	last := "never rotated"
	if d.LastRotatedDate != nil {
		last = "last rotated " + fmtTime(*d.LastRotatedDate) + " (each rotation adds a version above)"
	}
	add(m.label("  history") + last)

	if len(d.Tags) == 0 {
		add(m.label("Tags") + s.Muted.Render("none"))
	} else {
		add(m.label(fmt.Sprintf("Tags (%d)", len(d.Tags))) + cleanLine(formatTags(d.Tags)))
	}

	if len(d.ReplicationStatus) == 0 {
		add(m.label("Replication") + s.Muted.Render("none"))
	} else {
		for i, r := range d.ReplicationStatus {
			l := ""
			if i == 0 {
				l = "Replication"
			}
			line := sdkaws.ToString(r.Region) + " · " + string(r.Status)
			if msg := sdkaws.ToString(r.StatusMessage); msg != "" {
				line += " · " + cleanLine(msg)
			}
			add(m.label(l) + line)
		}
	}
	if p := sdkaws.ToString(d.PrimaryRegion); p != "" {
		add(m.label("  primary") + p)
	}

	if m.det.policy == "" {
		add(m.label("Policy") + s.Muted.Render("none"))
	} else {
		for i, l := range strings.Split(cleanText(m.det.policy), "\n") {
			lab := ""
			if i == 0 {
				lab = "Policy"
			}
			add(m.label(lab) + s.Code.Render(l))
		}
	}
	if m.det.partial != "" {
		add("", s.Warning.Render("could not read "+m.det.partial))
	}

	for i, l := range lines {
		lines[i] = truncate(l, m.width)
	}
	m.vp.SetContent(strings.Join(lines, "\n"))
	// Keep the selected version (and the line after it) in view.
	sel := first + 2*m.verSel
	if sel < m.vp.YOffset {
		m.vp.SetYOffset(max(0, sel-1))
	} else if sel+1 >= m.vp.YOffset+m.vp.Height {
		m.vp.SetYOffset(sel + 2 - m.vp.Height)
	}
}

func (m browserModel) secretTitle() string {
	s := m.c.Styles
	title := s.Title.Render(cleanLine(m.open))
	if m.det != nil && m.det.d.DeletedDate != nil {
		title += " " + s.Error.Render("✗ scheduled for deletion")
	}
	return truncate(title, m.width)
}

func (m browserModel) detailsView() string {
	if m.det == nil {
		return m.secretTitle() + "\n" + m.c.Styles.Muted.Render(m.spin.View()+" loading…")
	}
	return m.secretTitle() + "\n" + m.vp.View()
}

func (m browserModel) valueView() string {
	s := m.c.Styles
	v := m.val
	var b strings.Builder
	b.WriteString(m.secretTitle() + "\n")
	stages := make([]string, len(v.stages))
	for i, l := range v.stages {
		stages[i] = m.stage(l)
	}
	head := m.label("Version") + v.version
	if len(stages) > 0 {
		head += "  " + strings.Join(stages, " ")
	}
	b.WriteString(truncate(head, m.width) + "\n")
	if v.loading {
		b.WriteString(s.Muted.Render("fetching the value…") + "\n")
		return b.String()
	}
	kind := "plaintext"
	switch {
	case v.binary:
		kind = "binary (SecretBinary), revealed as base64"
	case v.isJSON:
		kind = fmt.Sprintf("JSON object with %d keys", len(v.keys))
	}
	view := "key/value view · t shows plaintext"
	if v.plain {
		view = "plaintext view · t shows key/value"
	}
	if !v.isJSON {
		view = ""
	} else {
		view = " · " + view
	}
	b.WriteString(m.label("Value") + s.Muted.Render(kind+view) + "\n\n")

	revealed := v.shown != ""
	if v.plain || !v.isJSON {
		// Long lines wrap rather than cut: a revealed value is read whole.
		text, style := v.masked, s.Masked
		if revealed {
			text, style = cleanText(v.shown), s.Revealed
		}
		for _, l := range strings.Split(ansi.Hardwrap(text, max(1, m.width-2), true), "\n") {
			b.WriteString("  " + style.Render(l) + "\n")
		}
	} else {
		// Whole value revealed: every field shows; one field revealed: only it.
		shownFields := v.shownFields
		kw := 14
		for _, k := range v.keys {
			kw = max(kw, min(30, ansi.StringWidth(k)+2))
		}
		row := func(i int, k, val string, isRevealed bool) {
			cur := "  "
			if i == v.sel {
				cur = s.Cursor.Render("› ")
			}
			vs := s.Masked.Render(mask.Masked)
			if isRevealed {
				vs = s.Revealed.Render(truncate(cleanLine(val), max(1, m.width-kw-4)))
			}
			b.WriteString(cur + s.Label.Render(fit(cleanLine(k), kw)) + " " + vs + "\n")
		}
		row(0, "(whole value)", v.shown, revealed && v.shownSel == 0)
		for i, k := range v.keys {
			switch {
			case shownFields != nil:
				row(i+1, k, shownFields[k], true)
			case revealed && v.shownSel == i+1:
				row(i+1, k, v.shown, true)
			default:
				row(i+1, k, "", false)
			}
		}
	}
	b.WriteString("\n")
	if revealed {
		b.WriteString(s.Warning.Render("revealed: masks again in 30 s, when you leave, or when the terminal loses focus · v hides it") + "\n")
	} else {
		b.WriteString(s.Muted.Render("masked: v reveals the value or the selected field, c copies it (OSC 52)") + "\n")
	}
	return b.String()
}

func (m browserModel) confirmView() string {
	s := m.c.Styles
	cf := m.confirm
	var b strings.Builder
	b.WriteString(s.Title.Render("Confirm") + "\n\n")
	b.WriteString(s.Warning.Width(max(10, m.width)).Render(cf.prompt) + "\n\n")
	if cf.name != "" {
		b.WriteString(cf.typed.View() + "\n")
		b.WriteString(s.Muted.Render("enter confirms · esc cancels") + "\n")
	} else {
		b.WriteString(s.Muted.Render("y confirms · n or esc cancels") + "\n")
	}
	if cf.err != "" {
		b.WriteString(s.Error.Render("✗ "+cf.err) + "\n")
	}
	return b.String()
}

// cleanLine makes text from the backend safe to draw on one line: control
// characters (an escape sequence in a description or a revealed value
// could restyle the terminal, or even set its clipboard) are shown as
// escapes, and newlines and tabs too.
func cleanLine(s string) string { return escapeControls(s, false) }

// cleanText is cleanLine for multi-line text: newlines stay, tabs become
// spaces.
func cleanText(s string) string { return escapeControls(s, true) }

func isControl(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }

func escapeControls(s string, multiline bool) string {
	if !strings.ContainsFunc(s, isControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case multiline && r == '\n':
			b.WriteByte('\n')
		case multiline && r == '\t':
			b.WriteString("    ")
		case isControl(r):
			fmt.Fprintf(&b, "\\x%02x", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
