package browser

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"

	"secretlings/lessons/runner"
)

// build validates the form and makes its change.
func (f *formModel) build() (*formResult, error) {
	switch f.kind {
	case formNew:
		return f.buildNew()
	case formPut:
		return f.buildPut()
	case formEdit:
		return f.buildEdit()
	case formLabel:
		return f.buildLabel()
	case formDelete:
		return f.buildDelete()
	}
	return nil, errors.New("unknown form")
}

func (f *formModel) buildNew() (*formResult, error) {
	name := f.get(fieldName)
	if name == "" || name == runner.Prefix {
		return nil, errors.New("the secret needs a name, such as " + runner.Prefix + "db-password")
	}
	val, err := f.value()
	if err != nil {
		return nil, err
	}
	tags, err := parseTags(f.get(fieldTags))
	if err != nil {
		return nil, err
	}
	in := &secretsmanager.CreateSecretInput{Name: sdkaws.String(name), SecretString: sdkaws.String(val), Tags: tags}
	if d := f.get(fieldDesc); d != "" {
		in.Description = sdkaws.String(d)
	}
	return &formResult{what: "created " + name, secret: name, op: func(ctx context.Context, c *secretsmanager.Client) error {
		_, err := c.CreateSecret(ctx, in)
		return err
	}}, nil
}

func (f *formModel) buildPut() (*formResult, error) {
	name := f.secret
	val, err := f.value()
	if err != nil {
		return nil, err
	}
	return &formResult{what: "stored a new value of " + name + " (a new AWSCURRENT version)", secret: name,
		op: func(ctx context.Context, c *secretsmanager.Client) error {
			_, err := c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: sdkaws.String(name), SecretString: sdkaws.String(val)})
			return err
		}}, nil
}

// tagChanges are the tag keys to remove and the tags to add or change.
func tagChanges(old, tags []types.Tag) (removed []string, changed []types.Tag) {
	for _, t := range old {
		if !slices.ContainsFunc(tags, func(n types.Tag) bool { return sdkaws.ToString(n.Key) == sdkaws.ToString(t.Key) }) {
			removed = append(removed, sdkaws.ToString(t.Key))
		}
	}
	for _, t := range tags {
		if !slices.ContainsFunc(old, func(o types.Tag) bool {
			return sdkaws.ToString(o.Key) == sdkaws.ToString(t.Key) && sdkaws.ToString(o.Value) == sdkaws.ToString(t.Value)
		}) {
			changed = append(changed, t)
		}
	}
	return removed, changed
}

func (f *formModel) buildEdit() (*formResult, error) {
	name := f.secret
	desc := f.get(fieldDesc)
	tags, err := parseTags(f.get(fieldTags))
	if err != nil {
		return nil, err
	}
	removed, changed := tagChanges(f.oldTags, tags)
	descChanged := desc != f.oldDesc
	if !descChanged && len(removed) == 0 && len(changed) == 0 {
		return nil, errors.New("nothing changed: edit the description or the tags, or press esc")
	}
	op := func(ctx context.Context, c *secretsmanager.Client) error {
		if descChanged {
			if _, err := c.UpdateSecret(ctx, &secretsmanager.UpdateSecretInput{SecretId: sdkaws.String(name), Description: sdkaws.String(desc)}); err != nil {
				return err
			}
		}
		if len(removed) > 0 {
			if _, err := c.UntagResource(ctx, &secretsmanager.UntagResourceInput{SecretId: sdkaws.String(name), TagKeys: removed}); err != nil {
				return err
			}
		}
		if len(changed) > 0 {
			if _, err := c.TagResource(ctx, &secretsmanager.TagResourceInput{SecretId: sdkaws.String(name), Tags: changed}); err != nil {
				return err
			}
		}
		return nil
	}
	return &formResult{what: "updated the description and tags of " + name, secret: name, op: op}, nil
}

func (f *formModel) buildLabel() (*formResult, error) {
	name := f.secret
	label, to := f.get(fieldLabel), f.get(fieldVersion)
	if label == "" || to == "" {
		return nil, errors.New("name a label (such as AWSCURRENT) and the version id to move it to")
	}
	from := f.holders[label]
	if from == to {
		return nil, fmt.Errorf("%s is already on that version: choose another version", label)
	}
	in := &secretsmanager.UpdateSecretVersionStageInput{SecretId: sdkaws.String(name), VersionStage: sdkaws.String(label), MoveToVersionId: sdkaws.String(to)}
	if from != "" {
		in.RemoveFromVersionId = sdkaws.String(from)
	}
	return &formResult{what: "moved " + label + " of " + name + " to version " + shortID(to), secret: name,
		op: func(ctx context.Context, c *secretsmanager.Client) error {
			_, err := c.UpdateSecretVersionStage(ctx, in)
			return err
		}}, nil
}

// buildDelete schedules a deletion with a recovery window, or deletes for
// good: that cannot be undone, so it is confirmed by typing the name.
func (f *formModel) buildDelete() (*formResult, error) {
	name := f.secret
	w := strings.ToLower(f.get(fieldWindow))
	in := &secretsmanager.DeleteSecretInput{SecretId: sdkaws.String(name)}
	res := &formResult{secret: name, op: func(ctx context.Context, c *secretsmanager.Client) error {
		_, err := c.DeleteSecret(ctx, in)
		return err
	}}
	if w == "force" {
		in.ForceDeleteWithoutRecovery = sdkaws.Bool(true)
		res.what, res.gone, res.typeName = "deleted "+name+" for good", true, true
		res.confirm = "Delete " + name + " now, without recovery? It cannot be restored."
		return res, nil
	}
	days, err := strconv.Atoi(w)
	if err != nil || days < 7 || days > 30 {
		return nil, errors.New("the recovery window is 7 to 30 days, or type force to delete without recovery")
	}
	in.RecoveryWindowInDays = sdkaws.Int64(int64(days))
	res.what = fmt.Sprintf("scheduled %s for deletion in %d days (R restores it until then)", name, days)
	res.confirm = fmt.Sprintf("Delete %s with a %d-day recovery window?", name, days)
	return res, nil
}

func restoreOp(name string) opFunc {
	return func(ctx context.Context, c *secretsmanager.Client) error {
		_, err := c.RestoreSecret(ctx, &secretsmanager.RestoreSecretInput{SecretId: sdkaws.String(name)})
		return err
	}
}
