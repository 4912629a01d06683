package mask

import (
	"encoding/base64"
	"strings"
	"testing"
)

func jwtOf(header, payload string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(header)) + "." + enc([]byte(payload)) + "." + enc([]byte("signature-bytes-here"))
}

const pemKey = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1c2x\nq83nZ+X0sL==\n-----END RSA PRIVATE KEY-----"

func TestDetect(t *testing.T) {
	jwt := jwtOf(`{"alg":"HS256","typ":"JWT"}`, `{"sub":"1234567890"}`)
	tests := []struct {
		name   string
		before string
		value  string // the secret-looking part, "" when nothing should be found
		after  string
		kind   Kind
	}{
		{"access key id", "aws_access_key_id = ", "AKIAIOSFODNN7EXAMPLE", "\n", KindAWSAccessKeyID},
		{"session key id", `"AccessKeyId": "`, "ASIAY34FZKBOKMUTVV7A", `"`, KindAWSAccessKeyID},
		{"key id inside a word", "xAKIAIOSFODNN7EXAMPLE", "", "", ""},
		{"secret access key", "aws_secret_access_key=", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "\n", KindAWSSecretAccessKey},
		{"secret access key in JSON", `{"SecretAccessKey": "`, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", `"}`, KindAWSSecretAccessKey},
		{"40 chars with no keyword", "checksum ", "", "", ""},
		{"private key", "key:\n", pemKey, "\n", KindPrivateKey},
		{"openssh private key, no end", "", "-----BEGIN OPENSSH PRIVATE KEY-----", "\nb3BlbnNzaC1rZXktdjE=\n", KindPrivateKey},
		{"public key", "-----BEGIN PUBLIC KEY-----\nMIIBIjAN\n-----END PUBLIC KEY-----", "", "", ""},
		{"jwt", "Authorization: Bearer ", jwt, "\n", KindJWT},
		{"dotted non-jwt", "version v1.22333344.5 of pkg.module.name", "", "", ""},
		{"jwt-shaped, no alg", jwtOf(`{"typ":"JWT"}`, `{"a":1}`), "", "", ""},
		{"password", "password: ", "Xy7#pQ9!zR2@kL5m", "\n", KindHighEntropy},
		{"env token", "export GITHUB_TOKEN=", "ghp_16C7e42F292c6912E7710c838347Ae178B4a", "\n", KindHighEntropy},
		{"api key in JSON", `{"api_key":"`, "3f9a1c77e2b84d0f9e6a", `"}`, KindHighEntropy},
		{"go assignment", `apiKey := "`, "sk_live_51HxQ2eLk9", `"`, KindHighEntropy},
		{"bearer", "Authorization: Bearer ", "a8Fk29dLq0ZxP3mN7", "", KindHighEntropy},
		{"low entropy password", "password: aaaaaaaaaaaaaaaaaaa", "", "", ""},
		{"password that is a word", "password: correcthorsebatterystaple", "", "", ""},
		{"masked password", "password: " + Masked, "", "", ""},
		{"secret id is a name", "SecretId: prod/db/Credentials-2024-x9", "", "", ""},
		{"secret arn", "SecretArn: arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf", "", "", ""},
		{"token url", "token_url=https://auth.example.com/oauth2/v1/token", "", "", ""},
		{"next token", "NextToken: AAEAAQ9x7Yt3kLm2Qp8Zr", "", "", ""},
		{"high entropy, no keyword", "build id 8f3kZ92mQxL0pT7w", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := "first line\n" + tt.before + tt.value + tt.after
			fs := Detect(text)
			if tt.value == "" {
				if len(fs) != 0 {
					t.Fatalf("Detect found %v, want nothing", fs)
				}
				return
			}
			if len(fs) != 1 {
				t.Fatalf("Detect found %v, want one %s", fs, tt.kind)
			}
			f := fs[0]
			if f.Kind != tt.kind {
				t.Errorf("kind = %s, want %s", f.Kind, tt.kind)
			}
			if got := text[f.Start:f.End]; got != tt.value {
				t.Errorf("offsets %d-%d cover %q, want %q", f.Start, f.End, got, tt.value)
			}
			wantLine := 2 + strings.Count(tt.before, "\n")
			wantCol := len(tt.before) - strings.LastIndex(tt.before, "\n")
			if f.Line != wantLine || f.Column != wantCol {
				t.Errorf("line:column = %d:%d, want %d:%d", f.Line, f.Column, wantLine, wantCol)
			}
			if s := f.String(); strings.Contains(s, tt.value) || strings.Contains(s, tt.value[:8]) {
				t.Errorf("Finding.String() = %q shows the value", s)
			}
		})
	}
}

func TestDetectSeveral(t *testing.T) {
	text := "id=AKIAIOSFODNN7EXAMPLE\npassword=\"Xy7#pQ9!zR2@kL5m\"\n" + pemKey + "\nдобро token: " + jwtOf(`{"alg":"none"}`, `{}`)
	fs := Detect(text)
	want := []Kind{KindAWSAccessKeyID, KindHighEntropy, KindPrivateKey, KindJWT}
	if len(fs) != len(want) {
		t.Fatalf("Detect = %v, want kinds %v", fs, want)
	}
	for i, k := range want {
		if fs[i].Kind != k {
			t.Errorf("finding %d kind = %s, want %s", i, fs[i].Kind, k)
		}
		if i > 0 && fs[i].Start < fs[i-1].End {
			t.Errorf("findings overlap or are out of order: %v", fs)
		}
	}
	// The JWT is on a line after Cyrillic text: columns count characters.
	if last := fs[len(fs)-1]; last.Column != len([]rune("добро token: "))+1 {
		t.Errorf("JWT column = %d, want %d", last.Column, len([]rune("добро token: "))+1)
	}
}

func TestShannon(t *testing.T) {
	tests := []struct {
		s    string
		want float64
	}{
		{"aaaa", 0},
		{"ab", 1},
		{"abcd", 2},
		{"aabb", 1},
	}
	for _, tt := range tests {
		if got := shannon(tt.s); got != tt.want {
			t.Errorf("shannon(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}
