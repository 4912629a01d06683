package emulator

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// TestConcurrentPutsAndLabelMoves hammers one secret from 16 goroutines
// (run it with -race): afterwards exactly one AWSCURRENT, at most one
// AWSPREVIOUS, and every label on at most one version.
func TestConcurrentPutsAndLabelMoves(t *testing.T) {
	e := newEnv(t)
	c := e.client
	mustCreate(t, c, "hot", "v0")
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 15 {
				switch i % 3 {
				case 0:
					stages := []string{fmt.Sprintf("L%d", (g+i)%5)}
					if g%2 == 0 {
						stages = nil
					}
					if _, err := c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("hot"),
						SecretString: aws.String(fmt.Sprintf("g%d-%d", g, i)), VersionStages: stages}); err != nil {
						errs <- err
						return
					}
				case 1:
					// Roll AWSCURRENT back to AWSPREVIOUS; losing a race to
					// another mover is an InvalidParameterException.
					d, err := c.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("hot")})
					if err != nil {
						errs <- err
						return
					}
					var cur, prev string
					for id, st := range d.VersionIdsToStages {
						for _, l := range st {
							switch l {
							case "AWSCURRENT":
								cur = id
							case "AWSPREVIOUS":
								prev = id
							}
						}
					}
					if prev == "" {
						continue
					}
					_, err = c.UpdateSecretVersionStage(ctx, &secretsmanager.UpdateSecretVersionStageInput{SecretId: aws.String("hot"),
						VersionStage: aws.String("AWSCURRENT"), MoveToVersionId: &prev, RemoveFromVersionId: &cur})
					if err != nil && !errors.As(err, new(*types.InvalidParameterException)) {
						errs <- err
						return
					}
				case 2:
					if _, err := c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("hot")}); err != nil {
						errs <- err
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	st := e.srv.store("123456789012", "us-east-1")
	st.mu.RLock()
	defer st.mu.RUnlock()
	s := st.secrets["hot"]
	holders := map[string]int{}
	for _, v := range s.Versions {
		seen := map[string]bool{}
		for _, l := range v.Stages {
			if seen[l] {
				t.Fatalf("label %s twice on %s", l, v.ID)
			}
			seen[l] = true
			holders[l]++
		}
	}
	if holders[StageCurrent] != 1 || holders[StagePrevious] > 1 {
		t.Fatalf("AWSCURRENT on %d versions, AWSPREVIOUS on %d", holders[StageCurrent], holders[StagePrevious])
	}
	for l, n := range holders {
		if n > 1 {
			t.Fatalf("label %s on %d versions", l, n)
		}
		if s.labels[l] == nil || !s.labels[l].hasStage(l) {
			t.Fatalf("label index out of step for %s", l)
		}
	}
	if len(s.Versions) != 1+16*5 {
		t.Fatalf("%d versions, want %d", len(s.Versions), 1+16*5)
	}
}

// TestStateFileReadsRaceFree reads with --state from 8 goroutines while the
// clock crosses days (so reads journal access dates) and a writer changes
// the same secret: run with -race. The journal must never encode a secret
// while a reader updates its access dates.
func TestStateFileReadsRaceFree(t *testing.T) {
	e := newEnv(t, WithStateFile(t.TempDir()+"/state.jsonl"))
	mustCreate(t, e.client, "hot", "v0")
	e.client.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("hot"), SecretString: aws.String("v1")})
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 60 {
				e.clock.Advance(24 * time.Hour) // every read is a first read of its day
				if g == 1 && i%10 == 0 {
					e.client.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("hot"), SecretString: aws.String(fmt.Sprint(i))})
					continue
				}
				stage := []string{"AWSCURRENT", "AWSPREVIOUS"}[g%2]
				if _, err := e.client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("hot"), VersionStage: &stage}); err != nil && i > 10 {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}
