package mask

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Kind names what sort of secret a [Finding] looks like.
type Kind string

// The kinds of finding. KindKnownValue comes from [Redactor.Find]; the others
// from [Detect].
const (
	KindAWSAccessKeyID     Kind = "aws-access-key-id"
	KindAWSSecretAccessKey Kind = "aws-secret-access-key"
	KindPrivateKey         Kind = "private-key"
	KindJWT                Kind = "jwt"
	KindHighEntropy        Kind = "high-entropy-value"
	KindKnownValue         Kind = "known-value"
)

// Finding tells where a secret-looking string is, never what it is: it has
// no field that could hold the matched text, so a finding can be logged,
// shown and stored freely.
type Finding struct {
	Kind Kind
	// Start and End are byte offsets of the match: text[Start:End].
	Start, End int
	// Line and Column locate Start, from 1; Column counts characters.
	Line, Column int
	// Encoding is, for KindKnownValue, how the value was encoded (one of
	// the Encoding constants); empty for other kinds.
	Encoding string
}

// String describes the finding without its content, for example
// "aws-access-key-id at line 3, column 7 (bytes 40-60)".
func (f Finding) String() string {
	kind := string(f.Kind)
	if f.Encoding != "" && f.Encoding != EncodingRaw {
		kind += " (" + f.Encoding + ")"
	}
	return fmt.Sprintf("%s at line %d, column %d (bytes %d-%d)", kind, f.Line, f.Column, f.Start, f.End)
}

func newFinding(text string, kind Kind, start, end int, enc string) Finding {
	lineStart := strings.LastIndexByte(text[:start], '\n') + 1
	return Finding{
		Kind:     kind,
		Start:    start,
		End:      end,
		Line:     strings.Count(text[:start], "\n") + 1,
		Column:   utf8.RuneCountInString(text[lineStart:start]) + 1,
		Encoding: enc,
	}
}

// Entropy thresholds for KindHighEntropy. A random value of n distinct
// characters has log2(n) bits per character, so short values cannot reach a
// fixed threshold; the threshold is the smaller of maxEntropy and half a bit
// under what n distinct characters would give.
const (
	minEntropyLen = 12
	maxEntropy    = 3.5
)

var (
	// The AWS access key id prefixes, as in gitleaks' aws rule.
	reAWSKeyID = regexp.MustCompile(`\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b`)
	// A secret access key is 40 base64 characters; on its own it is just a
	// string, so it must follow a keyword on the same line. The regexp is
	// tried where "secret" occurs, and the keyword must be "secret access
	// key" or "aws secret (key)".
	reAWSSecretAt = regexp.MustCompile(`^(?i:secret(?:[_.\- ]?access)?(?:[_.\- ]?key)?)[^\n]{0,20}?[^A-Za-z0-9/+]([A-Za-z0-9/+]{40})(?:$|[^A-Za-z0-9/+=])`)
	// Private key blocks in PEM and OpenSSH armour.
	rePrivateBegin = regexp.MustCompile(`-----BEGIN[A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----`)
	rePrivateEnd   = regexp.MustCompile(`-----END[A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----`)
	// Three base64url segments. The header is a JSON object, so its
	// encoding starts with "ey"; the literal start lets the regexp skip
	// ahead quickly. The header is then checked by decoding it.
	reJWT = regexp.MustCompile(`ey[A-Za-z0-9_-]{6,}={0,2}\.[A-Za-z0-9_-]{2,}={0,2}\.[A-Za-z0-9_-]*`)
	// The value of an assignment, from just after the operator: an optional
	// quote, an optional Bearer or Basic scheme, then the value.
	reAssignedValue = regexp.MustCompile(`^\s*["']?(?:(?i:bearer|basic|token)\s+)?([^\s"'` + "`" + `,;<>(){}\[\]]+)`)
)

// Detect finds strings in text that look like secrets: AWS access key ids,
// AWS secret access keys next to a keyword, private key blocks, JWTs, and
// high-entropy values assigned to a keyword such as password, secret, token
// or api_key. Findings are sorted by position and do not overlap (a more
// specific kind wins over a high-entropy value); they say where, never what.
//
// Detection is a heuristic, good for flagging and not for proof: it misses
// short or low-entropy passwords, and may flag a random-looking identifier.
// To check for values you know, use [Redactor.Find].
func Detect(text string) []Finding {
	var fs []Finding
	add := func(kind Kind, start, end int) {
		fs = append(fs, newFinding(text, kind, start, end, ""))
	}
	// Cheap substring checks first, as gitleaks and trufflehog do with
	// their keywords: most text holds none of these, and the regexps are
	// far slower than a substring search.
	if containsAny(text, "AKIA", "ASIA", "ABIA", "ACCA", "A3T") {
		for _, m := range reAWSKeyID.FindAllStringIndex(text, -1) {
			add(KindAWSAccessKeyID, m[0], m[1])
		}
	}
	for p := indexFold(text, "secret", 0); p >= 0; p = indexFold(text, "secret", p+1) {
		// The keyword check comes before the regexp: "secret" alone is
		// common in the logs of a Secrets Manager program.
		access := hasAccessAfter(text[p+len("secret"):])
		if !access && !hasAWSBefore(text[:p]) {
			continue
		}
		m := reAWSSecretAt.FindStringSubmatchIndex(text[p:])
		if m == nil {
			continue
		}
		if start, end := p+m[2], p+m[3]; shannon(text[start:end]) >= 3.0 {
			add(KindAWSSecretAccessKey, start, end)
		}
	}
	if strings.Contains(text, "PRIVATE KEY") {
		for _, m := range rePrivateBegin.FindAllStringIndex(text, -1) {
			end := m[1]
			if e := rePrivateEnd.FindStringIndex(text[m[1]:]); e != nil {
				end = m[1] + e[1]
			}
			add(KindPrivateKey, m[0], end)
		}
	}
	for _, m := range reJWT.FindAllStringIndex(text, -1) {
		if (m[0] == 0 || !isBase64URLChar(text[m[0]-1])) && isJWT(text[m[0]:m[1]]) {
			add(KindJWT, m[0], m[1])
		}
	}
	for _, a := range assignments(text) {
		if highEntropy(text[a[0]:a[1]]) {
			add(KindHighEntropy, a[0], a[1])
		}
	}
	return dedupe(fs)
}

// assignments returns the offsets of the values assigned to sensitive keys
// (see IsSensitiveKey) in text: key=value, key: value, key := value and
// key => value, with the key and the value optionally quoted.
func assignments(text string) [][2]int {
	var out [][2]int
	for i := 0; i < len(text); i++ {
		j := strings.IndexAny(text[i:], ":=")
		if j < 0 {
			break
		}
		i += j
		op := i
		if text[i] == '=' && i > 0 && text[i-1] == ':' {
			continue // the second half of :=, seen already
		}
		// The key: back over spaces, a closing quote and identifier characters.
		k := op
		for k > 0 && (text[k-1] == ' ' || text[k-1] == '\t') {
			k--
		}
		if k > 0 && (text[k-1] == '"' || text[k-1] == '\'') {
			k--
		}
		keyEnd := k
		for k > 0 && isKeyChar(text[k-1]) {
			k--
		}
		// A key stands on its own: "secret" in arn:aws:…:secret:name is not one.
		if k == keyEnd || (k > 0 && !strings.ContainsRune(" \t\r\n\"'{,([;&?$", rune(text[k-1]))) ||
			!IsSensitiveKey(text[k:keyEnd]) {
			continue
		}
		// The value, after the operator (one of : = := =>).
		v := op + 1
		if v < len(text) && (text[v] == '=' || text[v] == '>') {
			v++
		}
		if m := reAssignedValue.FindStringSubmatchIndex(text[v:]); m != nil {
			out = append(out, [2]int{v + m[2], v + m[3]})
		}
	}
	return out
}

func isKeyChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.'
}

func isBase64URLChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

func containsAny(text string, subs ...string) bool {
	for _, s := range subs {
		if strings.Contains(text, s) {
			return true
		}
	}
	return false
}

// indexFold returns the index of the first instance of the lower-case
// ASCII word in text[from:], in any case, or -1.
func indexFold(text, word string, from int) int {
	firsts := strings.ToUpper(word[:1]) + word[:1]
	for i := from; i+len(word) <= len(text); i++ {
		j := strings.IndexAny(text[i:], firsts)
		if j < 0 {
			return -1
		}
		i += j
		if i+len(word) <= len(text) && strings.EqualFold(text[i:i+len(word)], word) {
			return i
		}
	}
	return -1
}

// hasAccessAfter reports whether after starts with "access", in any case,
// maybe after one separator.
func hasAccessAfter(after string) bool {
	if len(after) > 0 && strings.IndexByte("_.- ", after[0]) >= 0 {
		after = after[1:]
	}
	return len(after) >= 6 && strings.EqualFold(after[:6], "access")
}

// hasAWSBefore reports whether before ends with "aws", in any case,
// maybe followed by one separator.
func hasAWSBefore(before string) bool {
	if n := len(before); n > 0 && strings.IndexByte("_.- ", before[n-1]) >= 0 {
		before = before[:n-1]
	}
	return len(before) >= 3 && strings.EqualFold(before[len(before)-3:], "aws")
}

// dedupe sorts findings and drops those overlapping an earlier-listed, more
// specific one (the kinds are added in order of specificity).
func dedupe(fs []Finding) []Finding {
	var kept []Finding
	for _, f := range fs {
		if !slices.ContainsFunc(kept, func(k Finding) bool { return f.Start < k.End && k.Start < f.End }) {
			kept = append(kept, f)
		}
	}
	slices.SortFunc(kept, func(a, b Finding) int { return a.Start - b.Start })
	return kept
}

// isJWT reports whether s is header.payload.signature with a header that
// decodes to a JSON object naming an algorithm, as every JWS header must.
func isJWT(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return false
	}
	dec := func(p string) []byte {
		b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(p, "="))
		if err != nil {
			return nil
		}
		return b
	}
	var header map[string]any
	if json.Unmarshal(dec(parts[0]), &header) != nil {
		return false
	}
	if _, ok := header["alg"].(string); !ok {
		return false
	}
	return dec(parts[1]) != nil
}

// highEntropy reports whether v looks random enough to be a secret: long
// enough, with at least two classes of character (so words and repeated
// characters do not count), and a high Shannon entropy for its length.
func highEntropy(v string) bool {
	n := utf8.RuneCountInString(v)
	// URLs and ARNs name things; they are long and varied but not secret.
	if n < minEntropyLen || strings.Contains(v, "://") || strings.HasPrefix(v, "arn:") {
		return false
	}
	var lower, upper, digit, other int
	for _, c := range v {
		switch {
		case c >= 'a' && c <= 'z':
			lower = 1
		case c >= 'A' && c <= 'Z':
			upper = 1
		case c >= '0' && c <= '9':
			digit = 1
		default:
			other = 1
		}
	}
	if lower+upper+digit+other < 2 {
		return false
	}
	return shannon(v) >= min(maxEntropy, math.Log2(float64(n))-0.5)
}

// shannon returns the Shannon entropy of s in bits per character.
func shannon(s string) float64 {
	counts := map[rune]int{}
	n := 0
	for _, c := range s {
		counts[c]++
		n++
	}
	var h float64
	for _, k := range counts {
		p := float64(k) / float64(n)
		h -= p * math.Log2(p)
	}
	return h
}
