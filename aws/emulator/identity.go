package emulator

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
)

// Principal is who made a request, as AWS reports it.
type Principal struct {
	ARN          string            // caller identity, e.g. "arn:aws:sts::123456789012:assumed-role/app/secretlings"
	PrincipalARN string            // aws:PrincipalArn: the role ARN for an assumed role, else == ARN
	Account      string            // the principal's own account
	AccessKeyID  string            // the SigV4 access key id ("" for an unsigned request)
	Type         string            // "Root", "AssumedRole", "IAMUser" (CloudTrail userIdentity.type)
	UserName     string            // CloudTrail username: "root", "app", "auditor"
	Tags         map[string]string // aws:PrincipalTag/*
	Root         bool
}

// WithIAMEnforcement turns policy enforcement for the cast on or off
// (default on). Off, every request is allowed as before issue 13; cast
// keys are still recognised (and their signatures checked) so the audit
// trail and GetCallerIdentity name the right principal.
func WithIAMEnforcement(on bool) Option { return func(s *Server) { s.iam.off = !on } }

// iamState is the Server's policy machinery.
type iamState struct {
	off      bool        // enforcement disabled
	policies policyCache // parsed resource and identity policies by text
}

// rootPrincipal is the root user of an account: what every key that is not
// a cast key acts as.
func rootPrincipal(account, akid string) Principal {
	arn := defaultRootARN // the hot path: no allocation
	if account != DefaultAccountID {
		arn = "arn:aws:iam::" + account + ":root"
	}
	return Principal{ARN: arn, PrincipalARN: arn, Account: account, AccessKeyID: akid, Type: "Root", UserName: "root", Root: true}
}

const defaultRootARN = "arn:aws:iam::" + DefaultAccountID + ":root"

const msgBadSignature = "The request signature we calculated does not match the signature you provided. " +
	"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."

// ErrInvalidSignature is what AWS answers a request whose SigV4 signature
// does not verify.
const ErrInvalidSignature ErrorCode = "InvalidSignatureException"

// identify attributes a request to a Principal by its SigV4 access key. A
// cast key's signature is verified, so a cast member cannot be claimed,
// only used; any other key is the root of an account (a 12-digit key picks
// the account, as LocalStack does) and is not verified, as before.
func (s *Server) identify(r *http.Request, body []byte) (Principal, error) {
	auth := r.Header.Get("Authorization")
	akid, _ := scope(auth)
	if c := castByKey(akid); c != nil {
		if !verifySigV4(r, auth, body, c.SecretAccessKey) {
			return Principal{}, apiErr(ErrInvalidSignature, msgBadSignature)
		}
		return c.principal(), nil
	}
	account := s.account
	if isAccountID(akid) {
		account = akid
	}
	return rootPrincipal(account, akid), nil
}

// sigv4Auth is the parsed Authorization header.
type sigv4Auth struct {
	credential    string // AKID/date/region/service/aws4_request
	signedHeaders []string
	signature     string
}

func parseSigV4(auth string) (sigv4Auth, bool) {
	const algo = "AWS4-HMAC-SHA256 "
	if !strings.HasPrefix(auth, algo) {
		return sigv4Auth{}, false
	}
	var a sigv4Auth
	for _, part := range strings.Split(auth[len(algo):], ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			continue
		}
		switch k {
		case "Credential":
			a.credential = v
		case "SignedHeaders":
			a.signedHeaders = strings.Split(v, ";")
		case "Signature":
			a.signature = v
		}
	}
	return a, a.credential != "" && len(a.signedHeaders) > 0 && a.signature != ""
}

// verifySigV4 recomputes the request's Signature Version 4 signature with
// secret and compares it with the one sent: canonical request (method,
// path, query, signed headers, payload hash), string to sign, signing key.
func verifySigV4(r *http.Request, auth string, body []byte, secret string) bool {
	a, ok := parseSigV4(auth)
	if !ok {
		return false
	}
	scopeParts := strings.SplitN(a.credential, "/", 2)
	if len(scopeParts) != 2 {
		return false
	}
	credScope := scopeParts[1] // date/region/service/aws4_request
	sc := strings.Split(credScope, "/")
	if len(sc) != 4 || sc[3] != "aws4_request" {
		return false
	}
	amzDate := r.Header.Get("X-Amz-Date")
	if amzDate == "" {
		amzDate = r.Header.Get("Date")
	}
	var scratch [1024]byte
	sum := sha256.Sum256(appendCanonicalRequest(scratch[:0], r, a.signedHeaders, body))
	var hexSum [2 * sha256.Size]byte
	hex.Encode(hexSum[:], sum[:])
	toSign := make([]byte, 0, 256)
	toSign = append(append(append(append(append(toSign, "AWS4-HMAC-SHA256\n"...), amzDate...), '\n'), credScope...), '\n')
	toSign = append(toSign, hexSum[:]...)
	sk := signingKey(secret, credScope, sc)
	mac := sk.macs.Get().(hash.Hash)
	mac.Reset()
	mac.Write(toSign)
	var got [sha256.Size]byte
	mac.Sum(got[:0])
	sk.macs.Put(mac)
	var want [2 * sha256.Size]byte
	hex.Encode(want[:], got[:])
	return hmac.Equal(want[:], []byte(a.signature))
}

// signingKeys caches derived signing keys by secret and credential scope
// (one per key and day): four of the five HMACs of a verification, with a
// pool of keyed HMACs for the fifth.
var signingKeys struct {
	sync.RWMutex
	m map[signingKeyID]*derivedKey
}

type signingKeyID struct{ secret, scope string }

type derivedKey struct{ macs sync.Pool }

func signingKey(secret, credScope string, sc []string) *derivedKey {
	id := signingKeyID{secret, credScope}
	signingKeys.RLock()
	k := signingKeys.m[id]
	signingKeys.RUnlock()
	if k != nil {
		return k
	}
	key := hmacSHA256([]byte("AWS4"+secret), sc[0])
	for _, p := range sc[1:] {
		key = hmacSHA256(key, p)
	}
	k = &derivedKey{macs: sync.Pool{New: func() any { return hmac.New(sha256.New, key) }}}
	signingKeys.Lock()
	if signingKeys.m == nil || len(signingKeys.m) >= 256 {
		signingKeys.m = map[signingKeyID]*derivedKey{}
	}
	signingKeys.m[id] = k
	signingKeys.Unlock()
	return k
}

func hmacSHA256(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(data))
	return h.Sum(nil)
}

// appendCanonicalRequest appends SigV4's canonical request to b.
func appendCanonicalRequest(b []byte, r *http.Request, signed []string, body []byte) []byte {
	b = append(append(b, r.Method...), '\n')
	path := r.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	// Services other than S3 sign the already-escaped path escaped again.
	b = append(append(b, uriEncode(path, false)...), '\n')
	if r.URL.RawQuery != "" {
		b = append(b, canonicalQuery(r.URL.Query())...)
	}
	b = append(b, '\n')
	for _, h := range signed {
		b = append(append(append(append(b, h...), ':'), headerValue(r, h)...), '\n')
	}
	b = append(b, '\n')
	for i, h := range signed {
		if i > 0 {
			b = append(b, ';')
		}
		b = append(b, h...)
	}
	b = append(b, '\n')
	if ph := r.Header.Get("X-Amz-Content-Sha256"); ph == "UNSIGNED-PAYLOAD" {
		return append(b, ph...)
	}
	sum := sha256.Sum256(body)
	return hex.AppendEncode(b, sum[:])
}

// headerValue is a signed header's canonical value: values trimmed, inner
// runs of spaces collapsed, several values joined by commas. net/http moves
// Host (and may move Content-Length) out of the header map.
func headerValue(r *http.Request, name string) string {
	if name == "host" {
		return r.Host
	}
	vals := r.Header.Values(name)
	if len(vals) == 0 && name == "content-length" && r.ContentLength >= 0 {
		return itoa(r.ContentLength)
	}
	if len(vals) == 1 && !strings.Contains(vals[0], "  ") && strings.TrimSpace(vals[0]) == vals[0] {
		return vals[0]
	}
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = strings.Join(strings.Fields(v), " ")
	}
	return strings.Join(out, ",")
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	var d [20]byte
	i := len(d)
	for n > 0 {
		i--
		d[i] = byte('0' + n%10)
		n /= 10
	}
	return string(d[i:])
}

func canonicalQuery(q url.Values) string {
	if len(q) == 0 {
		return ""
	}
	var pairs []string
	for k, vs := range q {
		for _, v := range vs {
			pairs = append(pairs, uriEncode(k, true)+"="+uriEncode(v, true))
		}
	}
	sort.Strings(pairs)
	return strings.Join(pairs, "&")
}

// uriEncode is SigV4's URI encoding: unreserved characters stay, every
// other byte becomes %XX; '/' stays unless encodeSlash.
func uriEncode(s string, encodeSlash bool) string {
	const hexd = "0123456789ABCDEF"
	unreserved := func(c byte) bool {
		return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' || c == '/' && !encodeSlash
	}
	clean := true
	for i := 0; i < len(s) && clean; i++ {
		clean = unreserved(s[i])
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; unreserved(c) {
			b.WriteByte(c)
		} else {
			b.WriteByte('%')
			b.WriteByte(hexd[c>>4])
			b.WriteByte(hexd[c&15])
		}
	}
	return b.String()
}
