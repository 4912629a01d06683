package main

import (
	"context"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// Deliberately wrong: the cache remembers one name only, the last one read;
// reading two names in turn fetches on every call.
type cache struct {
	client *secretsmanager.Client
	ttl    time.Duration

	mu      sync.Mutex // held during a fetch
	name    string
	value   string
	fetched time.Time
}

func NewCache(client *secretsmanager.Client, ttl time.Duration) SecretCache {
	return &cache{client: client, ttl: ttl}
}

func (c *cache) Get(ctx context.Context, name string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.name == name && time.Since(c.fetched) < c.ttl {
		return c.value, nil
	}
	out, err := c.client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name)})
	if err != nil {
		return "", err
	}
	c.name, c.value, c.fetched = name, aws.ToString(out.SecretString), time.Now()
	return c.value, nil
}
