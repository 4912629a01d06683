package checker

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"secretlings/aws/emulator"
	"secretlings/aws/rotation"
	"secretlings/aws/rotation/demoservice"
	"secretlings/mask"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// stepRun is one invocation of the learner's handler for one step.
type stepRun struct {
	step    string
	attempt int    // 1 or 2
	err     string // how it failed, raw: scrub it before showing it
}

// flakyService wraps the demo service so the checker can make the next
// /whoami fail, as a service that is briefly down would.
type flakyService struct {
	next    http.Handler
	failing atomic.Bool
}

func (f *flakyService) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if req.URL.Path == "/whoami" && f.failing.CompareAndSwap(true, false) {
		http.Error(w, "service unavailable", http.StatusServiceUnavailable)
		return
	}
	f.next.ServeHTTP(w, req)
}

func gradeRotationHandler(ctx context.Context, r *run) {
	emu := r.c.Backend.Emulator
	if emu == nil {
		// Only the embedded emulator can run a local program as the
		// rotation Lambda, so a private one stands in for the backend.
		priv, stop, err := StartEmbedded(r.c.Backend.Region)
		if err != nil {
			r.fatal = fmt.Errorf("starting an emulator for the rotation: %w", err)
			return
		}
		defer stop()
		emu = priv.Emulator
		// The learner's program must reach the private emulator too.
		orig, origProxy, origNames := r.client, r.proxy, r.names
		p, err := startProxy(priv.Endpoint, nil)
		if err != nil {
			r.fatal = err
			return
		}
		r.client, r.proxy, r.names = priv.Client, p, nil
		defer func() {
			r.cleanup()
			_ = p.Close()
			r.client, r.proxy, r.names = orig, origProxy, origNames
		}()
	}

	adminToken := "adm-" + randHex(16)
	svc := demoservice.New(adminToken)
	flaky := &flakyService{next: svc}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		r.fatal = err
		return
	}
	hs := &http.Server{Handler: flaky, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	defer hs.Close()
	svcURL := "http://" + ln.Addr().String()

	user := "svc-" + randHex(3)
	oldKey, _ := rotation.NewAPIKey()
	r.known.Add(oldKey, adminToken)
	if err := svc.AddKey(user, oldKey); err != nil {
		r.fatal = err
		return
	}
	name, err := r.create(ctx, "demo/api-key", rotation.APIKeySecret{Username: user, APIKey: oldKey}.JSON(), "")
	if err != nil {
		r.fatal = err
		return
	}

	arn := fmt.Sprintf("arn:aws:lambda:%s:123456789012:function:secretlings-ex-%s", r.c.Backend.Region, randHex(4))
	env := map[string]string{"DEMO_SERVICE_URL": svcURL, "DEMO_SERVICE_ADMIN_TOKEN": adminToken}
	var (
		mu   sync.Mutex
		runs []stepRun
	)
	// Each step runs twice, as Secrets Manager's retries would: a step
	// that works once but not twice is not idempotent.
	emu.RegisterRotationFunction(arn, func(ctx context.Context, ev emulator.RotationEvent) error {
		in, _ := json.Marshal(ev)
		for attempt := 1; attempt <= 2; attempt++ {
			p := r.exec(ctx, env, bytes.NewReader(in))
			sr := stepRun{step: ev.Step, attempt: attempt}
			if p.Code != 0 {
				// Scrubbed later, once every version's value is known.
				sr.err = p.summary(mask.NewLeakScanner())
			}
			mu.Lock()
			runs = append(runs, sr)
			mu.Unlock()
			if sr.err != "" {
				return errors.New(sr.err)
			}
		}
		return nil
	})

	// Rotation 1: everything works.
	out, err := r.client.RotateSecret(ctx, &secretsmanager.RotateSecretInput{
		SecretId: awssdk.String(name), RotationLambdaARN: awssdk.String(arn),
		RotationRules: &types.RotationRulesType{AutomaticallyAfterDays: awssdk.Int64(30)},
	})
	if err != nil {
		r.fatal = fmt.Errorf("starting the rotation: %s", explain(err))
		return
	}
	newVersion := awssdk.ToString(out.VersionId)
	d := r.describeOrFail(ctx, name)
	if r.fatal != nil {
		return
	}
	r.learnValues(ctx, d)
	mu.Lock()
	first := slices.Clone(runs)
	mu.Unlock()
	for i := range first {
		first[i].err = scrub(r.known, first[i].err)
	}
	var firstFail *stepRun
	for i := range first {
		if first[i].err != "" && first[i].attempt == 1 {
			firstFail = &first[i]
			break
		}
	}
	completed := slices.Contains(stagesOf(d, newVersion), "AWSCURRENT")
	why := ""
	if !completed {
		why = "AWSCURRENT did not move to the new version"
		if firstFail != nil {
			why = fmt.Sprintf("step %s failed: %s", firstFail.step, firstFail.err)
		}
	}
	hint := 1
	if firstFail != nil && (firstFail.step == "setSecret" || firstFail.step == "testSecret") {
		hint = 2
	} else if firstFail != nil && firstFail.step == "finishSecret" {
		hint = 3
	}
	r.check("a rotation completes: the new version is AWSCURRENT", hint, why)

	why = ""
	for _, s := range first {
		if s.attempt == 2 && s.err != "" {
			why = fmt.Sprintf("step %s worked once but failed when run again: %s", s.step, s.err)
			break
		}
	}
	if why == "" && firstFail != nil {
		why = "not checked: step " + firstFail.step + " failed on its first run"
	}
	r.check("every step can run twice (idempotent)", 3, why)

	why = ""
	var newKey string
	if !completed {
		why = "not checked: the rotation did not complete"
	} else if v, err := r.value(ctx, name, "", newVersion); err != nil {
		why = "reading the new version failed: " + explain(err)
	} else if s, err := rotation.ParseAPIKeySecret(v); err != nil {
		why = "the new version is not {\"username\":…,\"api_key\":…} JSON"
	} else {
		newKey = s.APIKey
		got, ok := svc.Authenticate(s.APIKey)
		switch {
		case s.Username != user:
			why = fmt.Sprintf("the new version is for user %q; keep the user %q", s.Username, user)
		case s.APIKey == oldKey:
			why = "the new version holds the old key: createSecret must make a new one"
		case !ok || got != user:
			why = "the demo service does not accept the new key: setSecret must register it with AddKey"
		}
	}
	r.check("the demo service accepts the new key", 2, why)
	why = ""
	switch {
	case !completed || newKey == "":
		why = "not checked: the rotation did not complete"
	case svc.KeyCount(user) != 1:
		why = fmt.Sprintf("the user still has %d keys after finishSecret: revoke the others with RevokeOtherKeys", svc.KeyCount(user))
	}
	r.check("the old key is revoked", 3, why)

	// Rotation 2: the service refuses the new key once, so testSecret must
	// fail and AWSCURRENT must stay where it is.
	if !completed {
		r.skip("the first rotation did not complete", 2, "a failing testSecret leaves AWSCURRENT untouched")
		return
	}
	mu.Lock()
	runs = nil
	mu.Unlock()
	flaky.failing.Store(true)
	_, err = r.client.RotateSecret(ctx, &secretsmanager.RotateSecretInput{SecretId: awssdk.String(name)})
	flaky.failing.Store(false)
	if err != nil {
		r.fatal = fmt.Errorf("starting the second rotation: %s", explain(err))
		return
	}
	d2 := r.describeOrFail(ctx, name)
	if r.fatal != nil {
		return
	}
	r.learnValues(ctx, d2)
	mu.Lock()
	second := slices.Clone(runs)
	mu.Unlock()
	testFailed := slices.ContainsFunc(second, func(s stepRun) bool { return s.step == "testSecret" && s.err != "" })
	why = ""
	switch {
	case versionWith(d2, "AWSCURRENT") != newVersion:
		why = "the demo service refused the new key during testSecret, yet AWSCURRENT moved: testSecret must return the error from WhoAmI"
	case !testFailed:
		why = "testSecret passed although the demo service refused the new key: return WhoAmI's error"
	default:
		if u, ok := svc.Authenticate(newKey); !ok || u != user {
			why = "after the failed rotation the current key no longer works: only finishSecret may revoke keys"
		}
	}
	r.check("a failing testSecret leaves AWSCURRENT untouched", 2, why)
}
