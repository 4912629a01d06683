package browser

import (
	"strings"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"

	"secretlings/aws/emulator"
	"secretlings/ui/common"
)

// reader is one cast member's verdict on reading the open secret.
type reader struct {
	name, desc string
	ok         bool
	reason     string // AWS's refusal, shortened; "" when ok
}

// readersFunc asks, for the secret with a given ARN, which cast members
// may read it; nil when no backend can say.
type readersFunc func(arn string) []reader

// whoMayRead is the embedded emulator's verdicts, asked of MayPerform
// without reading anything (no value, no audit event); nil on other
// backends, whose policies only AWS (or nobody) enforces.
func whoMayRead(c *common.Common) readersFunc {
	conn := c.Backend.Conn
	if conn == nil || conn.Emulator == nil {
		return nil
	}
	srv, region := conn.Emulator, c.Backend.Target.Region
	return func(arn string) []reader {
		var out []reader
		for _, m := range emulator.Cast() {
			ok, why := srv.MayPerform(m.Name, "GetSecretValue", arn, region)
			out = append(out, reader{name: m.Name, desc: m.Description, ok: ok, reason: shortReason(why)})
		}
		return out
	}
}

// shortReason keeps what an AccessDenied message says after "because"
// (its who and what are the row's own); other refusals stay whole.
func shortReason(why string) string {
	if _, after, found := strings.Cut(why, " because "); found {
		return after
	}
	return why
}

// readerLines are the "who may read it" section of the details.
func (m *detailsModel) readerLines() []string {
	s := m.c.Styles
	if !m.det.enforced {
		return []string{label(s, "Who may read") + s.Muted.Render("policies are enforced only by the embedded emulator: this backend cannot say")}
	}
	lines := []string{s.PanelTitle.Render("Who may read it") + s.Muted.Render(" · GetSecretValue as the cast, by the policies and the key as they stand")}
	nameW := 0
	for _, r := range m.det.readers {
		nameW = max(nameW, len(r.name))
	}
	for _, r := range m.det.readers {
		mark, style := "✓ ", s.Success
		if !r.ok {
			mark, style = "✗ ", s.Error
		}
		lines = append(lines, "  "+style.Render(mark+fit(r.name, nameW))+"  "+cleanLine(r.desc))
		if !r.ok && r.reason != "" {
			indent := strings.Repeat(" ", 4+nameW+2)
			for _, part := range wrapAt(cleanLine(r.reason), max(10, m.width-len(indent)), " ") {
				lines = append(lines, indent+s.Muted.Render(strings.TrimSpace(part)))
			}
		}
	}
	return lines
}

// secretARN is the open secret's ARN, for MayPerform: a name alone would
// be looked up in each member's own account.
func (d *secretDetails) secretARN() string { return sdkaws.ToString(d.d.ARN) }
