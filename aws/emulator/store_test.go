package emulator

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"
)

func newTestStore(t *testing.T) (*memStore, *testClock) {
	t.Helper()
	c := newTestClock()
	return newMemStore("123456789012", "us-east-1", c.Now, seqIDs(), nil), c
}

func sp(s string) *string { return &s }

// tok makes a valid (32+ character) ClientRequestToken from a short name.
func tok(name string) string { return fmt.Sprintf("%-32s", name+"-token")[:32] }

// state is a secret's labels: version short name -> sorted labels, with
// unlabeled versions left out.
type state map[string]string

// labelState renders the labels of every version whose id came from tok.
func labelState(t *testing.T, m *memStore, name string) state {
	t.Helper()
	s := m.secrets[name]
	if s == nil {
		t.Fatalf("secret %s missing", name)
	}
	out := state{}
	for _, v := range s.Versions {
		if len(v.Stages) > 0 {
			short := strings.TrimRight(strings.TrimSuffix(strings.TrimRight(v.ID, " "), "-token"), " ")
			out[short] = strings.Join(slices.Sorted(slices.Values(v.Stages)), ",")
		}
	}
	// The label index must agree with the versions.
	for l, v := range s.labels {
		if !v.hasStage(l) {
			t.Fatalf("index says %s on %s, version disagrees", l, v.ID)
		}
	}
	return out
}

type step struct {
	op     string // create, put, move, remove, createEmpty
	ver    string // version short name (put/create) or MoveTo
	from   string // RemoveFrom (move/remove)
	label  string // move/remove
	stages []string
	value  string
}

func run(t *testing.T, m *memStore, name string, steps []step) error {
	t.Helper()
	for _, s := range steps {
		var err error
		val := s.value
		if val == "" {
			val = "value-of-" + s.ver
		}
		switch s.op {
		case "create":
			_, err = m.CreateSecret(ctx, &CreateSecretInput{Name: sp(name), ClientRequestToken: sp(tok(s.ver)), SecretString: sp(val)})
		case "createEmpty":
			_, err = m.CreateSecret(ctx, &CreateSecretInput{Name: sp(name), ClientRequestToken: sp(tok("empty"))})
		case "put":
			_, err = m.PutSecretValue(ctx, &PutSecretValueInput{SecretId: sp(name), ClientRequestToken: sp(tok(s.ver)), SecretString: sp(val), VersionStages: s.stages})
		case "update":
			_, err = m.UpdateSecret(ctx, &UpdateSecretInput{SecretId: sp(name), ClientRequestToken: sp(tok(s.ver)), SecretString: sp(val)})
		case "move", "remove":
			in := &UpdateSecretVersionStageInput{SecretId: sp(name), VersionStage: sp(s.label)}
			if s.ver != "" {
				in.MoveToVersionId = sp(tok(s.ver))
			}
			if s.from != "" {
				in.RemoveFromVersionId = sp(tok(s.from))
			}
			_, err = m.UpdateSecretVersionStage(ctx, in)
		default:
			t.Fatalf("unknown op %s", s.op)
		}
		if err != nil {
			return fmt.Errorf("%s %s: %w", s.op, s.ver, err)
		}
	}
	return nil
}

// TestLabelSequences replays every sequence of reference section 3.2.
func TestLabelSequences(t *testing.T) {
	const C, P, N = StageCurrent, StagePrevious, StagePending
	tests := []struct {
		name  string
		steps []step
		want  state
	}{
		{"1 create with value", []step{{op: "create", ver: "v1"}}, state{"v1": C}},
		{"2 put twice without stages", []step{{op: "create", ver: "v1"}, {op: "put", ver: "v2"}, {op: "put", ver: "v3"}},
			state{"v2": P, "v3": C}},
		{"2 update with value", []step{{op: "create", ver: "v1"}, {op: "update", ver: "v2"}, {op: "update", ver: "v3"}},
			state{"v2": P, "v3": C}},
		{"3 put AWSPENDING", []step{{op: "create", ver: "v1"}, {op: "put", ver: "v2", stages: []string{N}}},
			state{"v1": C, "v2": N}},
		{"3 custom labels without replacement", []step{{op: "create", ver: "v1"},
			{op: "put", ver: "v2", stages: []string{"one", "two", "three"}}, {op: "put", ver: "v3", stages: []string{"one", "two", "four"}}},
			state{"v1": C, "v2": "three", "v3": "four,one,two"}},
		{"3 custom labels with replacement", []step{{op: "create", ver: "v1"},
			{op: "put", ver: "v2", stages: []string{"one", "two", "three"}}, {op: "put", ver: "v3", stages: []string{"one", "two", "three", "four"}}},
			state{"v1": C, "v3": "four,one,three,two"}},
		{"3 pending moves, current and custom stay", []step{{op: "create", ver: "v1"},
			{op: "put", ver: "v2", stages: []string{C, N, "AWSSOMETHING", "PUT1"}}, {op: "put", ver: "v3", stages: []string{N, "PUT2"}}},
			state{"v1": P, "v2": "AWSCURRENT,AWSSOMETHING,PUT1", "v3": "AWSPENDING,PUT2"}},
		{"4 put with AWSCURRENT and custom", []step{{op: "create", ver: "v1"}, {op: "put", ver: "v2", stages: []string{C, "PUT0"}}},
			state{"v1": P, "v2": "AWSCURRENT,PUT0"}},
		{"5 first value of an empty secret gets AWSCURRENT", []step{{op: "createEmpty"}, {op: "put", ver: "v1", stages: []string{"X"}}},
			state{"v1": "AWSCURRENT,X"}},
		{"5 first value of an empty secret without stages", []step{{op: "createEmpty"}, {op: "put", ver: "v1"}},
			state{"v1": C}},
		{"6 move AWSCURRENT keeps pending and custom (custom_stages_2)", []step{{op: "create", ver: "v1"},
			{op: "put", ver: "v2", stages: []string{C, "PUT0"}}, {op: "put", ver: "v3", stages: []string{C, "PUT1"}},
			{op: "put", ver: "v4", stages: []string{N, "PUT2"}}, {op: "move", label: C, ver: "v4", from: "v3"}},
			state{"v2": "PUT0", "v3": "AWSPREVIOUS,PUT1", "v4": "AWSCURRENT,AWSPENDING,PUT2"}},
		{"6 custom_stages_3", []step{{op: "create", ver: "v1"}, {op: "put", ver: "v2", stages: []string{"PENDING"}},
			{op: "move", label: C, ver: "v2", from: "v1"}, {op: "remove", label: "PENDING", from: "v2"}},
			state{"v1": P, "v2": C}},
		{"6 rollback to AWSPREVIOUS", []step{{op: "create", ver: "v1"}, {op: "put", ver: "v2"}, {op: "move", label: C, ver: "v1", from: "v2"}},
			state{"v1": C, "v2": P}},
		{"7 remove a label deprecates the version", []step{{op: "create", ver: "v1"}, {op: "put", ver: "v2", stages: []string{"X"}},
			{op: "remove", label: "X", from: "v2"}}, state{"v1": C}},
		{"8 move an unattached label without RemoveFrom", []step{{op: "create", ver: "v1"}, {op: "put", ver: "v2", stages: []string{"X"}},
			{op: "move", label: "Y", ver: "v2"}}, state{"v1": C, "v2": "X,Y"}},
		{"8 move a custom label with RemoveFrom", []step{{op: "create", ver: "v1"}, {op: "put", ver: "v2", stages: []string{"X"}},
			{op: "move", label: "X", ver: "v1", from: "v2"}}, state{"v1": "AWSCURRENT,X"}},
		{"9 current+pending then put AWSPENDING", []step{{op: "create", ver: "v1"}, {op: "put", ver: "v2", stages: []string{N}},
			{op: "move", label: C, ver: "v2", from: "v1"}, {op: "put", ver: "v3", stages: []string{N}}},
			state{"v1": P, "v2": C, "v3": N}},
		{"9 current+pending then plain put drops pending", []step{{op: "create", ver: "v1"}, {op: "put", ver: "v2", stages: []string{N}},
			{op: "move", label: C, ver: "v2", from: "v1"}, {op: "put", ver: "v3"}},
			state{"v2": P, "v3": C}},
		{"10 same token same value changes nothing", []step{{op: "create", ver: "v1"}, {op: "put", ver: "v2"},
			{op: "put", ver: "v1", value: "value-of-v1"}, {op: "update", ver: "v2", value: "value-of-v2"}},
			state{"v1": P, "v2": C}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, _ := newTestStore(t)
			if err := run(t, m, "s", tc.steps); err != nil {
				t.Fatal(err)
			}
			if got := labelState(t, m, "s"); !maps.Equal(got, tc.want) {
				t.Fatalf("labels = %v, want %v", got, tc.want)
			}
		})
	}
}

func wantCode(t *testing.T, err error, code ErrorCode, msg string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v, want %s", err, code)
	}
	if e.Code != code || (msg != "" && e.Message != msg) {
		t.Fatalf("error = %s %q, want %s %q", e.Code, e.Message, code, msg)
	}
}

// TestStoreErrors checks the error cases of the reference (Appendix A).
func TestStoreErrors(t *testing.T) {
	never := func(string) bool { return false }
	always := func(string) bool { return true }
	tests := []struct {
		name string
		prep []step
		call func(m *memStore) error
		code ErrorCode
		msg  string
	}{
		{"get missing secret", nil, func(m *memStore) error {
			_, err := m.GetSecretValue(ctx, &GetSecretValueInput{SecretId: sp("nope")})
			return err
		}, ErrResourceNotFound, msgNotFound},
		{"get stage on empty secret", []step{{op: "createEmpty"}}, func(m *memStore) error {
			_, err := m.GetSecretValue(ctx, &GetSecretValueInput{SecretId: sp("s")})
			return err
		}, ErrResourceNotFound, "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT"},
		{"get AWSPREVIOUS with one version", []step{{op: "create", ver: "v1"}}, func(m *memStore) error {
			_, err := m.GetSecretValue(ctx, &GetSecretValueInput{SecretId: sp("s"), VersionStage: sp(StagePrevious)})
			return err
		}, ErrResourceNotFound, "Secrets Manager can't find the specified secret value for staging label: AWSPREVIOUS"},
		{"get unknown version id", []step{{op: "create", ver: "v1"}}, func(m *memStore) error {
			_, err := m.GetSecretValue(ctx, &GetSecretValueInput{SecretId: sp("s"), VersionId: sp(tok("v9"))})
			return err
		}, ErrResourceNotFound, "Secrets Manager can't find the specified secret value for VersionId: " + tok("v9")},
		{"get stage not on version", []step{{op: "create", ver: "v1"}, {op: "put", ver: "v2"}}, func(m *memStore) error {
			_, err := m.GetSecretValue(ctx, &GetSecretValueInput{SecretId: sp("s"), VersionId: sp(tok("v1")), VersionStage: sp(StageCurrent)})
			return err
		}, ErrInvalidRequest, msgStageMismatch},
		{"create duplicate name, new token", []step{{op: "create", ver: "v1"}}, func(m *memStore) error {
			_, err := m.CreateSecret(ctx, &CreateSecretInput{Name: sp("s"), ClientRequestToken: sp(tok("v2")), SecretString: sp("x")})
			return err
		}, ErrResourceExists, "The operation failed because the secret s already exists."},
		{"create same token different value", []step{{op: "create", ver: "v1"}}, func(m *memStore) error {
			_, err := m.CreateSecret(ctx, &CreateSecretInput{Name: sp("s"), ClientRequestToken: sp(tok("v1")), SecretString: sp("other")})
			return err
		}, ErrResourceExists, ""},
		{"put same token different value", []step{{op: "create", ver: "v1"}}, func(m *memStore) error {
			_, err := m.PutSecretValue(ctx, &PutSecretValueInput{SecretId: sp("s"), ClientRequestToken: sp(tok("v1")), SecretString: sp("other")})
			return err
		}, ErrResourceExists, "You can't use ClientRequestToken " + tok("v1") + " because that value is already in use for a version of secret " + "ARN" + "."},
		{"create name scheduled for deletion", []step{{op: "create", ver: "v1"}}, func(m *memStore) error {
			if _, err := m.DeleteSecret(ctx, &DeleteSecretInput{SecretId: sp("s")}); err != nil {
				return err
			}
			_, err := m.CreateSecret(ctx, &CreateSecretInput{Name: sp("s"), ClientRequestToken: sp(tok("v2")), SecretString: sp("x")})
			return err
		}, ErrInvalidRequest, msgScheduledName},
		{"tag a deleted secret", []step{{op: "create", ver: "v1"}}, func(m *memStore) error {
			m.DeleteSecret(ctx, &DeleteSecretInput{SecretId: sp("s")})
			return m.TagResource(ctx, &TagResourceInput{SecretId: sp("s"), Tags: []Tag{{Key: sp("k"), Value: sp("v")}}})
		}, ErrInvalidRequest, msgMarkedForDeletion},
		{"untag a deleted secret", []step{{op: "create", ver: "v1"}}, func(m *memStore) error {
			m.DeleteSecret(ctx, &DeleteSecretInput{SecretId: sp("s")})
			return m.UntagResource(ctx, &UntagResourceInput{SecretId: sp("s"), TagKeys: []string{"k"}})
		}, ErrInvalidRequest, msgMarkedForDeletion},
		{"put on a deleted secret", []step{{op: "create", ver: "v1"}}, func(m *memStore) error {
			m.DeleteSecret(ctx, &DeleteSecretInput{SecretId: sp("s")})
			return run(t, m, "s", []step{{op: "put", ver: "v2"}})
		}, ErrInvalidRequest, msgMarkedForDeletion},
		{"update on a deleted secret", []step{{op: "create", ver: "v1"}}, func(m *memStore) error {
			m.DeleteSecret(ctx, &DeleteSecretInput{SecretId: sp("s")})
			_, err := m.UpdateSecret(ctx, &UpdateSecretInput{SecretId: sp("s"), Description: sp("d")})
			return err
		}, ErrInvalidRequest, msgMarkedForDeletion},
		{"delete twice", []step{{op: "create", ver: "v1"}}, func(m *memStore) error {
			m.DeleteSecret(ctx, &DeleteSecretInput{SecretId: sp("s")})
			_, err := m.DeleteSecret(ctx, &DeleteSecretInput{SecretId: sp("s")})
			return err
		}, ErrInvalidRequest, msgCurrentlyDeleted},
		{"rotate a deleted secret", []step{{op: "create", ver: "v1"}}, func(m *memStore) error {
			m.DeleteSecret(ctx, &DeleteSecretInput{SecretId: sp("s")})
			_, err := m.StartRotation(ctx, &RotateSecretInput{SecretId: sp("s"), ClientRequestToken: sp(tok("r")), RotationLambdaARN: sp("arn:fn")}, always)
			return err
		}, ErrInvalidRequest, msgCurrentlyDeleted},
		{"bad name", nil, func(m *memStore) error {
			_, err := m.CreateSecret(ctx, &CreateSecretInput{Name: sp("has space"), ClientRequestToken: sp(tok("v1")), SecretString: sp("x")})
			return err
		}, ErrValidation, msgBadName},
		{"bad secret id", nil, func(m *memStore) error {
			_, err := m.DescribeSecret(ctx, &SecretIdInput{SecretId: sp("a*b")})
			return err
		}, ErrValidation, msgBadName},
		{"create without token", nil, func(m *memStore) error {
			_, err := m.CreateSecret(ctx, &CreateSecretInput{Name: sp("s"), SecretString: sp("x")})
			return err
		}, ErrInvalidRequest, msgNoToken},
		{"put without token", []step{{op: "create", ver: "v1"}}, func(m *memStore) error {
			_, err := m.PutSecretValue(ctx, &PutSecretValueInput{SecretId: sp("s"), SecretString: sp("x")})
			return err
		}, ErrInvalidRequest, msgNoToken},
		{"update with value without token", []step{{op: "create", ver: "v1"}}, func(m *memStore) error {
			_, err := m.UpdateSecret(ctx, &UpdateSecretInput{SecretId: sp("s"), SecretString: sp("x")})
			return err
		}, ErrInvalidRequest, msgNoToken},
		{"rotate without token", []step{{op: "create", ver: "v1"}}, func(m *memStore) error {
			_, err := m.StartRotation(ctx, &RotateSecretInput{SecretId: sp("s")}, always)
			return err
		}, ErrInvalidParameter, msgNoToken},
		{"rotate without lambda", []step{{op: "create", ver: "v1"}}, func(m *memStore) error {
			_, err := m.StartRotation(ctx, &RotateSecretInput{SecretId: sp("s"), ClientRequestToken: sp(tok("r"))}, always)
			return err
		}, ErrInvalidRequest, msgNoLambda},
		{"rotate with unknown lambda", []step{{op: "create", ver: "v1"}}, func(m *memStore) error {
			_, err := m.StartRotation(ctx, &RotateSecretInput{SecretId: sp("s"), ClientRequestToken: sp(tok("r")), RotationLambdaARN: sp("arn:x")}, never)
			return err
		}, ErrAccessDenied, msgLambdaDenied},
		{"rotate with both schedules", []step{{op: "create", ver: "v1"}}, func(m *memStore) error {
			d := int64(3)
			_, err := m.StartRotation(ctx, &RotateSecretInput{SecretId: sp("s"), ClientRequestToken: sp(tok("r")), RotationLambdaARN: sp("arn:x"),
				RotationRules: &RotationRules{AutomaticallyAfterDays: &d, ScheduleExpression: sp("rate(10 days)")}}, always)
			return err
		}, ErrInvalidParameter, msgBothSchedules},
		{"rotate while a rotation is pending", []step{{op: "create", ver: "v1"}, {op: "put", ver: "v2", stages: []string{StagePending}}}, func(m *memStore) error {
			_, err := m.StartRotation(ctx, &RotateSecretInput{SecretId: sp("s"), ClientRequestToken: sp(tok("r")), RotationLambdaARN: sp("arn:x")}, always)
			return err
		}, ErrInvalidRequest, msgRotationPending},
		{"move AWSCURRENT without RemoveFrom", []step{{op: "create", ver: "v1"}, {op: "put", ver: "v2", stages: []string{"X"}}}, func(m *memStore) error {
			return run(t, m, "s", []step{{op: "move", label: StageCurrent, ver: "v2"}})
		}, ErrInvalidParameter, "The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is currently attached to version " + tok("v1") + ", so you must explicitly reference that version in RemoveFromVersionId."},
		{"remove from a version without the label", []step{{op: "create", ver: "v1"}, {op: "put", ver: "v2", stages: []string{"X"}}}, func(m *memStore) error {
			return run(t, m, "s", []step{{op: "remove", label: "X", from: "v1"}})
		}, ErrInvalidParameter, ""},
		{"recovery window too short", []step{{op: "create", ver: "v1"}}, func(m *memStore) error {
			d := int64(6)
			_, err := m.DeleteSecret(ctx, &DeleteSecretInput{SecretId: sp("s"), RecoveryWindowInDays: &d})
			return err
		}, ErrInvalidParameter, "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive)."},
		{"force and window", []step{{op: "create", ver: "v1"}}, func(m *memStore) error {
			d, f := int64(7), true
			_, err := m.DeleteSecret(ctx, &DeleteSecretInput{SecretId: sp("s"), RecoveryWindowInDays: &d, ForceDeleteWithoutRecovery: &f})
			return err
		}, ErrInvalidParameter, "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays."},
		{"put without value", []step{{op: "create", ver: "v1"}}, func(m *memStore) error {
			_, err := m.PutSecretValue(ctx, &PutSecretValueInput{SecretId: sp("s"), ClientRequestToken: sp(tok("v2"))})
			return err
		}, ErrInvalidRequest, msgNoValue},
		{"batch with both lists", nil, func(m *memStore) error {
			_, err := m.BatchGetSecretValue(ctx, &BatchGetSecretValueInput{SecretIdList: []string{"a"}, Filters: []Filter{{Key: sp("name"), Values: []string{"a"}}}})
			return err
		}, ErrInvalidParameter, "Either 'SecretIdList' or 'Filters' must be provided, but not both."},
		{"list with a bad filter key", nil, func(m *memStore) error {
			_, err := m.ListSecrets(ctx, &ListSecretsInput{Filters: []Filter{{Key: sp("colour"), Values: []string{"a"}}}})
			return err
		}, ErrValidation, ""},
		{"list with a bad filter value", nil, func(m *memStore) error {
			_, err := m.ListSecrets(ctx, &ListSecretsInput{Filters: []Filter{{Key: sp("name"), Values: []string{"a*"}}}})
			return err
		}, ErrValidation, ""},
		{"list with a bad next token", nil, func(m *memStore) error {
			_, err := m.ListSecrets(ctx, &ListSecretsInput{NextToken: sp("garbage")})
			return err
		}, ErrInvalidNextToken, ""},
		{"token too short", nil, func(m *memStore) error {
			_, err := m.CreateSecret(ctx, &CreateSecretInput{Name: sp("s"), ClientRequestToken: sp("short"), SecretString: sp("x")})
			return err
		}, ErrValidation, ""},
		{"both string and binary", nil, func(m *memStore) error {
			_, err := m.CreateSecret(ctx, &CreateSecretInput{Name: sp("s"), ClientRequestToken: sp(tok("v1")), SecretString: sp("x"), SecretBinary: []byte{1}})
			return err
		}, ErrInvalidParameter, msgBothValues},
		{"malformed policy", []step{{op: "create", ver: "v1"}}, func(m *memStore) error {
			_, err := m.PutResourcePolicy(ctx, &PutResourcePolicyInput{SecretId: sp("s"), ResourcePolicy: sp("{not json")})
			return err
		}, ErrMalformedPolicyDocument, ""},
		{"public policy blocked", []step{{op: "create", ver: "v1"}}, func(m *memStore) error {
			b := true
			_, err := m.PutResourcePolicy(ctx, &PutResourcePolicyInput{SecretId: sp("s"), BlockPublicPolicy: &b,
				ResourcePolicy: sp(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"secretsmanager:GetSecretValue","Resource":"*"}]}`)})
			return err
		}, ErrPublicPolicy, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, _ := newTestStore(t)
			if err := run(t, m, "s", tc.prep); err != nil {
				t.Fatal(err)
			}
			msg := tc.msg
			if s := m.secrets["s"]; s != nil {
				msg = strings.ReplaceAll(msg, "secret ARN.", "secret "+s.ARN+".")
			}
			wantCode(t, tc.call(m), tc.code, msg)
		})
	}
}

func TestPasswordErrors(t *testing.T) {
	n := int64(4097)
	_, err := randomPassword(&GetRandomPasswordInput{PasswordLength: &n})
	wantCode(t, err, ErrValidation, "1 validation error detected: Value '4097' at 'passwordLength' failed to satisfy constraint: Member must have value less than or equal to 4096")
	n = 3
	_, err = randomPassword(&GetRandomPasswordInput{PasswordLength: &n})
	wantCode(t, err, ErrInvalidParameter, "Password length is too short based on the required types.")
}

func TestPasswordRules(t *testing.T) {
	yes := true
	for _, tc := range []struct {
		name  string
		in    GetRandomPasswordInput
		ok    func(r rune) bool
		n     int
		needs []string
	}{
		{"default", GetRandomPasswordInput{}, func(rune) bool { return true }, 32, []string{lowerChars, upperChars, digitChars, punctChars}},
		{"exclude chars keeps length", GetRandomPasswordInput{PasswordLength: ptr(int64(40)), ExcludeCharacters: sp("abcdefghijklmnopqrstuvwxyz0123456789")},
			func(r rune) bool { return !strings.ContainsRune("abcdefghijklmnopqrstuvwxyz0123456789", r) }, 40, []string{upperChars, punctChars}},
		{"letters only", GetRandomPasswordInput{PasswordLength: ptr(int64(8)), ExcludeNumbers: &yes, ExcludePunctuation: &yes},
			func(r rune) bool { return strings.ContainsRune(lowerChars+upperChars, r) }, 8, []string{lowerChars, upperChars}},
		// A space is allowed, not required: length 4 holds the four types.
		{"with space", GetRandomPasswordInput{PasswordLength: ptr(int64(4)), IncludeSpace: &yes},
			func(rune) bool { return true }, 4, []string{lowerChars, upperChars, digitChars, punctChars}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for range 50 {
				p, err := randomPassword(&tc.in)
				if err != nil {
					t.Fatal(err)
				}
				if len(p) != tc.n {
					t.Fatalf("length %d, want %d", len(p), tc.n)
				}
				for _, r := range p {
					if !tc.ok(r) {
						t.Fatalf("character %q not allowed", r)
					}
				}
				for _, class := range tc.needs {
					if !strings.ContainsAny(p, class) {
						t.Fatalf("no character of class %q", class)
					}
				}
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestIdempotentCreateReturnsSameVersion(t *testing.T) {
	m, _ := newTestStore(t)
	in := &CreateSecretInput{Name: sp("s"), ClientRequestToken: sp(tok("v1")), SecretString: sp("x")}
	a, err := m.CreateSecret(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.CreateSecret(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if a.ARN != b.ARN || a.VersionId != b.VersionId || len(m.secrets["s"].Versions) != 1 {
		t.Fatalf("retry changed things: %+v %+v", a, b)
	}
}

func TestLookupByNameFullAndPartialARN(t *testing.T) {
	m, _ := newTestStore(t)
	for _, name := range []string{"s-c64bdc03", "Valid/_+=.@-Name-a1b2", "plain", "ends-a1b2c3"} {
		out, err := m.CreateSecret(ctx, &CreateSecretInput{Name: sp(name)})
		if err != nil {
			t.Fatal(err)
		}
		partial := out.ARN[:len(out.ARN)-7]
		for _, id := range []string{name, out.ARN, partial} {
			d, err := m.DescribeSecret(ctx, &SecretIdInput{SecretId: sp(id)})
			if name == "ends-a1b2c3" && id == partial {
				// AWS takes a trailing -XXXXXX as the random suffix.
				wantCode(t, err, ErrResourceNotFound, msgNotFound)
				continue
			}
			if err != nil || d.Name != name {
				t.Fatalf("lookup %q: %v", id, err)
			}
		}
		wrong := out.ARN[:len(out.ARN)-6] + "ZZZZZZ"
		_, err = m.DescribeSecret(ctx, &SecretIdInput{SecretId: sp(wrong)})
		wantCode(t, err, ErrResourceNotFound, msgNotFound)
	}
}

func TestRecreatedSecretGetsNewSuffix(t *testing.T) {
	m, _ := newTestStore(t)
	a, _ := m.CreateSecret(ctx, &CreateSecretInput{Name: sp("s")})
	f := true
	if _, err := m.DeleteSecret(ctx, &DeleteSecretInput{SecretId: sp("s"), ForceDeleteWithoutRecovery: &f}); err != nil {
		t.Fatal(err)
	}
	b, _ := m.CreateSecret(ctx, &CreateSecretInput{Name: sp("s")})
	if a.ARN == b.ARN {
		t.Fatalf("same ARN after re-create: %s", a.ARN)
	}
	_, err := m.DescribeSecret(ctx, &SecretIdInput{SecretId: sp(a.ARN)})
	wantCode(t, err, ErrResourceNotFound, msgNotFound)
}

func TestDeletionStateMachine(t *testing.T) {
	m, clock := newTestStore(t)
	run(t, m, "s", []step{{op: "create", ver: "v1"}})
	days := int64(7)
	del, err := m.DeleteSecret(ctx, &DeleteSecretInput{SecretId: sp("s"), RecoveryWindowInDays: &days})
	if err != nil {
		t.Fatal(err)
	}
	if !del.DeletionDate.Equal(clock.Now().Add(7 * 24 * time.Hour)) {
		t.Fatalf("deletion date %v", del.DeletionDate)
	}
	d, err := m.DescribeSecret(ctx, &SecretIdInput{SecretId: sp("s")})
	if err != nil || d.DeletedDate.IsZero() {
		t.Fatalf("describe scheduled: %v %+v", err, d)
	}
	l, _ := m.ListSecrets(ctx, &ListSecretsInput{})
	if len(l.SecretList) != 0 {
		t.Fatal("scheduled secret listed without IncludePlannedDeletion")
	}
	l, _ = m.ListSecrets(ctx, &ListSecretsInput{IncludePlannedDeletion: ptr(true)})
	if len(l.SecretList) != 1 {
		t.Fatal("scheduled secret not listed with IncludePlannedDeletion")
	}
	if _, err := m.RestoreSecret(ctx, &SecretIdInput{SecretId: sp("s")}); err != nil {
		t.Fatal(err)
	}
	if d, _ := m.DescribeSecret(ctx, &SecretIdInput{SecretId: sp("s")}); !d.DeletedDate.IsZero() {
		t.Fatal("restore kept DeletedDate")
	}
	m.DeleteSecret(ctx, &DeleteSecretInput{SecretId: sp("s"), RecoveryWindowInDays: &days})
	clock.Advance(7*24*time.Hour - time.Second)
	if _, err := m.DescribeSecret(ctx, &SecretIdInput{SecretId: sp("s")}); err != nil {
		t.Fatal("purged before the window ended")
	}
	clock.Advance(time.Second)
	_, err = m.DescribeSecret(ctx, &SecretIdInput{SecretId: sp("s")})
	wantCode(t, err, ErrResourceNotFound, msgNotFound)
	// The name is free again.
	if _, err := m.CreateSecret(ctx, &CreateSecretInput{Name: sp("s")}); err != nil {
		t.Fatal(err)
	}
	// Forced deletes: scheduled, active and missing all answer 200.
	f := true
	m.DeleteSecret(ctx, &DeleteSecretInput{SecretId: sp("s")})
	for _, id := range []string{"s", "never-existed"} {
		if _, err := m.DeleteSecret(ctx, &DeleteSecretInput{SecretId: sp(id), ForceDeleteWithoutRecovery: &f}); err != nil {
			t.Fatalf("force delete %s: %v", id, err)
		}
	}
	if len(m.secrets) != 0 || len(m.scheduled) != 0 {
		t.Fatal("force delete left state")
	}
}

func TestPlaceholderAndDeprecatedVersions(t *testing.T) {
	m, _ := newTestStore(t)
	run(t, m, "s", []step{{op: "create", ver: "v1"}, {op: "put", ver: "v2"}, {op: "put", ver: "v3"}})
	// v1 is deprecated: not listed by default, listed with IncludeDeprecated
	// (without VersionStages), still readable by id.
	l, _ := m.ListSecretVersionIds(ctx, &ListSecretVersionIdsInput{SecretId: sp("s")})
	if len(l.Versions) != 2 {
		t.Fatalf("versions %d", len(l.Versions))
	}
	l, _ = m.ListSecretVersionIds(ctx, &ListSecretVersionIdsInput{SecretId: sp("s"), IncludeDeprecated: ptr(true)})
	if len(l.Versions) != 3 || l.Versions[2].VersionStages != nil || l.Versions[2].KmsKeyIds[0] != "DefaultEncryptionKey" {
		t.Fatalf("with deprecated: %+v", l.Versions)
	}
	g, err := m.GetSecretValue(ctx, &GetSecretValueInput{SecretId: sp("s"), VersionId: sp(tok("v1"))})
	if err != nil || *g.SecretString != "value-of-v1" || g.VersionStages != nil {
		t.Fatalf("deprecated read: %v %+v", err, g)
	}
	// A rotation placeholder has no value: RNF with either selector.
	if _, err := m.StartRotation(ctx, &RotateSecretInput{SecretId: sp("s"), ClientRequestToken: sp(tok("r1")), RotationLambdaARN: sp("arn:fn")},
		func(string) bool { return true }); err != nil {
		t.Fatal(err)
	}
	_, err = m.GetSecretValue(ctx, &GetSecretValueInput{SecretId: sp("s"), VersionStage: sp(StagePending)})
	wantCode(t, err, ErrResourceNotFound, "Secrets Manager can't find the specified secret value for staging label: AWSPENDING")
	_, err = m.GetSecretValue(ctx, &GetSecretValueInput{SecretId: sp("s"), VersionId: sp(tok("r1"))})
	wantCode(t, err, ErrResourceNotFound, "Secrets Manager can't find the specified secret value for VersionId: "+tok("r1"))
	// The rotation function fills the placeholder with PutSecretValue.
	run(t, m, "s", []step{{op: "put", ver: "r1", stages: []string{StagePending}}})
	if got := labelState(t, m, "s"); got["r1"] != StagePending || got["v3"] != StageCurrent {
		t.Fatalf("after fill: %v", got)
	}
}

func TestVersionRetention(t *testing.T) {
	m, clock := newTestStore(t)
	run(t, m, "s", []step{{op: "create", ver: "v0"}})
	put := func(i int) error {
		return run(t, m, "s", []step{{op: "put", ver: fmt.Sprintf("n%d", i)}})
	}
	// 101 puts inside 24 h: 100 deprecated versions, the next put fails.
	for i := range 101 {
		if err := put(i); err != nil {
			t.Fatalf("put %d: %v", i, err)
		}
	}
	err := put(101)
	wantCode(t, err, ErrLimitExceeded, "")
	// A day later the oldest deprecated versions may go.
	clock.Advance(24 * time.Hour)
	if err := put(102); err != nil {
		t.Fatal(err)
	}
	s := m.secrets["s"]
	dep := 0
	for _, v := range s.Versions {
		if len(v.Stages) == 0 {
			dep++
		}
	}
	if dep > maxDeprecated {
		t.Fatalf("%d deprecated versions kept", dep)
	}
	if s.byID[tok("v0")] != nil {
		t.Fatal("oldest deprecated version not purged")
	}
}

func TestLastAccessedDateIsDayResolution(t *testing.T) {
	m, clock := newTestStore(t)
	run(t, m, "s", []step{{op: "create", ver: "v1"}})
	d, _ := m.DescribeSecret(ctx, &SecretIdInput{SecretId: sp("s")})
	if !d.LastAccessedDate.IsZero() {
		t.Fatal("LastAccessedDate before any read")
	}
	m.GetSecretValue(ctx, &GetSecretValueInput{SecretId: sp("s")})
	d, _ = m.DescribeSecret(ctx, &SecretIdInput{SecretId: sp("s")})
	want := clock.Now().Truncate(24 * time.Hour)
	if !d.LastAccessedDate.Equal(want) {
		t.Fatalf("LastAccessedDate %v, want %v", d.LastAccessedDate, want)
	}
}

func TestMetadataOnlyUpdateCreatesNoVersion(t *testing.T) {
	m, _ := newTestStore(t)
	run(t, m, "s", []step{{op: "create", ver: "v1"}})
	out, err := m.UpdateSecret(ctx, &UpdateSecretInput{SecretId: sp("s"), ClientRequestToken: sp(tok("v2")), Description: sp("new"), KmsKeyId: sp("alias/k")})
	if err != nil {
		t.Fatal(err)
	}
	if out.VersionId != "" || len(m.secrets["s"].Versions) != 1 {
		t.Fatalf("metadata update made a version: %+v", out)
	}
}

func TestListFilters(t *testing.T) {
	m, clock := newTestStore(t)
	mk := func(name, desc string, tags ...string) {
		in := &CreateSecretInput{Name: sp(name)}
		if desc != "" {
			in.Description = sp(desc)
		}
		for i := 0; i < len(tags); i += 2 {
			in.Tags = append(in.Tags, Tag{Key: sp(tags[i]), Value: sp(tags[i+1])})
		}
		if _, err := m.CreateSecret(ctx, in); err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Second)
	}
	mk("/prod/db", "Database password", "env", "prod")
	mk("/dev/db", "database for dev", "env", "dev")
	mk("prod-api-key", "", "team", "payments")
	mk("MyAppSecret", "")
	f := func(kv ...string) []Filter {
		var out []Filter
		for i := 0; i < len(kv); i += 2 {
			out = append(out, Filter{Key: sp(kv[i]), Values: strings.Split(kv[i+1], "|")})
		}
		return out
	}
	tests := []struct {
		name    string
		filters []Filter
		want    []string
	}{
		{"name prefix", f("name", "/"), []string{"/prod/db", "/dev/db"}},
		{"name is a prefix, not a substring", f("name", "db"), nil},
		{"name negated", f("name", "!/"), []string{"prod-api-key", "MyAppSecret"}},
		{"values are ORed", f("name", "/prod|prod"), []string{"/prod/db", "prod-api-key"}},
		{"filters are ANDed", f("name", "/", "tag-value", "prod"), []string{"/prod/db"}},
		{"tag-key", f("tag-key", "te"), []string{"prod-api-key"}},
		{"tag-key is case-sensitive", f("tag-key", "TEAM"), nil},
		{"description words, any case", f("description", "DATA"), []string{"/prod/db", "/dev/db"}},
		{"all matches words of the name", f("all", "app"), []string{"MyAppSecret"}},
		{"all matches tag values", f("all", "pay"), []string{"prod-api-key"}},
		{"all negated", f("all", "!prod"), []string{"/dev/db", "MyAppSecret"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := m.ListSecrets(ctx, &ListSecretsInput{Filters: tc.filters})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range out.SecretList {
				got = append(got, s.Name)
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
	out, _ := m.ListSecrets(ctx, &ListSecretsInput{SortBy: sp("name"), SortOrder: sp("desc")})
	if out.SecretList[0].Name != "prod-api-key" || out.SecretList[3].Name != "/dev/db" {
		t.Fatalf("name desc: %v", out.SecretList)
	}
}
