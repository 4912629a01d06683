package emulator

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
)

// STS on the same endpoint: GetCallerIdentity, the first command a
// learner types when access fails. STS speaks the query protocol: a form
// body (Action=GetCallerIdentity&Version=2011-06-15), no X-Amz-Target, and
// answers in XML.

const stsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"

// isSTS recognises a query-protocol request: the SDKs send STS calls as a
// form with no X-Amz-Target header.
func isSTS(r *http.Request) bool {
	if r.Header.Get("X-Amz-Target") != "" {
		return false
	}
	return strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded")
}

type stsIdentityResult struct {
	Arn     string `xml:"Arn"`
	UserID  string `xml:"UserId"`
	Account string `xml:"Account"`
}

type stsCallerIdentityResponse struct {
	XMLName   xml.Name          `xml:"GetCallerIdentityResponse"`
	Xmlns     string            `xml:"xmlns,attr"`
	Result    stsIdentityResult `xml:"GetCallerIdentityResult"`
	RequestID string            `xml:"ResponseMetadata>RequestId"`
}

type stsErrorResponse struct {
	XMLName   xml.Name `xml:"ErrorResponse"`
	Xmlns     string   `xml:"xmlns,attr"`
	Type      string   `xml:"Error>Type"`
	Code      string   `xml:"Error>Code"`
	Message   string   `xml:"Error>Message"`
	RequestID string   `xml:"RequestId"`
}

// serveSTS answers one STS request as the caller p (identifyErr: the
// signature did not verify).
func (s *Server) serveSTS(w http.ResponseWriter, p Principal, identifyErr error, reqID string, body []byte) {
	w.Header()["Content-Type"] = []string{"text/xml"}
	fail := func(status int, code, msg string) {
		w.WriteHeader(status)
		b, _ := xml.Marshal(stsErrorResponse{Xmlns: stsNamespace, Type: "Sender", Code: code, Message: msg, RequestID: reqID})
		w.Write(b)
	}
	if identifyErr != nil {
		fail(http.StatusForbidden, "SignatureDoesNotMatch", msgBadSignature)
		return
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		fail(http.StatusBadRequest, "MalformedInput", "The request body is not a valid form (Action=GetCallerIdentity&Version=2011-06-15).")
		return
	}
	action := form.Get("Action")
	if action != "GetCallerIdentity" {
		fail(http.StatusBadRequest, "InvalidAction", "Could not find operation "+truncateForMsg(action)+" for version 2011-06-15. The emulator's STS answers GetCallerIdentity only.")
		return
	}
	// GetCallerIdentity needs no permission: "No permissions are required
	// to perform this operation."
	b, _ := xml.Marshal(stsCallerIdentityResponse{Xmlns: stsNamespace, RequestID: reqID,
		Result: stsIdentityResult{Arn: p.ARN, UserID: userID(p), Account: p.Account}})
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}

// userID is GetCallerIdentity's UserId: the account id for the root user,
// the user's unique id for an IAM user, "role-id:session" for a role session.
func userID(p Principal) string {
	if c := castByKey(p.AccessKeyID); c != nil && !p.Root {
		if c.role {
			return c.uniqueID + ":" + sessionName
		}
		return c.uniqueID
	}
	return p.Account
}
