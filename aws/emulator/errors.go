package emulator

import (
	"errors"
	"fmt"
	"net/http"
)

// ErrorCode is an error name exactly as Secrets Manager puts it in the
// "__type" member of an error response, so an SDK maps it to its typed error.
type ErrorCode string

// The error codes the emulator sends. The modeled ones become typed errors in
// aws-sdk-go-v2 (e.g. *types.ResourceNotFoundException); the others become
// *smithy.GenericAPIError with this code.
const (
	ErrResourceNotFound        ErrorCode = "ResourceNotFoundException"
	ErrInvalidParameter        ErrorCode = "InvalidParameterException"
	ErrInvalidRequest          ErrorCode = "InvalidRequestException"
	ErrResourceExists          ErrorCode = "ResourceExistsException"
	ErrLimitExceeded           ErrorCode = "LimitExceededException"
	ErrInvalidNextToken        ErrorCode = "InvalidNextTokenException"
	ErrMalformedPolicyDocument ErrorCode = "MalformedPolicyDocumentException"
	ErrPublicPolicy            ErrorCode = "PublicPolicyException"
	ErrPreconditionNotMet      ErrorCode = "PreconditionNotMetException"
	ErrInternalServiceError    ErrorCode = "InternalServiceError"
	ErrValidation              ErrorCode = "ValidationException"
	ErrAccessDenied            ErrorCode = "AccessDeniedException"
	ErrUnknownOperation        ErrorCode = "UnknownOperationException"
	ErrSerialization           ErrorCode = "SerializationException"
	ErrRequestTooLarge         ErrorCode = "RequestEntityTooLargeException"
)

// Status is the HTTP status AWS sends with the code: 500 for the one server
// fault, 413 for an oversized body, 400 for everything else (none of the
// Secrets Manager error shapes carries an httpError trait).
func (c ErrorCode) Status() int {
	switch c {
	case ErrInternalServiceError:
		return http.StatusInternalServerError
	case ErrRequestTooLarge:
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusBadRequest
}

// Error is an API error: a wire code plus the exact AWS message. Messages
// never contain a secret value.
type Error struct {
	Code    ErrorCode
	Message string
}

func (e *Error) Error() string { return string(e.Code) + ": " + e.Message }

// Is makes errors.Is(err, ErrResourceNotFound) work for any wrapped *Error.
func (e *Error) Is(target error) bool {
	if c, ok := target.(ErrorCode); ok {
		return e.Code == c
	}
	return false
}

// Error lets an ErrorCode be used as an errors.Is target.
func (c ErrorCode) Error() string { return string(c) }

func apiErr(code ErrorCode, format string, args ...any) *Error {
	if len(args) == 0 {
		return &Error{Code: code, Message: format}
	}
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// asAPIError turns any error into the *Error the encoder writes; anything
// that is not already an API error is an internal failure whose text is not
// shown to the caller (it could come from anywhere).
func asAPIError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: ErrInternalServiceError, Message: "An internal error occurred. Check the emulator log for details."}
}

// Exact AWS texts (docs/secrets-manager.md, Appendix A).
const (
	msgNotFound          = "Secrets Manager can't find the specified secret."
	msgMarkedForDeletion = "You can't perform this operation on the secret because it was marked for deletion."
	msgCurrentlyDeleted  = "You tried to perform the operation on a secret that's currently marked deleted."
	msgScheduledName     = "You can't create this secret because a secret with this name is already scheduled for deletion."
	msgBadName           = "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!"
	msgNoToken           = "You must provide a ClientRequestToken value. We recommend a UUID-type value."
	msgNoLambda          = "No Lambda rotation function ARN is associated with this secret."
	msgLambdaDenied      = "Secrets Manager cannot invoke the specified Lambda function. Ensure that the function policy grants access to the principal secretsmanager.amazonaws.com."
	msgStageMismatch     = "You provided a VersionStage that is not associated to the provided VersionId."
	msgNoValue           = "You must provide either SecretString or SecretBinary."
	msgBothValues        = "You can't specify both a binary secret value and a string secret value in the same secret."
	msgRotationPending   = "A previous rotation isn't complete. That rotation will be reattempted."
	msgBothSchedules     = "You cannot specify both rotation frequency and schedule expression together."
	msgReplica           = "Operation not permitted on a replica secret. Call must be made in primary secret's region."
)

func errNotFound() *Error { return apiErr(ErrResourceNotFound, msgNotFound) }

func errTokenInUse(token, arn string) *Error {
	return apiErr(ErrResourceExists, "You can't use ClientRequestToken %s because that value is already in use for a version of secret %s.", token, arn)
}

// validationErr formats a model-constraint violation as AWS does. Sensitive
// members pass value "" so the value is never echoed.
func validationErr(value, member, constraint string) *Error {
	if value == "" {
		return apiErr(ErrValidation, "1 validation error detected: Value at '%s' failed to satisfy constraint: %s", member, constraint)
	}
	return apiErr(ErrValidation, "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: %s", value, member, constraint)
}
