package emulator

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// filters is a compiled ListSecrets/BatchGetSecretValue filter list:
// filters are ANDed, the values of one filter ORed, "!" negates a value.
type filters []filter

type filter struct {
	key    string
	values []string
	neg    []bool
}

var filterValuePattern = regexp.MustCompile(`^!?[a-zA-Z0-9 :_@/+=.\-!]*$`)

var filterKeys = map[string]bool{"description": true, "name": true, "tag-key": true, "tag-value": true,
	"primary-region": true, "owning-service": true, "all": true}

func compileFilters(in []Filter) (filters, error) {
	if len(in) > 10 {
		return nil, validationErr(strconv.Itoa(len(in)), "filters", "Member must have length less than or equal to 10")
	}
	out := make(filters, 0, len(in))
	for i, f := range in {
		k := str(f.Key)
		if !filterKeys[k] {
			return nil, apiErr(ErrValidation, "1 validation error detected: Value '%s' at 'filters.%d.member.key' failed to satisfy constraint: Member must satisfy enum value set: [all, name, tag-key, description, tag-value, owning-service, primary-region]", k, i+1)
		}
		if len(f.Values) < 1 || len(f.Values) > 10 {
			return nil, apiErr(ErrInvalidParameter, "Invalid filter values for key %s: provide between 1 and 10 values.", k)
		}
		c := filter{key: k}
		for _, v := range f.Values {
			if len(v) > 512 {
				return nil, validationErr(truncateForMsg(v), "filters."+strconv.Itoa(i+1)+".member.values", "Member must have length less than or equal to 512")
			}
			if !filterValuePattern.MatchString(v) {
				return nil, validationErr(truncateForMsg(v), "filters."+strconv.Itoa(i+1)+".member.values", `Member must satisfy regular expression pattern: ^\!?[a-zA-Z0-9 :_@\/\+\=\.\-\!]*$`)
			}
			neg := strings.HasPrefix(v, "!")
			c.values = append(c.values, strings.TrimPrefix(v, "!"))
			c.neg = append(c.neg, neg)
		}
		out = append(out, c)
	}
	return out, nil
}

func (fs filters) match(s *secret) bool {
	for _, f := range fs {
		if !f.match(s) {
			return false
		}
	}
	return true
}

// match: positive values are ORed; a negated value excludes secrets it
// matches. A filter with only negated values matches what none excludes.
func (f filter) match(s *secret) bool {
	anyPos, posHit := false, false
	for i, v := range f.values {
		hit := f.test(s, v)
		if f.neg[i] {
			if hit {
				return false
			}
			continue
		}
		anyPos = true
		posHit = posHit || hit
	}
	return !anyPos || posHit
}

func (f filter) test(s *secret, v string) bool {
	switch f.key {
	case "name":
		return strings.HasPrefix(s.Name, v)
	case "tag-key":
		for _, t := range s.Tags {
			if strings.HasPrefix(*t.Key, v) {
				return true
			}
		}
	case "tag-value":
		for _, t := range s.Tags {
			if strings.HasPrefix(str(t.Value), v) {
				return true
			}
		}
	case "primary-region":
		return s.PrimaryRegion != "" && strings.HasPrefix(s.PrimaryRegion, v)
	case "owning-service":
		return false // no secret here is owned by a service
	case "description":
		return s.Description != nil && everyWord(v, func(w string) bool { return wordPrefix(*s.Description, w) })
	case "all":
		return everyWord(v, func(w string) bool { return allMatch(s, w) })
	}
	return false
}

// everyWord reports whether each space-separated word of v passes test, as
// AWS matches a value of several words ("one two" matches "one and two").
func everyWord(v string, test func(string) bool) bool {
	words := strings.Fields(v)
	if len(words) == 0 {
		return test(v)
	}
	for _, w := range words {
		if !test(w) {
			return false
		}
	}
	return true
}

func allMatch(s *secret, w string) bool {
	if wordPrefix(s.Name, w) || (s.Description != nil && wordPrefix(*s.Description, w)) {
		return true
	}
	for _, t := range s.Tags {
		if wordPrefix(*t.Key, w) || wordPrefix(str(t.Value), w) {
			return true
		}
	}
	return false
}

// wordPrefix matches v case-insensitively as a prefix of the whole text or
// of any word in it (words split on / - _ + = . @ space and CamelCase).
func wordPrefix(text, v string) bool {
	lv := strings.ToLower(v)
	if strings.HasPrefix(strings.ToLower(text), lv) {
		return true
	}
	start := 0
	rs := []rune(text)
	for i := 1; i <= len(rs); i++ {
		if i == len(rs) || strings.ContainsRune("/-_+=.@ ", rs[i]) || (unicode.IsUpper(rs[i]) && unicode.IsLower(rs[i-1])) {
			w := strings.TrimLeft(string(rs[start:i]), "/-_+=.@ ")
			if w != "" && strings.HasPrefix(strings.ToLower(w), lv) {
				return true
			}
			start = i
		}
	}
	return false
}
