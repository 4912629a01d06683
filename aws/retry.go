package aws

import (
	"errors"
	"net"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
)

// LocalRetryer is the retry policy for a local server (the embedded
// emulator, serve, LocalStack, moto): one more attempt, at once, only when
// the connection was closed under the call. Go's transport closes a
// kept-alive connection while the response is still being read when its
// request-writing goroutine fails after the server has answered
// (aws/aws-sdk-go-v2#2737); the SDK's default retryer retries that error
// since #2949, and so does this one. Local servers neither throttle nor
// fail transiently otherwise, so a refused connection is not retried: the
// message that nothing answers comes at once.
func LocalRetryer() sdkaws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = 2
		o.RateLimiter = ratelimit.None
		o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		o.Retryables = []retry.IsErrorRetryable{retry.IsErrorRetryableFunc(closedUnderCall)}
	})
}

func closedUnderCall(err error) sdkaws.Ternary {
	return sdkaws.BoolTernary(errors.Is(err, net.ErrClosed))
}
