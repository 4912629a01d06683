package browser

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"secretlings/aws"
	"secretlings/aws/cache"
	"secretlings/aws/emulator"
	"secretlings/internal/uitest"
	"secretlings/ui/common"
)

// The shared test helpers, by the names these tests use.
var (
	waitFor  = uitest.WaitFor
	press    = uitest.Key
	typeText = uitest.Type
	keyMsg   = uitest.Key
)

// fixture is an emulator over httptest with a fixed clock and sequential
// ids, and a real SDK client for it.
type fixture struct {
	client *secretsmanager.Client
	clock  *cache.ManualClock // the emulator's: moved only by the test, so dates are stable
	srv    *emulator.Server
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	clock := cache.NewManualClock(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC))
	var mu sync.Mutex
	n := 0
	ids := func() string {
		mu.Lock()
		defer mu.Unlock()
		n++
		return fmt.Sprintf("%08x-0000-4000-8000-%012x", n, n)
	}
	srv, err := emulator.New(emulator.WithClock(clock.Now), emulator.WithIDs(ids), emulator.WithSyncRotation(),
		emulator.WithRotationFunction("arn:aws:lambda:us-east-1:123456789012:function:demo-rotation",
			func(context.Context, emulator.RotationEvent) error { return nil }))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); srv.Close() })
	return &fixture{client: testClient(ts.URL), clock: clock, srv: srv}
}

func testClient(url string) *secretsmanager.Client {
	return secretsmanager.New(secretsmanager.Options{
		BaseEndpoint: sdkaws.String(url),
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		Retryer:      aws.LocalRetryer(), HTTPClient: aws.LocalHTTPClient(),
	})
}

// seeded are the values the fixture stores. They are obviously fake, and
// no frame may show one before the learner reveals it.
var seeded = map[string]string{
	"db-v1":    `{"username":"demo-user-7f3a","password":"demo-pass-v1-91c2"}`,
	"db-v2":    `{"username":"demo-user-7f3a","password":"demo-pass-v2-44d1","host":"db.demo.internal"}`,
	"db-v3":    `{"username":"demo-user-7f3a","password":"demo-pass-v3-e5e5","host":"db.demo.internal"}`,
	"db-pend":  `{"username":"demo-user-7f3a","password":"demo-pass-pending-0f0f","host":"db.demo.internal"}`,
	"api":      "demo-api-key-55aa",
	"reveal":   "reveal-me-demo",
	"legacy":   "demo-legacy-token-8e8e",
	"config":   "demo-config-value-3c3c",
	"outside":  "demo-outside-0b0b",
	"feature":  `{"flag":"demo-flag-secret-7777","nested":{"level":"demo-nested-6666"}}`,
	"rotating": "demo-rotating-1212",
}

// seededLeaks are the substrings that must never show masked: every leaf
// value of the seeded documents.
func seededLeaks() []string {
	return []string{
		"demo-user-7f3a", "demo-pass-v1-91c2", "demo-pass-v2-44d1", "demo-pass-v3-e5e5",
		"demo-pass-pending-0f0f", "db.demo.internal", "demo-api-key-55aa", "reveal-me-demo",
		"demo-legacy-token-8e8e", "demo-config-value-3c3c", "demo-outside-0b0b",
		"demo-flag-secret-7777", "demo-nested-6666", "demo-rotating-1212",
	}
}

// token is a fixed ClientRequestToken: the SDK would draw a random one,
// and it becomes the version id shown on screen.
func token(n int) string { return fmt.Sprintf("%08d-1111-4222-8333-444444444444", n) }

func (f *fixture) at(day, hour int) { f.clock.Set(time.Date(2026, 11, day, hour, 0, 0, 0, time.UTC)) }

// seed stores the secrets the golden tests show: versions with every kind
// of label, tags, rotation, a deleted secret and one outside the prefix.
func (f *fixture) seed(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	c := f.client
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	tag := func(k, v string) types.Tag { return types.Tag{Key: sdkaws.String(k), Value: sdkaws.String(v)} }

	f.at(20, 9)
	must(c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{ClientRequestToken: sdkaws.String(token(1)), Name: sdkaws.String("secretlings/app/db"),
		Description: sdkaws.String("Database credentials of the demo app"), SecretString: sdkaws.String(seeded["db-v1"]),
		Tags: []types.Tag{tag("env", "dev"), tag("team", "payments")}}))
	f.at(21, 10)
	must(c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{ClientRequestToken: sdkaws.String(token(2)), SecretId: sdkaws.String("secretlings/app/db"), SecretString: sdkaws.String(seeded["db-v2"])}))
	f.at(22, 11)
	must(c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{ClientRequestToken: sdkaws.String(token(3)), SecretId: sdkaws.String("secretlings/app/db"), SecretString: sdkaws.String(seeded["db-v3"]),
		VersionStages: []string{common.StageCurrent, "blue"}}))
	f.at(23, 12)
	must(c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{ClientRequestToken: sdkaws.String(token(4)), SecretId: sdkaws.String("secretlings/app/db"), SecretString: sdkaws.String(seeded["db-pend"]),
		VersionStages: []string{common.StagePending}}))

	f.at(21, 8)
	must(c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{ClientRequestToken: sdkaws.String(token(5)), Name: sdkaws.String("secretlings/api-key"),
		Description: sdkaws.String("API key of the demo service"), SecretString: sdkaws.String(seeded["api"]),
		Tags: []types.Tag{tag("service", "demo")}}))
	f.at(22, 8)
	must(c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{ClientRequestToken: sdkaws.String(token(6)), Name: sdkaws.String("secretlings/reveal"),
		Description: sdkaws.String("A value for the reveal demo"), SecretString: sdkaws.String(seeded["reveal"])}))
	f.at(22, 9)
	must(c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{ClientRequestToken: sdkaws.String(token(7)), Name: sdkaws.String("secretlings/feature"),
		Description: sdkaws.String("Feature flags with a nested object"), SecretString: sdkaws.String(seeded["feature"]),
		Tags: []types.Tag{tag("owner", "growth")}}))
	f.at(23, 9)
	must(c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{ClientRequestToken: sdkaws.String(token(8)), Name: sdkaws.String("secretlings/config"), SecretString: sdkaws.String(seeded["config"])}))
	f.at(23, 10)
	must(c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{ClientRequestToken: sdkaws.String(token(9)), Name: sdkaws.String("secretlings/rotating"),
		Description: sdkaws.String("Rotates every 30 days"), SecretString: sdkaws.String(seeded["rotating"])}))
	must(c.RotateSecret(ctx, &secretsmanager.RotateSecretInput{ClientRequestToken: sdkaws.String(token(10)), SecretId: sdkaws.String("secretlings/rotating"),
		RotationLambdaARN: sdkaws.String("arn:aws:lambda:us-east-1:123456789012:function:demo-rotation"),
		RotationRules:     &types.RotationRulesType{AutomaticallyAfterDays: sdkaws.Int64(30)}, RotateImmediately: sdkaws.Bool(false)}))
	f.at(24, 9)
	must(c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{ClientRequestToken: sdkaws.String(token(11)), Name: sdkaws.String("team/other-service"),
		Description: sdkaws.String("A secret outside the tutorial prefix"), SecretString: sdkaws.String(seeded["outside"])}))
	f.at(19, 9)
	must(c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{ClientRequestToken: sdkaws.String(token(12)), Name: sdkaws.String("legacy/token"), SecretString: sdkaws.String(seeded["legacy"])}))
	f.at(24, 10)
	must(c.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: sdkaws.String("legacy/token"), RecoveryWindowInDays: sdkaws.Int64(7)}))
	f.at(25, 11)
}

func init() {
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
}

var fixedNow = func() time.Time { return time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC) }

type errString string

func (e errString) Error() string { return string(e) }

// backMsg is what the test app's back command sends: the root's way back.
type backMsg struct{}

// app is the browser as the root shows it: its area, with the one-line
// help (or the full help) under it; q and ctrl+c quit unless a text input
// has the keys.
// app hosts the browser as the root model would.
type app = uitest.Host[Model]

func newApp(c *common.Common) app {
	return uitest.NewHost(New(c, func() tea.Msg { return backMsg{} }), c.Keys.Quit, c.Keys.Help, helpSeparator)
}

// testCommon is the shared part of the UI for a backend reached by client
// (nil: a backend that failed to start).
func testCommon(client *secretsmanager.Client, backend aws.Backend, readOnly bool) *common.Common {
	target := aws.Target{Backend: backend, Endpoint: "http://127.0.0.1:4566", Region: "us-east-1"}
	b := common.Backend{Target: target}
	if client != nil {
		b.Conn = &aws.Conn{Target: target, Client: client}
	} else {
		b.Err = errString("the embedded emulator could not listen: no free port")
	}
	return &common.Common{Styles: common.DefaultStyles(), Keys: common.DefaultKeyMap(), Now: fixedNow, Backend: b, ReadOnly: readOnly}
}

func start(t *testing.T, m tea.Model, w, h int) *teatest.TestModel {
	t.Helper()
	return teatest.NewTestModel(t, m, teatest.WithInitialTermSize(w, h))
}

// finalView quits and returns the last frame.
func finalView(t *testing.T, tm *teatest.TestModel) string {
	t.Helper()
	tm.Send(press("q"))
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second))
	return fm.View()
}

// assertFits checks that no line is wider than w and there are at most h.
func assertFits(t *testing.T, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) > h {
		t.Errorf("%d lines in a %d-line terminal", len(lines), h)
	}
	for i, l := range lines {
		if lw := lipgloss.Width(l); lw > w {
			t.Errorf("line %d is %d cells wide in a %d-cell terminal: %q", i+1, lw, w, l)
		}
	}
}

// openBrowser starts the browser at 100×30 and waits for the list.
func openBrowser(t *testing.T, client *secretsmanager.Client, backend aws.Backend, readOnly bool) *teatest.TestModel {
	t.Helper()
	tm := start(t, newApp(testCommon(client, backend, readOnly)), 100, 30)
	waitFor(t, tm, "secretlings/app/db")
	return tm
}

// driver runs the browser synchronously, executing commands in order and
// keeping every frame, so tests of actions are deterministic. Spinner
// frames are dropped and the re-mask timer is recorded instead of slept.
type driver struct {
	t      *testing.T
	m      app
	keys   *common.KeyMap
	back   int
	frames []string
	remask []func(time.Time) tea.Msg
	copied bytes.Buffer
}

// newDriver starts the browser at 100×30.
func newDriver(t *testing.T, client *secretsmanager.Client, backend aws.Backend, readOnly bool) *driver {
	t.Helper()
	c := testCommon(client, backend, readOnly)
	d := &driver{t: t, m: newApp(c), keys: c.Keys}
	d.m.Screen.copyTo = &d.copied
	d.m.Screen.after = func(_ time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
		d.remask = append(d.remask, fn)
		return nil
	}
	d.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	d.run(d.m.Init())
	return d
}

// b is the browser under test.
func (d *driver) b() *Model { return &d.m.Screen }

func (d *driver) run(cmd tea.Cmd) {
	d.t.Helper()
	queue := d.exec(cmd)
	for len(queue) > 0 {
		msg := queue[0]
		queue = queue[1:]
		next := d.update(msg)
		queue = append(queue, d.exec(next)...)
	}
}

func (d *driver) update(msg tea.Msg) tea.Cmd {
	if _, ok := msg.(backMsg); ok {
		d.back++
	}
	m, cmd := d.m.Update(msg)
	d.m = m.(app)
	d.frames = append(d.frames, d.m.View())
	return cmd
}

func (d *driver) exec(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	switch msg := cmd().(type) {
	case nil, spinner.TickMsg, tea.QuitMsg:
		return nil
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range msg {
			out = append(out, d.exec(c)...)
		}
		return out
	default:
		return []tea.Msg{msg}
	}
}

// send delivers messages (keys as strings) one at a time.
func (d *driver) send(msgs ...any) {
	d.t.Helper()
	for _, msg := range msgs {
		var tm tea.Msg = msg
		if s, ok := msg.(string); ok {
			tm = keyMsg(s)
		}
		d.run(d.update(tm))
	}
}

func (d *driver) typeText(s string) {
	for _, r := range s {
		d.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

// find moves the list cursor to the named secret.
func (d *driver) find(name string) {
	d.t.Helper()
	l := &d.m.Screen.list
	for i, ri := range l.Visible {
		if l.rows[ri].name == name {
			l.Cursor = i
			l.Clamp()
			return
		}
	}
	d.t.Fatalf("%s is not in the list", name)
}

func (d *driver) view() string { return d.m.View() }

// emulatorCreate seeds the emulator's store directly, without HTTP, for
// tests and benchmarks that need thousands of secrets.
type emulatorCreate = emulator.CreateSecretInput

// seqName names the i-th bulk secret so that names sort by i.
func seqName(i int) string { return fmt.Sprintf("bulk/app-%05d/db-password", i) }
