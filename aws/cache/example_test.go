package cache_test

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"

	"secretlings/aws/cache"
)

// exampleAPI stands in for *secretsmanager.Client in the examples: one
// AWSCURRENT value per secret, and an outage switch.
type exampleAPI struct {
	mu      sync.Mutex
	values  map[string]string
	version int
	down    bool
}

func newExampleAPI(values map[string]string) *exampleAPI { return &exampleAPI{values: values} }

func (a *exampleAPI) set(id, v string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.values[id] = v
	a.version++
}

func (a *exampleAPI) setDown(down bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.down = down
}

func (a *exampleAPI) GetSecretValue(_ context.Context, in *secretsmanager.GetSecretValueInput, _ ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.down {
		return nil, errors.New("dial tcp 127.0.0.1:4566: connection refused")
	}
	v, ok := a.values[*in.SecretId]
	if !ok {
		return nil, &types.ResourceNotFoundException{Message: new("Secrets Manager can't find the specified secret.")}
	}
	return &secretsmanager.GetSecretValueOutput{
		Name:         in.SecretId,
		SecretString: &v,
		VersionId:    new(fmt.Sprintf("v%d", a.version)),
	}, nil
}

// A program builds one Cache around its Secrets Manager client and reads
// through it; only the first read calls the API.
func Example() {
	// In a program: cfg, _ := config.LoadDefaultConfig(ctx);
	// api := secretsmanager.NewFromConfig(cfg)
	api := newExampleAPI(map[string]string{"prod/api-key": "k-123"})
	c := cache.New(api, cache.WithTTL(5*time.Minute))
	ctx := context.Background()

	for range 3 {
		key, err := c.GetString(ctx, "prod/api-key")
		if err != nil {
			fmt.Println(err)
			return
		}
		_ = key // use it; never print it
	}
	s := c.Stats()
	fmt.Printf("hits %d, misses %d, API calls %d\n", s.Hits, s.Misses, s.APICalls)
	// Output: hits 2, misses 1, API calls 1
}

// dbConfig is the shape of a database secret, as RDS stores it.
type dbConfig struct {
	Host     string `json:"host"`
	Port     int    `json:"port"`
	Username string `json:"username"`
	Password string `json:"password"`
}

func ExampleCache_GetJSON() {
	api := newExampleAPI(map[string]string{
		"prod/db":  `{"host":"db.internal","port":5432,"username":"app","password":"pw"}`,
		"prod/bad": `{"port":"not-a-number"}`,
	})
	c := cache.New(api)
	ctx := context.Background()

	var db dbConfig
	if err := c.GetJSON(ctx, "prod/db", &db); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s@%s:%d\n", db.Username, db.Host, db.Port)

	// The error names the secret and the field, never the value.
	err := c.GetJSON(ctx, "prod/bad", &db)
	fmt.Println(errors.Is(err, cache.ErrInvalidJSON))
	fmt.Println(err)
	// Output:
	// app@db.internal:5432
	// true
	// cache: secret "prod/bad" version v0: the value is not the JSON expected: field port is a JSON string but *cache_test.dbConfig wants int; change the secret or the Go type
}

// A ManualClock drives expiry by hand. A rotation that happens while a value
// is cached is seen only when the entry expires, or at once with RefreshNow.
func ExampleManualClock() {
	api := newExampleAPI(map[string]string{"prod/token": "old"})
	clk := cache.NewManualClock(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	c := cache.New(api, cache.WithClock(clk.Now), cache.WithTTL(time.Minute), cache.WithJitter(0))
	ctx := context.Background()
	read := func(when string) {
		v, _ := c.GetString(ctx, "prod/token")
		fmt.Printf("%-18s %-3s (API calls %d)\n", when, v, c.Stats().APICalls)
	}

	read("first read")
	api.set("prod/token", "new") // rotated behind the cache's back
	clk.Advance(30 * time.Second)
	read("30 s later")
	clk.Advance(30 * time.Second)
	read("60 s: expired")
	api.set("prod/token", "newer")
	_ = c.RefreshNow(ctx, "prod/token")
	read("after RefreshNow")
	// Output:
	// first read         old (API calls 1)
	// 30 s later         old (API calls 1)
	// 60 s: expired      new (API calls 2)
	// after RefreshNow   newer (API calls 3)
}

// With WithStaleIfError, an outage serves the last value for a bounded time,
// and Get says so.
func ExampleWithStaleIfError() {
	api := newExampleAPI(map[string]string{"prod/token": "t-1"})
	clk := cache.NewManualClock(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	c := cache.New(api, cache.WithClock(clk.Now), cache.WithTTL(time.Minute), cache.WithJitter(0),
		cache.WithStaleIfError(10*time.Minute))
	ctx := context.Background()
	_, _ = c.GetString(ctx, "prod/token")

	api.setDown(true)
	clk.Advance(2 * time.Minute)
	s, err := c.Get(ctx, "prod/token")
	fmt.Println("error:", err)
	fmt.Println("stale:", s.Stale, "because:", s.StaleCause)
	fmt.Println(s) // metadata only

	clk.Advance(10 * time.Minute) // past expiry + window
	_, err = c.Get(ctx, "prod/token")
	fmt.Println("after the window:", err)
	fmt.Println("stale reads:", c.Stats().StaleServed)
	// Output:
	// error: <nil>
	// stale: true because: dial tcp 127.0.0.1:4566: connection refused
	// cache.Secret{SecretID: "prod/token", VersionID: "v0", string value: [redacted], FetchedAt: 2026-11-25T12:00:00Z, Stale: true}
	// after the window: cache: reading secret "prod/token" (stage AWSCURRENT): dial tcp 127.0.0.1:4566: connection refused
	// stale reads: 1
}

// Hooks can keep values encrypted while they sit in memory, here with
// AES-GCM under a key that exists only in this process, binding each
// ciphertext to its secret and version.
func ExampleWithHooks() {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		panic(err)
	}
	block, _ := aes.NewCipher(key)
	aead, _ := cipher.NewGCM(block)

	hooks := cache.Hooks{
		Put: func(id, version string, plaintext []byte) ([]byte, error) {
			nonce := make([]byte, aead.NonceSize())
			if _, err := rand.Read(nonce); err != nil {
				return nil, err
			}
			sealed := aead.Seal(nonce, nonce, plaintext, []byte(id+"\x00"+version))
			clear(plaintext)
			return sealed, nil
		},
		Get: func(id, version string, stored []byte) ([]byte, error) {
			n := aead.NonceSize()
			if len(stored) < n {
				return nil, errors.New("stored value too short")
			}
			return aead.Open(nil, stored[:n], stored[n:], []byte(id+"\x00"+version))
		},
	}
	api := newExampleAPI(map[string]string{"prod/api-key": "k-123"})
	c := cache.New(api, cache.WithHooks(hooks))
	v, err := c.GetString(context.Background(), "prod/api-key")
	fmt.Println(len(v), err)
	// Output: 5 <nil>
}
