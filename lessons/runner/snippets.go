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
// op is an action's operation: "CreateSecret", or qualified by its service,
// "kms:CreateKey".
func Snippets(op string, input any, t aws.Target, masked bool) (goCode, cli, python string) {
	return SnippetsAs(op, "", input, t, masked)
}

// SnippetsAs is Snippets for a call signed as the cast member as (none when
// empty): each snippet takes that principal's keys from its profile, as
// CredentialsFile writes them, which is how a program runs as another
// identity without keys in its code.
func SnippetsAs(op, as string, input any, t aws.Target, masked bool) (goCode, cli, python string) {
	c := call{service: "secretsmanager", op: op, as: as}
	if svc, name, ok := strings.Cut(op, ":"); ok {
		c.service, c.op = svc, name
	}
	return goSnippet(c, input, t, masked), cliSnippet(c, input, t, masked), pythonSnippet(c, input, t, masked)
}

// call is what the snippets need to know of an action besides its input.
type call struct {
	service string // "secretsmanager", "kms", "sts", "cloudtrail"
	op      string // "CreateKey"
	as      string // cast member, or ""
}

// goClients name the client variable a Go snippet calls, per service.
var goClients = map[string]string{"secretsmanager": "client", "kms": "kmsClient", "sts": "stsClient", "cloudtrail": "trail"}

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
func goSnippet(c call, input any, t aws.Target, masked bool) string {
	var b strings.Builder
	client := goClients[c.service]
	if c.as != "" {
		client = c.as
		endpoint := ""
		if t.Backend != aws.AWS && t.Endpoint != "" {
			endpoint = fmt.Sprintf(",\n\tconfig.WithBaseEndpoint(%q)", t.Endpoint)
		}
		fmt.Fprintf(&b, "// Signed as %s: the keys of the profile %s.\n", Principal(c.as), Profile(c.as))
		fmt.Fprintf(&b, "cfg, err := config.LoadDefaultConfig(ctx,\n\tconfig.WithSharedConfigProfile(%q)%s)\n", Profile(c.as), endpoint)
		b.WriteString("if err != nil {\n\treturn err\n}\n")
		fmt.Fprintf(&b, "%s := %s.NewFromConfig(cfg)\n", client, c.service)
	}
	fmt.Fprintf(&b, "out, err := %s.%s(ctx, &%s.%sInput{", client, c.op, c.service, c.op)
	ms := members(input)
	if len(ms) > 0 {
		b.WriteString("\n")
	}
	for _, m := range ms {
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
// import path. The types packages of the other services take the aliases
// a program importing several of them needs: kmstypes, cttypes.
func goTypeName(t reflect.Type) string {
	switch {
	case t.PkgPath() == "":
		return t.String()
	case strings.HasSuffix(t.PkgPath(), "/service/kms/types"):
		return "kmstypes." + t.Name()
	case strings.HasSuffix(t.PkgPath(), "/service/cloudtrail/types"):
		return "cttypes." + t.Name()
	}
	return t.String() // already "types.Tag" for Secrets Manager's types package
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

func cliSnippet(c call, input any, t aws.Target, masked bool) string {
	names, m := wire(input)
	var b strings.Builder
	b.WriteString("aws")
	if c.as != "" {
		b.WriteString(" --profile " + Profile(c.as))
	}
	b.WriteString(endpointFlag(t) + " " + c.service + " " + kebab(c.op))
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

func pythonSnippet(c call, input any, t aws.Target, masked bool) string {
	names, m := wire(input)
	var b strings.Builder
	b.WriteString("import boto3\n\n")
	maker := "boto3"
	if c.as != "" {
		fmt.Fprintf(&b, "# Signed as %s: the keys of the profile %s.\n", Principal(c.as), Profile(c.as))
		fmt.Fprintf(&b, "session = boto3.Session(profile_name=%q)\n", Profile(c.as))
		maker = "session"
	}
	// Complete for the backend in use, so it runs pasted into python3
	// with nothing in the environment: the endpoint, the region (boto3
	// has no default one) and, for a local backend signed as nobody in
	// particular, credentials it does not check.
	args := []string{strconv.Quote(c.service)}
	if endpointFlag(t) != "" {
		args = append(args, "endpoint_url="+strconv.Quote(t.Endpoint))
	}
	if t.Region != "" {
		args = append(args, "region_name="+strconv.Quote(t.Region))
	}
	if t.Backend != aws.AWS && c.as == "" {
		args = append(args, `aws_access_key_id="test"`, `aws_secret_access_key="test"`)
	}
	if len(args) <= 2 {
		fmt.Fprintf(&b, "client = %s.client(%s)\n", maker, strings.Join(args, ", "))
	} else {
		fmt.Fprintf(&b, "client = %s.client(\n    %s,\n)\n", maker, strings.Join(args, ",\n    "))
	}
	fmt.Fprintf(&b, "response = client.%s(", snake(c.op))
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
