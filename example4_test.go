package main

import (
	"bytes"
	"net/http/httptest"
	"strings"
	"testing"

	"secretlings/aws/emulator"
	"secretlings/internal/motoserver"
)

// Example 4 is lesson 7's "one program, every backend": the whole command
// against an emulator served as secretlings serve serves it and against
// moto_server, each named only by AWS_ENDPOINT_URL, as a learner's shell
// or CI job would name it.
func TestExample4OnlyTheEnvironmentChanges(t *testing.T) {
	isolateAWS(t)
	emu, err := emulator.New()
	if err != nil {
		t.Fatal(err)
	}
	served := httptest.NewServer(emu)
	t.Cleanup(func() { served.Close(); emu.Close() })
	exampleBinary(t, 4) // warms the build cache
	for _, tc := range []struct{ name, url string }{
		{"serve", served.URL},
		{"moto", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			url := tc.url
			if url == "" {
				url = motoserver.ForTest(t).URL
			}
			t.Setenv("AWS_ENDPOINT_URL", url)
			var out, errOut bytes.Buffer
			code := runExample([]string{"4"}, &out, &errOut)
			t.Logf("exit %d:\n%s%s", code, out.String(), errOut.String())
			if code != 0 {
				t.Fatalf("exit status %d", code)
			}
			checkSteps(t, out.String(), 4)
			for _, want := range []string{"Running example 4 on endpoint at " + url, "endpoint " + url + " from AWS_ENDPOINT_URL_SECRETS_MANAGER", "ErrNotFound, handled"} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("the output lacks %q", want)
				}
			}
			_, rest, _ := strings.Cut(out.String(), "names under ")
			prefix, _, _ := strings.Cut(rest, "\n")
			if !strings.HasPrefix(prefix, "secretlings/example-4/") {
				t.Fatalf("no prefix in the output")
			}
			checkNoSecretsUnder(t, testClient(url), prefix)
		})
	}
}
