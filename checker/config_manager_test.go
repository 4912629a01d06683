package checker

import (
	"strings"
	"testing"
)

// otherPassword shares no character and no length with the password.
func TestOtherPassword(t *testing.T) {
	for range 50 {
		pw := seedDBConfig()["password"].(string)
		other := otherPassword(pw)
		if len(other) == len(pw) || strings.ContainsAny(other, pw) || len(other) < 12 {
			t.Fatalf("%d characters, %d, sharing some: a password and its other must differ in length and characters", len(pw), len(other))
		}
	}
}

// A missing secret's message must say it does not exist, however worded,
// and not that access was denied.
func TestSaysNotFound(t *testing.T) {
	for msg, want := range map[string]bool{
		"secret 'x' not found: create it":              true,
		"the secret x does not exist":                  true,
		"no secret named x: create it first":           true,
		"x: ResourceNotFoundException":                 true,
		"secret x is missing":                          true,
		"Secrets Manager can't find the secret x":      true,
		"secret 'x' wasn't found":                      true,
		"secret x could not be found":                  true,
		"the secret x doesn’t exist":                   true,
		"there is no secret ''":                        true,
		"unable to find secret x":                      true,
		"failed to find secret x in Secrets Manager":   true,
		"couldn't locate secret x":                     true,
		"secret x has not been created yet":            true,
		"no secret access for x: ask an admin":         false,
		"x: access denied, the secret is not found":    true,
		"reading x failed: the request was not signed": false,
		"no permission to read x: ask for access":      false,
		"x: missing permission secretsmanager:Get…":    false,
		"reading x failed: AccessDeniedException":      false,
		"config-manager: could not read x, try again":  false,
	} {
		if got := saysNotFound(msg); got != want {
			t.Errorf("saysNotFound(%q) = %v, want %v", msg, got, want)
		}
	}
}
