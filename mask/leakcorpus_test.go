package mask

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"strings"
)

// Ordinary program output, holding no secret: what the LeakScanner runs on
// most of the time, for the false-positive tests and the benchmarks.

const prose = `Secrets Manager stores the credentials your application needs and hands
them out on request, so that no password has to live in a configuration file,
an environment variable baked into an image, or a source repository. When the
application starts, it asks for the secret by name, receives the current
version, and keeps it in memory for as long as it needs it. Rotation replaces
the value on a schedule: a new version is created, tested against the
database, and promoted to the current stage, while the previous version stays
available for a while so that clients holding the old value keep working.
Caching reduces the number of calls, and with it the cost and the latency, at
the price of serving a value that may be a little stale. Interleaved among
these concerns is the plain question of logging: a program that prints what it
fetched, even once, even in a debug message, has leaked it to everyone who can
read the logs. The exercises in this tutorial check exactly that, by scanning
everything your program writes. Administrators, operators and developers alike
benefit from understanding the lifecycle: creation, retrieval, rotation,
deprecation, deletion with a recovery window, and restoration.
`

const goPanic = `panic: runtime error: invalid memory address or nil pointer dereference
[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x4a1f3c]

goroutine 1 [running]:
main.(*Config).Load(0x0, {0x7ffd4b2e9c31, 0x12})
	/home/learner/secretlings/lessons/01-store/exercise/main.go:42 +0x3c
main.main()
	/home/learner/secretlings/lessons/01-store/exercise/main.go:17 +0x1d5
exit status 2
`

const jsonLogs = `{"time":"2026-11-25T21:00:01.123456789Z","level":"INFO","msg":"fetched secret","name":"prod/db","version_id":"3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b","password":"••••••••","token":"[REDACTED]","api_key":"<redacted>","pin":"****"}
{"time":"2026-11-25T21:00:02.000000001Z","level":"WARN","msg":"retrying request","attempt":2,"error":"operation error Secrets Manager: GetSecretValue, https response error StatusCode: 400, RequestID: 8a1b2c3d-4e5f-6789-abcd-ef0123456789, ResourceNotFoundException: Secrets Manager can't find the specified secret."}
{"time":"2026-11-25T21:00:03.5Z","level":"DEBUG","msg":"cache","hits":1024,"misses":3,"ttl":"5m0s","arn":"arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf"}
`

// ordinaryText returns about size bytes of prose, panics, JSON logs, access
// logs and base64 and hex of random data, none of it a secret.
func ordinaryText(size int, seed uint64) string {
	rng := rand.New(rand.NewPCG(seed, 1))
	var b strings.Builder
	for i := 0; b.Len() < size; i++ {
		switch i % 6 {
		case 0:
			b.WriteString(prose)
		case 1:
			b.WriteString(goPanic)
		case 2:
			b.WriteString(jsonLogs)
		case 3:
			for j := 0; j < 20; j++ {
				fmt.Fprintf(&b, "2026-11-25T21:00:%02d.%03dZ INFO request id=%08x path=/v1/secrets/app-%d status=200 bytes=%d\n",
					j%60, j%1000, rng.Uint32(), j%97, rng.IntN(100000))
			}
		case 4:
			blob := make([]byte, 48)
			for j := range blob {
				blob[j] = byte(rng.Uint32())
			}
			fmt.Fprintf(&b, "Authorization: Bearer %s\nchecksum: sha256:%s\n",
				base64.StdEncoding.EncodeToString(blob), hex.EncodeToString(blob[:32]))
		case 5:
			b.WriteString("masked: •••••••• **** [REDACTED] <redacted> ********\n")
		}
	}
	return b.String()
}

// randomValues returns n random values of the given length range, made of
// the characters passwords are made of.
func randomValues(rng *rand.Rand, n, minLen, maxLen int) []string {
	const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_/+!@#%^&*"
	vals := make([]string, n)
	for i := range vals {
		b := make([]byte, minLen+rng.IntN(maxLen-minLen+1))
		for j := range b {
			b[j] = chars[rng.IntN(len(chars))]
		}
		vals[i] = string(b)
	}
	return vals
}

// apiKeys returns n keys shaped like Stripe's live secret keys.
func apiKeys(rng *rand.Rand, n int) []string {
	const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	keys := make([]string, n)
	for i := range keys {
		b := []byte("sk_live_")
		for range 24 {
			b = append(b, chars[rng.IntN(len(chars))])
		}
		keys[i] = string(b)
	}
	return keys
}
