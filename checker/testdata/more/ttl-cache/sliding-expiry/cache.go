package main

import (
	"context"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// Deliberately wrong: every hit restarts the entry's clock (sliding expiry), so a key read more often than once per TTL is never fetched again.
//
// cache is a read-through cache with a TTL per entry. Each name has its own
// lock, held while fetching, so concurrent misses for one name wait for a
// single call while other names proceed.
type cache struct {
	client *secretsmanager.Client
	ttl    time.Duration

	mu      sync.Mutex
	entries map[string]*entry
}

type entry struct {
	mu      sync.Mutex // held during a fetch of this name
	value   string
	fetched time.Time // zero until the first successful fetch
}

// NewCache returns a SecretCache that reads through client and keeps each
// value for ttl.
func NewCache(client *secretsmanager.Client, ttl time.Duration) SecretCache {
	return &cache{client: client, ttl: ttl, entries: map[string]*entry{}}
}

// Get returns the AWSCURRENT value of name, calling GetSecretValue at most
// once per TTL, and once for concurrent misses.
func (c *cache) Get(ctx context.Context, name string) (string, error) {
	c.mu.Lock()
	e := c.entries[name]
	if e == nil {
		e = &entry{}
		c.entries[name] = e
	}
	c.mu.Unlock()

	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.fetched.IsZero() && time.Since(e.fetched) < c.ttl {
		e.fetched = time.Now()
		return e.value, nil
	}
	out, err := c.client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name)})
	if err != nil {
		return "", err
	}
	e.value, e.fetched = aws.ToString(out.SecretString), time.Now()
	return e.value, nil
}
