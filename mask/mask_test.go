package mask

import (
	"strings"
	"testing"
)

func TestMask(t *testing.T) {
	for _, v := range []string{"", "a", "hunter2", strings.Repeat("x", 4096), "пароль"} {
		if got := Mask(v); got != Masked {
			t.Errorf("Mask(%d bytes) = %q, want %q whatever the length", len(v), got, Masked)
		}
	}
}

func TestPartial(t *testing.T) {
	tests := []struct {
		v      string
		keep   int
		prefix string
		suffix string
	}{
		{"AKIAIOSFODNN7EXAMPLE", 4, "AKIA" + Masked, Masked + "MPLE"},
		{"AKIAIOSFODNN7EXAMPLE", 6, Masked, Masked}, // 6 > 20/4
		{"AKIAIOSFODNN7EXAMPLE", 5, "AKIAI" + Masked, Masked + "AMPLE"},
		{"0123456789abcdef", 4, "0123" + Masked, Masked + "cdef"}, // exactly MinPartialLen
		{"0123456789abcde", 3, Masked, Masked},                    // one short of MinPartialLen
		{"AKIAIOSFODNN7EXAMPLE", 0, Masked, Masked},
		{"AKIAIOSFODNN7EXAMPLE", -2, Masked, Masked},
		{"ключ-секрет-пароль-1234", 2, "кл" + Masked, Masked + "34"}, // counts characters, cuts on rune boundaries
		{"", 1, Masked, Masked},
	}
	for _, tt := range tests {
		if got := Partial(tt.v, tt.keep); got != tt.prefix {
			t.Errorf("Partial(%q, %d) = %q, want %q", tt.v, tt.keep, got, tt.prefix)
		}
		if got := PartialSuffix(tt.v, tt.keep); got != tt.suffix {
			t.Errorf("PartialSuffix(%q, %d) = %q, want %q", tt.v, tt.keep, got, tt.suffix)
		}
	}
}

// The partial forms never tell the length: two values with the same prefix
// and different lengths look the same.
func TestPartialHidesLength(t *testing.T) {
	short, long := "AKIA"+strings.Repeat("x", 16), "AKIA"+strings.Repeat("y", 60)
	if Partial(short, 4) != Partial(long, 4) {
		t.Errorf("Partial leaks length: %q vs %q", Partial(short, 4), Partial(long, 4))
	}
}

func TestValue(t *testing.T) {
	tests := []struct{ in, want string }{
		{"hunter22", Masked},
		{`{"user":"admin","password":"x"}`, `{"user":"` + Masked + `","password":"` + Masked + `"}`},
		{` [1, "a"]`, ` ["` + Masked + `", "` + Masked + `"]`},
		{`{"broken": `, Masked},
		{`"just a string"`, Masked},
		{"", Masked},
	}
	for _, tt := range tests {
		if got := Value(tt.in); got != tt.want {
			t.Errorf("Value(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
