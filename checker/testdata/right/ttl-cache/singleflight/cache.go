package main

import (
	"context"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"golang.org/x/sync/singleflight"
)

// Right but different: golang.org/x/sync/singleflight merges concurrent
// misses; a sync.RWMutex lets hits read the map together.
type cache struct {
	client *secretsmanager.Client
	ttl    time.Duration
	group  singleflight.Group

	mu      sync.RWMutex
	entries map[string]entry
}

type entry struct {
	value   string
	expires time.Time
}

func NewCache(client *secretsmanager.Client, ttl time.Duration) SecretCache {
	return &cache{client: client, ttl: ttl, entries: map[string]entry{}}
}

func (c *cache) lookup(name string) (string, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e, ok := c.entries[name]
	return e.value, ok && time.Now().Before(e.expires)
}

func (c *cache) Get(ctx context.Context, name string) (string, error) {
	if v, ok := c.lookup(name); ok {
		return v, nil
	}
	v, err, _ := c.group.Do(name, func() (any, error) {
		// A caller that waited for the lock may find it fresh now.
		if v, ok := c.lookup(name); ok {
			return v, nil
		}
		out, err := c.client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name)})
		if err != nil {
			return "", err
		}
		v := aws.ToString(out.SecretString)
		c.mu.Lock()
		c.entries[name] = entry{value: v, expires: time.Now().Add(c.ttl)}
		c.mu.Unlock()
		return v, nil
	})
	if err != nil {
		return "", err
	}
	return v.(string), nil
}
