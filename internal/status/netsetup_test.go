package status

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/engine/fake"
	"github.com/proeftuin/proeftuin/internal/planner"
)

// routingOnFake puts examples/routing on the fake engine as up creates it
// (the specs of planner.Desire, labels included) and starts every service.
func routingOnFake(t *testing.T) (*fake.Engine, *config.Environment) {
	t.Helper()
	ctx := context.Background()
	env, diags := config.Load(config.Options{Dir: filepath.Join("..", "..", "examples", "routing"),
		Subnets: map[string]string{"lan1": "10.201.1.0/24", "lan3": "10.201.2.0/24"}})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	d, err := planner.Desire(env, "rt", nil)
	if err != nil {
		t.Fatal(err)
	}
	eng := fake.New()
	eng.SetImage("proeftuin/busybox:1", "sha256:1")
	for _, n := range d.Networks {
		if _, err := eng.CreateNetwork(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	// up's record of which start got the network setup lives in the
	// lab folder; this one is the test's.
	env.Dir = t.TempDir()
	rec := planner.NetRecord{Services: map[string]string{}}
	for _, s := range d.Services {
		id, err := eng.CreateContainer(ctx, s.Spec)
		if err != nil {
			t.Fatal(err)
		}
		if err := eng.StartContainer(ctx, id); err != nil {
			t.Fatal(err)
		}
		if env.Service(s.Name).NeedsNetSetup() {
			d, err := eng.InspectContainer(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			rec.Services[s.Name] = planner.NetStart(id, d.StartedAt)
		}
	}
	writeNetRecord(t, env.Dir, "rt", rec)
	return eng, env
}

func writeNetRecord(t *testing.T, dir, instance string, rec planner.NetRecord) {
	t.Helper()
	b, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	p := planner.NetRecordPath(dir, instance)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestGatherPointToPointAndRoutes: status shows the links and routes up
// set through the network helper, which the engine does not report, as
// recorded at up; a link is neither a missing network nor a disconnected
// one.
func TestGatherPointToPointAndRoutes(t *testing.T) {
	eng, env := routingOnFake(t)
	r, err := Gather(context.Background(), eng, "rt", env)
	if err != nil {
		t.Fatal(err)
	}
	if r.Drifted() {
		t.Errorf("a lab just up drifts: %+v", r)
	}
	var links []string
	for _, l := range r.Links {
		var ends []string
		for _, e := range l.Ends {
			ends = append(ends, e.Service+" "+e.Interface+" "+e.Address)
		}
		links = append(links, l.Name+": "+strings.Join(ends, ", ")+" ("+l.Source+")")
	}
	want := "r1r2: r1 eth1 10.16.0.1/30, r2 eth0 10.16.0.2/30 (recorded at up) | r2r3: r2 eth1 10.16.0.4/31, r3 eth0 10.16.0.5/31 (recorded at up)"
	if got := strings.Join(links, " | "); got != want {
		t.Errorf("links\n got %s\nwant %s", got, want)
	}
	by := map[string]Service{}
	for _, s := range r.Services {
		by[s.Name] = s
	}
	r3 := by["r3"].NetworkSetup
	if r3 == nil || r3.DefaultRoute || len(r3.Routes) != 1 || r3.Routes[0] != (Route{To: "10.201.1.0/24", Via: "10.16.0.4"}) ||
		len(r3.Interfaces) != 2 || r3.Interfaces[1] != (Interface{Network: "lan3", Name: "eth1", MACAddress: "02:16:00:00:03:01"}) {
		t.Errorf("r3 network setup %+v", r3)
	}
	if r2 := by["r2"].NetworkSetup; r2 == nil || r2.DefaultRoute || len(r2.Routes) != 2 {
		t.Errorf("r2 (links only) network setup %+v: want no default route and two routes", r2)
	}

	var buf bytes.Buffer
	if err := r.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	for _, s := range []string{
		"POINT-TO-POINT LINK", "r1 eth1 10.16.0.1/30 <-> r2 eth0 10.16.0.2/30",
		"eth0 r2r3, eth1 lan3 02:16:00:00:03:01", "10.201.1.0/24 via 10.16.0.4",
		"none (links only)", "default via 10.201.1.2", "not from the containers",
	} {
		if !strings.Contains(text, s) {
			t.Errorf("text lacks %q:\n%s", s, text)
		}
	}
	for _, s := range []string{"missing", "disconnected"} {
		if strings.Contains(text, s) {
			t.Errorf("text says %q of a lab just up:\n%s", s, text)
		}
	}
	js, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`"links":[{"name":"r1r2","source":"recorded at up"`, `"network_setup":{"source":"recorded at up"`, `"to":"0.0.0.0/0","via":"10.201.1.2"`} {
		if !strings.Contains(string(js), s) {
			t.Errorf("json lacks %s:\n%s", s, js)
		}
	}
}

// TestGatherLinkDrift: a link end whose container is gone or stopped is
// drift of the link.
func TestGatherLinkDrift(t *testing.T) {
	eng, env := routingOnFake(t)
	c, _ := eng.Container("rt-r2")
	if err := eng.RemoveContainer(context.Background(), c.ID); err != nil {
		t.Fatal(err)
	}
	eng.SetState("rt-r3", engine.StateExited, 0)
	r, err := Gather(context.Background(), eng, "rt", env)
	if err != nil {
		t.Fatal(err)
	}
	drift := map[string]string{}
	for _, l := range r.Links {
		drift[l.Name] = l.Drift
	}
	if drift["r1r2"] != "end r2 missing" || drift["r2r3"] != "end r2 missing; end r3 stopped" {
		t.Errorf("link drift %v", drift)
	}
	if !r.Drifted() {
		t.Error("Drifted() = false")
	}
	// Without the definition, links are shown from the labels alone.
	r, err = Gather(context.Background(), eng, "rt", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Links) != 2 || r.Links[0].Drift != "" || len(r.Links[0].Ends) != 1 {
		t.Errorf("links without a definition %+v", r.Links)
	}
}

// TestGatherNetSetupLost: a service whose container was started again
// since up set its links and routes has lost them, and status says so as
// plan does (a reapply); so does one of which no start is recorded.
func TestGatherNetSetupLost(t *testing.T) {
	eng, env := routingOnFake(t)
	ctx := context.Background()
	c, _ := eng.Container("rt-r3")
	if err := eng.StopContainer(ctx, c.ID, 0); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Millisecond) // a new StartedAt
	if err := eng.StartContainer(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	r, err := Gather(ctx, eng, "rt", env)
	if err != nil {
		t.Fatal(err)
	}
	drift := map[string]string{}
	for _, s := range r.Services {
		drift[s.Name] = s.Drift
	}
	if drift["r3"] != planner.NetSetupLostCause || drift["r1"] != "" || drift["r2"] != "" {
		t.Errorf("drift after restarting r3: %v", drift)
	}
	if !r.Drifted() {
		t.Error("Drifted() = false")
	}
	var buf bytes.Buffer
	if err := r.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), planner.NetSetupLostCause) {
		t.Errorf("text does not say the setup is lost:\n%s", buf.String())
	}

	writeNetRecord(t, env.Dir, "rt", planner.NetRecord{})
	if r, err = Gather(ctx, eng, "rt", env); err != nil {
		t.Fatal(err)
	}
	for _, s := range r.Services {
		if want := planner.NetSetupUnrecordedCause; env.Service(s.Name).NeedsNetSetup() && s.Drift != want {
			t.Errorf("%s without a record: drift %q, want %q", s.Name, s.Drift, want)
		}
	}
}
