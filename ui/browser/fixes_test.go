package browser

import (
	"context"
	"strings"
	"testing"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"secretlings/aws"
	"secretlings/mask"
)

// lastLine is a frame's last line: the test app's help.
func lastLine(frame string) string {
	lines := strings.Split(frame, "\n")
	return lines[len(lines)-1]
}

func TestBrowserAt60ColumnsDropsColumnsBeforeNames(t *testing.T) {
	f := newFixture(t)
	f.seed(t)
	d := newDriver(t, f.client, aws.Embedded, false)
	d.send(tea.WindowSizeMsg{Width: 60, Height: 20})
	v := d.view()
	for _, name := range []string{"secretlings/api-key", "secretlings/app/db", "secretlings/config", "secretlings/feature", "secretlings/reveal", "secretlings/rotating", "team/other-service"} {
		if !strings.Contains(v, name) {
			t.Errorf("at 60 columns the list cuts %s:\n%s", name, v)
		}
	}
	if !strings.Contains(v, "LAST CHANGED") || strings.Contains(v, "TAGS") || strings.Contains(v, "ROTATION") {
		t.Errorf("at 60 columns the list should keep the last change and drop tags and rotation:\n%s", v)
	}
	assertFits(t, v, 60, 20)
}

func TestListLayoutShortensNamesByPrefixThenMiddle(t *testing.T) {
	names := []string{"secretlings/payments/prod/db-password", "secretlings/payments/prod/api-token"}
	l := listLayout(40, names)
	// The shared prefix goes first (it loses nothing), and with it gone the
	// last change fits again.
	if l.prefix != "secretlings/payments/prod/" || len(l.cols) != 1 || l.cols[0].title != "LAST CHANGED" {
		t.Fatalf("layout %+v: want the shared prefix taken off and the last change kept", l)
	}
	if a, b := l.shownName(names[0]), l.shownName(names[1]); a != "db-password" || b != "api-token" {
		t.Errorf("names shown as %q and %q", a, b)
	}
	long := []string{"team/a-very-long-service-name-that-goes-on/password", "other/x"}
	l = listLayout(40, long)
	if len(l.cols) != 0 || l.prefix != "" {
		t.Errorf("layout %+v: want every column dropped before the name is cut", l)
	}
	got := l.shownName(long[0])
	if !strings.HasSuffix(got, "/password") || !strings.Contains(got, "…") || len([]rune(got)) != l.name {
		t.Errorf("a name with no shared prefix is shown as %q (width %d): want its end kept, cut in the middle", got, l.name)
	}
	// Wide enough: nothing is dropped or shortened.
	if l := listLayout(98, []string{"secretlings/app/db", "team/other-service"}); len(l.cols) != len(optionalColumns) || l.prefix != "" || l.desc < minDesc {
		t.Errorf("at 98 columns the layout drops or shortens: %+v", l)
	}
}

func TestBrowserShowsAnARNWholeAt100Columns(t *testing.T) {
	f := newFixture(t)
	name := "secretlings/payments/production/eu-west/primary-database/password"
	out, err := f.client.CreateSecret(context.Background(), &secretsmanager.CreateSecretInput{Name: sdkaws.String(name), SecretString: sdkaws.String("demo-arn-value-1b1b")})
	if err != nil {
		t.Fatal(err)
	}
	arn := sdkaws.ToString(out.ARN)
	d := newDriver(t, f.client, aws.Embedded, false)
	d.openSecret(name)
	v := d.view()
	suffix := arn[strings.LastIndexByte(arn, '-'):] // the random part AWS adds
	if !strings.Contains(v, suffix) {
		t.Errorf("the ARN's random suffix %s is cut off:\n%s", suffix, v)
	}
	var joined string
	for _, l := range strings.Split(v, "\n") {
		l = strings.TrimSpace(strings.TrimPrefix(l, "ARN"))
		if strings.HasPrefix(arn[len(joined):], l) && l != "" {
			joined += l
		}
	}
	if joined != arn {
		t.Errorf("the ARN reads %q across its lines, want %q", joined, arn)
	}
	assertFits(t, v, 100, 30)
}

func TestBrowserHelpFitsWithoutClipping(t *testing.T) {
	f := newFixture(t)
	f.seed(t)
	for _, size := range [][2]int{{100, 30}, {60, 20}} {
		d := newDriver(t, f.client, aws.Embedded, false)
		d.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		check := func(where string) {
			t.Helper()
			help := lastLine(d.view())
			if strings.Contains(help, "…") || !strings.HasSuffix(strings.TrimSpace(help), "? help") {
				t.Errorf("%dx%d %s: the help is clipped: %q", size[0], size[1], where, help)
			}
		}
		check("list")
		if size[0] == 100 && !strings.Contains(lastLine(d.view()), "a show deleted") {
			t.Errorf("the list's help does not offer a: %q", lastLine(d.view()))
		}
		d.openSecret("secretlings/app/db")
		check("details")
		d.send("j", "enter")
		check("value")
	}
}

func TestBrowserValueFieldHidesTheLength(t *testing.T) {
	f := newFixture(t)
	frame := func(value string) string {
		d := newDriver(t, f.client, aws.Embedded, false)
		d.send("n")
		d.typeText("x")
		d.send("tab", "tab")
		d.typeText(value)
		return d.view()
	}
	short, long := frame("ab"), frame("abcdefghijklmnopqrstuvwxyz")
	if short != long {
		t.Errorf("the form shows how long the value is:\n%s\n---\n%s", short, long)
	}
	if !strings.Contains(short, mask.Masked) {
		t.Errorf("a typed value shows no mask:\n%s", short)
	}
}

func TestBrowserDeleteAsksForDaysWithTheirRangeAndHowToForce(t *testing.T) {
	f := newFixture(t)
	f.seed(t)
	d := newDriver(t, f.client, aws.Embedded, false)
	d.find("secretlings/config")
	d.send("d")
	v := d.view()
	for _, want := range []string{"Recovery days", "7 to 30 days", "force", "typing its name"} {
		if !strings.Contains(v, want) {
			t.Errorf("the delete form lacks %q:\n%s", want, v)
		}
	}
}

func TestBrowserCountsOneSecretAndOneKey(t *testing.T) {
	f := newFixture(t)
	if _, err := f.client.CreateSecret(context.Background(), &secretsmanager.CreateSecretInput{Name: sdkaws.String("secretlings/one"), SecretString: sdkaws.String(`{"k":"demo-one-2c2c"}`)}); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, f.client, aws.Embedded, false)
	if v := d.view(); !strings.Contains(v, "· 1 secret ·") || strings.Contains(v, "1 secrets") {
		t.Errorf("one secret is not counted as one:\n%s", v)
	}
	d.openSecret("secretlings/one")
	d.send("enter")
	if v := d.view(); !strings.Contains(v, "JSON object with 1 key ") {
		t.Errorf("one key is not counted as one:\n%s", v)
	}
}

func TestBrowserStatusClearsOnANewScreen(t *testing.T) {
	f := newFixture(t)
	f.seed(t)
	d := newDriver(t, f.client, aws.Embedded, false)
	d.find("secretlings/config")
	d.send("d", "enter", "n")
	if !strings.Contains(d.view(), "cancelled: nothing changed") {
		t.Fatalf("no status to clear:\n%s", d.view())
	}
	d.send("enter")
	if strings.Contains(d.view(), "cancelled") || d.b().status != "" {
		t.Errorf("the list's status followed the learner into the details:\n%s", d.view())
	}
}

func TestBrowserFullHelpShowsEveryKeyAt60Columns(t *testing.T) {
	f := newFixture(t)
	d := newDriver(t, f.client, aws.Embedded, false)
	d.send(tea.WindowSizeMsg{Width: 60, Height: 24}, "?")
	v := d.view()
	for _, b := range []key.Binding{d.keys.Reveal, d.keys.Copy, d.keys.NewSecret, d.keys.RestoreSecret, d.keys.Quit} {
		if !helpShows(v, b) {
			t.Errorf("the full help at 60 columns lacks %q:\n%s", b.Help().Desc, v)
		}
	}
	assertFits(t, v, 60, 24)
}

func TestBrowserValueKeepsItsLabelsAt60Columns(t *testing.T) {
	f := newFixture(t)
	f.seed(t)
	d := newDriver(t, f.client, aws.Embedded, false)
	d.send(tea.WindowSizeMsg{Width: 60, Height: 20})
	openDBValueDriver(t, d)
	if v := d.view(); !strings.Contains(v, "AWSCURRENT blue") || !strings.Contains(v, token(3)) {
		t.Errorf("at 60 columns the value's version or labels are cut:\n%s", v)
	}
}
