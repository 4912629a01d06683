package runner

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"secretlings/aws"
	"secretlings/mask"
)

// Snippets writes one call three ways: Go with aws-sdk-go-v2, the aws CLI,
// and Python with boto3. All three come from the same SDK input value, so
// they cannot drift apart. With masked, secret values are shown as the mask.
func Snippets(op string, input any, t aws.Target, masked bool) (goCode, cli, python string) {
	return goSnippet(op, input, masked), cliSnippet(op, input, t, masked), pythonSnippet(op, input, t, masked)
}

// members returns the input's members that have a value, in the order the
// SDK declares them.
func members(input any) []member {
	v := reflect.ValueOf(input).Elem()
	var out []member
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if !f.IsExported() || isZero(v.Field(i)) {
			continue
		}
		out = append(out, member{name: f.Name, value: v.Field(i)})
	}
	return out
}

type member struct {
	name  string
	value reflect.Value
}

func isZero(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
		return v.IsNil()
	}
	return v.IsZero()
}

func secretText(name string, v string, masked bool) string {
	if masked && sensitive[name] {
		return mask.Mask(v)
	}
	return v
}

// goSnippet renders the call as Go, walking the input value so that nested
// types (tags, filters, rotation rules) come out as the SDK spells them.
func goSnippet(op string, input any, masked bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "out, err := client.%s(ctx, &secretsmanager.%sInput{\n", op, op)
	for _, m := range members(input) {
		fmt.Fprintf(&b, "\t%s: %s,\n", m.name, goValue(m.value, m.name, masked, 1))
	}
	b.WriteString("})")
	return b.String()
}

func goValue(v reflect.Value, name string, masked bool, depth int) string {
	switch v.Kind() {
	case reflect.Pointer:
		e := v.Elem()
		switch e.Kind() {
		case reflect.String:
			return "aws.String(" + strconv.Quote(secretText(name, e.String(), masked)) + ")"
		case reflect.Bool:
			return "aws.Bool(" + strconv.FormatBool(e.Bool()) + ")"
		case reflect.Int32:
			return "aws.Int32(" + strconv.FormatInt(e.Int(), 10) + ")"
		case reflect.Int64:
			return "aws.Int64(" + strconv.FormatInt(e.Int(), 10) + ")"
		case reflect.Struct:
			return "&" + goStruct(e, masked, depth)
		}
	case reflect.String:
		return goTypeName(v.Type()) + "(" + strconv.Quote(v.String()) + ")"
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Int32, reflect.Int64, reflect.Int:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return "[]byte(" + strconv.Quote(secretText(name, string(v.Bytes()), masked)) + ")"
		}
		var parts []string
		for i := range v.Len() {
			e := v.Index(i)
			if e.Kind() == reflect.Struct {
				parts = append(parts, strings.TrimPrefix(goStruct(e, masked, depth), goTypeName(e.Type())))
				continue
			}
			parts = append(parts, goValue(e, name, masked, depth))
		}
		return "[]" + goTypeName(v.Type().Elem()) + "{" + strings.Join(parts, ", ") + "}"
	case reflect.Struct:
		return goStruct(v, masked, depth)
	}
	return fmt.Sprintf("%#v", v.Interface())
}

func goStruct(v reflect.Value, masked bool, depth int) string {
	var parts []string
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if !f.IsExported() || isZero(v.Field(i)) {
			continue
		}
		parts = append(parts, f.Name+": "+goValue(v.Field(i), f.Name, masked, depth+1))
	}
	return goTypeName(v.Type()) + "{" + strings.Join(parts, ", ") + "}"
}

// goTypeName names a type as a snippet writes it: types.Tag, not the full
// import path.
func goTypeName(t reflect.Type) string {
	if t.PkgPath() == "" {
		return t.String()
	}
	return t.String() // already "types.Tag" for the SDK's types package
}

// wire returns the input as it goes over the wire: members by API name.
func wire(input any) ([]string, map[string]any) {
	m := toMap(input)
	var names []string
	for _, mm := range members(input) {
		if _, ok := m[mm.name]; ok {
			names = append(names, mm.name)
		}
	}
	return names, m
}

// kebab turns an API member or operation name into the aws CLI's spelling:
// RotationLambdaARN is rotation-lambda-arn.
func kebab(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		if unicode.IsUpper(r) && i > 0 && (unicode.IsLower(rs[i-1]) || i+1 < len(rs) && unicode.IsLower(rs[i+1]) && unicode.IsUpper(rs[i-1])) {
			b.WriteByte('-')
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

func snake(s string) string { return strings.ReplaceAll(kebab(s), "-", "_") }

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("-_/.:=+@,", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func endpointFlag(t aws.Target) string {
	if t.Backend == aws.AWS || t.Endpoint == "" {
		return ""
	}
	return " --endpoint-url " + t.Endpoint
}

func cliSnippet(op string, input any, t aws.Target, masked bool) string {
	names, m := wire(input)
	var b strings.Builder
	b.WriteString("aws" + endpointFlag(t) + " secretsmanager " + kebab(op))
	for _, n := range names {
		flag := " \\\n  --" + kebab(n)
		switch v := m[n].(type) {
		case bool:
			if !v {
				flag = " \\\n  --no-" + kebab(n)
			}
			b.WriteString(flag)
		case string:
			b.WriteString(flag + " " + shellQuote(secretText(n, v, masked)))
		case float64:
			b.WriteString(flag + " " + strconv.FormatFloat(v, 'f', -1, 64))
		default:
			j, _ := json.Marshal(v)
			b.WriteString(flag + " " + shellQuote(string(j)))
		}
	}
	return b.String()
}

func pythonSnippet(op string, input any, t aws.Target, masked bool) string {
	names, m := wire(input)
	var b strings.Builder
	b.WriteString("import boto3\n\n")
	if ep := endpointFlag(t); ep != "" {
		fmt.Fprintf(&b, "client = boto3.client(\"secretsmanager\", endpoint_url=%q)\n", t.Endpoint)
	} else {
		b.WriteString("client = boto3.client(\"secretsmanager\")\n")
	}
	fmt.Fprintf(&b, "response = client.%s(", snake(op))
	if len(names) > 0 {
		b.WriteString("\n")
	}
	for _, n := range names {
		v := m[n]
		if s, ok := v.(string); ok {
			v = secretText(n, s, masked)
		}
		fmt.Fprintf(&b, "    %s=%s,\n", n, python(v))
	}
	b.WriteString(")")
	return b.String()
}

// python renders a JSON value as a Python literal.
func python(v any) string {
	switch t := v.(type) {
	case nil:
		return "None"
	case bool:
		if t {
			return "True"
		}
		return "False"
	case string:
		return strconv.Quote(t)
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case []any:
		parts := make([]string, len(t))
		for i, e := range t {
			parts[i] = python(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = strconv.Quote(k) + ": " + python(t[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprint(v)
}
