package emulator

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"

	"secretlings/internal/motoserver"
)

// listAll pages through every secret with the SDK paginator (100 a page,
// as the browser does) and returns how many it saw.
func listAll(b *testing.B, c *secretsmanager.Client, prefix string) int {
	in := &secretsmanager.ListSecretsInput{MaxResults: aws.Int32(100)}
	if prefix != "" {
		in.Filters = []types.Filter{{Key: types.FilterNameStringTypeName, Values: []string{prefix}}}
	}
	p := secretsmanager.NewListSecretsPaginator(c, in)
	n := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			b.Fatal(err)
		}
		n += len(out.SecretList)
	}
	return n
}

// cpuTime is the CPU time (user+system) this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func seedList(st *memStore, n int) {
	for i := range n {
		name := fmt.Sprintf("app/service-%05d/db", i)
		st.CreateSecret(ctx, &CreateSecretInput{Name: &name, ClientRequestToken: sp(fmt.Sprintf("%032d", i)),
			SecretString: sp(`{"username":"app"}`), Description: sp("database credentials"), Tags: []Tag{{Key: sp("team"), Value: sp("payments")}}})
	}
}

// BenchmarkListSecrets10kPaged lists 10,000 secrets page by page through
// the SDK over loopback (target: at most 0.25 s a listing), and reports the
// cost of one page at 1,000 and at 10,000 secrets, which must be close: a
// page must not re-sort every secret.
func BenchmarkListSecrets10kPaged(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			srv, _ := New(WithIDs(seqIDs()))
			defer srv.Close()
			seedList(srv.store(DefaultAccountID, DefaultRegion), n)
			c := sdkClient(loopbackServer(b, srv))
			var total time.Duration
			pages := 0
			cpu0 := cpuTime()
			for b.Loop() {
				start := time.Now()
				if got := listAll(b, c, ""); got != n {
					b.Fatalf("listed %d of %d", got, n)
				}
				total += time.Since(start)
				pages += n / 100
			}
			b.ReportMetric(total.Seconds()/float64(pages)*1e3, "ms/page")
			b.ReportMetric(total.Seconds()/float64(b.N), "s/listing")
			// CPU used by client and server together: what the listing
			// costs when the machine is not shared.
			b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/listing")
		})
	}
}

// BenchmarkListSecretsMotoPaged is the same listing against moto_server,
// with 1,000 secrets (10,000 would take minutes to create there); compare
// ms/page with the emulator's.
func BenchmarkListSecretsMotoPaged(b *testing.B) {
	m := motoserver.ForTest(b)
	c := newClient(m.URL, "us-east-1")
	prefix := fmt.Sprintf("bench-list-%d/", time.Now().UnixNano())
	const n = 1000
	for i := range n {
		if _, err := c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String(fmt.Sprintf("%s%05d", prefix, i)), SecretString: aws.String("x")}); err != nil {
			b.Fatal(err)
		}
	}
	var total time.Duration
	pages := 0
	for b.Loop() {
		start := time.Now()
		if got := listAll(b, c, prefix); got != n {
			b.Fatalf("listed %d of %d", got, n)
		}
		total += time.Since(start)
		pages += n / 100
	}
	b.ReportMetric(total.Seconds()/float64(pages)*1e3, "ms/page")
	b.ReportMetric(total.Seconds()/float64(b.N), "s/listing")
}
