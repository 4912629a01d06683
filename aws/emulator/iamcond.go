package emulator

import (
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// cond is one key of one Condition operator: {"StringEquals": {"aws:PrincipalTag/team": ["a", "b"]}}.
type cond struct {
	op       condOp
	forAll   bool   // ForAllValues:
	forAny   bool   // ForAnyValue:
	ifExists bool   // …IfExists
	key      string // lower-cased: condition key names are case-insensitive
	values   []string
}

type condOp struct {
	name    string
	negated bool // StringNotEquals, StringNotLike, ArnNotEquals, ArnNotLike, Numeric/DateNotEquals, NotIpAddress
	match   func(ctxValue, policyValue string) bool
}

var condOps = map[string]condOp{}

func init() {
	add := func(name string, negated bool, f func(a, b string) bool) {
		condOps[strings.ToLower(name)] = condOp{name: name, negated: negated, match: f}
	}
	eq := func(a, b string) bool { return a == b }
	like := func(a, b string) bool { return globMatch(b, a, false) }
	eqFold := strings.EqualFold
	for _, o := range []struct {
		pos, neg string
		f        func(a, b string) bool
	}{
		{"StringEquals", "StringNotEquals", eq},
		{"StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", eqFold},
		{"StringLike", "StringNotLike", like},
		{"ArnEquals", "ArnNotEquals", like}, // ARN operators accept wildcards in each part
		{"ArnLike", "ArnNotLike", like},
		{"NumericEquals", "NumericNotEquals", numCmp(func(c int) bool { return c == 0 })},
		{"DateEquals", "DateNotEquals", dateCmp(func(c int) bool { return c == 0 })},
		{"IpAddress", "NotIpAddress", ipMatch},
	} {
		add(o.pos, false, o.f)
		add(o.neg, true, o.f)
	}
	add("NumericLessThan", false, numCmp(func(c int) bool { return c < 0 }))
	add("NumericLessThanEquals", false, numCmp(func(c int) bool { return c <= 0 }))
	add("NumericGreaterThan", false, numCmp(func(c int) bool { return c > 0 }))
	add("NumericGreaterThanEquals", false, numCmp(func(c int) bool { return c >= 0 }))
	add("DateLessThan", false, dateCmp(func(c int) bool { return c < 0 }))
	add("DateLessThanEquals", false, dateCmp(func(c int) bool { return c <= 0 }))
	add("DateGreaterThan", false, dateCmp(func(c int) bool { return c > 0 }))
	add("DateGreaterThanEquals", false, dateCmp(func(c int) bool { return c >= 0 }))
	add("Bool", false, eqFold)
	add("BinaryEquals", false, eq)
	add("Null", false, nil) // special: tests presence
}

func numCmp(ok func(int) bool) func(a, b string) bool {
	return func(a, b string) bool {
		x, err1 := strconv.ParseFloat(a, 64)
		y, err2 := strconv.ParseFloat(b, 64)
		if err1 != nil || err2 != nil {
			return false
		}
		switch {
		case x < y:
			return ok(-1)
		case x > y:
			return ok(1)
		}
		return ok(0)
	}
}

func parseDate(s string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, true
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0), true
	}
	return time.Time{}, false
}

func dateCmp(ok func(int) bool) func(a, b string) bool {
	return func(a, b string) bool {
		x, ok1 := parseDate(a)
		y, ok2 := parseDate(b)
		if !ok1 || !ok2 {
			return false
		}
		return ok(x.Compare(y))
	}
}

func ipMatch(a, b string) bool {
	ip, err := netip.ParseAddr(a)
	if err != nil {
		return false
	}
	if pfx, err := netip.ParsePrefix(b); err == nil {
		return pfx.Contains(ip)
	}
	other, err := netip.ParseAddr(b)
	return err == nil && other == ip
}

// compileConditions reads a Condition block. An operator the emulator does
// not know is refused rather than silently ignored: ignoring it would turn
// a conditional Allow into an unconditional one.
func compileConditions(block map[string]map[string]stringList, where string) ([]cond, error) {
	var out []cond
	for opName, keys := range block {
		c := cond{}
		name := opName
		lower := strings.ToLower(name)
		switch {
		case strings.HasPrefix(lower, "forallvalues:"):
			c.forAll, name = true, name[len("ForAllValues:"):]
		case strings.HasPrefix(lower, "foranyvalue:"):
			c.forAny, name = true, name[len("ForAnyValue:"):]
		}
		if l := strings.ToLower(name); strings.HasSuffix(l, "ifexists") && l != "null" {
			c.ifExists, name = true, name[:len(name)-len("IfExists")]
		}
		op, ok := condOps[strings.ToLower(name)]
		if !ok || (op.match == nil && (c.ifExists || c.forAll || c.forAny)) {
			return nil, policyError("%s: unknown condition operator %q (for example StringEquals, StringLike, ArnLike, Bool, Null).", where, truncateForMsg(opName))
		}
		c.op = op
		for k, vals := range keys {
			cc := c
			cc.key, cc.values = strings.ToLower(k), vals
			if !strings.Contains(k, ":") {
				return nil, policyError("%s: condition key %q needs a prefix such as aws: or secretsmanager:.", where, truncateForMsg(k))
			}
			out = append(out, cc)
		}
	}
	return out, nil
}

// holds evaluates one condition against the request: AWS's rules for
// missing keys, multiple values and set operators.
func (c *cond) holds(keys *requestKeys) bool {
	vals := keys.get(c.key)
	present := len(vals) > 0
	if c.op.match == nil { // Null
		want := len(c.values) > 0 && strings.EqualFold(c.values[0], "true")
		return want != present
	}
	if !present {
		// "If the key that you specify in a policy condition is not present
		// in the request context, the values do not match and the condition
		// is false. If the policy condition requires that the key is not
		// matched, such as StringNotLike or ArnNotLike, and the right key is
		// not present, the condition is true." …IfExists: true when absent;
		// ForAllValues: true for an empty set.
		return c.ifExists || c.forAll || c.op.negated && !c.forAny
	}
	pvals := c.values
	if expandable(pvals) {
		pvals = expandValues(pvals, keys)
	}
	anyMatch := func(v string) bool {
		for _, pv := range pvals {
			if c.op.match(v, pv) {
				return true
			}
		}
		return false
	}
	// A negated operator holds for a value that matches none of the policy's values.
	ok := func(v string) bool { return anyMatch(v) != c.op.negated }
	if c.forAll {
		for _, v := range vals {
			if !ok(v) {
				return false
			}
		}
		return true
	}
	if c.forAny {
		for _, v := range vals {
			if ok(v) {
				return true
			}
		}
		return false
	}
	// A plain operator on a multivalued key: a positive one holds if any
	// value matches, a negated one if no value matches.
	for _, v := range vals {
		if anyMatch(v) {
			return !c.op.negated
		}
	}
	return c.op.negated
}

func expandable(vals []string) bool {
	for _, v := range vals {
		if strings.Contains(v, "${") {
			return true
		}
	}
	return false
}

// noValue stands for a policy variable that the request does not define:
// "If the variable cannot be resolved, it matches nothing" (no real value
// contains a NUL byte).
const noValue = "\x00unresolved"

// expandValues substitutes policy variables such as ${aws:PrincipalTag/team}.
func expandValues(vals []string, keys *requestKeys) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = expandVars(v, keys)
	}
	return out
}

func expandVars(v string, keys *requestKeys) string {
	var b strings.Builder
	for {
		i := strings.Index(v, "${")
		if i < 0 {
			b.WriteString(v)
			return b.String()
		}
		j := strings.IndexByte(v[i:], '}')
		if j < 0 {
			b.WriteString(v)
			return b.String()
		}
		b.WriteString(v[:i])
		name := v[i+2 : i+j]
		switch name {
		case "*", "?", "$":
			b.WriteString(name)
		default:
			key, def, hasDef := strings.Cut(name, ",")
			got := keys.get(strings.ToLower(strings.TrimSpace(key)))
			switch {
			case len(got) == 1:
				b.WriteString(got[0])
			case hasDef:
				b.WriteString(strings.Trim(strings.TrimSpace(def), "'"))
			default:
				return noValue
			}
		}
		v = v[i+j+1:]
	}
}

// globMatch matches s against pattern with * (any run) and ? (one
// character), optionally ignoring case.
func globMatch(pattern, s string, fold bool) bool {
	if fold {
		pattern, s = strings.ToLower(pattern), strings.ToLower(s)
	}
	if !strings.ContainsAny(pattern, "*?") {
		return pattern == s
	}
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]):
			p++
			i++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
