package main

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// Right but different: cache keeps one slot per name in a sync.Map; a slot's
// mutex is held while fetching, and its current entry is an atomic pointer
// so hits take no lock at all.
type cache struct {
	client *secretsmanager.Client
	ttl    time.Duration
	slots  sync.Map // name -> *slot
}

type slot struct {
	mu  sync.Mutex
	cur atomic.Pointer[entry]
}

type entry struct {
	value   string
	fetched time.Time
}

func NewCache(client *secretsmanager.Client, ttl time.Duration) SecretCache {
	return &cache{client: client, ttl: ttl}
}

func (c *cache) fresh(s *slot) (string, bool) {
	if e := s.cur.Load(); e != nil && time.Since(e.fetched) < c.ttl {
		return e.value, true
	}
	return "", false
}

func (c *cache) Get(ctx context.Context, name string) (string, error) {
	v, _ := c.slots.LoadOrStore(name, &slot{})
	s := v.(*slot)
	if value, ok := c.fresh(s); ok {
		return value, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if value, ok := c.fresh(s); ok {
		return value, nil
	}
	s.cur.Store(nil) // expired: never served again
	out, err := c.client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name)})
	if err != nil {
		return "", err
	}
	e := &entry{value: aws.ToString(out.SecretString), fetched: time.Now()}
	s.cur.Store(e)
	return e.value, nil
}
