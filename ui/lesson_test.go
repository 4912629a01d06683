package ui

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"secretlings/aws"
	"secretlings/aws/emulator"
	"secretlings/internal/progress"
	"secretlings/lessons"
	"secretlings/lessons/runner"
)

// counter hands out stable UUID-shaped ids, so ARNs and version ids in
// golden files do not change between runs.
type counter struct {
	prefix string
	n      atomic.Int64
}

func (c *counter) next() string {
	return fmt.Sprintf("%08d-0000-4000-8000-%s", c.n.Add(1), c.prefix)
}

func (c *counter) GetIdempotencyToken() (string, error) { return c.next(), nil }

// liveModel is the app on a real embedded Secrets Manager with a fixed
// clock, fixed ids and a fast demo clock.
func liveModel(t *testing.T) Model {
	t.Helper()
	ids, tokens := &counter{prefix: "00000000e1d5"}, &counter{prefix: "000000070ce5"}
	srv, err := emulator.New(emulator.WithClock(fixedNow), emulator.WithIDs(ids.next), emulator.WithSyncRotation())
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { hs.Close(); srv.Close() })
	client := secretsmanager.New(secretsmanager.Options{
		BaseEndpoint:             sdkaws.String(hs.URL),
		Region:                   "us-east-1",
		Credentials:              credentials.NewStaticCredentialsProvider("test", "test", ""),
		IdempotencyTokenProvider: tokens,
		Retryer:                  aws.LocalRetryer(), HTTPClient: aws.LocalHTTPClient(),
	})
	// Connect configures the other services' clients (KMS, STS, CloudTrail,
	// a cast member's) for the test server; the Secrets Manager client is
	// replaced by the one with fixed idempotency tokens, and the target by
	// the one the frames show.
	t.Setenv("AWS_CONFIG_FILE", os.DevNull)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	t.Setenv("AWS_PROFILE", "")
	conn, err := aws.Connect(context.Background(), aws.Target{Backend: aws.Endpoint, Endpoint: hs.URL, Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	target := aws.Target{Backend: aws.Embedded, Endpoint: "http://127.0.0.1:4566", Region: "us-east-1"}
	conn.Target, conn.Client, conn.Emulator = target, client, srv
	all, err := lessons.All()
	if err != nil {
		t.Fatal(err)
	}
	return New(Options{
		Lessons:       all,
		Progress:      progress.New(),
		Backend:       Backend{Target: target, Conn: conn},
		Runner:        runner.New(conn, runner.WithTimeScale(0.02), runner.WithClock(fixedNow)),
		Now:           fixedNow,
		MarkdownStyle: "dark",
	})
}

// send delivers msg and then every message its commands produce, in order,
// as the Bubble Tea loop would, except the spinner's animation ticks.
func send(m tea.Model, msg tea.Msg) tea.Model {
	queue := []tea.Msg{msg}
	for len(queue) > 0 {
		var cmd tea.Cmd
		m, cmd = m.Update(queue[0])
		queue = append(queue[1:], runCmd(cmd)...)
	}
	return m
}

func runCmd(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	switch msg := cmd().(type) {
	case nil, spinner.TickMsg:
		return nil
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range msg {
			out = append(out, runCmd(c)...)
		}
		return out
	default:
		// tea.Sequence's message is an unexported []tea.Cmd: run it in order.
		if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeFor[tea.Cmd]() {
			var out []tea.Msg
			for i := range v.Len() {
				out = append(out, runCmd(v.Index(i).Interface().(tea.Cmd))...)
			}
			return out
		}
		return []tea.Msg{msg}
	}
}

// TestEveryFrameBeforeARevealIsMasked walks every lesson, running every
// action and showing every tab of every result, and checks that no frame
// holds a secret value the lessons store; then it reveals one, to prove the
// check would notice.
func TestEveryFrameBeforeARevealIsMasked(t *testing.T) {
	values := secretValues(t)
	var m tea.Model = liveModel(t)
	m = send(m, tea.WindowSizeMsg{Width: 100, Height: 30})
	frames := 0
	check := func(where string) {
		t.Helper()
		frames++
		view := m.View()
		for _, v := range values {
			if strings.Contains(view, v) {
				t.Fatalf("%s: a frame shows a secret value unmasked:\n%s", where, view)
			}
		}
	}
	all, _ := lessons.All()
	ran := 0
	for i, l := range all {
		m = send(m, openLessonMsg{i, 0})
		for s, step := range l.Steps {
			check(fmt.Sprintf("%s step %d", l.ID, s+1))
			for range countActions(step) {
				m = send(m, press("r"))
				ran++
				res := m.(Model).c.results[l.ID]
				for idx, r := range res {
					if !r.OK() {
						t.Fatalf("%s action %d: %s", l.ID, idx+1, r.Explanation)
					}
				}
				for tab := range resultTabs {
					check(fmt.Sprintf("%s step %d tab %s", l.ID, s+1, resultTabs[tab]))
					m = send(m, tea.KeyMsg{Type: tea.KeyTab})
				}
			}
			m = send(m, press("n"))
		}
	}
	if ran < 40 {
		t.Fatalf("only %d actions ran: the walk missed most of the lessons", ran)
	}
	t.Logf("%d actions, %d frames, no secret value shown", ran, frames)

	// Teeth: lesson 1's GetSecretValue, revealed, shows the value. The walk
	// deleted the secret at the lesson's end, so reset and let r replay.
	m = send(m, openLessonMsg{0, 3})
	m = send(m, press("R"))
	m = send(m, press("y"))
	m = send(m, openLessonMsg{0, 3})
	m = send(m, press("r"))
	m = send(m, press("v"))
	m = send(m, press("G"))
	if !strings.Contains(m.View(), "correct-horse-battery-staple") {
		t.Fatalf("after v the value should show:\n%s", m.View())
	}
	m = send(m, press("n"))
	m = send(m, press("p"))
	if strings.Contains(m.View(), "correct-horse-battery-staple") {
		t.Fatal("the value did not mask again after leaving the step")
	}
}

// TestLessonGoldens records each lesson's first step and one result panel
// per lesson.
func TestLessonGoldens(t *testing.T) {
	all, err := lessons.All()
	if err != nil {
		t.Fatal(err)
	}
	// The step and action of each lesson whose result panel is recorded.
	panels := map[string]struct{ step, tab int }{
		"store-and-retrieve": {3, 0}, // GetSecretValue, response masked
		"json-and-versions":  {2, 0}, // PutSecretValue with the version picture
		"rotation":           {4, 2}, // RotateSecret, the Go tab
		"caching":            {1, 3}, // CreateSecret, the aws CLI tab
		"masking":            {1, 0}, // RunLogger without redaction
		"access-and-audit":   {1, 0}, // app refused, deployer writes, not reads: who ran each
		"develop-locally":    {0, 0}, // ShowConnection: the session's sources and the shell's
	}
	// ShowConnection also shows what a program started from this shell
	// would use: the frame must not depend on the shell the tests run in,
	// and its secret key must not appear in it.
	const secretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL": "http://127.0.0.1:4566", "AWS_ENDPOINT_URL_SECRETS_MANAGER": "", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "",
		"AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "",
		"AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": secretKey, "AWS_SESSION_TOKEN": "",
	} {
		t.Setenv(k, v)
	}
	for i, l := range all {
		t.Run(l.ID, func(t *testing.T) {
			var m tea.Model = liveModel(t)
			m = send(m, tea.WindowSizeMsg{Width: 100, Height: 30})
			m = send(m, openLessonMsg{i, 0})
			t.Run("first-step", func(t *testing.T) { teatest.RequireEqualOutput(t, []byte(m.View())) })
			p := panels[l.ID]
			m = send(m, openLessonMsg{i, p.step})
			for range countActions(l.Steps[p.step]) {
				m = send(m, press("r"))
			}
			for range p.tab {
				m = send(m, tea.KeyMsg{Type: tea.KeyTab})
			}
			if strings.Contains(m.View(), secretKey) || strings.Contains(m.View(), "IOSFODNN7") {
				t.Fatalf("the frame shows the shell's keys:\n%s", m.View())
			}
			t.Run("result", func(t *testing.T) { teatest.RequireEqualOutput(t, []byte(m.View())) })
		})
	}
}

func TestResetAsksFirstAndRemovesTheLessonsSecrets(t *testing.T) {
	var m tea.Model = liveModel(t)
	m = send(m, tea.WindowSizeMsg{Width: 100, Height: 30})
	m = send(m, openLessonMsg{0, 2})
	m = send(m, press("r")) // replays nothing: CreateSecret is the first action
	conn := m.(Model).c.Backend.Conn
	names := func() []string {
		n, err := aws.ListNames(context.Background(), conn.Client, runner.Namespace("store-and-retrieve"))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if len(names()) != 1 {
		t.Fatalf("CreateSecret did not create the secret: %v", names())
	}
	m = send(m, press("R"))
	if !strings.Contains(m.View(), "force-deletes its secrets") {
		t.Fatalf("reset should ask first:\n%s", m.View())
	}
	m = send(m, press("n")) // no
	if len(names()) != 1 {
		t.Fatal("answering no deleted the secret")
	}
	m = send(m, press("R"))
	m = send(m, press("y"))
	if len(names()) != 0 || !strings.Contains(m.View(), "step 1/") {
		t.Fatalf("after reset: secrets %v\n%s", names(), m.View())
	}
}

func TestActionsOnAnUnavailableBackendSayWhy(t *testing.T) {
	all, _ := lessons.All()
	var m tea.Model = New(Options{Lessons: all, Backend: Backend{Target: aws.Target{Backend: aws.Embedded}, Err: errString("port in use")}, Now: fixedNow})
	m = send(m, tea.WindowSizeMsg{Width: 100, Height: 30})
	m = send(m, openLessonMsg{0, 2})
	m = send(m, press("r"))
	if !strings.Contains(m.View(), "backend is not available") || !strings.Contains(m.View(), "port in use") {
		t.Fatalf("running without a backend should explain:\n%s", m.View())
	}
}

func TestRealAWSAsksAboutCostOnce(t *testing.T) {
	m := liveModel(t)
	m.c.Backend.Target.Backend = aws.AWS // the emulator stands in; only the name matters here
	var tm tea.Model = m
	tm = send(tm, tea.WindowSizeMsg{Width: 100, Height: 30})
	tm = send(tm, openLessonMsg{0, 2})
	tm = send(tm, press("r"))
	if !strings.Contains(tm.View(), "Run on real AWS? y/n") {
		t.Fatalf("the first action on AWS should ask about cost:\n%s", tm.View())
	}
	tm = send(tm, press("n"))
	if len(tm.(Model).c.results["store-and-retrieve"]) != 0 {
		t.Fatal("answering no ran the action anyway")
	}
	tm = send(tm, press("r"))
	tm = send(tm, press("y"))
	if len(tm.(Model).c.results["store-and-retrieve"]) != 1 {
		t.Fatal("answering yes did not run the action")
	}
	tm = send(tm, press("r"))
	if strings.Contains(tm.View(), "Run on real AWS? y/n") {
		t.Fatal("the cost question came back after it was answered")
	}
}

// TestEveryScreenFitsSmallTerminals opens each screen at the sizes the issue
// names and checks no line is wider, and no frame taller, than the terminal.
func TestEveryScreenFitsSmallTerminals(t *testing.T) {
	var m tea.Model = liveModel(t)
	sizes := [][2]int{{60, 20}, {40, 12}, {100, 30}, {160, 50}}
	for _, open := range []struct {
		name, want string
		keys       []tea.Msg
	}{
		{"home", "learn AWS Secrets Manager", nil},
		{"lesson with a result", "✓ GetSecretValue", []tea.Msg{openLessonMsg{0, 3}, press("r")}},
		{"browser", "secretlings/store-and-retrie", []tea.Msg{press("s")}},
		{"browser details", "Versions", []tea.Msg{tea.KeyMsg{Type: tea.KeyEnter}}},
		{"exercises", "config-manager", []tea.Msg{tea.KeyMsg{Type: tea.KeyEsc}, tea.KeyMsg{Type: tea.KeyEsc}, press("e")}},
		{"help", "quit", []tea.Msg{press("?")}},
	} {
		t.Run(open.name, func(t *testing.T) {
			m = send(m, tea.WindowSizeMsg{Width: 100, Height: 30})
			for _, k := range open.keys {
				m = send(m, k)
			}
			if !strings.Contains(m.View(), open.want) {
				t.Fatalf("the screen did not open (no %q):\n%s", open.want, m.View())
			}
			for _, sz := range sizes {
				m = send(m, tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
				assertFits(t, m.View(), sz[0], sz[1])
			}
		})
	}
}

// TestQuestionsKeepTheirAnswerKeys checks that at 100 and 60 columns the
// reset question shows y/n and what it deletes, wrapped rather than cut.
func TestQuestionsKeepTheirAnswerKeys(t *testing.T) {
	for _, w := range []int{100, 60} {
		var m tea.Model = newModel(t, &harness{}, nil)
		m = send(m, tea.WindowSizeMsg{Width: w, Height: 20})
		m = send(m, openLessonMsg{1, 0})
		m = send(m, press("R"))
		view := m.View()
		flat := strings.Join(strings.Fields(view), " ")
		for _, want := range []string{"y/n", "secretlings/json-and-versions/*", "forgets its progress."} {
			if !strings.Contains(flat, want) {
				t.Errorf("at %d columns the reset question lacks %q:\n%s", w, want, view)
			}
		}
		assertFits(t, view, w, 20)
	}
}

// TestTheLastStepNamesTheExercisesAndHomeMovesOn finishes lesson 1 with
// lesson 2 already done: the last step names lesson 1's exercises and the
// key that opens them, and home puts the cursor on lesson 3.
func TestTheLastStepNamesTheExercisesAndHomeMovesOn(t *testing.T) {
	all, err := lessons.All()
	if err != nil {
		t.Fatal(err)
	}
	p := progress.New()
	for i := range all[1].Steps {
		p.Complete(all[1].ID, i)
	}
	var m tea.Model = newModel(t, &harness{}, p)
	m = send(m, tea.WindowSizeMsg{Width: 100, Height: 30})
	last := len(all[0].Steps) - 1
	m = send(m, openLessonMsg{0, last})
	mm := m.(Model)
	mm.lesson.vp.GotoBottom()
	flat := strings.Join(strings.Fields(mm.lesson.vp.View()), " ")
	for _, want := range []string{"create-secret", "config-manager", "e opens the exercises", "n finishes the lesson"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the last step lacks %q:\n%s", want, mm.lesson.vp.View())
		}
	}
	for i := range all[0].Steps {
		p.Complete(all[0].ID, i)
	}
	m = send(m, press("n"))
	if got := m.(Model); got.screen != screenHome || got.home.cursor != 2 {
		t.Fatalf("after lesson 1, with 2 done, home shows screen %d with the cursor on %d, want lesson 3 (2)", got.screen, got.home.cursor)
	}
}

// TestActionsSayWhatTheyShow checks point by point that a lesson shows what
// is true before and after a run: placeholders said in words, v offered
// only with a value to reveal, version ids whole where they fit.
func TestActionsSayWhatTheyShow(t *testing.T) {
	var m tea.Model = liveModel(t)
	m = send(m, tea.WindowSizeMsg{Width: 100, Height: 40})
	m = send(m, openLessonMsg{1, 4}) // Labels of your own
	if v := m.View(); strings.Contains(v, "{{") || !strings.Contains(v, "‹id of the version labelled AWSCURRENT›") {
		t.Errorf("a placeholder is shown raw before the run:\n%s", v)
	}
	m = send(m, press("r")) // replays the lesson's earlier actions first
	mm := m.(Model)
	res := mm.c.results["json-and-versions"][mm.lesson.selected]
	if res == nil || len(res.Versions) == 0 {
		t.Fatalf("no version picture after the run: %+v", res)
	}
	if v := mm.lesson.vp.View(); !strings.Contains(strings.Join(strings.Fields(m.View()), " "), res.Versions[0].ID) {
		t.Errorf("the version picture does not show whole ids (%s) at 100 columns:\n%s", res.Versions[0].ID, v)
	}
	if strings.Contains(m.View(), "v reveal") {
		t.Errorf("v reveal is offered for UpdateSecretVersionStage, which returns no value:\n%s", m.View())
	}
	m = send(m, openLessonMsg{0, 3}) // Read it back
	m = send(m, press("r"))
	if !strings.Contains(m.View(), "v reveal") {
		t.Errorf("v reveal is not offered for GetSecretValue:\n%s", m.View())
	}
}

// TestNoColorKeepsEmphasisAndSelection draws lesson 1 as NO_COLOR does (the
// notty Markdown style, no colours): no raw ** in the prose, and the
// selected result tab marked by more than colour.
func TestNoColorKeepsEmphasisAndSelection(t *testing.T) {
	m := liveModel(t)
	m.c.Markdown = NewMarkdown("notty")
	var tm tea.Model = m
	tm = send(tm, tea.WindowSizeMsg{Width: 100, Height: 40})
	tm = send(tm, openLessonMsg{0, 0})
	if v := tm.View(); strings.Contains(v, "**") || !strings.Contains(v, "AWS Secrets Manager") {
		t.Errorf("NO_COLOR prose shows raw Markdown:\n%s", v)
	}
	tm = send(tm, openLessonMsg{0, 3})
	tm = send(tm, press("r"))
	tm = send(tm, tea.KeyMsg{Type: tea.KeyTab})
	if v := tm.View(); !strings.Contains(v, "[Request]") || strings.Contains(v, "[Response]") {
		t.Errorf("the selected tab has no marker without colour:\n%s", v)
	}
}

// TestResponsesKeepTheARNSuffix runs CreateSecret at 100 and 60 columns:
// the ARN line is cut in its middle, so its random suffix stays in view.
func TestResponsesKeepTheARNSuffix(t *testing.T) {
	for _, w := range []int{100, 60} {
		var m tea.Model = liveModel(t)
		m = send(m, tea.WindowSizeMsg{Width: w, Height: 40})
		m = send(m, openLessonMsg{0, 2})
		m = send(m, press("r"))
		mm := m.(Model)
		res := mm.c.results["store-and-retrieve"][mm.lesson.selected]
		var arn string
		for _, l := range strings.Split(res.Response, "\n") {
			if v, ok := strings.CutPrefix(strings.TrimSpace(l), `"ARN": "`); ok {
				arn = strings.TrimSuffix(v, `",`)
			}
		}
		if suffix := arn[len(arn)-7:]; arn == "" || !strings.Contains(m.View(), suffix) {
			t.Errorf("at %d columns the ARN's suffix %q is cut off:\n%s", w, suffix, m.View())
		}
		assertFits(t, m.View(), w, 40)
	}
}

// TestStepsSayWhoTheyRanAs runs lesson 6's "who am I" as app on the
// embedded backend, where the result says who it ran as, and on a runner
// that takes the backend for AWS, where the step says why it was not sent.
func TestStepsSayWhoTheyRanAs(t *testing.T) {
	all, _ := lessons.All()
	idx := -1
	for i, l := range all {
		if l.ID == "access-and-audit" {
			idx = i
		}
	}
	for _, tc := range []struct {
		name  string
		aws   bool
		wants []string
	}{
		{"embedded", false, []string{"signed as role/app", "✓ sts:GetCallerIdentity", "ran as role/app"}},
		{"aws", true, []string{"signed as role/app", "○ sts:GetCallerIdentity not run on this backend", "who exist only in", "(not sent on this backend)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := liveModel(t)
			if tc.aws {
				conn := *m.c.Backend.Conn
				conn.Target.Backend = aws.AWS // the emulator stands in; the runner goes by the name
				m.c.Runner = runner.New(&conn)
			}
			var tm tea.Model = m
			tm = send(tm, tea.WindowSizeMsg{Width: 100, Height: 60})
			tm = send(tm, openLessonMsg{idx, 0})
			tm = send(tm, press("r"))
			tm = send(tm, press("r"))
			flat := strings.Join(strings.Fields(tm.View()), " ")
			for _, want := range tc.wants {
				if !strings.Contains(flat, want) {
					t.Errorf("the step lacks %q:\n%s", want, tm.View())
				}
			}
		})
	}
}
