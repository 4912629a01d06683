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

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/aws/smithy-go"
)

// Explain turns an error from the SDK into one or two sentences that name what
// went wrong and how to fix it. It never adds request data to the text, so a
// secret value in the request cannot leak through it.
func Explain(err error, t Target) string {
	if err == nil {
		return ""
	}
	var (
		notFound *types.ResourceNotFoundException
		exists   *types.ResourceExistsException
		invalid  *types.InvalidRequestException
		param    *types.InvalidParameterException
		api      smithy.APIError
	)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("%s did not answer in time: check that it is running and reachable.", t.describe())
	case errors.Is(err, context.Canceled):
		return "The request was cancelled."
	case isConnRefused(err):
		return fmt.Sprintf("Nothing answers at %s. %s", t.Endpoint, t.startHint())
	case isDNS(err):
		return fmt.Sprintf("The endpoint host in %s cannot be found: check the URL (%s).", t.Endpoint, t.EndpointSource)
	case errors.As(err, &notFound):
		if strings.Contains(notFound.ErrorMessage(), "staging label") || strings.Contains(notFound.ErrorMessage(), "VersionId") {
			return "ResourceNotFoundException: " + notFound.ErrorMessage() + ". The secret exists, but has no value for that version or label: list them with ListSecretVersionIds."
		}
		return "ResourceNotFoundException: Secrets Manager can't find the secret. Check the name (names are case-sensitive) or create it first; in code, catch it with errors.As(err, &notFound)."
	case errors.As(err, &exists):
		return "ResourceExistsException: a secret with that name already exists. Pick another name, or add a version to it with PutSecretValue."
	case errors.As(err, &invalid):
		msg := invalid.ErrorMessage()
		if strings.Contains(msg, "marked for deletion") || strings.Contains(msg, "marked deleted") || strings.Contains(msg, "scheduled for deletion") {
			return "InvalidRequestException: the secret is scheduled for deletion. Restore it with RestoreSecret before using it, or wait until it is gone to reuse the name."
		}
		return "InvalidRequestException: " + msg
	case errors.As(err, &param):
		return "InvalidParameterException: " + param.ErrorMessage()
	case errors.As(err, &api):
		return explainCode(api, t)
	}
	return err.Error()
}

func explainCode(api smithy.APIError, t Target) string {
	code, msg := api.ErrorCode(), api.ErrorMessage()
	switch {
	case code == "ValidationException" && strings.Contains(msg, "Invalid name"):
		return "ValidationException: the name has characters Secrets Manager does not allow. Use letters, digits and / _ + = . @ - only."
	case code == "ValidationException" && strings.Contains(msg, "65536"):
		return "ValidationException: the value is over 64 KiB (65,536 bytes), the largest secret Secrets Manager stores. Store a reference (an S3 key, say) instead, or split it."
	case code == "UnrecognizedClientException", code == "InvalidClientTokenId", code == "InvalidSignatureException", code == "SignatureDoesNotMatch":
		return code + ": AWS did not accept the credentials. Check AWS_PROFILE or run `aws configure`."
	case code == "ExpiredToken", code == "ExpiredTokenException", code == "RequestExpired":
		return code + ": the credentials have expired. Refresh them (for SSO: `aws sso login`)."
	case code == "AccessDeniedException", code == "AccessDenied":
		return code + ": the credentials are not allowed to do this. Ask for an IAM policy granting secretsmanager:* on the tutorial's prefix. (" + msg + ")"
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
