package mask

import (
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Secret is a string that prints masked wherever a program might print it by
// accident: fmt with any verb (%v %+v %#v %s %q %x …), String, encoding/json,
// encoding.TextMarshaler (encoding/xml and other encoders that use it) and
// log/slog. Use it for fields that hold secret values; [Secret.Reveal] is
// the one explicit way to get the value back, easy to find in a review.
//
// Secret decodes normally from JSON, so a configuration struct can load a
// secret into a Secret field; but it encodes as the mask, so it does not
// survive a round trip: store s.Reveal() where the value must be kept.
//
// What bypasses it: reflection-based dumpers (go-spew and the like),
// conversions such as string(s), and encoding/json map keys (written
// directly for every string type). So does %p, the one verb fmt handles
// before Format: on a non-pointer it reports a bad verb and prints the raw
// value; go vet flags %p with a non-pointer argument, and go test runs
// that check.
type Secret string

// Reveal returns the secret value. Call it only where the value is used,
// never where it is printed.
func (s Secret) Reveal() string { return string(s) }

// String returns [Masked].
func (s Secret) String() string { return Masked }

// GoString returns a masked Go literal, for %#v.
func (s Secret) GoString() string { return `mask.Secret("` + Masked + `")` }

// Format implements fmt.Formatter so that every verb and flag prints the
// mask: without it, %x or %d would print the value's bytes.
func (s Secret) Format(f fmt.State, verb rune) {
	out := Masked
	switch {
	case verb == 'v' && f.Flag('#'):
		out = s.GoString()
	case verb == 'q':
		out = strconv.Quote(Masked)
	}
	// Width and the minus flag are honoured: padding the mask leaks nothing.
	if w, ok := f.Width(); ok {
		if pad := w - utf8.RuneCountInString(out); pad > 0 {
			if f.Flag('-') {
				out += strings.Repeat(" ", pad)
			} else {
				out = strings.Repeat(" ", pad) + out
			}
		}
	}
	io.WriteString(f, out)
}

// MarshalJSON returns the JSON string [Masked].
func (s Secret) MarshalJSON() ([]byte, error) {
	return []byte(`"` + Masked + `"`), nil
}

// MarshalText returns [Masked].
func (s Secret) MarshalText() ([]byte, error) { return []byte(Masked), nil }

// LogValue implements slog.LogValuer, so slog prints [Masked] with any handler.
func (s Secret) LogValue() slog.Value { return slog.StringValue(Masked) }

var (
	_ fmt.Formatter  = Secret("")
	_ fmt.Stringer   = Secret("")
	_ fmt.GoStringer = Secret("")
	_ slog.LogValuer = Secret("")
)
