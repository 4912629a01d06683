package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"secretlings/aws/emulator"
)

func TestCastListsEveryMember(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"cast"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, m := range emulator.Cast() {
		if !strings.Contains(out.String(), "secretlings-"+m.Name) || !strings.Contains(out.String(), m.AccessKeyID) {
			t.Errorf("the list lacks %s:\n%s", m.Name, out.String())
		}
	}
}

// TestCastCredentialsAreUsableProfiles: what --credentials prints, put in a
// credentials file, signs as each member through the SDK's own profile
// loading.
func TestCastCredentialsAreUsableProfiles(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"cast", "--credentials"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	file := filepath.Join(t.TempDir(), "credentials")
	if err := os.WriteFile(file, out.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	srv, err := emulator.New()
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	defer func() { hs.Close(); srv.Close() }()
	ctx := context.Background()
	for _, m := range emulator.Cast() {
		cfg, err := config.LoadDefaultConfig(ctx, config.WithSharedConfigFiles([]string{}),
			config.WithSharedCredentialsFiles([]string{file}), config.WithSharedConfigProfile("secretlings-"+m.Name),
			config.WithRegion("us-east-1"), config.WithBaseEndpoint(hs.URL))
		if err != nil {
			t.Fatalf("%s: %v", m.Name, err)
		}
		who, err := sts.NewFromConfig(cfg, func(o *sts.Options) {
			o.HTTPClient = &http.Client{Transport: emulator.PlainBodies(http.DefaultTransport)}
		}).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err != nil {
			t.Fatalf("%s: %v", m.Name, err)
		}
		want := m.ARN // a user; a role's caller is a session of it
		if strings.Contains(m.ARN, ":role/") {
			want = "arn:aws:sts::" + m.Account + ":assumed-role/" + m.Name + "/secretlings"
		}
		if arn := sdkaws.ToString(who.Arn); arn != want {
			t.Errorf("%s signs as %s", m.Name, arn)
		}
	}
	if code := run([]string{"cast", "extra"}, &out, &errb); code != 2 {
		t.Errorf("an argument: exit %d, want 2", code)
	}
}
