package mask

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestJSON(t *testing.T) {
	m := `"` + Masked + `"`
	tests := []struct{ name, in, want string }{
		{"flat", `{"username":"admin","password":"hunter22"}`, `{"username":` + m + `,"password":` + m + `}`},
		{"all scalar kinds", `{"s":"x","n":-1.5e3,"t":true,"f":false,"z":null}`,
			`{"s":` + m + `,"n":` + m + `,"t":` + m + `,"f":` + m + `,"z":` + m + `}`},
		{"nested and arrays", `{"db":{"hosts":["a","b"],"auth":{"k":[{"x":1}]}},"e":[],"o":{}}`,
			`{"db":{"hosts":[` + m + `,` + m + `],"auth":{"k":[{"x":` + m + `}]}},"e":[],"o":{}}`},
		{"escapes in keys and values", `{"we\"ird:key":"va\"l:ue\\","k2":"\u0041"}`,
			`{"we\"ird:key":` + m + `,"k2":` + m + `}`},
		{"pretty printed, order and duplicates kept", "{\n  \"b\": 1,\n  \"a\" : \"x\",\n  \"b\": 2\n}\n",
			"{\n  \"b\": " + m + ",\n  \"a\" : " + m + ",\n  \"b\": " + m + "\n}\n"},
		{"top-level scalar", `"hunter22"`, m},
		{"top-level array", `[1,"two",[3]]`, `[` + m + `,` + m + `,[` + m + `]]`},
		{"string that looks like a key", `["a",":"]`, `[` + m + `,` + m + `]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := JSON([]byte(tt.in))
			if err != nil {
				t.Fatalf("JSON: %v", err)
			}
			if string(got) != tt.want {
				t.Errorf("JSON(%s)\n got %s\nwant %s", tt.in, got, tt.want)
			}
			if !json.Valid(got) {
				t.Errorf("masked document is not valid JSON: %s", got)
			}
		})
	}
}

func TestJSONMalformed(t *testing.T) {
	tests := []struct {
		in     string
		offset int64
	}{
		{`{"password": "hunter22`, 22},
		{`{"password": hunter22}`, 14},
		{`{"a":1}{"b":2}`, 8},
		{``, 0},
		{`{"a":1,}`, 8},
	}
	for _, tt := range tests {
		_, err := JSON([]byte(tt.in))
		je, ok := errors.AsType[*JSONError](err)
		if !ok {
			t.Errorf("JSON(%q) error = %v, want a *JSONError", tt.in, err)
			continue
		}
		if je.Offset != tt.offset {
			t.Errorf("JSON(%q) offset = %d, want %d", tt.in, je.Offset, tt.offset)
		}
		if msg := err.Error(); strings.Contains(msg, "hunter") || strings.Contains(msg, "'h'") {
			t.Errorf("error message echoes the content: %q", msg)
		}
	}
}
