package runner

import (
	"context"
	"testing"

	"secretlings/aws"
	"secretlings/lessons"
)

// BenchmarkLessonActions runs each lesson's actions end to end on the
// embedded backend, in real time: the caching lesson's demos read at the
// rates the lesson sets, so it takes as long as a learner watches it.
// Run with: go test -run '^$' -bench LessonActions -benchtime 1x ./lessons/runner
func BenchmarkLessonActions(b *testing.B) {
	isolate(b)
	conn := connect(b, aws.Target{Backend: aws.Embedded})
	all, err := lessons.All()
	if err != nil {
		b.Fatal(err)
	}
	r := New(conn)
	ctx := context.Background()
	for _, l := range all {
		b.Run(l.ID, func(b *testing.B) {
			for b.Loop() {
				if err := r.Reset(ctx, l.ID); err != nil {
					b.Fatal(err)
				}
				for i := range l.Actions() {
					if res := r.Run(ctx, l, i, nil); !res.OK() {
						b.Fatalf("action %d: %s", i+1, res.Explanation)
					}
				}
			}
			b.ReportMetric(float64(len(l.Actions())), "actions")
		})
	}
}
