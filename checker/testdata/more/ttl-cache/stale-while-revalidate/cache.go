package main

import (
	"context"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// Deliberately wrong: an expired entry is returned as it is while a
// background refresh runs (stale-while-revalidate), so the first read after
// the TTL still gets the old value.
type cache struct {
	client *secretsmanager.Client
	ttl    time.Duration

	mu      sync.Mutex
	entries map[string]*entry
}

type entry struct {
	ready      chan struct{} // closed after the first fetch
	value      string
	err        error
	fetched    time.Time
	refreshing bool
}

func NewCache(client *secretsmanager.Client, ttl time.Duration) SecretCache {
	return &cache{client: client, ttl: ttl, entries: map[string]*entry{}}
}

func (c *cache) fetch(name string) (string, error) {
	out, err := c.client.GetSecretValue(context.Background(), &secretsmanager.GetSecretValueInput{SecretId: aws.String(name)})
	if err != nil {
		return "", err
	}
	return aws.ToString(out.SecretString), nil
}

func (c *cache) Get(ctx context.Context, name string) (string, error) {
	c.mu.Lock()
	e := c.entries[name]
	if e == nil {
		e = &entry{ready: make(chan struct{})}
		c.entries[name] = e
		c.mu.Unlock()
		v, err := c.fetch(name)
		c.mu.Lock()
		e.value, e.err, e.fetched = v, err, time.Now()
		c.mu.Unlock()
		close(e.ready)
		return v, err
	}
	c.mu.Unlock()
	<-e.ready
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Since(e.fetched) >= c.ttl && !e.refreshing {
		e.refreshing = true
		go func() {
			v, err := c.fetch(name)
			c.mu.Lock()
			defer c.mu.Unlock()
			if err == nil {
				e.value, e.err = v, nil
			}
			e.fetched, e.refreshing = time.Now(), false
		}()
	}
	return e.value, e.err
}
