package emulator

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Model constraints enforced server-side: the SDK checks only required
// members, so every length and pattern rule lives here.

func validNameChars(name string) bool {
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("/_+=.@-", c) >= 0:
		default:
			return false
		}
	}
	return true
}

func lenErr(member string, value string, min, max int, sensitive bool) *Error {
	n := utf8.RuneCountInString(value)
	shown := value
	if sensitive {
		shown = ""
	}
	if n < min {
		return validationErr(shown, member, "Member must have length greater than or equal to "+strconv.Itoa(min))
	}
	if n > max {
		return validationErr(truncateForMsg(shown), member, "Member must have length less than or equal to "+strconv.Itoa(max))
	}
	return nil
}

// truncateForMsg keeps echoed values short in error messages.
func truncateForMsg(s string) string {
	if len(s) > 64 {
		return s[:64] + "..."
	}
	return s
}

func required(member string, p *string) *Error {
	if p == nil {
		return apiErr(ErrValidation, "1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", member)
	}
	return nil
}

// checkSecretID validates a SecretId member (name, full or partial ARN).
func checkSecretID(p *string) *Error {
	if err := required("secretId", p); err != nil {
		return err
	}
	if err := lenErr("secretId", *p, 1, 2048, false); err != nil {
		return err
	}
	if !strings.HasPrefix(*p, "arn:") && !validNameChars(*p) {
		return apiErr(ErrValidation, msgBadName)
	}
	return nil
}

func checkName(p *string) *Error {
	if err := required("name", p); err != nil {
		return err
	}
	if err := lenErr("name", *p, 1, 512, false); err != nil {
		return err
	}
	if !validNameChars(*p) {
		return apiErr(ErrValidation, msgBadName)
	}
	return nil
}

func checkToken(p *string) *Error {
	if p == nil {
		return nil
	}
	return lenErr("clientRequestToken", *p, 32, 64, false)
}

func checkVersionID(member string, p *string) *Error {
	if p == nil {
		return nil
	}
	return lenErr(member, *p, 32, 64, false)
}

func checkStage(member string, s string) *Error { return lenErr(member, s, 1, 256, false) }

// checkValue validates SecretString/SecretBinary: at most one, within size.
func checkValue(s *string, b []byte) *Error {
	if s != nil && b != nil {
		return apiErr(ErrInvalidParameter, msgBothValues)
	}
	// The limit is in bytes (UTF-8), not characters.
	if s != nil && len(*s) == 0 {
		return validationErr("", "secretString", "Member must have length greater than or equal to 1")
	}
	if s != nil && len(*s) > 65536 {
		return validationErr("", "secretString", "Member must have length less than or equal to 65536")
	}
	if b != nil && (len(b) == 0 || len(b) > 65536) {
		if len(b) == 0 {
			return validationErr("", "secretBinary", "Member must have length greater than or equal to 1")
		}
		return validationErr("", "secretBinary", "Member must have length less than or equal to 65536")
	}
	return nil
}

func checkDescription(p *string) *Error {
	if p == nil {
		return nil
	}
	return lenErr("description", *p, 0, 2048, false)
}

func checkKms(p *string) *Error {
	if p == nil {
		return nil
	}
	return lenErr("kmsKeyId", *p, 0, 2048, false)
}

// maxTags is the per-secret tag limit [Doc: TagResource].
const maxTags = 50

func checkTags(tags []Tag) *Error {
	if len(tags) > maxTags {
		return errTooManyTags()
	}
	for _, t := range tags {
		if t.Key == nil {
			return required("tags.member.key", nil)
		}
		if err := lenErr("tags.member.key", *t.Key, 1, 128, false); err != nil {
			return err
		}
		if len(*t.Key) >= 4 && strings.EqualFold((*t.Key)[:4], "aws:") {
			// AWS's text, as seen on TagResource (cloud-custodian #9093).
			return apiErr(ErrInvalidParameter, "You can't modify system tags. Tag key: '%s'.", *t.Key)
		}
		if t.Value != nil {
			if err := lenErr("tags.member.value", *t.Value, 0, 256, false); err != nil {
				return err
			}
		}
	}
	return nil
}

func errTooManyTags() *Error {
	return apiErr(ErrInvalidParameter, "Number of tags exceeds the limit of %d tags per secret. Remove tags with UntagResource first.", maxTags)
}

func checkMaxResults(p *int32, max int32) *Error {
	if p == nil {
		return nil
	}
	if *p < 1 {
		return validationErr(strconv.Itoa(int(*p)), "maxResults", "Member must have value greater than or equal to 1")
	}
	if *p > max {
		return validationErr(strconv.Itoa(int(*p)), "maxResults", "Member must have value less than or equal to "+strconv.Itoa(int(max)))
	}
	return nil
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func isTrue(p *bool) bool { return p != nil && *p }
