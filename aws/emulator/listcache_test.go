package emulator

import (
	"strings"
	"testing"
	"time"
)

func names(t *testing.T, st *memStore, in *ListSecretsInput) string {
	t.Helper()
	out, err := st.ListSecrets(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	var n []string
	for _, d := range out.SecretList {
		n = append(n, d.Name)
	}
	return strings.Join(n, ",")
}

// TestListingCacheFollowsEveryChange: a cached order is never served after
// a write, an access-date change or a deletion falling due.
func TestListingCacheFollowsEveryChange(t *testing.T) {
	clock := newTestClock()
	srv, _ := New(WithClock(clock.Now), WithIDs(seqIDs()))
	defer srv.Close()
	st := srv.store(DefaultAccountID, DefaultRegion)
	for _, n := range []string{"b", "a", "c"} {
		st.CreateSecret(ctx, &CreateSecretInput{Name: sp(n), ClientRequestToken: sp(tok(n)), SecretString: sp("v")})
		clock.Advance(time.Second)
	}
	byName := &ListSecretsInput{SortBy: sp("name")}
	byAccess := &ListSecretsInput{SortBy: sp("last-accessed-date"), SortOrder: sp("desc")}
	planned := &ListSecretsInput{SortBy: sp("name"), IncludePlannedDeletion: ptr(true)}
	if got := names(t, st, byName); got != "a,b,c" {
		t.Fatalf("by name %s", got)
	}
	names(t, st, byAccess) // cache it
	clock.Advance(48 * time.Hour)
	st.GetSecretValue(ctx, &GetSecretValueInput{SecretId: sp("c")})
	if got := names(t, st, byAccess); !strings.HasPrefix(got, "c,") {
		t.Fatalf("after reading c, by access %s", got)
	}
	st.CreateSecret(ctx, &CreateSecretInput{Name: sp("aa")})
	if got := names(t, st, byName); got != "a,aa,b,c" {
		t.Fatalf("after a create %s", got)
	}
	st.DeleteSecret(ctx, &DeleteSecretInput{SecretId: sp("b"), RecoveryWindowInDays: ptr(int64(7))})
	if got := names(t, st, byName); got != "a,aa,c" {
		t.Fatalf("after a delete %s", got)
	}
	if got := names(t, st, planned); got != "a,aa,b,c" {
		t.Fatalf("planned deletions included %s", got)
	}
	clock.Advance(8 * 24 * time.Hour) // b's deletion falls due without a write
	if got := names(t, st, planned); got != "a,aa,c" {
		t.Fatalf("after b's purge date %s", got)
	}
	st.TagResource(ctx, &TagResourceInput{SecretId: sp("a"), Tags: []Tag{{Key: sp("k"), Value: sp("v")}}})
	if got := names(t, st, &ListSecretsInput{Filters: []Filter{{Key: sp("tag-key"), Values: []string{"k"}}}}); got != "a" {
		t.Fatalf("tag filter %s", got)
	}
}
