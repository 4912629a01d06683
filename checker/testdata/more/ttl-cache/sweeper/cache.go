package main

import (
	"context"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// Deliberately wrong: Get returns any entry still in the map, and a
// goroutine sweeps out the expired ones once per TTL, so an entry lives
// for up to twice the TTL.
type cache struct {
	client *secretsmanager.Client
	ttl    time.Duration

	mu       sync.Mutex
	entries  map[string]entry
	fetching map[string]*sync.Mutex
}

type entry struct {
	value   string
	fetched time.Time
}

func NewCache(client *secretsmanager.Client, ttl time.Duration) SecretCache {
	c := &cache{client: client, ttl: ttl, entries: map[string]entry{}, fetching: map[string]*sync.Mutex{}}
	go func() {
		for range time.Tick(ttl) {
			c.mu.Lock()
			for name, e := range c.entries {
				if time.Since(e.fetched) >= ttl {
					delete(c.entries, name)
				}
			}
			c.mu.Unlock()
		}
	}()
	return c
}

func (c *cache) Get(ctx context.Context, name string) (string, error) {
	c.mu.Lock()
	if e, ok := c.entries[name]; ok {
		c.mu.Unlock()
		return e.value, nil
	}
	f := c.fetching[name]
	if f == nil {
		f = &sync.Mutex{}
		c.fetching[name] = f
	}
	c.mu.Unlock()

	f.Lock()
	defer f.Unlock()
	c.mu.Lock()
	e, ok := c.entries[name]
	c.mu.Unlock()
	if ok {
		return e.value, nil
	}
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
