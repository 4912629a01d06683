package main

import (
	"context"
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// cache is your SecretCache. Add the fields it needs: the client, the TTL,
// the entries and a lock.
type cache struct {
	client *secretsmanager.Client
	ttl    time.Duration
}

// NewCache returns a SecretCache that reads through client and keeps each
// value for ttl.
func NewCache(client *secretsmanager.Client, ttl time.Duration) SecretCache {
	return &cache{client: client, ttl: ttl}
}

// Get returns the AWSCURRENT value of name, calling GetSecretValue at most
// once per TTL (and once for concurrent misses).
func (c *cache) Get(ctx context.Context, name string) (string, error) {
	// TODO: return the cached value while it is fresh; otherwise fetch it
	// with c.client.GetSecretValue, store it with the time, and return it.
	return "", errors.New("not implemented yet: see README.md")
}
