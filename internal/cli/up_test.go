package cli

import (
	"reflect"
	"testing"

	"github.com/proeftuin/proeftuin/internal/planner"
)

func TestSummarize(t *testing.T) {
	p := &planner.Plan{Operations: []planner.Operation{
		{Kind: planner.Create}, {Kind: planner.Create}, {Kind: planner.Recreate},
		{Kind: planner.Remove}, {Kind: planner.Keep}, {Kind: planner.Keep}, {Kind: planner.Keep},
	}}
	if got, want := summarize(p), "2 to create, 1 to recreate, 1 to remove, 3 unchanged"; got != want {
		t.Errorf("summarize = %q, want %q", got, want)
	}
	if got, want := summarizeDone(p), "2 created, 1 recreated, 1 removed, 3 unchanged"; got != want {
		t.Errorf("summarizeDone = %q, want %q", got, want)
	}
	p.Operations = append(p.Operations, planner.Operation{Kind: planner.Start})
	if got, want := summarize(p), "2 to create, 1 to recreate, 1 to start, 1 to remove, 3 unchanged"; got != want {
		t.Errorf("summarize with start = %q, want %q", got, want)
	}
	if countPlan(&planner.Plan{Operations: []planner.Operation{{Kind: planner.Keep}}}).changes() {
		t.Error("a plan of keeps has changes")
	}
	if got := summarize(nil); got != "0 to create, 0 to recreate, 0 to remove, 0 unchanged" {
		t.Errorf("summarize(nil) = %q", got)
	}
}

func TestSplitList(t *testing.T) {
	got := splitList([]string{"privileged, capabilities", "devices", ""})
	if want := []string{"privileged", "capabilities", "devices"}; !reflect.DeepEqual(got, want) {
		t.Errorf("splitList = %q, want %q", got, want)
	}
}
