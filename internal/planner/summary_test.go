package planner

import "testing"

func TestSummarize(t *testing.T) {
	p := &Plan{Operations: []Operation{
		{Kind: Create}, {Kind: Create}, {Kind: Recreate},
		{Kind: Remove}, {Kind: Keep}, {Kind: Keep}, {Kind: Keep},
	}}
	if got, want := Summary(p), "2 to create, 1 to recreate, 1 to remove, 3 unchanged"; got != want {
		t.Errorf("summarize = %q, want %q", got, want)
	}
	if got, want := SummaryDone(p), "2 created, 1 recreated, 1 removed, 3 unchanged"; got != want {
		t.Errorf("summarizeDone = %q, want %q", got, want)
	}
	p.Operations = append(p.Operations, Operation{Kind: Start})
	if got, want := Summary(p), "2 to create, 1 to recreate, 1 to start, 1 to remove, 3 unchanged"; got != want {
		t.Errorf("summarize with start = %q, want %q", got, want)
	}
	if Count(&Plan{Operations: []Operation{{Kind: Keep}}}).Changed() {
		t.Error("a plan of keeps has changes")
	}
	if got := Summary(nil); got != "0 to create, 0 to recreate, 0 to remove, 0 unchanged" {
		t.Errorf("Summary(nil) = %q", got)
	}
}
