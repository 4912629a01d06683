package browser

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	tea "github.com/charmbracelet/bubbletea"

	"secretlings/aws"
	"secretlings/aws/emulator"
)

const benchSecrets = 10_000

// bulkFixture is an emulator holding n secrets with a description and two
// tags each, stored directly (no HTTP) so that seeding takes little time.
func bulkFixture(tb testing.TB, n int) *fixture {
	tb.Helper()
	f := newFixture(tb)
	st := f.srv.Store("123456789012", "us-east-1")
	for i := range n {
		_, err := st.CreateSecret(context.Background(), &emulatorCreate{
			Name:               sdkaws.String(seqName(i)),
			Description:        sdkaws.String(fmt.Sprintf("Database password of app %d", i)),
			SecretString:       sdkaws.String("bulk-value"),
			ClientRequestToken: sdkaws.String(token(100_000 + i)),
			Tags: []emulatorTag{
				{Key: sdkaws.String("team"), Value: sdkaws.String(fmt.Sprintf("team-%d", i%37))},
				{Key: sdkaws.String("env"), Value: sdkaws.String([]string{"dev", "test", "prod"}[i%3])},
			},
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	return f
}

func benchBrowser(f *fixture) Model {
	m := New(testCommon(f.client, aws.Embedded, false), nil)
	m.SetSize(98, 26)
	return m
}

// loadPages runs the browser's commands until pages list pages have been
// applied (0: all of them), and returns the model.
func loadPages(tb testing.TB, m Model, pages int) Model {
	tb.Helper()
	pending := []tea.Cmd{m.Init()}
	n := 0
	for len(pending) > 0 {
		cmd := pending[0]
		pending = pending[1:]
		switch msg := cmd().(type) {
		case tea.BatchMsg:
			pending = append(pending, msg...)
		case listPageMsg:
			if msg.err != nil {
				tb.Fatal(msg.err)
			}
			var next tea.Cmd
			m, next = m.Update(msg)
			n++
			if n == pages {
				return m
			}
			if next != nil {
				pending = append(pending, next)
			}
		}
	}
	return m
}

// BenchmarkBrowserFirstRows is the time from opening the browser to the
// first screen of rows drawn, with 10,000 secrets on the emulator: one
// ListSecrets page over HTTP, the update and the view.
func BenchmarkBrowserFirstRows(b *testing.B) {
	f := bulkFixture(b, benchSecrets)
	b.ResetTimer()
	for b.Loop() {
		m := loadPages(b, benchBrowser(f), 1)
		if len(m.list.rows) != listPageSize {
			b.Fatalf("%d rows after the first page", len(m.list.rows))
		}
		_ = m.View()
	}
}

// BenchmarkBrowserLoadAll loads all 100 pages of 10,000 secrets and reports
// the heap the loaded list keeps, per secret.
func BenchmarkBrowserLoadAll(b *testing.B) {
	f := bulkFixture(b, benchSecrets)
	var kept uint64
	b.ResetTimer()
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		m := loadPages(b, benchBrowser(f), 0)
		if len(m.list.rows) != benchSecrets || m.list.loading {
			b.Fatalf("%d rows, loading %v", len(m.list.rows), m.list.loading)
		}
		_ = m.View()
		runtime.GC()
		runtime.ReadMemStats(&after)
		kept = after.HeapAlloc - min(after.HeapAlloc, before.HeapAlloc)
		runtime.KeepAlive(m)
	}
	b.ReportMetric(float64(kept)/benchSecrets, "heapB/secret")
	b.ReportMetric(float64(kept)/(1<<20), "heapMiB")
}

// BenchmarkBrowserFilterKeystroke is one filter keystroke over 10,000 rows:
// the update and the view of the next frame. It must stay well under a
// 16 ms frame.
func BenchmarkBrowserFilterKeystroke(b *testing.B) {
	f := bulkFixture(b, benchSecrets)
	loaded := loadPages(b, benchBrowser(f), 0)
	if len(loaded.list.rows) != benchSecrets {
		b.Fatalf("%d rows loaded", len(loaded.list.rows))
	}
	loaded, _ = loaded.Update(keyMsg("/"))

	typing := func(q string) []tea.Msg {
		var out []tea.Msg
		for _, r := range q {
			out = append(out, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
		}
		for range q {
			out = append(out, tea.KeyMsg{Type: tea.KeyBackspace})
		}
		return out
	}
	for _, bc := range []struct {
		name string
		keys []tea.Msg
	}{
		// Typing a query and erasing it: narrowing keystrokes filter the
		// previous matches, erasing ones rescan every row.
		{"type-and-erase-query", typing("app42pw")},
		// The worst case: every keystroke rescans all rows and nearly all
		// match (one letter typed, then erased).
		{"one-letter-rescan", typing("a")},
		// A tag value: matches a third of the rows.
		{"tag-value", typing("prod")},
	} {
		b.Run(bc.name, func(b *testing.B) {
			m := loaded
			i := 0
			for b.Loop() {
				m, _ = m.Update(bc.keys[i%len(bc.keys)])
				_ = m.View()
				i++
			}
		})
	}
}

type emulatorTag = emulator.Tag
