package emulator

import (
	"encoding/base64"
	"unicode/utf8"
)

// appendGetSecretValue encodes the hottest response without reflection;
// the output is byte-for-byte what encoding/json writes for the struct
// (TestFastEncoderMatchesJSON keeps them equal).
func appendGetSecretValue(b []byte, g *GetSecretValueOutput) []byte {
	b = append(b, '{')
	first := true
	key := func(k string) {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, '"')
		b = append(b, k...)
		b = append(b, '"', ':')
	}
	if g.ARN != "" {
		key("ARN")
		b = appendJSONString(b, g.ARN)
	}
	if g.Name != "" {
		key("Name")
		b = appendJSONString(b, g.Name)
	}
	if g.VersionId != "" {
		key("VersionId")
		b = appendJSONString(b, g.VersionId)
	}
	if len(g.SecretBinary) > 0 {
		key("SecretBinary")
		b = append(b, '"')
		b = base64.StdEncoding.AppendEncode(b, g.SecretBinary)
		b = append(b, '"')
	}
	if g.SecretString != nil {
		key("SecretString")
		b = appendJSONString(b, *g.SecretString)
	}
	if len(g.VersionStages) > 0 {
		key("VersionStages")
		b = append(b, '[')
		for i, s := range g.VersionStages {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, s)
		}
		b = append(b, ']')
	}
	if !g.CreatedDate.IsZero() {
		key("CreatedDate")
		b = appendEpoch(b, g.CreatedDate.Time)
	}
	return append(b, '}', '\n')
}

const hexDigits = "0123456789abcdef"

// appendJSONString quotes s as encoding/json does with HTML escaping off.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// decodeGetSecretValue parses the body every SDK sends for GetSecretValue,
// {"SecretId":"…"[,"VersionId":"…"][,"VersionStage":"…"]}, without
// reflection. It reports false for anything else (escapes, other types,
// unknown or repeated members, invalid UTF-8), and the caller then uses
// encoding/json, so the result is always what encoding/json would decode.
func decodeGetSecretValue(b []byte, in *GetSecretValueInput) bool {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return false
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return skipSpace(b, i+1) == len(b)
	}
	for {
		key, j, ok := plainString(b, i)
		if !ok {
			return false
		}
		i = skipSpace(b, j)
		if i >= len(b) || b[i] != ':' {
			return false
		}
		val, j, ok := plainString(b, skipSpace(b, i+1))
		if !ok {
			return false
		}
		v := string(val)
		var dst **string
		switch string(key) {
		case "SecretId":
			dst = &in.SecretId
		case "VersionId":
			dst = &in.VersionId
		case "VersionStage":
			dst = &in.VersionStage
		default:
			return false
		}
		if *dst != nil {
			return false
		}
		*dst = &v
		i = skipSpace(b, j)
		if i >= len(b) {
			return false
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case '}':
			return skipSpace(b, i+1) == len(b)
		default:
			return false
		}
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// plainString reads a JSON string at b[i] that needs no unescaping.
func plainString(b []byte, i int) ([]byte, int, bool) {
	if i >= len(b) || b[i] != '"' {
		return nil, 0, false
	}
	ascii := true
	for j := i + 1; j < len(b); j++ {
		switch c := b[j]; {
		case c == '"':
			s := b[i+1 : j]
			if !ascii && !utf8.Valid(s) {
				return nil, 0, false
			}
			return s, j + 1, true
		case c == '\\' || c < 0x20:
			return nil, 0, false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return nil, 0, false
}
