package glossary

import (
	"slices"
	"testing"
)

func TestForeign(t *testing.T) {
	if got := Foreign("nl", "Het technisch ontwerp noemt de requirement en de Services."); !slices.Contains(got, "requirement") || !slices.Contains(got, "services") || slices.Contains(got, "technical design") {
		t.Errorf("Foreign nl = %v", got)
	}
	if got := Foreign("nl", "requirements_met en checkpoint"); len(got) != 0 {
		t.Errorf("parts of words count: %v", got)
	}
	if got := Foreign("en", "The implementatieplan has stappen; Must and volume are shared."); !slices.Contains(got, "implementatieplan") || !slices.Contains(got, "stappen") || len(got) != 2 {
		t.Errorf("Foreign en = %v", got)
	}
}

func TestTermsAreUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, term := range Terms {
		if seen[term.Key] || term.NL == "" || term.EN == "" {
			t.Errorf("term %+v: duplicate key or empty text", term)
		}
		seen[term.Key] = true
	}
	if T("nl", "implementation_plan") != "implementatieplan" || T("en", "kind.security") != "security" || Priority("wont") != "Won't" || Kind("nl", "functional") != "functioneel" {
		t.Error("lookups")
	}
}
