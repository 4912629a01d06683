package runner

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"

	"secretlings/aws"
	"secretlings/aws/emulator"
	"secretlings/lessons"
)

const showConnectionLesson = "---\nid: conn-test\ntitle: T\nsummary: S\n---\n## A\n```action\nShowConnection\n```\n"

// TestShowConnectionSaysWhereEachPartCameFrom runs the demo on the embedded
// backend and on an endpoint served as secretlings serve serves it, with a
// shell that configures an endpoint and keys through the environment: each
// part is named with its source, and the secret key appears nowhere.
func TestShowConnectionSaysWhereEachPartCameFrom(t *testing.T) {
	isolate(t)
	t.Setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://127.0.0.1:4566")
	t.Setenv("AWS_REGION", "eu-central-1")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	l, err := lessons.Parse("x.md", []byte(showConnectionLesson))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := emulator.New()
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { hs.Close(); srv.Close() })
	for _, tc := range []struct {
		name  string
		flags aws.Flags
		want  []string
	}{
		// Resolved as main resolves the flags, so the sources are the app's.
		{"embedded", aws.Flags{Backend: "embedded"}, []string{"backend embedded", "the embedded emulator, started by secretlings", "eu-central-1", "← AWS_REGION"}},
		{"served", aws.Flags{EndpointURL: hs.URL, Region: "us-west-2"}, []string{"backend endpoint", hs.URL, "← --endpoint-url", "us-west-2", "← --region"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			target, err := aws.Resolve(tc.flags, nil)
			if err != nil {
				t.Fatal(err)
			}
			res := New(connect(t, target)).Run(context.Background(), l, 0, nil)
			if !res.OK() {
				t.Fatalf("ShowConnection: %v %s", res.Err, res.Explanation)
			}
			shown := strings.Join(append(append([]string{res.Request, res.Response, res.Go}, res.Lines...), res.Notes...), "\n")
			want := append(tc.want,
				"test", "← StaticCredentials", "dummy keys", // the session
				"http://127.0.0.1:4566", "← AWS_ENDPOINT_URL_SECRETS_MANAGER", "eu-central-1", "← AWS_REGION", "AKIA••••••••", "← EnvConfigCredentials") // the shell
			for _, w := range want {
				if !strings.Contains(shown, w) {
					t.Errorf("the demo does not show %q:\n%s", w, shown)
				}
			}
			for _, leak := range []string{"wJalr", "EXAMPLEKEY", "IOSFODNN7"} {
				if strings.Contains(shown, leak) {
					t.Fatalf("the demo shows a key (%q):\n%s", leak, shown)
				}
			}
			if res.Go == "" || !strings.Contains(res.Go, "creds.Source") {
				t.Errorf("the Go tab should show how a program asks: %q", res.Go)
			}
		})
	}
}

// TestDevelopLessonRunsOnServe runs lesson 7 against the emulator served on
// an endpoint, as secretlings serve serves it: the third backend the lesson
// names, besides the embedded one and moto (runAll).
func TestDevelopLessonRunsOnServe(t *testing.T) {
	isolate(t)
	srv, err := emulator.New()
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { hs.Close(); srv.Close() })
	l := lessonNamed(t, "develop-locally")
	r := New(connect(t, aws.Target{Backend: aws.Endpoint, Endpoint: hs.URL, EndpointSource: "AWS_ENDPOINT_URL"}))
	for i, a := range l.Actions() {
		if res := r.Run(context.Background(), l, i, nil); !res.OK() || res.Skipped != "" {
			t.Fatalf("action %d (%s): %v %s %s", i+1, a.Operation, res.Err, res.Explanation, res.Skipped)
		}
	}
	if left, err := aws.ListNames(context.Background(), r.client, Namespace(l.ID)); err != nil || len(left) > 0 {
		t.Fatalf("the lesson's clean-up step left %v (%v)", left, err)
	}
}

// TestShowConnectionSnippetsRun runs the demo's aws CLI and boto3
// equivalents with the environment a learner sets for a local server: each
// must name the environment as the source and show no secret key. (Both
// read AWS_DEFAULT_REGION: botocore ignores AWS_REGION.)
func TestShowConnectionSnippetsRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the aws CLI and python: skipped with -short")
	}
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
		"AWS_ENDPOINT_URL=http://127.0.0.1:4566", "AWS_DEFAULT_REGION=eu-west-1", "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
	for _, tc := range []struct {
		bin  string
		args []string
		want []string
	}{
		{"aws", strings.Fields(connectionCLI)[1:], []string{"env", "eu-west-1"}},
		{"python3", []string{"-c", connectionPython}, []string{"eu-west-1 env AKIA…", "http://127.0.0.1:4566"}},
	} {
		if _, err := exec.LookPath(tc.bin); err != nil {
			t.Logf("%s not found: skipped", tc.bin)
			continue
		}
		cmd := exec.Command(tc.bin, tc.args...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", tc.bin, err, out)
		}
		for _, w := range tc.want {
			if !strings.Contains(string(out), w) {
				t.Errorf("%s says\n%s\nwant %q in it", tc.bin, out, w)
			}
		}
		if strings.Contains(string(out), "wJalr") || strings.Contains(string(out), "EXAMPLEKEY") {
			t.Errorf("%s shows the secret key:\n%s", tc.bin, out)
		}
	}
}
