// Package audit is the audit trail view: the embedded emulator's
// CloudTrail-shaped events, read over HTTP with CloudTrail's LookupEvents,
// newest first, filtered as the learner types, with one event's record as
// JSON. The trail holds no secret value, and neither does this view: it
// never reads one.
package audit

import (
	"bytes"
	"context"
	"encoding/json"
	"sort"
	"strings"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	tea "github.com/charmbracelet/bubbletea"
)

// callTimeout bounds one load, so a backend that hangs turns into an error
// instead of a spinner that never stops.
const callTimeout = 20 * time.Second

// pageSize is LookupEvents' maximum page.
const pageSize = 50

// maxEvents bounds one load (a variable for tests): the newest 1,000 events are more than a
// learner reads, and twenty pages load in a blink on loopback.
var maxEvents = 1000

// secretResourceType is how CloudTrail names a secret among an event's
// resources.
const secretResourceType = "AWS::SecretsManager::Secret"

// lookupClient is the part of the CloudTrail client the view uses.
type lookupClient = cloudtrail.LookupEventsAPIClient

// eventRow is one event of the trail: what the columns show, the record as
// pretty JSON for the details, and the lower-cased text the filter searches.
type eventRow struct {
	id     string
	when   time.Time
	who    string // the user name, or the ARN without its account prefix
	name   string // the operation: GetSecretValue, PutSecretValue, …
	secret string // the secret's name, "" when the call named none
	result string // "OK", or the error code
	denied bool   // refused for lack of permission
	record string // the CloudTrailEvent, indented
	hay    []string
}

// cloudTrailRecord is the part of a CloudTrailEvent the columns need.
type cloudTrailRecord struct {
	UserIdentity struct {
		ARN      string `json:"arn"`
		UserName string `json:"userName"`
	} `json:"userIdentity"`
	ErrorCode         string         `json:"errorCode"`
	RequestParameters map[string]any `json:"requestParameters"`
}

// rowFromEvent reads one LookupEvents event. The record is parsed for the
// caller's identity and result; a record that does not parse still shows,
// with what the event itself says.
func rowFromEvent(id, name, user string, when time.Time, resources []string, record string) eventRow {
	var rec cloudTrailRecord
	_ = json.Unmarshal([]byte(record), &rec)
	r := eventRow{id: id, when: when, name: name, who: user, result: "OK", record: indentJSON(record)}
	if r.who == "" {
		r.who = shortARN(rec.UserIdentity.ARN)
	}
	if r.who == "" {
		r.who = "unknown"
	}
	if rec.ErrorCode != "" {
		r.result = rec.ErrorCode
		r.denied = isDenial(rec.ErrorCode)
	}
	for _, arn := range resources {
		if n := secretNameOfARN(arn); n != "" {
			r.secret = n
			break
		}
	}
	if r.secret == "" {
		if id, ok := rec.RequestParameters["secretId"].(string); ok {
			r.secret = secretNameOfARN(id)
			if r.secret == "" {
				r.secret = id
			}
		}
	}
	for _, f := range []string{r.who, r.name, r.secret, r.result} {
		if f != "" {
			r.hay = append(r.hay, strings.ToLower(f))
		}
	}
	return r
}

// isDenial reports an error code that means "not allowed": CloudTrail
// writes AccessDenied, the services AccessDeniedException.
func isDenial(code string) bool { return strings.HasPrefix(code, "AccessDenied") }

// shortARN drops an ARN's partition, service and account: the
// "assumed-role/app/secretlings" or "user/auditor" that names who it is.
func shortARN(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return arn
	}
	return parts[5]
}

// secretNameOfARN is the secret's name in a secret ARN, without the six
// random characters Secrets Manager appends; "" for any other string.
func secretNameOfARN(arn string) string {
	i := strings.Index(arn, ":secret:")
	if !strings.HasPrefix(arn, "arn:") || i < 0 {
		return ""
	}
	name := arn[i+len(":secret:"):]
	if n := len(name); n > 7 && name[n-7] == '-' {
		name = name[:n-7]
	}
	return name
}

func indentJSON(s string) string {
	var b bytes.Buffer
	if json.Indent(&b, []byte(s), "", "  ") != nil {
		return s
	}
	return b.String()
}

// matches reports whether every word of q (lower-cased) is found in one of
// the row's fields: "intern denied" finds the intern's refusals.
func (r *eventRow) matches(q string) bool {
	for _, word := range strings.Fields(q) {
		found := false
		for _, h := range r.hay {
			if strings.Contains(h, word) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// newestFirst orders rows by time, newest first. LookupEvents already
// answers so; the stable sort keeps its order within one second, where
// the trail's own order is the order of the calls.
func newestFirst(rows []eventRow) []eventRow {
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].when.After(rows[j].when) })
	return rows
}

// eventsMsg carries one load of the trail. gen ties it to the load that
// asked for it, so an abandoned load's answer (after r) is ignored.
type eventsMsg struct {
	gen       int
	rows      []eventRow
	truncated bool // the trail holds more than maxEvents
	err       error
}

// loadCmd reads the trail newest first, page by page through NextToken,
// up to maxEvents.
func loadCmd(client lookupClient, gen int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
		defer cancel()
		var rows []eventRow
		in := &cloudtrail.LookupEventsInput{MaxResults: sdkaws.Int32(pageSize)}
		for {
			out, err := client.LookupEvents(ctx, in)
			if err != nil {
				return eventsMsg{gen: gen, err: err}
			}
			for _, e := range out.Events {
				var resources []string
				for _, r := range e.Resources {
					if sdkaws.ToString(r.ResourceType) == secretResourceType {
						resources = append(resources, sdkaws.ToString(r.ResourceName))
					}
				}
				rows = append(rows, rowFromEvent(sdkaws.ToString(e.EventId), sdkaws.ToString(e.EventName),
					sdkaws.ToString(e.Username), sdkaws.ToTime(e.EventTime), resources, sdkaws.ToString(e.CloudTrailEvent)))
			}
			next := sdkaws.ToString(out.NextToken)
			if next == "" {
				return eventsMsg{gen: gen, rows: newestFirst(rows)}
			}
			if len(rows) >= maxEvents {
				return eventsMsg{gen: gen, rows: newestFirst(rows[:maxEvents]), truncated: true}
			}
			in.NextToken = &next
		}
	}
}
