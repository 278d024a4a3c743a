package planner

import (
	"errors"
	"strings"
	"testing"

	"github.com/proeftuin/proeftuin/internal/engine"
)

func TestCheckOwner(t *testing.T) {
	labels := func(env, dir string) map[string]string {
		return map[string]string{engine.LabelInstance: "b1", engine.LabelEnv: env, LabelFolder: dir}
	}
	a := &Actual{
		Containers: map[string]engine.Container{"web": {Name: "b1-web", Labels: labels("big", "/labs/big")}},
		Networks:   map[string]engine.Network{},
		Volumes:    map[string]engine.Volume{"data": {Name: "b1-data", Labels: labels("big", "/labs/big")}},
	}

	_, err := CheckOwner(a, "b1", "other", "/labs/other")
	var oe *OtherEnvironmentError
	if !errors.As(err, &oe) {
		t.Fatalf("another environment: err = %v, want *OtherEnvironmentError", err)
	}
	for _, want := range []string{"big", "/labs/big", "other", "--name b1 down", "--name"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}

	folders, err := CheckOwner(a, "b1", "big", "/copy/big")
	if err != nil || len(folders) != 1 || folders[0] != "/labs/big" {
		t.Fatalf("same environment, other folder: %v, %v; want [/labs/big], nil", folders, err)
	}
	folders, err = CheckOwner(a, "b1", "big", "/labs/big")
	if err != nil || len(folders) != 0 {
		t.Fatalf("same folder: %v, %v", folders, err)
	}
	// Objects without labels (an older proeftuin) are nobody's.
	old := &Actual{Containers: map[string]engine.Container{"web": {Labels: map[string]string{engine.LabelInstance: "b1"}}}}
	if _, err := CheckOwner(old, "b1", "other", "/x"); err != nil {
		t.Fatalf("unlabelled: %v", err)
	}
}

// TestPlanPausedIsDrift: a paused container used to be "unchanged", so
// plan said "No changes", up did nothing and run failed (issue 17).
func TestPlanPausedIsDrift(t *testing.T) {
	eng := deployed(t)
	eng.SetState(inst+"-api", "paused", 0)
	p := planFor(t, eng, shop(), images)
	if op, _ := p.Find(ResService, "api"); op.Kind != Start || op.Cause != "paused" {
		t.Fatalf("api: %v, want start (paused)", op)
	}
}

// TestPlanRemovesLeftProbe: a probe sidecar left by a SIGKILL was "not
// declared" in status, but plan said "No changes" (issue 17, trial 7).
func TestPlanRemovesLeftProbe(t *testing.T) {
	eng := deployed(t)
	eng.AddContainer(engine.Container{Name: inst + "-probe-web", State: "running",
		Labels: map[string]string{engine.LabelInstance: inst, engine.LabelProbe: "web"}})
	p := planFor(t, eng, shop(), images)
	op, ok := p.Find(ResService, inst+"-probe-web")
	if !ok || op.Kind != Remove || op.Cause != ProbeLeftCause || op.ID == "" {
		t.Fatalf("left probe: %v (found %v), want a removal", op, ok)
	}
	if _, ok := p.Find(ResService, "web"); !ok {
		t.Fatal("the service web vanished from the plan")
	}
}
