package emulator

import (
	"encoding/base64"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
)

// CloudTrail's LookupEvents over the trail, as
// com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents
// (awsJson1_1). Like CloudTrail it answers for the caller's account and the
// region the request is signed for, newest first, at most 50 a page.

// CloudTrailTargetPrefix is the X-Amz-Target prefix of CloudTrail.
const CloudTrailTargetPrefix = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101."

// CloudTrail error codes.
const (
	ErrInvalidLookupAttributes ErrorCode = "InvalidLookupAttributesException"
	ErrInvalidTimeRange        ErrorCode = "InvalidTimeRangeException"
	ErrInvalidMaxResults       ErrorCode = "InvalidMaxResultsException"
	ErrInvalidEventCategory    ErrorCode = "InvalidEventCategoryException"
	ErrTrailUnsupported        ErrorCode = "UnsupportedOperationException"
)

type lookupAttribute struct {
	AttributeKey   *string `json:"AttributeKey"`
	AttributeValue *string `json:"AttributeValue"`
}

type lookupEventsInput struct {
	LookupAttributes []lookupAttribute `json:"LookupAttributes"`
	StartTime        *Epoch            `json:"StartTime"`
	EndTime          *Epoch            `json:"EndTime"`
	EventCategory    *string           `json:"EventCategory"`
	MaxResults       *int              `json:"MaxResults"`
	NextToken        *string           `json:"NextToken"`
}

type trailResource struct {
	ResourceType string `json:"ResourceType"`
	ResourceName string `json:"ResourceName"`
}

type trailEvent struct {
	EventId         string          `json:"EventId"`
	EventName       string          `json:"EventName"`
	ReadOnly        string          `json:"ReadOnly"`
	AccessKeyId     string          `json:"AccessKeyId,omitempty"`
	EventTime       Epoch           `json:"EventTime"`
	EventSource     string          `json:"EventSource"`
	Username        string          `json:"Username,omitempty"`
	Resources       []trailResource `json:"Resources"`
	CloudTrailEvent string          `json:"CloudTrailEvent"`
}

type lookupEventsOutput struct {
	Events    []trailEvent `json:"Events"`
	NextToken string       `json:"NextToken,omitempty"`
}

// serveCloudTrail runs one CloudTrail operation as p.
func (s *Server) serveCloudTrail(p Principal, op, region string, body []byte) (any, error) {
	if op != "LookupEvents" {
		return nil, apiErr(ErrUnknownOperation, "Unknown operation %q. This emulator's CloudTrail answers LookupEvents only (X-Amz-Target: %sLookupEvents).", truncateForMsg(op), CloudTrailTargetPrefix)
	}
	in := &lookupEventsInput{}
	if err := decode(body, in); err != nil {
		return nil, err
	}
	account := p.Account
	if account == "" {
		account = s.account
	}
	return s.lookupEvents(account, region, in)
}

var lookupKeys = []string{"EventId", "EventName", "ReadOnly", "Username", "ResourceType", "ResourceName", "EventSource", "AccessKeyId"}

// lookupMatcher compiles the (at most one) lookup attribute.
func lookupMatcher(attrs []lookupAttribute) (func(*AuditEvent) bool, error) {
	if len(attrs) == 0 {
		return func(*AuditEvent) bool { return true }, nil
	}
	if len(attrs) > 1 {
		return nil, apiErr(ErrInvalidLookupAttributes, "You can specify only one lookup attribute; got %d. Filter by one attribute, then narrow the results yourself.", len(attrs))
	}
	key, val := str(attrs[0].AttributeKey), str(attrs[0].AttributeValue)
	if !slices.Contains(lookupKeys, key) {
		return nil, apiErr(ErrInvalidLookupAttributes, "The lookup attribute key %q is not valid. Use one of: %s.", truncateForMsg(key), strings.Join(lookupKeys, ", "))
	}
	if val == "" || len(val) > 2000 {
		return nil, apiErr(ErrInvalidLookupAttributes, "The lookup attribute value must be 1 to 2000 characters long.")
	}
	switch key {
	case "EventId":
		return func(e *AuditEvent) bool { return e.EventID == val }, nil
	case "EventName":
		return func(e *AuditEvent) bool { return e.EventName == val }, nil
	case "ReadOnly":
		return func(e *AuditEvent) bool { return strconv.FormatBool(e.ReadOnly) == val }, nil
	case "Username":
		return func(e *AuditEvent) bool { return e.UserIdentity.UserName == val }, nil
	case "EventSource":
		return func(e *AuditEvent) bool { return e.EventSource == val }, nil
	case "AccessKeyId":
		return func(e *AuditEvent) bool { return e.UserIdentity.AccessKeyID == val }, nil
	case "ResourceType":
		return func(e *AuditEvent) bool {
			for _, r := range e.Resources {
				if r.Type == val {
					return true
				}
			}
			return false
		}, nil
	}
	return func(e *AuditEvent) bool { // ResourceName: the ARN, or a secret's name
		for _, r := range e.Resources {
			if r.ARN == val || secretNameOfARN(r.ARN) == val {
				return true
			}
		}
		return false
	}, nil
}

// secretNameOfARN is the name in a secret ARN (without the random suffix).
func secretNameOfARN(arn string) string {
	i := strings.Index(arn, ":secret:")
	if i < 0 {
		return ""
	}
	name := arn[i+len(":secret:"):]
	if n := len(name); n > 7 && name[n-7] == '-' {
		name = name[:n-7]
	}
	return name
}

func (s *Server) lookupEvents(account, region string, in *lookupEventsInput) (*lookupEventsOutput, error) {
	match, err := lookupMatcher(in.LookupAttributes)
	if err != nil {
		return nil, err
	}
	if in.EventCategory != nil && *in.EventCategory != "insight" {
		return nil, apiErr(ErrInvalidEventCategory, "EventCategory %q is not valid; the only category is insight.", truncateForMsg(*in.EventCategory))
	}
	if in.StartTime != nil && in.EndTime != nil && in.StartTime.After(in.EndTime.Time) {
		return nil, apiErr(ErrInvalidTimeRange, "StartTime is after EndTime. Give a StartTime earlier than (or equal to) the EndTime.")
	}
	max := 50
	if in.MaxResults != nil {
		if *in.MaxResults < 1 || *in.MaxResults > 50 {
			return nil, apiErr(ErrInvalidMaxResults, "MaxResults must be from 1 to 50; got %d.", *in.MaxResults)
		}
		max = *in.MaxResults
	}
	before := uint64(1<<63 - 1)
	if in.NextToken != nil {
		raw, derr := base64.RawURLEncoding.DecodeString(*in.NextToken)
		n, perr := strconv.ParseUint(strings.TrimPrefix(string(raw), "lt:"), 10, 64)
		if derr != nil || perr != nil || !strings.HasPrefix(string(raw), "lt:") {
			return nil, apiErr(ErrInvalidNextToken, "The NextToken is not valid: pass the NextToken of the previous page unchanged, with the same parameters.")
		}
		before = n
	}
	out := &lookupEventsOutput{Events: []trailEvent{}}
	if in.EventCategory != nil {
		return out, nil // no Insights events here
	}
	for _, e := range s.trail.entries(account) {
		ev := e.ev
		if e.seq >= before || ev.AWSRegion != region || !match(ev) ||
			(in.StartTime != nil && ev.EventTime.Before(in.StartTime.Time)) ||
			(in.EndTime != nil && ev.EventTime.After(in.EndTime.Time)) {
			continue
		}
		if len(out.Events) == max {
			out.NextToken = base64.RawURLEncoding.EncodeToString([]byte("lt:" + strconv.FormatUint(e.seq+1, 10)))
			break
		}
		out.Events = append(out.Events, lookupEvent(ev))
	}
	return out, nil
}

func lookupEvent(ev *AuditEvent) trailEvent {
	b, _ := json.Marshal(ev)
	te := trailEvent{EventId: ev.EventID, EventName: ev.EventName, ReadOnly: strconv.FormatBool(ev.ReadOnly),
		AccessKeyId: ev.UserIdentity.AccessKeyID, EventTime: epoch(ev.EventTime), EventSource: ev.EventSource,
		Username: ev.UserIdentity.UserName, Resources: []trailResource{}, CloudTrailEvent: string(b)}
	for _, r := range ev.Resources {
		te.Resources = append(te.Resources, trailResource{ResourceType: r.Type, ResourceName: r.ARN})
	}
	return te
}
