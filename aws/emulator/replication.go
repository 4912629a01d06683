package emulator

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Replication: a replica is a copy of the primary kept in the target
// region's store with PrimaryRegion set, read-only there. Every change to
// the primary is copied again after the primary's lock is released, so the
// handler never holds two store locks at once.

var regionPattern = regexp.MustCompile(`^([a-z]+-)+\d+$`)

func cloneSecret(s *secret) *secret {
	b, err := json.Marshal(s)
	if err != nil {
		panic("cloning a secret: " + err.Error()) // plain data; cannot fail
	}
	c := &secret{}
	if err := json.Unmarshal(b, c); err != nil {
		panic("cloning a secret: " + err.Error())
	}
	c.index()
	return c
}

func replicaARN(arn, from, to string) string {
	return strings.Replace(arn, ":secretsmanager:"+from+":", ":secretsmanager:"+to+":", 1)
}

// putReplica stores a copy of the primary p (of region primaryRegion) as
// its replica in t and journals it. t's write lock held.
func (t *memStore) putReplica(p *secret, primaryRegion string, now time.Time) error {
	rep := cloneSecret(p)
	rep.ARN = replicaARN(p.ARN, primaryRegion, t.region)
	rep.PrimaryRegion, rep.Replicas = primaryRegion, nil
	rep.Changed = now
	t.secrets[rep.Name] = rep
	delete(t.scheduled, rep.Name)
	return t.save(rep.Name, rep)
}

// dropReplicas removes the replicas whose region drop reports from the
// primary p; a secret left without replicas is no longer a primary. The
// owning store's write lock held.
func (p *secret) dropReplicas(drop func(region string) bool, now time.Time) {
	p.Replicas = slices.DeleteFunc(p.Replicas, func(x ReplicationStatus) bool { return drop(x.Region) })
	if len(p.Replicas) == 0 {
		p.Replicas, p.PrimaryRegion = nil, ""
	}
	p.Changed = now
}

func (s *Server) replicate(primary *memStore, arn string, regions []ReplicaRegion, force bool) []ReplicationStatus {
	now, err := primary.lock()
	if err != nil {
		return nil
	}
	src := primary.resolve(arn, now)
	var snap *secret
	if src != nil {
		snap = cloneSecret(src)
	}
	primary.mu.Unlock()
	if snap == nil {
		return nil
	}
	var statuses []ReplicationStatus
	for _, r := range regions {
		region := str(r.Region)
		st := ReplicationStatus{Region: region, KmsKeyId: str(r.KmsKeyId), Status: "InSync", StatusMessage: "Replication succeeded"}
		if st.KmsKeyId == "" {
			st.KmsKeyId = "alias/aws/secretsmanager"
		}
		if !regionPattern.MatchString(region) || region == primary.region {
			st.Status, st.StatusMessage = "Failed", "Invalid replica region."
			statuses = append(statuses, st)
			continue
		}
		target := s.store(primary.account, region)
		tnow, err := target.lock()
		if err != nil {
			st.Status, st.StatusMessage = "Failed", "Replication failed: the state file could not be written."
			statuses = append(statuses, st)
			continue
		}
		if old := target.secrets[snap.Name]; old != nil && !force && old.PrimaryRegion != primary.region {
			st.Status, st.StatusMessage = "Failed", "Replication failed: Secret with this name already exists in this region."
		} else if err := target.putReplica(snap, primary.region, tnow); err != nil {
			st.Status, st.StatusMessage = "Failed", "Replication failed: the state file could not be written."
		}
		target.mu.Unlock()
		statuses = append(statuses, st)
	}
	now, err = primary.lock()
	if err != nil {
		return statuses
	}
	defer primary.mu.Unlock()
	if p := primary.resolve(arn, now); p != nil {
		for _, st := range statuses {
			p.Replicas = slices.DeleteFunc(p.Replicas, func(x ReplicationStatus) bool { return x.Region == st.Region })
			if st.Status != "Failed" || st.StatusMessage != "Invalid replica region." {
				p.Replicas = append(p.Replicas, st)
			}
		}
		if len(p.Replicas) > 0 {
			p.PrimaryRegion = primary.region
		}
		p.Changed = now
		_ = primary.save(p.Name, p)
	}
	return statuses
}

func (s *Server) replicateSecretToRegions(st *memStore, in *ReplicateSecretToRegionsInput) (*ReplicationOutput, error) {
	if err := checkSecretID(in.SecretId); err != nil {
		return nil, err
	}
	if len(in.AddReplicaRegions) == 0 {
		return nil, required("addReplicaRegions", nil)
	}
	for _, r := range in.AddReplicaRegions {
		if str(r.Region) == st.region {
			return nil, apiErr(ErrInvalidParameter, "Invalid replica region.")
		}
	}
	sec, err := s.primaryOf(st, *in.SecretId)
	if err != nil {
		return nil, err
	}
	return &ReplicationOutput{ARN: sec, ReplicationStatus: s.replicate(st, sec, in.AddReplicaRegions, in.ForceOverwriteReplicaSecret)}, nil
}

// primaryOf resolves id to the ARN of a primary (not replica, not deleted).
func (s *Server) primaryOf(st *memStore, id string) (string, error) {
	sec, _, err := st.rlockSecret(id, msgMarkedForDeletion, true)
	if err != nil {
		return "", err
	}
	defer st.mu.RUnlock()
	return sec.ARN, nil
}

func (s *Server) removeRegionsFromReplication(st *memStore, in *RemoveRegionsFromReplicationInput) (*RemoveRegionsOutput, error) {
	if err := checkSecretID(in.SecretId); err != nil {
		return nil, err
	}
	if len(in.RemoveReplicaRegions) == 0 {
		return nil, required("removeReplicaRegions", nil)
	}
	p, now, err := st.lockSecret(*in.SecretId, msgMarkedForDeletion, true)
	if err != nil {
		return nil, err
	}
	name := p.Name
	p.dropReplicas(func(region string) bool { return slices.Contains(in.RemoveReplicaRegions, region) }, now)
	out := &RemoveRegionsOutput{ARN: p.ARN, ReplicationStatus: append([]ReplicationStatus{}, p.Replicas...)}
	err = st.save(p.Name, p)
	st.mu.Unlock()
	if err != nil {
		return nil, err
	}
	for _, region := range in.RemoveReplicaRegions {
		t := s.store(st.account, region)
		if _, err := t.lock(); err != nil {
			return nil, err
		}
		if r := t.secrets[name]; r != nil && r.PrimaryRegion == st.region {
			delete(t.secrets, name)
			delete(t.scheduled, name)
			err = t.save(name, nil)
		}
		t.mu.Unlock()
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *Server) stopReplicationToReplica(st *memStore, in *SecretIdInput) (*ReplicationOutput, error) {
	if err := checkSecretID(in.SecretId); err != nil {
		return nil, err
	}
	r, now, err := st.lockSecret(*in.SecretId, "", false)
	if err != nil {
		return nil, err
	}
	primary := r.PrimaryRegion
	if primary == "" || primary == st.region {
		st.mu.Unlock()
		return nil, apiErr(ErrInvalidRequest, "This secret is not a replica. Call StopReplicationToReplica in the replica's region.")
	}
	r.PrimaryRegion = ""
	r.Changed = now
	out := &ReplicationOutput{ARN: r.ARN}
	name := r.Name
	err = st.save(r.Name, r)
	st.mu.Unlock()
	if err != nil {
		return nil, err
	}
	p := s.store(st.account, primary)
	pnow, err := p.lock()
	if err != nil {
		return nil, err
	}
	defer p.mu.Unlock()
	if ps := p.resolve(name, pnow); ps != nil {
		ps.dropReplicas(func(region string) bool { return region == st.region }, pnow)
		if err := p.save(ps.Name, ps); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// syncReplicas copies the primaries changed in st to their replica regions,
// as AWS replicates every change. No store lock is held on entry.
func (s *Server) syncReplicas(st *memStore) {
	for _, p := range st.takePending() {
		for _, r := range p.Replicas {
			if r.Status == "Failed" {
				continue
			}
			t := s.store(st.account, r.Region)
			tnow, err := t.lock()
			if err != nil {
				continue
			}
			if old := t.secrets[p.Name]; old != nil && old.PrimaryRegion == st.region {
				if err := t.putReplica(p, st.region, tnow); err != nil {
					s.log.Error("replicating a change", "secret", p.ARN, "region", r.Region, "err", err)
				}
			}
			t.mu.Unlock()
		}
	}
}
