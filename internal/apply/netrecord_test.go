package apply

import (
	"testing"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/planner"
)

// TestMarkLost: a kept service with a network setup is re-applied when
// its container was started again since the recorded start, or when no
// start is recorded; a recorded start keeps it; a service without a
// setup, or without a folder to record in, is never looked at.
func TestMarkLost(t *testing.T) {
	ctx := t.Context()
	eng := newEngine(t)
	start := func(name string) string {
		id, err := eng.CreateContainer(ctx, engine.ContainerSpec{Name: name, Image: "proeftuin/busybox:1"})
		if err != nil {
			t.Fatal(err)
		}
		if err := eng.StartContainer(ctx, id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	ids := map[string]string{"r1": start("netrec-r1"), "r2": start("netrec-r2"), "web": start("netrec-web")}
	env := &config.Environment{Name: "netrec", Dir: t.TempDir(), Services: []*config.Service{
		{Name: "r1", NoDefaultRoute: true}, {Name: "r2", NoDefaultRoute: true}, {Name: "web"},
	}}
	plan := func() *planner.Plan {
		p := &planner.Plan{}
		for _, s := range []string{"r1", "r2", "web"} {
			p.Operations = append(p.Operations, planner.Operation{Kind: planner.Keep, Resource: planner.ResService, Name: s, ID: ids[s], Cause: "unchanged"})
		}
		return p
	}
	r := newRun(eng, "netrec", Options{})
	r.dir = env.Dir
	kinds := func(p *planner.Plan) map[string]string {
		out := map[string]string{}
		for _, op := range p.Operations {
			out[op.Name] = string(op.Kind) + ": " + op.Cause
		}
		return out
	}

	p := plan()
	if err := r.markLost(ctx, env, p); err != nil {
		t.Fatal(err)
	}
	if k := kinds(p); k["r1"] != "reapply: "+planner.NetSetupUnrecordedCause || k["web"] != "keep: unchanged" {
		t.Errorf("nothing recorded: %v", k)
	}
	for _, s := range []string{"r1", "r2"} {
		d, err := eng.InspectContainer(ctx, ids[s])
		if err != nil {
			t.Fatal(err)
		}
		if err := r.recordNetSetup(s, ids[s], d); err != nil {
			t.Fatal(err)
		}
	}
	p = plan()
	if err := r.markLost(ctx, env, p); err != nil {
		t.Fatal(err)
	}
	if p.Changes() != 0 {
		t.Errorf("both starts recorded, yet: %v", kinds(p))
	}

	// r2 restarted by the engine: a new StartedAt.
	if err := eng.StartContainer(ctx, ids["r2"]); err != nil {
		t.Fatal(err)
	}
	p = plan()
	if err := r.markLost(ctx, env, p); err != nil {
		t.Fatal(err)
	}
	if k := kinds(p); k["r2"] != "reapply: "+planner.NetSetupLostCause || k["r1"] != "keep: unchanged" {
		t.Errorf("r2 restarted: %v", k)
	}
	if n := planner.Count(p); n.Reapply != 1 || !n.Changed() || planner.Summary(p) != "0 to create, 0 to recreate, 1 network setup to re-apply, 0 to remove, 2 unchanged" {
		t.Errorf("counts %+v, summary %q", n, planner.Summary(p))
	}

	// No folder: no record, nothing looked at.
	r.dir = ""
	p = plan()
	if err := r.markLost(ctx, env, p); err != nil || p.Changes() != 0 {
		t.Errorf("without a folder: %v, %v", kinds(p), err)
	}
}
