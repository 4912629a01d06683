package parity

import (
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/smithy-go"
)

// kmsAlias makes sure the KMS alias name exists on the target (a new key
// behind it), so a scenario can name a customer key: the emulator, like
// AWS, refuses a KmsKeyId that names no key. A shared moto keeps the alias
// of an earlier scenario; AlreadyExistsException is fine.
func (r *run) kmsAlias(name string) {
	c := kms.New(kms.Options{BaseEndpoint: aws.String(r.endpoint), Region: region, RetryMaxAttempts: 1, HTTPClient: plainHTTP,
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
	key, err := c.CreateKey(r.ctx, &kms.CreateKeyInput{Description: aws.String("parity " + name)})
	if err == nil {
		_, err = c.CreateAlias(r.ctx, &kms.CreateAliasInput{AliasName: aws.String(name), TargetKeyId: key.KeyMetadata.KeyId})
	}
	var ae smithy.APIError
	if err != nil && !(errors.As(err, &ae) && ae.ErrorCode() == "AlreadyExistsException") {
		r.lines = append(r.lines, "setup KMS "+name+": "+err.Error())
		panic(abort{})
	}
}
