package audit

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
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
)

func init() {
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
}

var fixedNow = func() time.Time { return time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC) }

// secretValue is the value the fixture stores and reads as several cast
// members; no frame may show it, its base64 or its hex.
const secretValue = "audit-demo-value-4e1f9c"

// leaks are the forms of the stored values a frame must never hold.
func leaks() []string {
	var out []string
	for _, v := range []string{secretValue, secretValue + "-v2"} {
		out = append(out, v, base64.StdEncoding.EncodeToString([]byte(v)), hex.EncodeToString([]byte(v)))
	}
	return out
}

// leaksIn returns the forms of a stored value found in text.
func leaksIn(text string) []string {
	var found []string
	for _, l := range leaks() {
		if strings.Contains(text, l) {
			found = append(found, l)
		}
	}
	return found
}

func assertNoLeak(t *testing.T, what, text string) {
	t.Helper()
	for _, l := range leaksIn(text) {
		t.Errorf("%s shows a secret value (%q)", what, l)
	}
}

// fixture is an emulator over httptest with a fixed clock and sequential
// ids, and real SDK clients for it: the account's root and each cast member.
type fixture struct {
	url    string
	clock  *cache.ManualClock
	srv    *emulator.Server
	root   *secretsmanager.Client
	frames *frameLog // every frame the hosted view drew
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	clock := cache.NewManualClock(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	var mu sync.Mutex
	n := 0
	ids := func() string {
		mu.Lock()
		defer mu.Unlock()
		n++
		return fmt.Sprintf("%08x-0000-4000-8000-%012x", n, n)
	}
	srv, err := emulator.New(emulator.WithClock(clock.Now), emulator.WithIDs(ids))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); srv.Close() })
	f := &fixture{url: ts.URL, clock: clock, srv: srv, frames: &frameLog{}}
	f.root = f.secretsManager("test", "test")
	return f
}

// fixedUserAgent replaces the SDK's User-Agent, which names the SDK's and
// Go's versions, so that records in goldens do not change with them.
func fixedUserAgent(stack *middleware.Stack) error {
	return stack.Build.Add(middleware.BuildMiddlewareFunc("fixedUserAgent", func(ctx context.Context, in middleware.BuildInput, next middleware.BuildHandler) (middleware.BuildOutput, middleware.Metadata, error) {
		if req, ok := in.Request.(*smithyhttp.Request); ok {
			req.Header.Set("User-Agent", "secretlings-test/1.0")
		}
		return next.HandleBuild(ctx, in)
	}), middleware.After)
}

func (f *fixture) secretsManager(akid, secret string) *secretsmanager.Client {
	return secretsmanager.New(secretsmanager.Options{
		BaseEndpoint: sdkaws.String(f.url), Region: "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider(akid, secret, ""),
		Retryer:     aws.LocalRetryer(), HTTPClient: aws.LocalHTTPClient(), APIOptions: []func(*middleware.Stack) error{fixedUserAgent},
	})
}

func (f *fixture) member(t testing.TB, name string) *secretsmanager.Client {
	t.Helper()
	m, ok := emulator.CastMemberNamed(name)
	if !ok {
		t.Fatalf("no cast member %s", name)
	}
	return f.secretsManager(m.AccessKeyID, m.SecretAccessKey)
}

func (f *fixture) cloudTrail() *cloudtrail.Client {
	return cloudtrail.New(cloudtrail.Options{
		BaseEndpoint: sdkaws.String(f.url), Region: "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
		Retryer:     aws.LocalRetryer(), HTTPClient: aws.LocalHTTPClient(), APIOptions: []func(*middleware.Stack) error{fixedUserAgent},
	})
}

func (f *fixture) at(hour, minute int) {
	f.clock.Set(time.Date(2026, 11, 25, hour, minute, 0, 0, time.UTC))
}

// seed makes a small story: the root stores prod/db; the app reads it; the
// intern, the deployer and the partner are refused; the auditor describes
// it; the deployer writes a new value; the root asks for a secret that
// does not exist.
func (f *fixture) seed(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	id := sdkaws.String("prod/db")
	step := func(hour, minute int, what string, wantErr bool, call func() error) {
		t.Helper()
		f.at(hour, minute)
		if err := call(); (err != nil) != wantErr {
			t.Fatalf("%s: error %v, want an error: %v", what, err, wantErr)
		}
	}
	step(9, 0, "create", false, func() error {
		_, err := f.root.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: id, SecretString: sdkaws.String(secretValue),
			ClientRequestToken: sdkaws.String("00000001-1111-4222-8333-444444444444"), Description: sdkaws.String("The app's database")})
		return err
	})
	get := func(c *secretsmanager.Client, id *string) func() error {
		return func() error {
			_, err := c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: id})
			return err
		}
	}
	step(9, 5, "app reads", false, get(f.member(t, "app"), id))
	step(9, 6, "intern reads", true, get(f.member(t, "intern"), id))
	step(9, 7, "deployer reads", true, get(f.member(t, "deployer"), id))
	step(9, 8, "auditor describes", false, func() error {
		_, err := f.member(t, "auditor").DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: id})
		return err
	})
	desc, err := f.root.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: id})
	if err != nil {
		t.Fatal(err)
	}
	step(9, 9, "partner reads", true, get(f.member(t, "partner"), desc.ARN))
	step(9, 10, "deployer writes", false, func() error {
		_, err := f.member(t, "deployer").PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: id,
			SecretString: sdkaws.String(secretValue + "-v2"), ClientRequestToken: sdkaws.String("00000002-1111-4222-8333-444444444444")})
		return err
	})
	step(9, 11, "root misses", true, get(f.root, sdkaws.String("prod/missing")))
	f.at(9, 12)
}

// testCommon is the shared part of the UI for the embedded backend.
func testCommon(f *fixture) *common.Common {
	target := aws.Target{Backend: aws.Embedded, Endpoint: "http://127.0.0.1:4566", Region: "us-east-1"}
	b := common.Backend{Target: target, Conn: &aws.Conn{Target: target, Client: f.root, Emulator: f.srv}}
	return &common.Common{Styles: common.DefaultStyles(), Keys: common.DefaultKeyMap(), Now: fixedNow, Backend: b}
}

// backMsg is what the test app's back command sends: the root's way back.
type backMsg struct{}

// app is the audit view as the root shows it: its area with the help under
// it; q and ctrl+c quit unless the filter has the keys.
// app hosts the audit view as the root model would, keeping every frame.
type app = uitest.Host[Model]

// frameLog keeps every frame drawn, for the check that none shows a value.
type frameLog struct {
	mu  sync.Mutex
	all strings.Builder
}

func (l *frameLog) add(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.all.WriteString(s)
}

func (l *frameLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.all.String()
}

// newApp hosts the view; every frame it draws goes to f.frames.
func newApp(f *fixture) app {
	c := testCommon(f)
	a := uitest.NewHost(newModel(c, f.cloudTrail(), func() tea.Msg { return backMsg{} }), c.Keys.Quit, c.Keys.Help, " · ")
	a.OnView = f.frames.add
	return a
}

// openAudit starts the view at 100×30 and waits for the seeded trail: the
// title counts 0 events while the first load is under way.
func openAudit(t *testing.T, f *fixture) *teatest.TestModel {
	t.Helper()
	tm := teatest.NewTestModel(t, newApp(f), teatest.WithInitialTermSize(100, 30))
	waitFor(t, tm, "9 events · newest first")
	return tm
}

// finish quits and returns the last frame and every frame drawn.
func finish(t *testing.T, f *fixture, tm *teatest.TestModel) (final, all string) {
	t.Helper()
	tm.Send(press("q"))
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(app)
	return fm.View(), f.frames.String()
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
