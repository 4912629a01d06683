package cache

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/smithy-go"
)

// Errors a read can wrap; test for them with errors.Is.
var (
	// ErrNotString: GetString on a version that holds SecretBinary.
	ErrNotString = errors.New("the version holds SecretBinary, not SecretString; read it with GetBinary")
	// ErrNotBinary: GetBinary on a version that holds SecretString.
	ErrNotBinary = errors.New("the version holds SecretString, not SecretBinary; read it with GetString or GetJSON")
	// ErrInvalidJSON: GetJSON or Secret.DecodeJSON on a value that is not
	// valid JSON or does not fit the Go value.
	ErrInvalidJSON = errors.New("the value is not the JSON expected")
)

func kindError(id, versionID string, err error) error {
	return fmt.Errorf("cache: secret %q version %s: %w", id, versionID, err)
}

// decodeJSON unmarshals data into v. encoding/json's messages can quote the
// input (a syntax error names the offending character, a type error the
// number), so they are rebuilt from the structured fields instead.
func decodeJSON(id, versionID, data string, v any) error {
	err := json.Unmarshal([]byte(data), v)
	if err == nil {
		return nil
	}
	var (
		syntax  *json.SyntaxError
		typ     *json.UnmarshalTypeError
		invalid *json.InvalidUnmarshalError
	)
	switch {
	case errors.As(err, &invalid):
		// A Go mistake (nil or non-pointer v); the message names only types.
		return fmt.Errorf("cache: decoding secret %q: %w", id, err)
	case errors.As(err, &syntax):
		return fmt.Errorf("cache: secret %q version %s: %w: syntax error at byte %d of %d; store valid JSON with PutSecretValue",
			id, versionID, ErrInvalidJSON, syntax.Offset, len(data))
	case errors.As(err, &typ):
		// Value is e.g. "string" or "number 42": keep only the kind.
		kind, _, _ := strings.Cut(typ.Value, " ")
		field := typ.Field
		if field == "" {
			field = "(top level)"
		}
		return fmt.Errorf("cache: secret %q version %s: %w: field %s is a JSON %s but %v wants %v; change the secret or the Go type",
			id, versionID, ErrInvalidJSON, field, kind, fmt.Sprintf("%T", v), typ.Type)
	default:
		// Errors from custom UnmarshalJSON methods may quote anything.
		return fmt.Errorf("cache: secret %q version %s: %w: decoding into %T failed with a %T (message withheld: it may quote the value)",
			id, versionID, ErrInvalidJSON, v, err)
	}
}

// transient reports whether err may go away by itself, so that serving a stale
// value meanwhile is reasonable. A client fault (the secret is missing,
// deleted, undecryptable, or the request is wrong) and a denied access are
// answers, not outages.
func transient(err error) bool {
	var api smithy.APIError
	if errors.As(err, &api) {
		if api.ErrorFault() == smithy.FaultClient {
			return false
		}
		switch api.ErrorCode() {
		case "AccessDeniedException", "AccessDenied":
			return false
		}
	}
	return true
}
