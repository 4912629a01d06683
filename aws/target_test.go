package aws

import (
	"strings"
	"testing"
)

func TestResolvePrecedence(t *testing.T) {
	for _, tc := range []struct {
		name      string
		flags     Flags
		env       map[string]string
		want      Target
		wantError string
	}{
		{
			name: "nothing configured is the embedded emulator in us-east-1 by default",
			want: Target{Backend: Embedded, EndpointSource: "embedded emulator"},
		},
		{
			name:  "the service-specific endpoint variable beats the global one",
			env:   map[string]string{"AWS_ENDPOINT_URL": "http://global:1", "AWS_ENDPOINT_URL_SECRETS_MANAGER": "http://sm:2"},
			want:  Target{Backend: Endpoint, Endpoint: "http://sm:2", EndpointSource: "AWS_ENDPOINT_URL_SECRETS_MANAGER"},
			flags: Flags{},
		},
		{
			name: "the global endpoint variable alone selects the endpoint backend",
			env:  map[string]string{"AWS_ENDPOINT_URL": "http://global:1"},
			want: Target{Backend: Endpoint, Endpoint: "http://global:1", EndpointSource: "AWS_ENDPOINT_URL"},
		},
		{
			name:  "--endpoint-url beats both variables",
			flags: Flags{EndpointURL: "http://flag:3"},
			env:   map[string]string{"AWS_ENDPOINT_URL": "http://global:1", "AWS_ENDPOINT_URL_SECRETS_MANAGER": "http://sm:2"},
			want:  Target{Backend: Endpoint, Endpoint: "http://flag:3", EndpointSource: "--endpoint-url"},
		},
		{
			name:  "--region beats AWS_REGION, which beats AWS_DEFAULT_REGION",
			flags: Flags{Region: "eu-west-1"},
			env:   map[string]string{"AWS_REGION": "eu-central-1", "AWS_DEFAULT_REGION": "ap-south-1"},
			want:  Target{Backend: Embedded, EndpointSource: "embedded emulator", Region: "eu-west-1", RegionSource: "--region"},
		},
		{
			name: "AWS_REGION beats AWS_DEFAULT_REGION",
			env:  map[string]string{"AWS_REGION": "eu-central-1", "AWS_DEFAULT_REGION": "ap-south-1"},
			want: Target{Backend: Embedded, EndpointSource: "embedded emulator", Region: "eu-central-1", RegionSource: "AWS_REGION"},
		},
		{
			name: "AWS_DEFAULT_REGION when nothing else",
			env:  map[string]string{"AWS_DEFAULT_REGION": "ap-south-1"},
			want: Target{Backend: Embedded, EndpointSource: "embedded emulator", Region: "ap-south-1", RegionSource: "AWS_DEFAULT_REGION"},
		},
		{
			name:  "--profile beats AWS_PROFILE",
			flags: Flags{Profile: "flag", Backend: "aws"},
			env:   map[string]string{"AWS_PROFILE": "env"},
			want:  Target{Backend: AWS, EndpointSource: "AWS regional endpoint", Profile: "flag"},
		},
		{
			name: "AWS_PROFILE is used without the flag",
			env:  map[string]string{"AWS_PROFILE": "env"},
			want: Target{Backend: Embedded, EndpointSource: "embedded emulator", Profile: "env"},
		},
		{
			name:  "localstack uses its default URL",
			flags: Flags{Backend: "localstack"},
			want:  Target{Backend: LocalStack, Endpoint: "http://localhost:4566", EndpointSource: "LocalStack default"},
		},
		{
			name:  "localstack on another port through the environment",
			flags: Flags{Backend: "LocalStack"},
			env:   map[string]string{"AWS_ENDPOINT_URL": "http://localhost:4599"},
			want:  Target{Backend: LocalStack, Endpoint: "http://localhost:4599", EndpointSource: "AWS_ENDPOINT_URL"},
		},
		{
			name:  "--backend embedded ignores endpoint variables meant for other programs",
			flags: Flags{Backend: "embedded"},
			env:   map[string]string{"AWS_ENDPOINT_URL": "http://localhost:4566"},
			want:  Target{Backend: Embedded, EndpointSource: "embedded emulator"},
		},
		{
			name:  "aws honours an endpoint override, as the SDK does",
			flags: Flags{Backend: "aws"},
			env:   map[string]string{"AWS_ENDPOINT_URL_SECRETS_MANAGER": "https://vpce.example:443"},
			want:  Target{Backend: AWS, Endpoint: "https://vpce.example:443", EndpointSource: "AWS_ENDPOINT_URL_SECRETS_MANAGER"},
		},
		{name: "unknown backend", flags: Flags{Backend: "gcp"}, wantError: `unknown backend "gcp": choose one of embedded, localstack, endpoint, aws`},
		{name: "endpoint backend without a URL", flags: Flags{Backend: "endpoint"}, wantError: "--backend endpoint needs a URL"},
		{name: "endpoint that is not a URL", flags: Flags{EndpointURL: "localhost:5000"}, wantError: `endpoint "localhost:5000" (from --endpoint-url) is not a URL: write it as http://host:port`},
		{name: "embedded with an endpoint flag", flags: Flags{Backend: "embedded", EndpointURL: "http://x:1"}, wantError: "does not go with --backend embedded"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Resolve(tc.flags, func(k string) string { return tc.env[k] })
			if tc.wantError != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantError) {
					t.Fatalf("error = %v, want %q", err, tc.wantError)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Fatalf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}
