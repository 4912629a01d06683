package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"

	"secretlings/aws/rotation"
	"secretlings/aws/rotation/demoservice"
)

// handler rotates the API key with the SDK alone: none of rotation.Step's
// helpers, its own JSON type, and AWS's template's reads and writes.
type handler struct {
	svc *demoservice.Client
}

type apiKey struct {
	Username string `json:"username"`
	APIKey   string `json:"api_key"`
}

func (h handler) read(ctx context.Context, s *rotation.Step, in *secretsmanager.GetSecretValueInput) (apiKey, bool, error) {
	in.SecretId = aws.String(s.Event.SecretId)
	out, err := s.Client.GetSecretValue(ctx, in)
	var nf *types.ResourceNotFoundException
	if errors.As(err, &nf) {
		return apiKey{}, false, nil
	}
	if err != nil {
		return apiKey{}, false, err
	}
	var v apiKey
	if err := json.Unmarshal([]byte(aws.ToString(out.SecretString)), &v); err != nil {
		return apiKey{}, false, errors.New("the secret is not {\"username\",\"api_key\"} JSON")
	}
	return v, true, nil
}

func (h handler) pending(ctx context.Context, s *rotation.Step) (apiKey, error) {
	v, ok, err := h.read(ctx, s, &secretsmanager.GetSecretValueInput{
		VersionId: aws.String(s.Event.ClientRequestToken), VersionStage: aws.String("AWSPENDING"),
	})
	if err == nil && !ok {
		err = errors.New("no pending value yet")
	}
	return v, err
}

func (h handler) CreateSecret(ctx context.Context, s *rotation.Step) error {
	current, ok, err := h.read(ctx, s, &secretsmanager.GetSecretValueInput{VersionStage: aws.String("AWSCURRENT")})
	if err != nil || !ok {
		return fmt.Errorf("reading the current key: %v", err)
	}
	if _, ok, err := h.read(ctx, s, &secretsmanager.GetSecretValueInput{
		VersionId: aws.String(s.Event.ClientRequestToken), VersionStage: aws.String("AWSPENDING"),
	}); err != nil || ok {
		return err
	}
	key, err := rotation.NewAPIKey()
	if err != nil {
		return err
	}
	b, _ := json.Marshal(apiKey{Username: current.Username, APIKey: key})
	in := &secretsmanager.PutSecretValueInput{
		SecretId:           aws.String(s.Event.SecretId),
		ClientRequestToken: aws.String(s.Event.ClientRequestToken),
		SecretString:       aws.String(string(b)),
		VersionStages:      []string{"AWSPENDING"},
	}
	if s.Event.RotationToken != "" {
		in.RotationToken = aws.String(s.Event.RotationToken)
	}
	_, err = s.Client.PutSecretValue(ctx, in)
	return err
}

func (h handler) SetSecret(ctx context.Context, s *rotation.Step) error {
	v, err := h.pending(ctx, s)
	if err != nil {
		return err
	}
	return h.svc.AddKey(ctx, v.Username, v.APIKey)
}

func (h handler) TestSecret(ctx context.Context, s *rotation.Step) error {
	v, err := h.pending(ctx, s)
	if err != nil {
		return err
	}
	if user, err := h.svc.WhoAmI(ctx, v.APIKey); err != nil || user != v.Username {
		return fmt.Errorf("the pending key does not log in as %s: %v", v.Username, err)
	}
	return nil
}

func (h handler) FinishSecret(ctx context.Context, s *rotation.Step) error {
	desc, err := s.Client.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(s.Event.SecretId)})
	if err != nil {
		return err
	}
	current := ""
	for id, stages := range desc.VersionIdsToStages {
		for _, st := range stages {
			if st == "AWSCURRENT" {
				current = id
			}
		}
	}
	v, ok, err := h.read(ctx, s, &secretsmanager.GetSecretValueInput{VersionId: aws.String(s.Event.ClientRequestToken)})
	if err != nil || !ok {
		return fmt.Errorf("reading the new key: %v", err)
	}
	if current != s.Event.ClientRequestToken {
		if _, err := s.Client.UpdateSecretVersionStage(ctx, &secretsmanager.UpdateSecretVersionStageInput{
			SecretId: aws.String(s.Event.SecretId), VersionStage: aws.String("AWSCURRENT"),
			MoveToVersionId: aws.String(s.Event.ClientRequestToken), RemoveFromVersionId: aws.String(current),
		}); err != nil {
			return err
		}
	}
	return h.svc.RevokeOtherKeys(ctx, v.Username, v.APIKey)
}
