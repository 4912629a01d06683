package main

import (
	"context"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// Deliberately wrong: the first fetch of a name happens once, under a lock
// of its own, but an expired entry is refreshed by every goroutine that
// finds it expired, all at once (a thundering herd at each expiry).
type cache struct {
	client *secretsmanager.Client
	ttl    time.Duration

	mu      sync.Mutex
	entries map[string]entry
	first   map[string]*sync.Mutex
}

type entry struct {
	value   string
	fetched time.Time
}

func NewCache(client *secretsmanager.Client, ttl time.Duration) SecretCache {
	return &cache{client: client, ttl: ttl, entries: map[string]entry{}, first: map[string]*sync.Mutex{}}
}

func (c *cache) fetch(ctx context.Context, name string) (string, error) {
	out, err := c.client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name)})
	if err != nil {
		return "", err
	}
	v := aws.ToString(out.SecretString)
	c.mu.Lock()
	c.entries[name] = entry{value: v, fetched: time.Now()}
	c.mu.Unlock()
	return v, nil
}

func (c *cache) Get(ctx context.Context, name string) (string, error) {
	c.mu.Lock()
	e, ok := c.entries[name]
	first := c.first[name]
	if first == nil {
		first = &sync.Mutex{}
		c.first[name] = first
	}
	c.mu.Unlock()
	if !ok {
		first.Lock()
		defer first.Unlock()
		c.mu.Lock()
		e, ok = c.entries[name]
		c.mu.Unlock()
		if !ok {
			return c.fetch(ctx, name)
		}
	}
	if time.Since(e.fetched) >= c.ttl {
		return c.fetch(ctx, name) // expired: refresh
	}
	return e.value, nil
}
