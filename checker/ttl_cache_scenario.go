package checker

import (
	"context"
	"strings"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// ttlSecrets are the secrets ttl-cache's driver reads, seeded as cache/KEY
// and named by SECRET_KEY (SECRET_HOT_A for hot-a): hot and long for the
// TTLs, fresh (changed), gone (deleted) and late (created) half-way, cold
// and missing (never created) for concurrent misses, expire for
// concurrent reads of an expired entry.
var ttlSecrets = []string{"hot-a", "hot-b", "long-a", "long-b", "fresh", "gone", "expire", "cold"}

// ttlTrigger starts the line the driver prints before it waits for the
// secrets to change (see ttlScenario.change).
const ttlTrigger = "fresh-before "

// ttlValueChars make the random part of the values the scenario stores.
const ttlValueChars = "abcdefghijklmnopqrstuvwxyz0123456789"

// ttlValue returns a value for a secret of the cache: stem (a short word,
// so that the leak scanner takes it for a type prefix and counts no part
// of it alone as a leak) and 20 random letters and digits. The grading
// looks for its values in the files made in the temp dirs while the
// program runs, and other programs make files there too: the checker's
// own source and builds, as a concurrent `go test` copies and compiles
// them, name every stem, and a Go build's importcfg files are full of hex,
// where eight hex digits of a value (a fragment, to the scanner) turned up
// every few gradings. Eight of these characters do not.
func ttlValue(stem string) string {
	return stem + "-" + randomFrom(ttlValueChars, 20)
}

// ttlScenario is ttl-cache's scenario: the seeded secrets by key (see
// ttlSecrets), their values, and the changes made half-way.
type ttlScenario struct {
	names, values map[string]string
	// late is created half-way with lateV; fresh gets freshNew then.
	late, lateV, freshNew string
	// missing never exists.
	missing string
}

// seedTTLCache seeds the secrets and protects every value they will hold.
func seedTTLCache(ctx context.Context, s seeder) (*ttlScenario, error) {
	sc := &ttlScenario{names: map[string]string{}, values: map[string]string{}}
	for _, k := range ttlSecrets {
		sc.values[k] = ttlValue(k)
		var err error
		if sc.names[k], err = s.create(ctx, "cache/"+k, sc.values[k], ""); err != nil {
			return nil, err
		}
		s.protect(sc.values[k])
	}
	sc.freshNew, sc.lateV = ttlValue("fresh-new"), ttlValue("late")
	sc.late, sc.missing = s.seedName("cache/late"), s.prefix()+"cache/missing"
	s.protect(sc.freshNew, sc.lateV)
	return sc, nil
}

// env is the driver's environment: every secret's name, and the TTLs.
func (sc *ttlScenario) env() map[string]string {
	env := map[string]string{
		"SECRET_LATE": sc.late, "SECRET_MISSING": sc.missing,
		"CACHE_TTL": cacheTTL.String(), "CACHE_TTL_LONG": cacheTTLLong.String(),
	}
	for _, k := range ttlSecrets {
		env["SECRET_"+strings.ToUpper(strings.ReplaceAll(k, "-", "_"))] = sc.names[k]
	}
	return env
}

// change is what happens when the driver prints ttlTrigger: fresh gets a
// new value, late is created, gone is deleted.
func (sc *ttlScenario) change(ctx context.Context, client *secretsmanager.Client) error {
	if _, err := client.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: awssdk.String(sc.names["fresh"]), SecretString: awssdk.String(sc.freshNew)}); err != nil {
		return err
	}
	if _, err := client.CreateSecret(ctx, createInput(sc.late, sc.lateV)); err != nil {
		return err
	}
	_, err := client.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: awssdk.String(sc.names["gone"]), ForceDeleteWithoutRecovery: awssdk.Bool(true)})
	return err
}

func tryTTLCache(ctx context.Context, t *Tryout) error {
	sc, err := seedTTLCache(ctx, t)
	if err != nil {
		return err
	}
	t.Env = sc.env()
	t.Trigger = ttlTrigger
	t.Act = func(ctx context.Context) error { return sc.change(ctx, t.b.Client) }
	return nil
}
