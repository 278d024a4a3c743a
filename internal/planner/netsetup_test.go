package planner

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/proeftuin/proeftuin/internal/config"
)

// TestDesirePointToPoint: a point_to_point network is no engine network,
// a service on links only gets network mode none, and what the network
// helper sets is in a hashed label, so a changed route recreates.
func TestDesirePointToPoint(t *testing.T) {
	env, diags := config.Load(config.Options{Dir: filepath.Join("..", "..", "examples", "routing"),
		Subnets: map[string]string{"lan1": "10.201.1.0/24", "lan3": "10.201.2.0/24"}})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	d, err := Desire(env, "rt", nil)
	if err != nil {
		t.Fatal(err)
	}
	var nets []string
	for _, n := range d.Networks {
		nets = append(nets, n.Name)
	}
	if got := strings.Join(nets, " "); got != "rt-lan1 rt-lan3" {
		t.Errorf("engine networks %q, want only the LANs", got)
	}
	by := map[string]*DesiredService{}
	for _, s := range d.Services {
		by[s.Name] = s
	}
	if r2 := by["r2"].Spec; r2.NetworkMode != "none" || len(r2.Networks) != 0 {
		t.Errorf("r2 (links only): mode %q networks %v", r2.NetworkMode, r2.Networks)
	}
	r3 := by["r3"].Spec
	if len(r3.Networks) != 1 || r3.Networks[0].Network != "rt-lan3" {
		t.Errorf("r3 engine networks %+v, want lan3 only", r3.Networks)
	}
	want := "net=r2r3=eth0@=10.16.0.5/31;net=lan3=eth1@02:16:00:00:03:01;no-default-route;route=10.201.1.0/24,10.16.0.4"
	if got := r3.Labels[LabelNetSetup]; got != want {
		t.Errorf("r3 %s label\n got %q\nwant %q", LabelNetSetup, got, want)
	}

	ns, ok := ParseNetSetup(r3.Labels[LabelNetSetup])
	if !ok || len(ns.Interfaces) != 2 || !ns.NoDefaultRoute || len(ns.Routes) != 1 {
		t.Fatalf("ParseNetSetup(%q) = %+v, %v", r3.Labels[LabelNetSetup], ns, ok)
	}
	if i := ns.Interfaces[0]; i != (NetInterface{Network: "r2r3", Name: "eth0", Address: "10.16.0.5/31"}) {
		t.Errorf("r3 first interface read back as %+v", i)
	}
	if i := ns.Interfaces[1]; i != (NetInterface{Network: "lan3", Name: "eth1", MACAddress: "02:16:00:00:03:01"}) {
		t.Errorf("r3 second interface read back as %+v", i)
	}
	if r := ns.Routes[0]; r.To != "10.201.1.0/24" || r.Via != "10.16.0.4" {
		t.Errorf("r3 route read back as %s via %s", r.To, r.Via)
	}

	prev := by["r3"].Hash
	changed := func(what string, change func()) {
		t.Helper()
		change()
		d2, err := Desire(env, "rt", nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range d2.Services {
			if s.Name == "r3" {
				if s.Hash == prev {
					t.Errorf("a changed %s left the config hash the same", what)
				}
				prev = s.Hash
			}
		}
	}
	changed("route", func() { env.Service("r3").Routes[0].Via = "10.16.0.5" })
	// The link is no engine attachment: only the label carries its address.
	changed("link address", func() { env.Service("r3").Networks[0].IPv4Address = "10.16.0.4" })
}

func TestParseNetSetupRefusesForeignValues(t *testing.T) {
	for _, v := range []string{"", "net=lan", "route=10.0.0.0/8", "colour=blue"} {
		if ns, ok := ParseNetSetup(v); ok {
			t.Errorf("ParseNetSetup(%q) = %+v, true; want false", v, ns)
		}
	}
}
