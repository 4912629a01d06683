package checker

import (
	"os"
	"strings"
	"testing"

	"secretlings/mask"
)

// A failed run's reason points at the learner's file and line, as the
// checkout names it, not at the checker's copy: the innermost frame of a
// Python traceback in the learner's files, the first of a Go panic's.
func TestLocateFailure(t *testing.T) {
	cm, _ := Lookup("config-manager")
	ttl, _ := Lookup("ttl-cache")
	py := &Checker{Lang: Python, Root: "/home/me/secretlings"}
	goc := &Checker{Lang: Go, Root: "/home/me/secretlings"}
	for _, tc := range []struct {
		name   string
		r      *run
		stderr string
		want   string
	}{
		{
			"python, the learner's main.py",
			&run{c: py, ex: cm, prog: program{dir: "/tmp/secretlings-checker-1/py-config-manager-ab12"}},
			"Traceback (most recent call last):\n" +
				"  File \"<frozen runpy>\", line 198, in _run_module_as_main\n" +
				"  File \"/tmp/secretlings-checker-1/py-config-manager-ab12/main.py\", line 30, in <module>\n    main()\n" +
				"  File \"/tmp/secretlings-checker-1/py-config-manager-ab12/main.py\", line 12, in main\n    name = os.environ[\"X\"]\n" +
				"NameError: name 'os' is not defined\n",
			"lessons/01-store-and-retrieve/config-manager/main.py:12 (in main)",
		},
		{
			"python, the learner's file beats the provided driver and boto3",
			&run{c: py, ex: ttl, prog: program{dir: "/tmp/c/py-ttl-cache-1"}},
			"Traceback (most recent call last):\n" +
				"  File \"/tmp/c/py-ttl-cache-1/main.py\", line 120, in main\n    x = cache.get(n)\n" +
				"  File \"/tmp/c/py-ttl-cache-1/cache.py\", line 17, in get\n    out = self.client.get_secret_value(SecretId=name)\n" +
				"  File \"/usr/lib/python3/site-packages/botocore/client.py\", line 569, in _api_call\n" +
				"botocore.exceptions.ClientError: An error occurred (ResourceNotFoundException)\n",
			"lessons/04-caching/ttl-cache/cache.py:17 (in get)",
		},
		{
			"python, only the driver",
			&run{c: py, ex: ttl, prog: program{dir: "/tmp/c/py-ttl-cache-1"}},
			"Traceback (most recent call last):\n  File \"/tmp/c/py-ttl-cache-1/main.py\", line 107, in main\nKeyError: 'SECRET_HOT_A'\n",
			"lessons/04-caching/ttl-cache/main.py:107 (in main)",
		},
		{
			"go panic",
			&run{c: goc, ex: cm},
			"panic: runtime error: invalid memory address or nil pointer dereference\n" +
				"[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a1b2c]\n\ngoroutine 1 [running]:\n" +
				"encoding/json.Unmarshal(...)\n\t/usr/local/go/src/encoding/json/decode.go:101 +0x1d\n" +
				"main.load(0xc000012345)\n\t/home/me/secretlings/lessons/01-store-and-retrieve/config-manager/main.go:41 +0x5e\n" +
				"main.main()\n\t/home/me/secretlings/lessons/01-store-and-retrieve/config-manager/main.go:23 +0x2f\n",
			"lessons/01-store-and-retrieve/config-manager/main.go:41 (in main.load)",
		},
		{"no trace", &run{c: goc, ex: cm}, "secret not found\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.r.locate(tc.stderr); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	p := proc{Code: 1, Stderr: "Traceback (most recent call last):\nNameError: name 'os' is not defined\n", At: "lessons/x/main.py:12 (in main)"}
	if got, want := p.summary(mask.NewLeakScanner()), "it exited with status 1 at lessons/x/main.py:12 (in main): NameError: name 'os' is not defined"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
}

// A Python program that fails says where, and what it printed is in the
// result, under a line for each run, with the checkout's paths and no
// secret.
func TestFailedRunShowsWhereAndOutput(t *testing.T) {
	t.Parallel()
	py := pythonOrSkip(t)
	ex, _ := Lookup("config-manager")
	b, stop, err := StartEmbedded("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	c := New(b, root(t))
	c.Source, c.Lang, c.Py = Solution, Python, py
	c.replace = map[string][]byte{"main.py": []byte("import json\n\n\ndef main():\n    print('starting')\n    name = os.environ['DATABASE_SECRET_NAME']\n\n\nmain()\n")}
	t.Cleanup(func() { c.Close() })
	res := grade(t, c, ex, NewNamespace(ex.ID))
	const at = "lessons/01-store-and-retrieve/config-manager/main.py:6 (in main): NameError: name 'os' is not defined"
	found := false
	for _, ch := range res.Checks {
		if ch.Name == "runs and exits with status 0" {
			found = true
			if !strings.Contains(ch.Reason, at) {
				t.Errorf("reason %q does not say %q", ch.Reason, at)
			}
		}
	}
	if !found {
		t.Fatalf("no run check:%s", describe(res))
	}
	for _, want := range []string{"── run 1 · exit status 1 · DATABASE_SECRET_NAME=" + res.Namespace, "starting\n", `File "lessons/01-store-and-retrieve/config-manager/main.py", line 6, in main`, "── run 2 "} {
		if !strings.Contains(res.Output, want) {
			t.Errorf("output lacks %q:\n%s", want, res.Output)
		}
	}
	if strings.Contains(res.Output, os.TempDir()) || res.Lang != "python" {
		t.Errorf("output names the checker's copy, or lang %q:\n%s", res.Lang, res.Output)
	}
	assertShowsNoSecret(t, res)
}

// A Go program that panics says where in the learner's file, as the
// checkout names it (the build's overlay keeps the checkout's paths).
func TestFailedGoRunShowsWhere(t *testing.T) {
	t.Parallel()
	ex, _ := Lookup("config-manager")
	b, stop, err := StartEmbedded("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	c := New(b, root(t))
	c.Source = Solution
	c.replace = map[string][]byte{"main.go": []byte("package main\n\nimport \"os\"\n\nfunc main() {\n\tvar m map[string]string\n\tm[os.Getenv(\"DATABASE_SECRET_NAME\")] = \"x\"\n}\n")}
	t.Cleanup(func() { c.Close() })
	res := grade(t, c, ex, NewNamespace(ex.ID))
	const at = "it exited with status 2 at lessons/01-store-and-retrieve/config-manager/main.go:7 (in main.main): panic: assignment to entry in nil map"
	for _, ch := range res.Checks {
		if ch.Name == "runs and exits with status 0" && ch.Reason != at {
			t.Errorf("reason %q, want %q", ch.Reason, at)
		}
	}
	if !strings.Contains(res.Output, "\tlessons/01-store-and-retrieve/config-manager/main.go:7 +0x") {
		t.Errorf("the output does not name the checkout's file:\n%s", res.Output)
	}
}
