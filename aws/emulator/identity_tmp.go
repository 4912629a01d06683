package emulator

import "net/http"

// TEMPORARY (helper TRAIL): a stand-in for helper IAM's identity.go so this
// branch builds alone. The integrator deletes this file when merging IAM.

// Principal is who made a request, as AWS reports it.
type Principal struct {
	ARN          string
	PrincipalARN string
	Account      string
	AccessKeyID  string
	Type         string
	UserName     string
	Tags         map[string]string
	Root         bool
}

// identify returns the root of the account chosen as before IAM: a 12-digit
// access key id is the account, anything else the server's account.
func (s *Server) identify(r *http.Request, _ []byte) (Principal, error) {
	akid, _ := scope(r.Header.Get("Authorization"))
	account := s.account
	if isAccountID(akid) {
		account = akid
	}
	arn := "arn:aws:iam::" + account + ":root"
	return Principal{ARN: arn, PrincipalARN: arn, Account: account, AccessKeyID: akid, Type: "Root", UserName: "root", Root: true}, nil
}
