package mask

import (
	"encoding/json"
	"errors"
	"fmt"
)

// JSONError reports a document that [JSON] could not parse. It gives only
// the byte offset of the problem: the standard library's syntax errors quote
// the offending character, and that character may belong to a secret.
type JSONError struct {
	// Offset is the number of bytes read before the problem was found.
	Offset int64
}

func (e *JSONError) Error() string {
	return fmt.Sprintf("mask: malformed JSON near byte %d (the content is not shown); "+
		"fix the document, or mask it whole with mask.Mask", e.Offset)
}

// JSON masks every leaf value of a JSON document (strings, numbers, booleans
// and null alike) as the string [Masked] and keeps every key, nested objects
// and arrays included. Key order, duplicate keys and whitespace are kept as
// they were, so a pretty-printed secret stays pretty-printed.
//
// A malformed document gives a [*JSONError] naming the offset, never the
// content. Masking null and booleans too means the masked document does not
// even tell which fields are set.
func JSON(doc []byte) ([]byte, error) {
	if !json.Valid(doc) {
		return nil, &JSONError{Offset: syntaxOffset(doc)}
	}
	out := make([]byte, 0, len(doc))
	for i := 0; i < len(doc); {
		switch c := doc[i]; c {
		case ' ', '\t', '\r', '\n', '{', '}', '[', ']', ',', ':':
			out = append(out, c)
			i++
		case '"':
			end := stringEnd(doc, i)
			if isKey(doc, end) {
				out = append(out, doc[i:end]...)
			} else {
				out = appendMaskedJSON(out)
			}
			i = end
		default: // a number, true, false or null
			j := i
			for j < len(doc) && !isJSONDelim(doc[j]) {
				j++
			}
			out = appendMaskedJSON(out)
			i = j
		}
	}
	return out, nil
}

func appendMaskedJSON(out []byte) []byte {
	out = append(out, '"')
	out = append(out, Masked...)
	return append(out, '"')
}

// stringEnd returns the index just past the closing quote of the JSON string
// that opens at doc[start]; doc is known to be valid.
func stringEnd(doc []byte, start int) int {
	for i := start + 1; i < len(doc); i++ {
		switch doc[i] {
		case '\\':
			i++ // the escaped byte cannot close the string
		case '"':
			return i + 1
		}
	}
	return len(doc)
}

// isKey reports whether the string ending at end is an object key, that is,
// whether a colon follows it.
func isKey(doc []byte, end int) bool {
	for i := end; i < len(doc); i++ {
		switch doc[i] {
		case ' ', '\t', '\r', '\n':
			continue
		case ':':
			return true
		default:
			return false
		}
	}
	return false
}

func isJSONDelim(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', ',', ']', '}':
		return true
	}
	return false
}

// syntaxOffset finds where an invalid document goes wrong, keeping only the
// offset of the standard library's error.
func syntaxOffset(doc []byte) int64 {
	var v any
	err := json.Unmarshal(doc, &v)
	if se, ok := errors.AsType[*json.SyntaxError](err); ok {
		return se.Offset
	}
	return int64(len(doc))
}
