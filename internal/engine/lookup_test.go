package engine_test

import (
	"testing"

	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/engine/fake"
)

// TestLookupIgnoresImpostor: a container that carries the instance's
// labels but not the name proeftuin gives (made by someone else) used to
// receive the plan's exec commands (issue 17, trial 7).
func TestLookupIgnoresImpostor(t *testing.T) {
	eng := fake.New()
	labels := map[string]string{engine.LabelInstance: "lab", engine.LabelService: "web"}
	eng.AddContainer(engine.Container{Name: "impostor", State: "running", Labels: labels})
	l := &engine.Lookup{Engine: eng, Instance: "lab"}
	cs, err := l.Service(t.Context(), "web")
	if err != nil || len(cs) != 0 {
		t.Fatalf("impostor found: %+v, %v", cs, err)
	}
	eng.AddContainer(engine.Container{Name: "lab-web", State: "running", Labels: labels})
	l.Forget()
	cs, err = l.Service(t.Context(), "web")
	if err != nil || len(cs) != 1 || cs[0].Name != "lab-web" {
		t.Fatalf("got %+v, %v; want lab-web only", cs, err)
	}
}

func TestInstances(t *testing.T) {
	eng := fake.New()
	for _, n := range []string{"lab-b", "lab-a", "lab-b"} {
		eng.AddContainer(engine.Container{Name: n + "-web", Labels: map[string]string{engine.LabelInstance: n}})
	}
	eng.AddContainer(engine.Container{Name: "other", Labels: map[string]string{"x": "y"}})
	got, err := engine.Instances(t.Context(), eng)
	if err != nil || len(got) != 2 || got[0] != "lab-a" || got[1] != "lab-b" {
		t.Errorf("Instances = %q, %v; want lab-a, lab-b", got, err)
	}
}
