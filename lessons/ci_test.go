package lessons

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// workflow is the part of a GitHub Actions workflow file that lesson 7's
// checks read.
type workflow struct {
	Name string
	On   []string `yaml:"on"`
	Jobs map[string]ciJob
}

type ciJob struct {
	RunsOn   string `yaml:"runs-on"`
	Env      map[string]string
	Services map[string]ciService
	Steps    []ciStep
}

type ciService struct {
	Image   string
	Ports   []string
	Env     map[string]string
	Options string
}

type ciStep struct {
	Name, Uses, Run, If string
	With                map[string]string
}

// lessonWorkflows parses lesson 7's yaml blocks: the serve workflow, then
// the LocalStack one.
func lessonWorkflows(t *testing.T) (serve, localstack workflow) {
	t.Helper()
	var wfs []workflow
	for _, f := range fences(t, "07-develop-locally") {
		if f.Info != "yaml" {
			continue
		}
		var wf workflow
		dec := yaml.NewDecoder(strings.NewReader(f.Body))
		dec.KnownFields(true) // a misspelt key (run-on, step) fails here, as it would on GitHub
		if err := dec.Decode(&wf); err != nil {
			t.Fatalf("lesson.md:%d: the workflow does not parse: %v", f.Line, err)
		}
		wfs = append(wfs, wf)
	}
	if len(wfs) != 2 {
		t.Fatalf("lesson 7 has %d yaml blocks, want the serve workflow and the LocalStack one", len(wfs))
	}
	return wfs[0], wfs[1]
}

// stepNamed finds a job's step by name, or the first whose run is run.
func stepNamed(t *testing.T, j ciJob, name string) (int, ciStep) {
	t.Helper()
	for i, s := range j.Steps {
		if s.Name == name {
			return i, s
		}
	}
	t.Fatalf("the job has no step %q", name)
	return -1, ciStep{}
}

// checkTestJob checks what both workflows share: checkout, Go from
// go.mod, the dummy credentials and endpoint in the job's env, and go test
// ./... as a step.
func checkTestJob(t *testing.T, wf workflow) ciJob {
	t.Helper()
	if !slices.Contains(wf.On, "push") || !slices.Contains(wf.On, "pull_request") {
		t.Errorf("%s runs on %v, want push and pull_request", wf.Name, wf.On)
	}
	j, ok := wf.Jobs["test"]
	if !ok || j.RunsOn != "ubuntu-latest" {
		t.Fatalf("%s: no test job on ubuntu-latest: %+v", wf.Name, wf.Jobs)
	}
	for k, want := range map[string]string{"AWS_ENDPOINT_URL": "http://127.0.0.1:4566", "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"} {
		if j.Env[k] != want {
			t.Errorf("%s: env %s = %q, want %q", wf.Name, k, j.Env[k], want)
		}
	}
	if len(j.Steps) < 3 || !strings.HasPrefix(j.Steps[0].Uses, "actions/checkout@") || !strings.HasPrefix(j.Steps[1].Uses, "actions/setup-go@") || j.Steps[1].With["go-version-file"] != "go.mod" {
		t.Errorf("%s: the job should start with checkout and setup-go from go.mod: %+v", wf.Name, j.Steps)
	}
	return j
}

// TestServeWorkflowHasItsParts checks the serve workflow's structure: build,
// then serve in the background waiting for its "listening on" line, then
// the tests, and the server's log when something failed.
func TestServeWorkflowHasItsParts(t *testing.T) {
	wf, _ := lessonWorkflows(t)
	j := checkTestJob(t, wf)
	b, build := stepNamed(t, j, "Build secretlings")
	s, serve := stepNamed(t, j, "Start secretlings serve")
	x, test := stepNamed(t, j, "Test")
	_, logs := stepNamed(t, j, "Server log")
	if !strings.HasPrefix(build.Run, "go build -o \"$RUNNER_TEMP/secretlings\" .") {
		t.Errorf("build step runs %q", build.Run)
	}
	for _, want := range []string{`"$RUNNER_TEMP/secretlings" serve --addr "${AWS_ENDPOINT_URL#http://}"`, "2>&1 &", `grep -q "listening on"`, "exit 1"} {
		if !strings.Contains(serve.Run, want) {
			t.Errorf("the serve step lacks %q:\n%s", want, serve.Run)
		}
	}
	if test.Run != "go test ./..." {
		t.Errorf("test step runs %q, want go test ./...", test.Run)
	}
	if !(b < s && s < x) {
		t.Errorf("steps in the order build %d, serve %d, test %d: want build, serve, test", b, s, x)
	}
	if logs.If != "failure()" || !strings.Contains(logs.Run, "serve.log") {
		t.Errorf("the log step should show serve.log on failure: %+v", logs)
	}
}

// TestLocalStackWorkflowHasItsParts checks the LocalStack alternative: a
// service container of the image docker-compose.yml pins, on port 4566,
// with a health check on LocalStack's health endpoint.
func TestLocalStackWorkflowHasItsParts(t *testing.T) {
	_, wf := lessonWorkflows(t)
	j := checkTestJob(t, wf)
	if _, test := stepNamed(t, j, "Test"); test.Run != "go test ./..." {
		t.Errorf("test step runs %q", test.Run)
	}
	ls, ok := j.Services["localstack"]
	if !ok {
		t.Fatalf("no localstack service: %+v", j.Services)
	}
	if pinned := composeImage(t); ls.Image != pinned {
		t.Errorf("the service runs %s, docker-compose.yml pins %s: the lesson says they are the same", ls.Image, pinned)
	}
	if !slices.Contains(ls.Ports, "4566:4566") || !strings.Contains(ls.Env["SERVICES"], "secretsmanager") {
		t.Errorf("service ports %v, env %v", ls.Ports, ls.Env)
	}
	for _, want := range []string{"--health-cmd", "http://localhost:4566/_localstack/health", "--health-retries"} {
		if !strings.Contains(ls.Options, want) {
			t.Errorf("service options lack %q: %s", want, ls.Options)
		}
	}
}

// composeImage is the default image of docker-compose.yml's localstack
// service (${LOCALSTACK_IMAGE:-IMAGE}).
func composeImage(t *testing.T) string {
	t.Helper()
	src, err := os.ReadFile("../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var compose struct {
		Services map[string]struct{ Image string }
	}
	if err := yaml.Unmarshal(src, &compose); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`^\$\{LOCALSTACK_IMAGE:-([^}]+)\}$`).FindStringSubmatch(compose.Services["localstack"].Image)
	if m == nil {
		t.Fatalf("docker-compose.yml's image %q is not ${LOCALSTACK_IMAGE:-IMAGE}", compose.Services["localstack"].Image)
	}
	return m[1]
}
