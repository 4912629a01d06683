package aws

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"syscall"

	"github.com/aws/smithy-go"
)

// Explain turns an error from the SDK into one or two sentences that name what
// went wrong and how to fix it. It never adds request data to the text, so a
// secret value in the request cannot leak through it.
func Explain(err error, t Target) string {
	if err == nil {
		return ""
	}
	var api smithy.APIError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("%s did not answer in time: check that it is running and reachable.", t.describe())
	case errors.Is(err, context.Canceled):
		return "The request was cancelled."
	case isConnRefused(err):
		return fmt.Sprintf("Nothing answers at %s. %s", t.Endpoint, t.startHint())
	case isDNS(err):
		return fmt.Sprintf("The endpoint host in %s cannot be found: check the URL (%s).", t.Endpoint, t.EndpointSource)
	case errors.As(err, &api):
		return explainAPI(operation(err), api.ErrorCode(), api.ErrorMessage(), t)
	}
	return err.Error()
}

// operation is the name of the Secrets Manager operation that failed
// ("PutSecretValue"), which the SDK wraps around every error it returns.
func operation(err error) string {
	var op *smithy.OperationError
	if errors.As(err, &op) {
		return op.OperationName
	}
	return ""
}

// explainAPI explains an error code by the operation that raised it: the
// same code means different mistakes in different calls (a
// ResourceExistsException from CreateSecret is a taken name, from
// PutSecretValue a reused ClientRequestToken).
func explainAPI(op, code, msg string, t Target) string {
	switch code {
	case "ResourceNotFoundException":
		return explainNotFound(op, msg)
	case "ResourceExistsException":
		return explainExists(op, msg)
	case "InvalidRequestException":
		return explainInvalidRequest(op, msg)
	case "InvalidParameterException":
		if strings.Contains(msg, "RemoveFromVersionId") {
			return code + ": " + msg + " Pass the version that holds the label now as RemoveFromVersionId, and the label moves."
		}
		return code + ": " + msg
	}
	return explainCode(code, msg, t)
}

func explainNotFound(op, msg string) string {
	const code = "ResourceNotFoundException: "
	switch {
	case strings.Contains(msg, "staging label") || strings.Contains(msg, "VersionId") || strings.Contains(msg, "version"):
		return code + msg + ". The secret exists, but has no value for that version or label: list them with ListSecretVersionIds."
	case op == "DeleteSecret":
		return code + "there is no such secret to delete (a force-deleted secret is gone for good). Check the name; names are case-sensitive."
	case op == "RestoreSecret":
		return code + "there is no such secret to restore: only a secret still in its recovery window can be restored, and a force-deleted one cannot."
	}
	return code + "Secrets Manager can't find the secret. Check the name (names are case-sensitive) or create it first; in code, catch it with errors.As(err, &notFound)."
}

func explainExists(op, msg string) string {
	const code = "ResourceExistsException: "
	switch op {
	case "CreateSecret":
		return code + "a secret with that name already exists. Pick another name, or add a version to it with PutSecretValue."
	case "PutSecretValue", "UpdateSecret":
		return code + "this ClientRequestToken already names a version of the secret, with a different value. A token makes one write safe to retry: reuse it only to resend the same value, and send a new token (or none: the SDK makes one) for a new value."
	}
	return code + msg
}

func explainInvalidRequest(op, msg string) string {
	const code = "InvalidRequestException: "
	switch {
	case op == "CreateSecret" && strings.Contains(msg, "scheduled for deletion"):
		return code + "a secret with this name is scheduled for deletion. Restore it with RestoreSecret, or delete it for good (DeleteSecret with ForceDeleteWithoutRecovery) before creating the name again."
	case op == "DeleteSecret" && (strings.Contains(msg, "marked deleted") || strings.Contains(msg, "marked for deletion")):
		return code + "the secret is already scheduled for deletion. To delete it now, call DeleteSecret with ForceDeleteWithoutRecovery; to keep it, RestoreSecret."
	case strings.Contains(msg, "marked for deletion") || strings.Contains(msg, "marked deleted") || strings.Contains(msg, "scheduled for deletion"):
		return code + "the secret is scheduled for deletion. Restore it with RestoreSecret before using it, or wait until it is gone to reuse the name."
	case op == "RotateSecret" && strings.Contains(msg, "Lambda"):
		return code + msg + " Give RotateSecret a RotationLambdaARN (the function that runs the four rotation steps)."
	case op == "RotateSecret" && strings.Contains(msg, "previous rotation"):
		return code + msg + " A version still carries AWSPENDING: finish or cancel that rotation (move or remove the label with UpdateSecretVersionStage) first."
	}
	return code + msg
}

func explainCode(code, msg string, t Target) string {
	switch {
	case code == "ValidationException" && strings.Contains(msg, "Invalid name"):
		return "ValidationException: the name has characters Secrets Manager does not allow. Use letters, digits and / _ + = . @ - only."
	case code == "ValidationException" && strings.Contains(msg, "65536"):
		return "ValidationException: the value is over 64 KiB (65,536 bytes), the largest secret Secrets Manager stores. Store a reference (an S3 key, say) instead, or split it."
	case code == "UnrecognizedClientException", code == "InvalidClientTokenId", code == "InvalidSignatureException", code == "SignatureDoesNotMatch":
		return code + ": AWS did not accept the credentials. Check AWS_PROFILE or run `aws configure`."
	case code == "ExpiredToken", code == "ExpiredTokenException", code == "RequestExpired":
		return code + ": the credentials have expired. Refresh them (for SSO: `aws sso login`)."
	case (code == "AccessDeniedException" || code == "AccessDenied") && strings.Contains(msg, "KMS"):
		return code + ": the secret's KMS key does not let this caller use it (another account can never use aws/secretsmanager): allow kms:Decrypt in the key's policy, or store the secret under a key that does. (" + msg + ")"
	case code == "AccessDeniedException", code == "AccessDenied":
		// Least privilege: grant the one action refused, not secretsmanager:*.
		return code + ": this caller may not do this. The message says who was refused, which action and why: `aws sts get-caller-identity` shows who you are; allow that principal just this action, in its identity policy or the secret's resource policy (an explicit Deny wins over any Allow). (" + msg + ")"
	case code == "ThrottlingException", code == "TooManyRequestsException", code == "LimitExceededException":
		return code + ": too many requests. Wait a moment and try again. (" + msg + ")"
	case code == "UnknownOperationException":
		return code + ": " + t.describe() + " does not know this operation."
	}
	if msg == "" {
		return code
	}
	return code + ": " + msg
}

func (t Target) describe() string {
	if t.Endpoint == "" {
		return "AWS Secrets Manager"
	}
	return t.Endpoint
}

func (t Target) startHint() string {
	switch t.Backend {
	case LocalStack:
		return "Start LocalStack with `make localstack-up` (needs Docker), or use the default embedded backend."
	case Embedded:
		return "The embedded emulator stopped: restart secretlings."
	default:
		return fmt.Sprintf("Is the server running? (endpoint from %s)", t.EndpointSource)
	}
}

// isConnRefused covers a server that is gone: refused, reset, a broken
// pipe, and "use of closed network connection" (a kept-alive connection
// reused after the emulator closed), and a transport-level EOF (the server
// hung up without answering).
func isConnRefused(err error) bool {
	var ue *url.Error
	return errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, net.ErrClosed) || errors.As(err, &ue) && errors.Is(ue.Err, io.EOF)
}

func isDNS(err error) bool {
	var dns *net.DNSError
	return errors.As(err, &dns)
}
