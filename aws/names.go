package aws

import (
	"context"
	"sort"
	"strings"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// ListNames lists, sorted, the names of all secrets whose name starts with
// prefix, those scheduled for deletion included: what the tutorial's cleanups
// delete. On an error it returns the names read so far.
func ListNames(ctx context.Context, client *secretsmanager.Client, prefix string) ([]string, error) {
	p := secretsmanager.NewListSecretsPaginator(client, &secretsmanager.ListSecretsInput{
		IncludePlannedDeletion: sdkaws.Bool(true),
		Filters:                []types.Filter{{Key: types.FilterNameStringTypeName, Values: []string{prefix}}},
	})
	var names []string
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			sort.Strings(names)
			return names, err
		}
		for _, s := range page.SecretList {
			// The name filter is a prefix match on AWS; some emulators
			// match more loosely, so check again.
			if n := sdkaws.ToString(s.Name); strings.HasPrefix(n, prefix) {
				names = append(names, n)
			}
		}
	}
	sort.Strings(names)
	return names, nil
}
