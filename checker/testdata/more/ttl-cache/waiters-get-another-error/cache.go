package main

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// Deliberately wrong: a miss records an in-flight call (a channel closed
// when it is done) that later callers wait on, but when the fetch fails
// they get an error of the cache's own, which says nothing of why (a
// caller cannot tell a missing secret with errors.As).
type cache struct {
	client *secretsmanager.Client
	ttl    time.Duration

	mu       sync.Mutex
	entries  map[string]entry
	inflight map[string]*call
}

type entry struct {
	value string
	at    time.Time
}

type call struct {
	done  chan struct{}
	value string
	err   error
}

func NewCache(client *secretsmanager.Client, ttl time.Duration) SecretCache {
	return &cache{client: client, ttl: ttl, entries: map[string]entry{}, inflight: map[string]*call{}}
}

func (c *cache) Get(ctx context.Context, name string) (string, error) {
	c.mu.Lock()
	if e, ok := c.entries[name]; ok && time.Since(e.at) < c.ttl {
		c.mu.Unlock()
		return e.value, nil
	}
	if cl, ok := c.inflight[name]; ok {
		c.mu.Unlock()
		select {
		case <-cl.done:
			if cl.err != nil {
				return "", errors.New("the fetch this read waited for failed")
			}
			return cl.value, nil
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
	cl := &call{done: make(chan struct{})}
	c.inflight[name] = cl
	c.mu.Unlock()

	out, err := c.client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name)})
	if err == nil {
		cl.value = aws.ToString(out.SecretString)
	}
	cl.err = err

	c.mu.Lock()
	if err == nil {
		c.entries[name] = entry{value: cl.value, at: time.Now()}
	}
	delete(c.inflight, name)
	c.mu.Unlock()
	close(cl.done)
	return cl.value, cl.err
}
