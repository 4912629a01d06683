// Package browser is the secret browser: the list of every secret on the
// backend, one secret's details and versions, a version's value masked until
// revealed, and the forms that change secrets, each view its own component.
package browser

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	tea "github.com/charmbracelet/bubbletea"

	"secretlings/ui/common"
)

// callTimeout bounds one SDK call, so a backend that hangs turns into an
// error in the status line instead of a spinner that never stops.
const callTimeout = 20 * time.Second

// listPageSize is ListSecrets' maximum: fewer round trips for big accounts.
const listPageSize = 100

// secretRow is one secret of the list: what the columns show and the
// lower-cased text the filter searches.
type secretRow struct {
	name, desc   string
	changed      time.Time
	accessed     time.Time
	deleted      time.Time // when it was scheduled for deletion; zero if not
	rotation     bool
	nextRotation time.Time
	tags         int
	hay          []string // lower-cased name, description, tag keys, tag values
	runes        uint64   // runeMask of all of hay: a quick no for most rows
}

func rowFromEntry(e types.SecretListEntry) secretRow {
	r := secretRow{
		name:         sdkaws.ToString(e.Name),
		desc:         sdkaws.ToString(e.Description),
		changed:      sdkaws.ToTime(e.LastChangedDate),
		accessed:     sdkaws.ToTime(e.LastAccessedDate),
		deleted:      sdkaws.ToTime(e.DeletedDate),
		rotation:     sdkaws.ToBool(e.RotationEnabled),
		nextRotation: sdkaws.ToTime(e.NextRotationDate),
		tags:         len(e.Tags),
	}
	if r.changed.IsZero() {
		r.changed = sdkaws.ToTime(e.CreatedDate)
	}
	r.hay = make([]string, 0, 2+2*len(e.Tags))
	r.hay = append(r.hay, strings.ToLower(r.name))
	if r.desc != "" {
		r.hay = append(r.hay, strings.ToLower(r.desc))
	}
	for _, t := range e.Tags {
		r.hay = append(r.hay, strings.ToLower(sdkaws.ToString(t.Key)), strings.ToLower(sdkaws.ToString(t.Value)))
	}
	for _, h := range r.hay {
		r.runes |= runeMask(h)
	}
	return r
}

// runeMask sets one bit per ASCII letter or digit (one shared bit for any
// other byte) found in s. A row can match a query only if its mask holds
// all of the query's bits, which rules out most rows without scanning them.
func runeMask(s string) uint64 {
	var m uint64
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'a' && c <= 'z':
			m |= 1 << (c - 'a')
		case c >= '0' && c <= '9':
			m |= 1 << (26 + c - '0')
		default:
			m |= 1 << 63
		}
	}
	return m
}

// fuzzyMatch reports whether the runes of q appear in s in order (q and s
// lower-cased). It allocates nothing, which keeps a keystroke over 10,000
// rows well inside a frame.
func fuzzyMatch(q, s string) bool {
	for _, r := range q {
		var i int
		if r < utf8.RuneSelf {
			i = strings.IndexByte(s, byte(r))
		} else {
			i = strings.IndexRune(s, r)
		}
		if i < 0 {
			return false
		}
		s = s[i+utf8.RuneLen(r):]
	}
	return true
}

// matches reports whether q (lower-cased) fuzzily matches one of the row's
// fields; matching within one field keeps "ab" from matching a name ending
// in "a" beside a tag starting with "b".
func (r *secretRow) matches(q string, qmask uint64) bool {
	if q == "" {
		return true
	}
	if r.runes&qmask != qmask {
		return false
	}
	for _, h := range r.hay {
		if fuzzyMatch(q, h) {
			return true
		}
	}
	return false
}

// sortRows orders rows by name, or by last change (newest first, then name).
func sortRows(rows []secretRow, byDate bool) {
	if byDate {
		sort.SliceStable(rows, func(i, j int) bool {
			a, b := rows[i].changed, rows[j].changed
			if !a.Equal(b) {
				return a.After(b)
			}
			return rows[i].name < rows[j].name
		})
		return
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].name < rows[j].name })
}

// listPageMsg is one page of ListSecrets. gen ties it to the load that asked
// for it, so a page of an abandoned load (after r) is ignored.
type listPageMsg struct {
	gen  int
	rows []secretRow
	next *string
	err  error
}

// listPageCmd loads one page of the list.
func listPageCmd(client *secretsmanager.Client, gen int, token *string, withDeleted bool) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
		defer cancel()
		in := &secretsmanager.ListSecretsInput{MaxResults: sdkaws.Int32(listPageSize), NextToken: token}
		if withDeleted {
			in.IncludePlannedDeletion = sdkaws.Bool(true)
		}
		out, err := client.ListSecrets(ctx, in)
		if err != nil {
			return listPageMsg{gen: gen, err: err}
		}
		rows := make([]secretRow, len(out.SecretList))
		for i, e := range out.SecretList {
			rows[i] = rowFromEntry(e)
		}
		next := out.NextToken
		if next != nil && *next == "" {
			next = nil
		}
		return listPageMsg{gen: gen, rows: rows, next: next}
	}
}

// secretDetails is everything the details screen shows except values.
type secretDetails struct {
	d        *secretsmanager.DescribeSecretOutput
	versions []types.SecretVersionsListEntry // newest first
	policy   string                          // the resource policy, "" if none
	// partial notes what could not be read (for example the policy without
	// permission); the rest is still shown.
	partial string
	// enforced: the backend judged who may read the secret (the embedded
	// emulator), and readers are its verdicts for the cast.
	enforced bool
	readers  []reader
}

// detailsMsg carries the details of one secret.
type detailsMsg struct {
	name string
	det  *secretDetails
	err  error
}

// detailsCmd describes a secret, lists all its versions (deprecated ones
// too, so the timeline is whole), reads its resource policy and, when
// readers is not nil, asks who may read it.
func detailsCmd(client *secretsmanager.Client, name string, t func(error) string, readers readersFunc) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
		defer cancel()
		d, err := client.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: &name})
		if err != nil {
			return detailsMsg{name: name, err: err}
		}
		det := &secretDetails{d: d}
		p := secretsmanager.NewListSecretVersionIdsPaginator(client, &secretsmanager.ListSecretVersionIdsInput{
			SecretId: &name, IncludeDeprecated: sdkaws.Bool(true), MaxResults: sdkaws.Int32(100),
		})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				// A secret scheduled for deletion refuses this call on AWS;
				// fall back to the labels DescribeSecret gave.
				det.partial = "versions: " + t(err)
				det.versions = nil
				for id, stages := range d.VersionIdsToStages {
					det.versions = append(det.versions, types.SecretVersionsListEntry{VersionId: sdkaws.String(id), VersionStages: stages})
				}
				break
			}
			det.versions = append(det.versions, out.Versions...)
		}
		sortVersions(det.versions)
		pol, err := client.GetResourcePolicy(ctx, &secretsmanager.GetResourcePolicyInput{SecretId: &name})
		switch {
		case err != nil:
			if det.partial != "" {
				det.partial += "; "
			}
			det.partial += "resource policy: " + t(err)
		case pol.ResourcePolicy != nil:
			det.policy = indentJSON(*pol.ResourcePolicy)
		}
		if readers != nil {
			det.enforced, det.readers = true, readers(det.secretARN())
		}
		return detailsMsg{name: name, det: det}
	}
}

// sortVersions orders versions newest first; equal dates fall back to the
// staging labels' order (pending, current, previous) and then the id.
func sortVersions(v []types.SecretVersionsListEntry) {
	rank := func(e types.SecretVersionsListEntry) int {
		switch {
		case slices.Contains(e.VersionStages, common.StagePending):
			return 0
		case slices.Contains(e.VersionStages, common.StageCurrent):
			return 1
		case slices.Contains(e.VersionStages, common.StagePrevious):
			return 2
		case len(e.VersionStages) > 0:
			return 3
		}
		return 4
	}
	sort.SliceStable(v, func(i, j int) bool {
		a, b := sdkaws.ToTime(v[i].CreatedDate), sdkaws.ToTime(v[j].CreatedDate)
		if !a.Equal(b) {
			return a.After(b)
		}
		if ri, rj := rank(v[i]), rank(v[j]); ri != rj {
			return ri < rj
		}
		return sdkaws.ToString(v[i].VersionId) < sdkaws.ToString(v[j].VersionId)
	})
}

func indentJSON(s string) string {
	var b bytes.Buffer
	if json.Indent(&b, []byte(s), "", "  ") != nil {
		return s
	}
	return b.String()
}

// valuePurpose says why a value is fetched: to lay out its keys (the value
// is dropped as soon as that is done), to reveal it, or to copy it.
type valuePurpose int

const (
	fetchLayout valuePurpose = iota
	fetchReveal
	fetchCopy
)

// valueMsg carries a fetched value. The model keeps the text only while it
// is revealed; for layout and copy it is dropped once used.
type valueMsg struct {
	req     int
	purpose valuePurpose
	text    string
	binary  bool
	err     error
}

// valueCmd fetches one version's value.
func valueCmd(client *secretsmanager.Client, req int, purpose valuePurpose, name, versionID string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
		defer cancel()
		out, err := client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: &name, VersionId: &versionID})
		if err != nil {
			return valueMsg{req: req, purpose: purpose, err: err}
		}
		if out.SecretString != nil {
			return valueMsg{req: req, purpose: purpose, text: *out.SecretString}
		}
		return valueMsg{req: req, purpose: purpose, text: string(out.SecretBinary), binary: true}
	}
}

// jsonField is one top-level member of a JSON object value.
type jsonField struct {
	key string
	raw json.RawMessage
}

// topLevelFields returns the members of a JSON object in document order, or
// false when the value is not a JSON object.
func topLevelFields(s string) ([]jsonField, bool) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return nil, false
	}
	var fields []jsonField
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, false
		}
		k, ok := tok.(string)
		if !ok {
			return nil, false
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, false
		}
		fields = append(fields, jsonField{k, raw})
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		return nil, false
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, false // trailing data: not one JSON object
	}
	return fields, true
}

// fieldText is a member's value as a learner would copy it: strings without
// their quotes, anything else as compact JSON.
func fieldText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var b bytes.Buffer
	if json.Compact(&b, raw) == nil {
		return b.String()
	}
	return string(raw)
}

// opMsg reports a change the learner made: what was done, to which secret,
// and whether the secret is gone from view (forced deletion).
type opMsg struct {
	what string
	name string
	gone bool
	err  error
}

// opFunc is one change, run in a command with a bounded context.
type opFunc func(ctx context.Context, c *secretsmanager.Client) error

func opCmd(client *secretsmanager.Client, what, name string, gone bool, f opFunc) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
		defer cancel()
		return opMsg{what: what, name: name, gone: gone, err: f(ctx, client)}
	}
}

// parseTags reads "key=value, key2=value2" (a value may be empty).
func parseTags(s string) ([]types.Tag, error) {
	var tags []types.Tag
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if k == "" {
			return nil, errors.New("a tag needs a key: write tags as key=value, separated by commas")
		}
		if seen[k] {
			return nil, errors.New("the tag key " + k + " appears twice: each key may appear once")
		}
		seen[k] = true
		tags = append(tags, types.Tag{Key: sdkaws.String(k), Value: sdkaws.String(v)})
	}
	return tags, nil
}

// formatTags is the inverse of parseTags, sorted by key.
func formatTags(tags []types.Tag) string {
	parts := make([]string, 0, len(tags))
	for _, t := range tags {
		parts = append(parts, sdkaws.ToString(t.Key)+"="+sdkaws.ToString(t.Value))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}
