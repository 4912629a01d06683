package aws

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/aws/aws-sdk-go-v2/config"
)

// sdkID is Secrets Manager's service id, which names its services-section
// key (secrets_manager) and its environment variable
// (AWS_ENDPOINT_URL_SECRETS_MANAGER).
const sdkID = "Secrets Manager"

// configuredEndpoint is the Secrets Manager endpoint the aws CLI and the
// SDKs would use, and where it came from, in their documented order: the
// --endpoint-url flag; then, unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS (or
// the profile's ignore_configured_endpoint_urls) is true,
// AWS_ENDPOINT_URL_SECRETS_MANAGER, AWS_ENDPOINT_URL, the profile's
// services section (secrets_manager = endpoint_url = …) and the profile's
// own endpoint_url. The profile is --profile, else AWS_PROFILE, else
// default, read from AWS_CONFIG_FILE, else ~/.aws/config. Nothing
// configured: "", "".
func configuredEndpoint(f Flags, getenv Getenv) (url, source string) {
	if f.EndpointURL != "" {
		return f.EndpointURL, "--endpoint-url"
	}
	profile, _ := firstSet(getenv, f.Profile, "--profile", "AWS_PROFILE")
	if profile == "" {
		profile = "default"
	}
	file := sharedConfigFile(getenv)
	// A missing file or profile configures nothing; Connect reports a
	// profile that does not exist.
	var sc config.SharedConfig
	if file != "" {
		sc, _ = config.LoadSharedConfigProfile(context.Background(), profile, func(o *config.LoadSharedConfigOptions) {
			o.ConfigFiles, o.CredentialsFiles = []string{file}, []string{}
		})
	}
	if ignoreConfigured(getenv, sc) {
		return "", ""
	}
	for _, name := range []string{"AWS_ENDPOINT_URL_SECRETS_MANAGER", "AWS_ENDPOINT_URL"} {
		if v := getenv(name); v != "" {
			return v, name
		}
	}
	where := fmt.Sprintf("profile %s in %s", profile, file)
	if v, ok, _ := sc.GetServiceBaseEndpoint(context.Background(), sdkID); ok && v != "" {
		return v, "the services section of " + where
	}
	if sc.BaseEndpoint != "" {
		return sc.BaseEndpoint, "endpoint_url of " + where
	}
	return "", ""
}

// sharedConfigFile is AWS_CONFIG_FILE, else .aws/config in the home
// directory the environment names; "" when it names none.
func sharedConfigFile(getenv Getenv) string {
	if f := getenv("AWS_CONFIG_FILE"); f != "" {
		return f
	}
	home := getenv("HOME")
	if home == "" {
		home = getenv("USERPROFILE") // Windows
	}
	if home == "" {
		return ""
	}
	return filepath.Join(home, ".aws", "config")
}

// ignoreConfigured is AWS_IGNORE_CONFIGURED_ENDPOINT_URLS, else the
// profile's ignore_configured_endpoint_urls.
func ignoreConfigured(getenv Getenv, sc config.SharedConfig) bool {
	if v := getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"); v != "" {
		return strings.EqualFold(v, "true")
	}
	ignore, ok, _ := sc.GetIgnoreConfiguredEndpoints(context.Background())
	return ok && ignore
}
