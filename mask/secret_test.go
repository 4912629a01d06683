package mask

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

const plain = "hunter22-SECRET"

// leaks reports whether out shows the value or a common encoding of it.
func leaks(out string) bool {
	for _, form := range []string{plain, fmt.Sprintf("%x", plain), fmt.Sprintf("%X", plain), fmt.Sprint([]byte(plain))} {
		if strings.Contains(out, form) {
			return true
		}
	}
	return false
}

type creds struct {
	User     string
	Password Secret `json:"password" xml:"password"`
	Ptr      *Secret
}

func TestSecretFmt(t *testing.T) {
	s := Secret(plain)
	c := creds{User: "admin", Password: s, Ptr: &s}
	verbs := []string{"%v", "%+v", "%#v", "%s", "%q", "%#q", "%x", "%X", "% x", "%#x", "%d", "%b", "%o", "%t", "%e", "%T", "%10s", "%-12v|", "%.3s", "%U", "%c"}
	for _, verb := range verbs {
		for _, arg := range []any{s, c, []Secret{s}, map[string]Secret{"k": s}} {
			out := fmt.Sprintf(verb, arg)
			if leaks(out) {
				t.Errorf("Sprintf(%q, %T) = %q leaks the value", verb, arg, out)
			}
		}
	}
	// An extra argument is printed through Format too.
	noVerbs := []string{"x"} // not a constant, so vet lets the extra arguments through
	if out := fmt.Sprintf(noVerbs[0], s, c); leaks(out) {
		t.Errorf("extra arguments leak: %q", out)
	}
	if got := fmt.Sprint(s); got != Masked {
		t.Errorf("Sprint = %q, want %q", got, Masked)
	}
	if got := fmt.Sprintf("%q", s); got != `"`+Masked+`"` {
		t.Errorf("%%q = %q", got)
	}
	if got := fmt.Sprintf("%#v", s); got != `mask.Secret("`+Masked+`")` {
		t.Errorf("%%#v = %q", got)
	}
	if got := fmt.Sprintf("[%10s][%-10s]", s, s); got != "[  "+Masked+"]["+Masked+"  ]" {
		t.Errorf("width = %q", got)
	}
	if s.String() != Masked || s.Reveal() != plain {
		t.Errorf("String = %q, Reveal = %q", s.String(), s.Reveal())
	}
}

func TestSecretEncoders(t *testing.T) {
	s := Secret(plain)
	c := creds{User: "admin", Password: s, Ptr: &s}
	b, err := json.Marshal(c)
	if err != nil || leaks(string(b)) || !strings.Contains(string(b), `"password":"`+Masked+`"`) {
		t.Errorf("json.Marshal = %s, %v", b, err)
	}
	b, err = xml.Marshal(c)
	if err != nil || leaks(string(b)) {
		t.Errorf("xml.Marshal = %s, %v", b, err)
	}

	// Loading a configuration into a Secret works as for a string.
	var loaded creds
	if err := json.Unmarshal([]byte(`{"password":"`+plain+`"}`), &loaded); err != nil || loaded.Password.Reveal() != plain {
		t.Errorf("json.Unmarshal into Secret = %q, %v", loaded.Password.Reveal(), err)
	}
}

func TestSecretSlog(t *testing.T) {
	s := Secret(plain)
	for _, name := range []string{"text", "json"} {
		var buf bytes.Buffer
		var h slog.Handler = slog.NewTextHandler(&buf, nil)
		if name == "json" {
			h = slog.NewJSONHandler(&buf, nil)
		}
		log := slog.New(h)
		log.Info("login", "pw", s, slog.Any("creds", creds{User: "admin", Password: s, Ptr: &s}), slog.Group("g", "inner", s))
		log.With("pw", s).Info("with")
		if leaks(buf.String()) {
			t.Errorf("%s handler leaks the value:\n%s", name, buf.String())
		}
		if !strings.Contains(buf.String(), Masked) {
			t.Errorf("%s handler does not show the mask:\n%s", name, buf.String())
		}
	}
}
