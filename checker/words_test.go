package checker

import "testing"

// A Python learner reads check names and reasons in Python's words; a Go
// learner reads them as the graders wrote them.
func TestShownInPython(t *testing.T) {
	for in, want := range map[string]string{
		"compiles":                "parses (no syntax error)",
		"no panic or stack trace": "no traceback",
		"Get returns the secret's AWSCURRENT value":                                                                    "get returns the secret's AWSCURRENT value",
		"PutSecretValue passes REQUEST_TOKEN as ClientRequestToken":                                                    "put_secret_value passes REQUEST_TOKEN as ClientRequestToken",
		"at most one GetSecretValue per TTL":                                                                           "at most one get_secret_value per TTL",
		"16 goroutines reading a name not cached yet made 3 GetSecretValue calls; expected 1: let one goroutine fetch": "16 threads reading a name not cached yet made 3 get_secret_value calls; expected 1: let one thread fetch",
		"no GetSecretValue with VersionStage AWSPREVIOUS succeeded":                                                    "no get_secret_value with VersionStage AWSPREVIOUS succeeded",
		"moving AWSCURRENT with UpdateSecretVersionStage":                                                              "moving AWSCURRENT with update_secret_version_stage",
		"the program does not compile:\nmain.py:3:9: SyntaxError: invalid syntax":                                      "the program has a syntax error:\nmain.py:3:9: SyntaxError: invalid syntax",
		"only setSecret registers a key":                                                                               "only setSecret registers a key",
		"GetSecretValueInput":                                                                                          "GetSecretValueInput",
	} {
		if got := Shown(in, Python); got != want {
			t.Errorf("Shown(%q) = %q, want %q", in, got, want)
		}
		if got := Shown(in, Go); got != in {
			t.Errorf("in Go, Shown(%q) = %q", in, got)
		}
	}
	if got := ShownIn("compiles", "python"); got != "parses (no syntax error)" {
		t.Errorf("ShownIn: %q", got)
	}
	if got := ShownIn("compiles", ""); got != "compiles" {
		t.Errorf("ShownIn without a language: %q", got)
	}
}
