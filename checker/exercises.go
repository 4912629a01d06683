package checker

import "context"

// All returns the exercises in the order the lessons teach them.
func All() []*Exercise {
	return []*Exercise{
		{
			ID: "create-secret", Lesson: "01-store-and-retrieve", Kind: State,
			Title:   "Create a secret to a specification",
			Summary: "a name under your prefix, a description, a JSON value with given keys, tags",
			prepare: func(context.Context, *run) error { return nil },
			grade:   gradeCreateSecret,
		},
		{
			ID: "config-manager", Lesson: "01-store-and-retrieve", Kind: Code,
			Title:    "A configuration manager for database credentials",
			Summary:  "name from DATABASE_SECRET_NAME, password masked, a clear error for a missing secret",
			Files:    []string{"main.go"},
			Python:   &LangFiles{Files: []string{"main.py"}},
			leakHint: 2,
			grade:    gradeConfigManager,
			tryout:   tryConfigManager,
		},
		{
			ID: "rollback", Lesson: "02-json-and-versions", Kind: State,
			Title:   "Roll back a bad release",
			Summary: "make the previous version current again without creating a new one",
			prepare: prepareRollback,
			grade:   gradeRollback,
		},
		{
			ID: "idempotent-write", Lesson: "02-json-and-versions", Kind: Code,
			Title:    "Write a version idempotently; read by label and by id",
			Summary:  "PutSecretValue with ClientRequestToken, GetSecretValue by VersionStage and VersionId",
			Files:    []string{"main.go"},
			Python:   &LangFiles{Files: []string{"main.py"}},
			leakHint: 1,
			grade:    gradeIdempotentWrite,
			tryout:   tryIdempotentWrite,
		},
		{
			ID: "rotation-handler", Lesson: "03-rotation", Kind: Code,
			Title:    "A rotation handler for API keys",
			Summary:  "four idempotent steps; a failing testSecret leaves AWSCURRENT alone",
			Files:    []string{"handler.go"},
			Provided: []string{"main.go"},
			Python:   &LangFiles{Files: []string{"handler.py"}, Provided: []string{"main.py", "demo_service.py"}},
			leakHint: 5,
			grade:    gradeRotationHandler,
			tryout:   tryRotationHandler,
		},
		{
			ID: "ttl-cache", Lesson: "04-caching", Kind: Code,
			Title:    "A secret cache with TTL expiry",
			Summary:  "one call per TTL, fresh values after expiry, one call for concurrent misses",
			Files:    []string{"cache.go"},
			Provided: []string{"main.go"},
			Python:   &LangFiles{Files: []string{"cache.py"}, Provided: []string{"main.py"}},
			Race:     true,
			leakHint: 4,
			grade:    gradeTTLCache,
			tryout:   tryTTLCache,
		},
		{
			ID: "safe-logger", Lesson: "05-masking", Kind: Code,
			Title:    "A logger that never leaks a secret",
			Summary:  "keep the non-secret fields; no secret value plain, in base64 or inside JSON",
			Files:    []string{"logger.go"},
			Provided: []string{"main.go"},
			Python:   &LangFiles{Files: []string{"logger.py"}, Provided: []string{"main.py"}},
			leakHint: 1,
			grade:    gradeSafeLogger,
			tryout:   trySafeLogger,
		},
		{
			ID: "least-privilege", Lesson: "06-access-and-audit", Kind: State,
			Title:     "Least privilege for a payments secret",
			Summary:   "a resource policy: app reads AWSCURRENT, deployer writes, auditor describes, nobody else anything",
			Files:     []string{"policy.json"},
			noProgram: true, enforced: true,
			prepare: prepareLeastPrivilege,
			grade:   gradeLeastPrivilege,
		},
		{
			ID: "who-read-it", Lesson: "06-access-and-audit", Kind: State,
			Title:     "Who read the card vault?",
			Summary:   "find the read in the audit trail, name who and when, block them with an explicit Deny",
			Files:     []string{"answer.txt", "policy.json"},
			noProgram: true, enforced: true,
			prepare: prepareWhoReadIt,
			grade:   gradeWhoReadIt,
		},
		{
			ID: "catch-the-bugs", Lesson: "07-develop-locally", Kind: Code,
			Title:    "A test that catches the bugs",
			Summary:  "test LoadDBConfig against a local Secrets Manager; graded by the broken copies your test catches",
			Files:    []string{"config_test.go"},
			Provided: []string{catchFile},
			Python:   &LangFiles{Files: []string{"test_dbconfig.py"}, Provided: []string{pyCatchFile}, Main: "test_dbconfig.py"},
			tests:    true,
			leakHint: hintCleanUp,
			grade:    gradeCatchTheBugs,
			tryout:   tryCatchTheBugs,
		},
	}
}

// Lookup returns the exercise with id.
func Lookup(id string) (*Exercise, bool) {
	for _, ex := range All() {
		if ex.ID == id {
			return ex, true
		}
	}
	return nil, false
}

// IDs lists every exercise id, in order.
func IDs() []string {
	var ids []string
	for _, ex := range All() {
		ids = append(ids, ex.ID)
	}
	return ids
}

// SecretNames are the secrets a state exercise asks the learner to work on,
// relative to the namespace, for the exercise screen to show.
func SecretNames(ex *Exercise) []string {
	switch ex.ID {
	case "create-secret":
		return []string{createSecretName}
	case "rollback":
		return []string{rollbackName}
	case "least-privilege":
		return []string{leastPrivilegeName}
	case "who-read-it":
		return []string{whoTarget, whoWebhook, whoReports}
	}
	return nil
}
