package checker

import (
	"context"
	"fmt"
	"maps"

	"secretlings/aws/rotation"
	"secretlings/aws/rotation/demoservice"
)

// rotationScenario is rotation-handler's scenario: the demo service,
// serving on loopback, that a user's API key is for, and the secret that
// holds the key. The handler reaches the service through
// DEMO_SERVICE_URL with DEMO_SERVICE_ADMIN_TOKEN.
type rotationScenario struct {
	svc    *demoservice.Service
	server *demoservice.Server
	env    map[string]string
	user   string
	// oldKey is the seeded (current) key, name the secret.
	oldKey, name string
}

// seedRotationHandler starts the demo service with a key for a new user
// and seeds the secret with that key. close stops the service.
func seedRotationHandler(ctx context.Context, s seeder) (*rotationScenario, error) {
	adminToken := "adm-" + randHex(16)
	sc := &rotationScenario{svc: demoservice.New(adminToken), user: "svc-" + randHex(3)}
	var err error
	if sc.oldKey, err = rotation.NewAPIKey(); err == nil {
		err = sc.svc.AddKey(sc.user, sc.oldKey)
	}
	if err != nil {
		return nil, err
	}
	s.protect(sc.oldKey, adminToken)
	if sc.server, err = sc.svc.Start("127.0.0.1:0"); err != nil {
		return nil, err
	}
	sc.env = map[string]string{"DEMO_SERVICE_URL": sc.server.URL, "DEMO_SERVICE_ADMIN_TOKEN": adminToken}
	if sc.name, err = s.create(ctx, "demo/api-key", rotation.APIKeySecret{Username: sc.user, APIKey: sc.oldKey}.JSON(), ""); err != nil {
		sc.close()
		return nil, err
	}
	return sc, nil
}

func (sc *rotationScenario) close() { _ = sc.server.Close() }

// rotationFunctionARN is a new name for the Lambda that runs the handler.
func rotationFunctionARN(region string) string {
	return fmt.Sprintf("arn:aws:lambda:%s:123456789012:function:secretlings-rotation-%s", region, randHex(4))
}

func tryRotationHandler(ctx context.Context, t *Tryout) error {
	if t.b.Emulator == nil {
		return errNeedsEmbedded
	}
	sc, err := seedRotationHandler(ctx, t)
	if err != nil {
		return err
	}
	t.onClose(sc.close)
	t.Env = maps.Clone(sc.env)
	t.Rotation = &Rotation{Secret: sc.name, emu: t.b.Emulator, client: t.b.Client, region: t.b.Region}
	t.Versions = sc.name
	return nil
}
