package main

import (
	"context"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// Right but different: the simplest correct cache, one mutex held across the
// fetch too. Slower under contention for many names, but it makes one call
// per TTL and one for concurrent misses.
type cache struct {
	client *secretsmanager.Client
	ttl    time.Duration

	mu      sync.Mutex
	values  map[string]string
	expires map[string]time.Time
}

func NewCache(client *secretsmanager.Client, ttl time.Duration) SecretCache {
	return &cache{client: client, ttl: ttl, values: map[string]string{}, expires: map[string]time.Time{}}
}

func (c *cache) Get(ctx context.Context, name string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if exp, ok := c.expires[name]; ok && time.Now().Before(exp) {
		return c.values[name], nil
	}
	out, err := c.client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name)})
	if err != nil {
		return "", err
	}
	c.values[name], c.expires[name] = aws.ToString(out.SecretString), time.Now().Add(c.ttl)
	return c.values[name], nil
}
