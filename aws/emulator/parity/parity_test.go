package parity

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"secretlings/internal/motoserver"
)

func TestMain(m *testing.M) {
	code := m.Run()
	motoserver.StopShared()
	os.Exit(code)
}

// scenario is one case of the suite: a sequence of SDK calls and the lines
// real AWS produces for them.
type scenario struct {
	name  string     // "Operation/what happens"
	ref   string     // where the AWS behaviour is documented, with its evidence tag
	steps func(*run) // the calls; each records one line
	aws   []string   // what AWS does, one line per recorded call
	moto  []known    // documented ways moto_server differs from aws
}

// known is a documented moto difference: in the AWS lines, each text in
// pairs[0], pairs[2], … is what moto replaces with pairs[1], pairs[3], …
// The moto run must equal the AWS lines after these replacements, and must
// not equal the AWS lines themselves (or the note is stale).
type known struct {
	ref   string // section 7 row, issue link, or the reference section moto contradicts
	pairs []string
}

// motoDiff builds a known difference; pairs alternate AWS text, moto text.
func motoDiff(ref string, pairs ...string) known {
	return known{ref: ref, pairs: pairs}
}

// rnf404 is §7 row 1: moto answers ResourceNotFoundException with HTTP 404.
var rnf404 = motoDiff("§7 row 1 (moto exceptions.py code=404; https://github.com/localstack/localstack/issues/3798)",
	"ResourceNotFoundException 400", "ResourceNotFoundException 404")

// applyKnown returns the lines moto is documented to produce. A difference
// whose AWS text does not occur is an error: it would document nothing.
func applyKnown(aws []string, ks []known) ([]string, error) {
	text := strings.Join(aws, "\n")
	for _, k := range ks {
		if k.ref == "" || len(k.pairs) == 0 || len(k.pairs)%2 != 0 {
			return nil, fmt.Errorf("known difference %q: needs a reference and AWS/moto text pairs", k.ref)
		}
		for i := 0; i < len(k.pairs); i += 2 {
			if !strings.Contains(text, k.pairs[i]) {
				return nil, fmt.Errorf("known difference %s: %q does not occur in the AWS lines", k.ref, k.pairs[i])
			}
			text = strings.ReplaceAll(text, k.pairs[i], k.pairs[i+1])
		}
	}
	return strings.Split(text, "\n"), nil
}

// slug turns a scenario name into something usable in a secret name.
func slug(name string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(name) {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b.WriteRune(c)
		default:
			if s := b.String(); s != "" && !strings.HasSuffix(s, "-") {
				b.WriteByte('-')
			}
		}
	}
	s := strings.Trim(b.String(), "-")
	if len(s) > 48 {
		s = strings.Trim(s[:48], "-")
	}
	return s
}

// execute runs sc against endpoint and returns its lines.
func execute(t testing.TB, target, endpoint string, sc scenario, setup func(*run)) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	r := newRun(ctx, target, endpoint, slug(sc.name))
	if setup != nil {
		setup(r)
	}
	return r.exec(sc.steps)
}

// diffLines reports got against want line by line, or "" when equal.
func diffLines(got, want []string) string {
	if strings.Join(got, "\n") == strings.Join(want, "\n") {
		return ""
	}
	var b strings.Builder
	for i := 0; i < max(len(got), len(want)); i++ {
		g, w := "(none)", "(none)"
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		mark := "  "
		if g != w {
			mark = "✗ "
		}
		fmt.Fprintf(&b, "%sstep %d\n     got: %s\n    want: %s\n", mark, i+1, g, w)
	}
	return b.String()
}

// TestMotoMatchesAWS runs the suite against moto_server: it must do what AWS
// does, except for each scenario's documented known differences, which must
// still be there.
func TestMotoMatchesAWS(t *testing.T) {
	srv := motoserver.ForTest(t)
	for _, sc := range suite() {
		// One case at a time: moto_server 5.2.1 is not thread-safe (its
		// handlers iterate dicts other requests change), and parallel cases
		// on a loaded machine got HTML 500s from it.
		t.Run(sc.name, func(t *testing.T) {
			got := execute(t, "moto", srv.URL, sc, nil)
			want, err := applyKnown(sc.aws, sc.moto)
			if err != nil {
				t.Fatal(err)
			}
			if len(sc.moto) > 0 && diffLines(got, sc.aws) == "" {
				t.Fatalf("moto now does what AWS does (%s); drop the known differences: %v", sc.ref, refs(sc.moto))
			}
			if d := diffLines(got, want); d != "" {
				t.Errorf("moto differs from AWS (%s) beyond the known differences %v:\n%s", sc.ref, refs(sc.moto), d)
			}
		})
	}
}

func refs(ks []known) []string {
	var s []string
	for _, k := range ks {
		s = append(s, k.ref)
	}
	return s
}

// botocorePrefix is §7 row 3: moto puts the botocore prefix inside msg.
func botocorePrefix(code, op, msg string) known {
	return motoDiff("§7 row 3 (moto embeds the botocore prefix; https://github.com/localstack/awscli-local/issues/83)",
		`"`+msg+`"`, `"An error occurred (`+code+`) when calling the `+op+` operation: `+msg+`"`)
}

// motoNoNameCheck: moto 5.2.1 does not validate secret names, so an invalid
// name gets whatever a valid unknown name would get (observed), where AWS
// answers ValidationException (§2.0 [AWS-rec test_invalid_secret_name]).
func motoNoNameCheck(op, motoLine string) known {
	return motoDiff("§2.0 name charset [AWS-rec]; moto 5.2.1 does not validate names (observed)", invalidNameLine(op), motoLine)
}

// motoRNFText is moto's not-found answer, status included (§7 rows 1, 2).
const motoRNFText = `ResourceNotFoundException 404 "Secrets Manager can't find the specified secret."`

// moto500 is an operation moto 5.2.1 answers with HTTP 500 and an HTML page:
// missing from moto (§7 row 32) or crashing there (observed).
func moto500(ref, awsText string) known {
	motoText := "undecodable HTTP 500"
	if op, _, ok := strings.Cut(awsText, ": "); ok {
		motoText = op + ": " + motoText
	}
	return motoDiff(ref, awsText, motoText)
}
