package emulator

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

func TestSDKCreateGetPutDescribeListDelete(t *testing.T) {
	e := newEnv(t)
	c := e.client
	cr, err := c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("app/db"), SecretString: aws.String("s3cret"),
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("blue")}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := *cr.ARN; len(got) != len("arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-")+6 {
		t.Fatalf("ARN %q", got)
	}
	g, err := c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("app/db")})
	if err != nil {
		t.Fatal(err)
	}
	if *g.SecretString != "s3cret" || *g.VersionId != *cr.VersionId || len(g.VersionStages) != 1 || g.VersionStages[0] != "AWSCURRENT" {
		t.Fatalf("get: %+v", g)
	}
	p, err := c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: cr.ARN, SecretString: aws.String("v2")})
	if err != nil {
		t.Fatal(err)
	}
	d, err := c.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("app/db")})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.VersionIdsToStages) != 2 || d.VersionIdsToStages[*p.VersionId][0] != "AWSCURRENT" || d.VersionIdsToStages[*cr.VersionId][0] != "AWSPREVIOUS" {
		t.Fatalf("stages %v", d.VersionIdsToStages)
	}
	if d.LastAccessedDate == nil || d.LastAccessedDate.Hour() != 0 || d.CreatedDate == nil || len(d.Tags) != 1 {
		t.Fatalf("describe %+v", d)
	}
	l, err := c.ListSecrets(ctx, &secretsmanager.ListSecretsInput{})
	if err != nil || len(l.SecretList) != 1 || len(l.SecretList[0].SecretVersionsToStages) != 2 || l.NextToken != nil {
		t.Fatalf("list %+v %v", l, err)
	}
	del, err := c.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: aws.String("app/db"), RecoveryWindowInDays: aws.Int64(7)})
	if err != nil {
		t.Fatal(err)
	}
	if del.DeletionDate.Sub(e.clock.Now()).Hours() != 7*24 {
		t.Fatalf("deletion date %v", del.DeletionDate)
	}
	_, err = c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("app/db")})
	var ire *types.InvalidRequestException
	if !errors.As(err, &ire) {
		t.Fatalf("get deleted: %v", err)
	}
	_, err = c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("nope")})
	var rnf *types.ResourceNotFoundException
	if !errors.As(err, &rnf) || rnf.ErrorMessage() != msgNotFound {
		t.Fatalf("missing: %v", err)
	}
}
