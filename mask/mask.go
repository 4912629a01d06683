package mask

import (
	"bytes"
	"unicode/utf8"
)

// Masked is what a masked value looks like. It has the same width for every
// value, the empty one included, so that a mask never tells how long the
// secret is.
const Masked = "••••••••"

// MinPartialLen is the shortest value, in characters, that [Partial] and
// [PartialSuffix] will partly reveal. Shorter values are masked whole: a few
// characters of a short secret are a large share of it.
const MinPartialLen = 16

// Mask returns the display form of a secret value: always [Masked].
// It takes the value only to make call sites read naturally.
func Mask(v string) string {
	_ = v
	return Masked
}

// Partial reveals the first keep characters of v followed by [Masked], as in
// "AKIA••••••••", which identifies a key without exposing it. It reveals
// nothing (it returns [Masked]) unless v has at least [MinPartialLen]
// characters and keep is at most a quarter of them, so the revealed part
// is always a small share of the value. The hidden part always shows as
// [Masked], whatever its length.
func Partial(v string, keep int) string {
	if !partialAllowed(v, keep) {
		return Masked
	}
	end := 0
	for i := 0; i < keep; i++ {
		_, size := utf8.DecodeRuneInString(v[end:])
		end += size
	}
	return v[:end] + Masked
}

// PartialSuffix reveals the last keep characters of v after [Masked], as in
// "••••••••1234", under the same limits as [Partial].
func PartialSuffix(v string, keep int) string {
	if !partialAllowed(v, keep) {
		return Masked
	}
	start := len(v)
	for i := 0; i < keep; i++ {
		_, size := utf8.DecodeLastRuneInString(v[:start])
		start -= size
	}
	return Masked + v[start:]
}

func partialAllowed(v string, keep int) bool {
	n := utf8.RuneCountInString(v)
	return keep > 0 && n >= MinPartialLen && keep*4 <= n
}

// Value masks a secret value for display: field by field, keys kept, when it
// is a JSON object or array (see [JSON]), and whole otherwise (see [Mask]).
// Secrets Manager values are often JSON documents of credentials, and seeing
// which keys a secret has is useful without seeing any of the values.
func Value(v string) string {
	t := bytes.TrimLeft([]byte(v), " \t\r\n")
	if len(t) == 0 || (t[0] != '{' && t[0] != '[') {
		return Masked
	}
	out, err := JSON([]byte(v))
	if err != nil {
		return Masked
	}
	return string(out)
}
