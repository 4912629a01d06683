package emulator

import (
	"crypto/rand"
	"math/big"
	"strconv"
	"strings"
)

const (
	lowerChars = "abcdefghijklmnopqrstuvwxyz"
	upperChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	digitChars = "0123456789"
	punctChars = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
)

// randomPassword implements GetRandomPassword with crypto/rand: exact
// length, one character of each required class at a random position.
func randomPassword(in *GetRandomPasswordInput) (string, error) {
	n := int64(32)
	if in.PasswordLength != nil {
		n = *in.PasswordLength
	}
	if n < 1 {
		return "", validationErr(strconv.FormatInt(n, 10), "passwordLength", "Member must have value greater than or equal to 1")
	}
	if n > 4096 {
		return "", validationErr(strconv.FormatInt(n, 10), "passwordLength", "Member must have value less than or equal to 4096")
	}
	excl := str(in.ExcludeCharacters)
	if len(excl) > 4096 {
		return "", validationErr("", "excludeCharacters", "Member must have length less than or equal to 4096")
	}
	keep := func(set string) string {
		return strings.Map(func(r rune) rune {
			if strings.ContainsRune(excl, r) {
				return -1
			}
			return r
		}, set)
	}
	var classes []string
	add := func(excluded *bool, set string) {
		if !isTrue(excluded) {
			if k := keep(set); k != "" {
				classes = append(classes, k)
			}
		}
	}
	add(in.ExcludeLowercase, lowerChars)
	add(in.ExcludeUppercase, upperChars)
	add(in.ExcludeNumbers, digitChars)
	add(in.ExcludePunctuation, punctChars)
	// A space joins the pool but is not a type RequireEachIncludedType
	// demands (upper, lower, digit and punctuation are).
	space := ""
	if isTrue(in.IncludeSpace) && !strings.Contains(excl, " ") {
		space = " "
	}
	if len(classes) == 0 && space == "" {
		return "", apiErr(ErrInvalidParameter, "No characters are left to generate a password from: every character class is excluded.")
	}
	requireEach := in.RequireEachIncludedType == nil || *in.RequireEachIncludedType
	if requireEach && int64(len(classes)) > n {
		return "", apiErr(ErrInvalidParameter, "Password length is too short based on the required types.")
	}
	pool := strings.Join(classes, "") + space
	out := make([]byte, n)
	for i := range out {
		out[i] = pool[randInt(len(pool))]
	}
	if requireEach {
		// Distinct random positions, one per class.
		pos := make([]int, n)
		for i := range pos {
			pos[i] = i
		}
		for i, c := range classes {
			j := i + randInt(len(pos)-i)
			pos[i], pos[j] = pos[j], pos[i]
			out[pos[i]] = c[randInt(len(c))]
		}
	}
	return string(out), nil
}

func randInt(n int) int {
	v, err := rand.Int(rand.Reader, big.NewInt(int64(n)))
	if err != nil {
		panic("crypto/rand failed: " + err.Error()) // the OS RNG is gone; nothing sane to do
	}
	return int(v.Int64())
}
