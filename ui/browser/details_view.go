package browser

import (
	"fmt"
	"strings"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/charmbracelet/x/ansi"
)

// render lays out the open secret into the viewport, keeping the selected
// version on screen.
func (m *detailsModel) render() {
	if m.det == nil {
		m.vp.SetContent("")
		return
	}
	lines := m.metaLines()
	lines = append(lines, "")
	versions, header := m.versionLines()
	first := len(lines) + header
	lines = append(lines, versions...)
	lines = append(lines, "")
	lines = append(lines, m.rotationLines()...)
	lines = append(lines, m.extraLines()...)
	lines = append(lines, "")
	lines = append(lines, m.readerLines()...)
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

// labelled is a field: its label, and value lines wrapped under it where
// the value must be read whole (an ARN: its last six characters are what
// make it unique).
func (m *detailsModel) labelled(l, value string, wrap bool) []string {
	s := m.c.Styles
	if !wrap {
		return []string{label(s, l) + value}
	}
	parts := wrapAt(value, max(10, m.width-13), ":/-")
	out := []string{label(s, l) + parts[0]}
	for _, p := range parts[1:] {
		out = append(out, strings.Repeat(" ", 13)+p)
	}
	return out
}

func (m *detailsModel) metaLines() []string {
	s := m.c.Styles
	d := m.det.d
	lines := m.labelled("ARN", sdkaws.ToString(d.ARN), true)
	if desc := sdkaws.ToString(d.Description); desc != "" {
		lines = append(lines, label(s, "Description")+cleanLine(desc))
	}
	kms := sdkaws.ToString(d.KmsKeyId)
	if kms == "" {
		kms = "aws/secretsmanager (the default key)"
	}
	lines = append(lines, m.labelled("KMS key", kms, true)...)
	created := label(s, "Created") + fmtTime(sdkaws.ToTime(d.CreatedDate))
	changed := s.Label.Render("changed ") + fmtTime(sdkaws.ToTime(d.LastChangedDate)) +
		s.Label.Render("   accessed ") + fmtDate(sdkaws.ToTime(d.LastAccessedDate))
	if one := created + "   " + changed; ansi.StringWidth(one) <= m.width {
		lines = append(lines, one)
	} else {
		lines = append(lines, created, strings.Repeat(" ", 13)+changed)
	}
	if d.DeletedDate != nil {
		lines = append(lines, label(s, "Deletion")+s.Error.Render("requested "+fmtTime(*d.DeletedDate)+" · gone after the recovery window · R restores"))
	}
	return lines
}

// versionLines are the timeline, and how many heading lines come before
// its first version.
func (m *detailsModel) versionLines() ([]string, int) {
	s := m.c.Styles
	versions := m.det.versions
	title := s.PanelTitle.Render(fmt.Sprintf("Versions (%d)", len(versions)))
	hint := "newest at the top · enter opens a value, v reveals it"
	lines := []string{title + s.Muted.Render(" · "+hint)}
	if ansi.StringWidth(lines[0]) > m.width {
		lines = []string{title, s.Muted.Render(truncate(hint, m.width))}
	}
	header := len(lines)
	// A narrow terminal drops the date before a version's labels.
	withDate := m.width >= 80
	for i, v := range versions {
		cur := "  "
		if i == m.verSel {
			cur = s.Cursor.Render("› ")
		}
		node := "●"
		labels := make([]string, 0, len(v.VersionStages))
		for _, l := range v.VersionStages {
			labels = append(labels, stage(s, l))
		}
		tail := strings.Join(labels, " ")
		if len(v.VersionStages) == 0 {
			node = "○"
			tail = s.Muted.Render("no label: deprecated")
			if !withDate {
				tail = s.Muted.Render("deprecated")
			}
		}
		id := node + " " + fit(cleanLine(sdkaws.ToString(v.VersionId)), 36)
		if i == m.verSel {
			id = s.Selected.Render(id)
		}
		line := cur + id + "  "
		if withDate {
			line += fmtTime(sdkaws.ToTime(v.CreatedDate)) + "  "
		}
		lines = append(lines, line+tail)
		if i < len(versions)-1 {
			lines = append(lines, "  "+s.Rule.Render("│"))
		}
	}
	if len(versions) == 0 {
		lines = append(lines, s.Muted.Render("  no versions: the secret has no value yet"))
	}
	for _, l := range strings.Split(ansi.Wordwrap("AWSCURRENT is served by default · AWSPREVIOUS the value before · AWSPENDING a rotation under way", max(10, m.width-2), ""), "\n") {
		lines = append(lines, s.Muted.Render("  "+l))
	}
	return lines, header
}

func rotationText(d *secretsmanager.DescribeSecretOutput) string {
	if !sdkaws.ToBool(d.RotationEnabled) {
		return "off"
	}
	rot := "on"
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
	return rot + " · next " + fmtDate(sdkaws.ToTime(d.NextRotationDate))
}

func (m *detailsModel) rotationLines() []string {
	s := m.c.Styles
	d := m.det.d
	lines := []string{label(s, "Rotation") + rotationText(d)}
	if fn := sdkaws.ToString(d.RotationLambdaARN); fn != "" {
		lines = append(lines, m.labelled("  function", fn, true)...)
	}
	last := "never rotated"
	if d.LastRotatedDate != nil {
		last = "last rotated " + fmtTime(*d.LastRotatedDate) + " (each rotation adds a version above)"
	}
	return append(lines, label(s, "  history")+last)
}

// extraLines are the tags, replication and resource policy ("none" when
// the secret has none).
func (m *detailsModel) extraLines() []string {
	s := m.c.Styles
	d := m.det.d
	var lines []string
	if len(d.Tags) == 0 {
		lines = append(lines, label(s, "Tags")+s.Muted.Render("none"))
	} else {
		lines = append(lines, label(s, fmt.Sprintf("Tags (%d)", len(d.Tags)))+cleanLine(formatTags(d.Tags)))
	}
	if len(d.ReplicationStatus) == 0 {
		lines = append(lines, label(s, "Replication")+s.Muted.Render("none"))
	}
	for i, r := range d.ReplicationStatus {
		l := ""
		if i == 0 {
			l = "Replication"
		}
		line := sdkaws.ToString(r.Region) + " · " + string(r.Status)
		if msg := sdkaws.ToString(r.StatusMessage); msg != "" {
			line += " · " + cleanLine(msg)
		}
		lines = append(lines, label(s, l)+line)
	}
	if p := sdkaws.ToString(d.PrimaryRegion); p != "" {
		lines = append(lines, label(s, "  primary")+p)
	}
	if m.det.policy == "" {
		lines = append(lines, label(s, "Policy")+s.Muted.Render("none"))
	}
	for i, l := range strings.Split(cleanText(m.det.policy), "\n") {
		if m.det.policy == "" {
			break
		}
		lab := ""
		if i == 0 {
			lab = "Policy"
		}
		lines = append(lines, label(s, lab)+s.Code.Render(l))
	}
	if m.det.partial != "" {
		lines = append(lines, "", s.Warning.Render("could not read "+m.det.partial))
	}
	return lines
}
