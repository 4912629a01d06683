package parity

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// manyTags returns n tags k0=v … k(n-1)=v.
func manyTags(n int) []types.Tag {
	ts := make([]types.Tag, n)
	for i := range ts {
		ts[i] = types.Tag{Key: aws.String(fmt.Sprint("k", i)), Value: aws.String("v")}
	}
	return ts
}

func (r *run) tagIn(reg, short string, ts []types.Tag) {
	out, err := r.client(reg).TagResource(r.ctx, &sm.TagResourceInput{SecretId: aws.String(r.n(short)), Tags: ts})
	r.record("TagResource("+reg+")", err, func() string { return shape(out) })
}

// describedAs creates secrets whose descriptions are given, a, b, c, …
func (r *run) describedAs(descs ...string) {
	r.setup(func() {
		for i, d := range descs {
			r.create(&sm.CreateSecretInput{Name: aws.String(r.n(string(rune('a' + i)))), Description: aws.String(d)})
		}
	})
}

// wireCases are the limits and encodings AWS enforces on the wire
// (issue 12): sizes in bytes, tag rules, non-object bodies, bad base64,
// multi-word filters, password types, replica tagging, empty lists.
func wireCases() []scenario {
	const systemTag = `InvalidParameterException 400 "You can't modify system tags. Tag key: 'aws:team'."`
	const replicaMsg = `InvalidParameterException 400 "Operation not permitted on a replica secret. Call must be made in primary secret's region."`
	return []scenario{{
		name: "CreateSecret/a SecretString of 40,000 two-byte characters (80,000 bytes) is ValidationException",
		ref:  "§2.1 SecretString [Model: max 65,536 bytes; Doc: 64 KB]",
		steps: func(r *run) {
			r.create(&sm.CreateSecretInput{Name: aws.String(r.n("a")), SecretString: aws.String(strings.Repeat("é", 40000))})
		},
		aws:  []string{"CreateSecret: ValidationException 400"},
		moto: []known{motoDiff("§2.1; moto 5.2.1 has no SecretString size limit (observed)", "ValidationException 400", "ok {ARN,Name,VersionId} v1")},
	}, {
		name: "CreateSecret/51 tags is InvalidParameterException",
		ref:  "§2.1 Tags [Doc TagResource: at most 50 tags per secret; the code is Unverified]",
		steps: func(r *run) {
			r.create(&sm.CreateSecretInput{Name: aws.String(r.n("a")), Tags: manyTags(51)})
		},
		aws:  []string{"CreateSecret: InvalidParameterException 400"},
		moto: []known{motoDiff("§2.1 Tags; moto 5.2.1 has no tag limit on secrets (observed)", "InvalidParameterException 400", "ok {ARN,Name}")},
	}, {
		name: "TagResource/going past 50 tags is InvalidParameterException",
		ref:  "§2.13 [Doc TagResource: at most 50 tags per secret; the code is Unverified]",
		steps: func(r *run) {
			r.setup(func() { r.create(&sm.CreateSecretInput{Name: aws.String(r.n("a")), Tags: manyTags(50)}) })
			r.tag("a", "one-more", "v")
		},
		aws:  []string{"TagResource: InvalidParameterException 400"},
		moto: []known{motoDiff("§2.13; moto 5.2.1 has no tag limit on secrets (observed)", "InvalidParameterException 400", "ok {}")},
	}, {
		name: "CreateSecret/a tag key starting with aws: is InvalidParameterException",
		ref:  "§2.1 Tags [Doc: aws: is reserved; text from AWS via cloud-custodian #9093]",
		steps: func(r *run) {
			r.messages = true
			r.create(&sm.CreateSecretInput{Name: aws.String(r.n("a")), Tags: []types.Tag{{Key: aws.String("aws:team"), Value: aws.String("x")}}})
		},
		aws:  []string{"CreateSecret: " + systemTag},
		moto: []known{motoDiff("§2.1 Tags; moto 5.2.1 accepts aws: tag keys on secrets (observed)", systemTag, "ok {ARN,Name}")},
	}, {
		name: "TagResource/a tag key starting with aws: is InvalidParameterException",
		ref:  "§2.13 [Doc: aws: is reserved; text from AWS via cloud-custodian #9093]",
		steps: func(r *run) {
			r.messages = true
			r.setup(func() { r.createString("a", "s1") })
			r.tag("a", "aws:team", "x")
		},
		aws:  []string{"TagResource: " + systemTag},
		moto: []known{motoDiff("§2.13; moto 5.2.1 accepts aws: tag keys on secrets (observed)", systemTag, "ok {}")},
	}, {
		name: "CreateSecret/a JSON body of null is SerializationException",
		ref:  "§1.3 [Model: the input is a structure]",
		steps: func(r *run) {
			r.rawBytes("CreateSecret", []byte("null"), nil, false)
		},
		aws:  []string{`CreateSecret(raw): SerializationException 400`},
		moto: []known{motoDiff("§1.3; moto 5.2.1 answers a null body with HTTP 500 and no body (observed)", "SerializationException 400", " 500")},
	}, {
		name: "CreateSecret/SecretBinary that is not base64 is SerializationException",
		ref:  "§1.3 [Model: blobs are base64]",
		steps: func(r *run) {
			b, _ := json.Marshal(map[string]any{"Name": r.n("a"), "ClientRequestToken": token, "SecretBinary": "not base64!"})
			r.rawBytes("CreateSecret", b, nil, false)
		},
		aws:  []string{`CreateSecret(raw): SerializationException 400`},
		moto: []known{motoDiff("§1.3; moto 5.2.1 stores the text without decoding it (observed)", "SerializationException 400", "ok")},
	}, {
		name: "ListSecrets/a description filter of several words needs every word",
		ref:  "§2.6 filters [moto's measured word split; issue 12]",
		steps: func(r *run) {
			r.describedAs("one two", "one and two", "one", "two")
			r.list(&sm.ListSecretsInput{Filters: []types.Filter{r.byPrefix(), {Key: types.FilterNameStringTypeDescription, Values: []string{"one two"}}}})
		},
		aws: []string{"ListSecrets: ok {SecretList} [a b]"},
	}, {
		name: "ListSecrets/an all filter of several words matches word prefixes",
		ref:  "§2.6 filters [moto's measured word split: \"d t\" matches DescTwo]",
		steps: func(r *run) {
			r.describedAs("DescTwo", "DescOne", "Other")
			r.list(&sm.ListSecretsInput{Filters: []types.Filter{r.byPrefix(), {Key: types.FilterNameStringTypeAll, Values: []string{"d t"}}}})
		},
		aws: []string{"ListSecrets: ok {SecretList} [a]"},
	}, {
		name: "GetRandomPassword/a space is not a required type: length 4 with IncludeSpace",
		ref:  "§2.14 [Doc: RequireEachIncludedType covers upper, lower, digit, punctuation]",
		steps: func(r *run) {
			r.password(&sm.GetRandomPasswordInput{PasswordLength: aws.Int64(4), IncludeSpace: aws.Bool(true), RequireEachIncludedType: aws.Bool(true)}, classes)
		},
		aws: []string{"GetRandomPassword: ok {RandomPassword} len=4 classes=lower,upper,digit,punct"},
		moto: []known{motoDiff("§2.14; moto 5.2.1 adds the required space beyond PasswordLength (observed)",
			"len=4 classes=lower,upper,digit,punct", "len=5 classes=lower,upper,digit,punct,space")},
	}, {
		name: "TagResource/a replica refuses tagging",
		ref:  "§2.17 [Doc: writes go to the primary's region; Appendix A]",
		steps: func(r *run) {
			r.messages = true
			r.setup(func() { r.createString("a", "s1"); r.replicate("a", replicaRegion) })
			r.tagIn(replicaRegion, "a", []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}})
			out, err := r.client(replicaRegion).UntagResource(r.ctx, &sm.UntagResourceInput{SecretId: aws.String(r.n("a")), TagKeys: []string{"k"}})
			r.record("UntagResource("+replicaRegion+")", err, func() string { return shape(out) })
		},
		aws: []string{"TagResource(eu-west-1): " + replicaMsg, "UntagResource(eu-west-1): " + replicaMsg},
	}, {
		name: "RemoveRegionsFromReplication/removing the last replica answers ReplicationStatus []",
		ref:  "§2.17 [Model; issue 12: the aws CLI's length(ReplicationStatus) needs the member]",
		steps: func(r *run) {
			r.setup(func() { r.createString("a", "s1"); r.replicate("a", replicaRegion) })
			b, _ := json.Marshal(map[string]any{"SecretId": r.n("a"), "RemoveReplicaRegions": []string{replicaRegion}})
			r.rawBytes("RemoveRegionsFromReplication", b, func(data []byte) string {
				var m map[string]json.RawMessage
				json.Unmarshal(data, &m)
				rs, ok := m["ReplicationStatus"]
				if !ok {
					return "ReplicationStatus absent"
				}
				return "ReplicationStatus=" + string(rs)
			}, true)
		},
		aws: []string{"RemoveRegionsFromReplication(raw): ok ReplicationStatus=[]"},
	}}
}
