package main

import (
	"context"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// Deliberately wrong: the lock guards the map but is released during the
// fetch, so every goroutine that misses at the same moment fetches too.
type cache struct {
	client *secretsmanager.Client
	ttl    time.Duration

	mu      sync.Mutex
	entries map[string]entry
}

type entry struct {
	value   string
	fetched time.Time
}

func NewCache(client *secretsmanager.Client, ttl time.Duration) SecretCache {
	return &cache{client: client, ttl: ttl, entries: map[string]entry{}}
}

func (c *cache) Get(ctx context.Context, name string) (string, error) {
	c.mu.Lock()
	e, ok := c.entries[name]
	c.mu.Unlock()
	if ok && time.Since(e.fetched) < c.ttl {
		return e.value, nil
	}
	out, err := c.client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name)})
	if err != nil {
		return "", err
	}
	e = entry{value: aws.ToString(out.SecretString), fetched: time.Now()}
	c.mu.Lock()
	c.entries[name] = e
	c.mu.Unlock()
	return e.value, nil
}
