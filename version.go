package main

import (
	"context"
	"os"
	"os/exec"
	"runtime/debug"
	"strings"
	"time"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = ""

// buildVersion says which secretlings this is: the -ldflags version, else
// the module version Go recorded (a pseudo-version names the commit), else
// the commit Go recorded, else — under `go run`, which records none — the
// commit of the checkout it runs in.
func buildVersion() string {
	info, _ := debug.ReadBuildInfo()
	return versionFrom(version, info, gitRevision)
}

func versionFrom(ldflags string, info *debug.BuildInfo, git func() string) string {
	if ldflags != "" {
		return ldflags
	}
	if info != nil {
		if v := info.Main.Version; v != "" && v != "(devel)" {
			return v // v0.0.0-20260101…-abcdef123456+dirty names the commit already
		}
		rev, dirty := "", ""
		for _, s := range info.Settings {
			switch {
			case s.Key == "vcs.revision":
				rev = s.Value
			case s.Key == "vcs.modified" && s.Value == "true":
				dirty = "+dirty"
			}
		}
		if rev != "" {
			return "devel " + rev[:min(12, len(rev))] + dirty
		}
	}
	if rev := git(); rev != "" {
		return "devel " + rev + " (from the checkout in this directory)"
	}
	return "devel (no version recorded: build with `make setup` or `go build` in a git checkout)"
}

// gitRevision is the short commit of the secretlings checkout in the working
// directory, with -dirty for uncommitted changes, or "" outside one.
func gitRevision() string {
	mod, err := os.ReadFile("go.mod")
	if err != nil || !strings.HasPrefix(string(mod), "module secretlings\n") {
		return ""
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "git", "describe", "--always", "--dirty", "--abbrev=12").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}
