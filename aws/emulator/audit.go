package emulator

import (
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"
)

// The audit trail: every request, allowed or denied, of every service on the
// endpoint becomes one CloudTrail-shaped event (record version 1.08), kept per
// account in a bounded ring (trail.go) and served by CloudTrail's own
// LookupEvents (cloudtrail.go). An event never holds a secret value: request
// parameters lose every secret-bearing member (audit_redact.go), responses
// of reads are null as CloudTrail records them, and error messages never
// quote a value (a rule of the whole package).

// Event sources, as CloudTrail names the services.
const (
	SourceSecretsManager = "secretsmanager.amazonaws.com"
	SourceKMS            = "kms.amazonaws.com"
	SourceSTS            = "sts.amazonaws.com"
	SourceCloudTrail     = "cloudtrail.amazonaws.com"
)

// AuditEvent is one CloudTrail record, with CloudTrail's member names.
type AuditEvent struct {
	EventVersion       string          `json:"eventVersion"`
	UserIdentity       AuditIdentity   `json:"userIdentity"`
	EventTime          time.Time       `json:"eventTime"`
	EventSource        string          `json:"eventSource"`
	EventName          string          `json:"eventName"`
	AWSRegion          string          `json:"awsRegion"`
	SourceIPAddress    string          `json:"sourceIPAddress"`
	UserAgent          string          `json:"userAgent"`
	ErrorCode          string          `json:"errorCode,omitempty"`
	ErrorMessage       string          `json:"errorMessage,omitempty"`
	RequestParameters  map[string]any  `json:"requestParameters"` // never a secret value
	ResponseElements   map[string]any  `json:"responseElements"`  // null for reads; never a secret value
	EventID            string          `json:"eventID"`
	ReadOnly           bool            `json:"readOnly"`
	Resources          []AuditResource `json:"resources,omitempty"`
	EventType          string          `json:"eventType"`
	ManagementEvent    bool            `json:"managementEvent"`
	RecipientAccountID string          `json:"recipientAccountId"`
	EventCategory      string          `json:"eventCategory"`

	// lazyGet holds the parameters of a GetSecretValue until someone reads
	// the event (settle): the hot path builds no map.
	lazyGet *GetSecretValueInput
}

// settle fills RequestParameters from lazyGet; the trail's lock held.
func (e *AuditEvent) settle() {
	if g := e.lazyGet; g != nil {
		m := make(map[string]any, 3)
		putStr(m, "secretId", g.SecretId)
		putStr(m, "versionId", g.VersionId)
		putStr(m, "versionStage", g.VersionStage)
		e.RequestParameters, e.lazyGet = m, nil
	}
}

// AuditIdentity is CloudTrail's userIdentity.
type AuditIdentity struct {
	Type           string               `json:"type"` // Root, IAMUser, AssumedRole
	PrincipalID    string               `json:"principalId"`
	ARN            string               `json:"arn"`
	AccountID      string               `json:"accountId"`
	AccessKeyID    string               `json:"accessKeyId,omitempty"`
	UserName       string               `json:"userName,omitempty"` // LookupEvents' Username: root, app, auditor
	SessionContext *AuditSessionContext `json:"sessionContext,omitempty"`
}

// AuditSessionContext names the role behind an assumed-role session.
type AuditSessionContext struct {
	SessionIssuer AuditSessionIssuer `json:"sessionIssuer"`
}

// AuditSessionIssuer is the role that issued a session.
type AuditSessionIssuer struct {
	Type        string `json:"type"`
	PrincipalID string `json:"principalId"`
	ARN         string `json:"arn"`
	AccountID   string `json:"accountId"`
	UserName    string `json:"userName"`
}

// AuditResource is one resource an event touched.
type AuditResource struct {
	ARN       string `json:"ARN"`
	AccountID string `json:"accountId"`
	Type      string `json:"type"` // AWS::SecretsManager::Secret, AWS::KMS::Key
}

// AuditEvents returns the trail of account, newest first (for tests and
// embedding programs; the app reads it through LookupEvents).
func (s *Server) AuditEvents(account string) []AuditEvent {
	return s.trail.events(account)
}

// audit records one request. ServeHTTP calls it once per request, after the
// operation and before answering, so an answered request is in the trail
// (and, with a state file, on disk).
func (s *Server) audit(r *http.Request, p Principal, source, op string, body []byte, out any, err error) {
	defer func() {
		if v := recover(); v != nil { // a trail bug must not take the answer down
			s.log.Error("audit event lost: building it panicked", "op", op, "panic", fmt.Sprint(v))
		}
	}()
	if err != nil {
		out = nil // a failed operation's answer is a typed nil, or partial
	}
	akid, region := scope(r.Header.Get("Authorization"))
	if region == "" {
		region = s.region
	}
	ev := &AuditEvent{
		EventVersion: "1.08", UserIdentity: s.auditIdentity(p, akid),
		EventTime: s.now().UTC().Truncate(time.Second), EventSource: source, EventName: op, AWSRegion: region,
		SourceIPAddress: sourceIP(r.RemoteAddr), UserAgent: truncateUA(r.UserAgent()),
		EventID: s.newID(), ReadOnly: isReadOnlyOp(op), EventType: "AwsApiCall", ManagementEvent: true,
		EventCategory: "Management",
	}
	if op == "GetSecretValue" && source == SourceSecretsManager {
		var g GetSecretValueInput
		if decodeGetSecretValue(body, &g) {
			ev.lazyGet = &g
		}
	}
	if ev.lazyGet == nil {
		ev.RequestParameters = requestParameters(body)
	}
	if err != nil {
		e := asAPIError(err)
		ev.ErrorCode, ev.ErrorMessage = trailErrorCode(e.Code), e.Message
	} else if !ev.ReadOnly {
		ev.ResponseElements = responseElements(out)
	}
	ev.Resources = s.auditResources(p, source, region, ev, out)
	if werr := s.trail.record(ev); werr != nil {
		s.log.Error("audit event not written to the trail file; it is kept in memory", "op", op, "eventID", ev.EventID, "err", werr)
	}
}

func sourceIP(remote string) string {
	if host, _, err := net.SplitHostPort(remote); err == nil {
		return host
	}
	return remote
}

func truncateUA(ua string) string {
	if len(ua) > 1024 {
		return ua[:1024]
	}
	return ua
}

// isReadOnlyOp is CloudTrail's readOnly: operations that change nothing.
func isReadOnlyOp(op string) bool {
	for _, p := range []string{"Get", "Describe", "List", "BatchGet", "Validate", "Lookup"} {
		if strings.HasPrefix(op, p) {
			return true
		}
	}
	return false
}

// auditIdentity is CloudTrail's userIdentity of p. Principal ids are the
// unique-id shapes IAM uses (AIDA... for users, AROA...:session for role
// sessions), derived from the ARN so they are stable across runs.
func (s *Server) auditIdentity(p Principal, akid string) AuditIdentity {
	if p.ARN == "" {
		return AuditIdentity{Type: "Unknown", PrincipalID: akid, AccountID: s.account, AccessKeyID: akid}
	}
	id := AuditIdentity{Type: p.Type, ARN: p.ARN, AccountID: p.Account, AccessKeyID: p.AccessKeyID, UserName: p.UserName}
	switch p.Type {
	case "Root":
		id.PrincipalID = p.Account
	case "AssumedRole":
		roleID := "AROA" + uniqueIDSuffix(p.PrincipalARN)
		session := p.ARN[strings.LastIndexByte(p.ARN, '/')+1:]
		id.PrincipalID = roleID + ":" + session
		id.SessionContext = &AuditSessionContext{SessionIssuer: AuditSessionIssuer{Type: "Role", PrincipalID: roleID,
			ARN: p.PrincipalARN, AccountID: p.Account, UserName: p.PrincipalARN[strings.LastIndexByte(p.PrincipalARN, '/')+1:]}}
	default:
		id.PrincipalID = "AIDA" + uniqueIDSuffix(p.ARN)
	}
	return id
}

func uniqueIDSuffix(arn string) string {
	sum := sha256.Sum256([]byte(arn))
	return base32.StdEncoding.EncodeToString(sum[:])[:17]
}

// trailErrorCode is an error's errorCode in a CloudTrail event. For a
// refused call CloudTrail writes "AccessDenied" where the API answered
// AccessDeniedException (recorded Secrets Manager events show errorCode
// "AccessDenied" with the API's "User: … is not authorized to perform: …"
// message); other codes are the API's.
func trailErrorCode(code ErrorCode) string {
	if code == ErrAccessDenied {
		return "AccessDenied"
	}
	return string(code)
}
