package checker

import (
	"context"
	"strings"
	"sync"
)

// accessMemo keeps, per Checker, what the access exercises' gradings
// learned that cannot change until the learner changes a policy: that the
// backend enforces, who-read-it's incident found in the trail, and the
// verdicts of the probes under one policy. The app re-checks a state
// exercise every few seconds; with the memo a re-check reads the secret and
// its policy and nothing else. Without it, the checker's own calls (a dozen
// a grading for who-read-it, some fifty for least-privilege) would fill the
// trail, which keeps the newest 10,000 events, and push who-read-it's
// incident out of it within the hour.
type accessMemo struct {
	mu        sync.Mutex
	enforces  map[string]bool     // by endpoint: the backend refuses the intern
	incidents map[string]incident // by namespace
	verdicts  map[string][]Check  // by namespace and policy text
}

func (m *accessMemo) incident(ns string) (incident, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	inc, ok := m.incidents[ns]
	return inc, ok
}

func (m *accessMemo) keepIncident(ns string, inc incident) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.incidents == nil {
		m.incidents = map[string]incident{}
	}
	m.incidents[ns] = inc
}

func (m *accessMemo) enforced(endpoint string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.enforces[endpoint]
}

func (m *accessMemo) keepEnforced(endpoint string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.enforces == nil {
		m.enforces = map[string]bool{}
	}
	m.enforces[endpoint] = true
}

func (m *accessMemo) verdict(key string) ([]Check, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.verdicts[key]
	return v, ok
}

func (m *accessMemo) keepVerdict(key string, checks []Check) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.verdicts == nil {
		m.verdicts = map[string][]Check{}
	}
	m.verdicts[key] = append([]Check(nil), checks...)
}

// enforced is the enforcement check, asked of the backend once per Checker
// until it passes.
func (r *run) enforced(ctx context.Context) bool {
	if r.c.access.enforced(r.c.Backend.Endpoint) {
		return r.check(enforces, 0, "")
	}
	if !r.enforcementCheck(ctx) {
		return false
	}
	r.c.access.keepEnforced(r.c.Backend.Endpoint)
	return true
}

// forget drops what the memo knows of namespace ns.
func (m *accessMemo) forget(ns string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.incidents, ns)
	for k := range m.verdicts {
		if strings.HasPrefix(k, ns+"\x00") {
			delete(m.verdicts, k)
		}
	}
}
