package conflict

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/engine/fake"
)

func lab() *config.Environment {
	return &config.Environment{
		Name:     "kathara-static-routing",
		Networks: []*config.Network{{Name: "lan", Subnet: "10.20.0.0/24"}, {Name: "auto", AutoSubnet: true, Subnet: "10.99.0.0/24"}},
		Services: []*config.Service{{Name: "web", Ports: []*config.Port{{Host: 18080, Container: 80}, {Container: 81}}}},
	}
}

// held puts instance p1 of the lab on eng: its network and a running
// container publishing host port 18080.
func held(t *testing.T) *fake.Engine {
	t.Helper()
	eng := fake.New()
	eng.RefuseTakenPorts()
	eng.SetImage("img", "sha256:img")
	labels := map[string]string{engine.LabelInstance: "p1", engine.LabelEnv: "kathara-static-routing"}
	eng.AddNetwork(engine.Network{Name: "p1-lan", Subnets: []string{"10.20.0.0/24"}, Labels: labels})
	eng.AddNetwork(engine.Network{Name: "bridge", Subnets: []string{"172.17.0.0/16"}})
	ctx := context.Background()
	id, err := eng.CreateContainer(ctx, engine.ContainerSpec{Name: "p1-web", Image: "img", Labels: labels,
		Ports: []engine.PortBinding{{ContainerPort: 80, HostPort: 18080, HostIP: "127.0.0.1", Protocol: "tcp"}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := eng.StartContainer(ctx, id); err != nil {
		t.Fatal(err)
	}
	return eng
}

func TestFindNamesTheHolders(t *testing.T) {
	eng := held(t)
	got, err := Find(context.Background(), eng, "p2", lab())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`network 10.20.0.0/24 is held by instance p1 (lab kathara-static-routing); take it down (proeftuin --name p1 down) or give this lab subnet = "auto"`,
		`port 127.0.0.1:18080/tcp is held by instance p1 (lab kathara-static-routing); take it down (proeftuin --name p1 down) or publish another host port`,
	}
	if len(got) != len(want) {
		t.Fatalf("conflicts %q, want %q", got, want)
	}
	for i := range want {
		if got[i].String() != want[i] {
			t.Errorf("conflict %d:\n got %s\nwant %s", i, got[i], want[i])
		}
	}
	// The instance itself holds nothing against itself.
	if own, err := Find(context.Background(), eng, "p1", lab()); err != nil || len(own) != 0 {
		t.Errorf("p1 against itself: %v, %v", own, err)
	}
}

func TestFindNamesAnObjectProeftuinDidNotMake(t *testing.T) {
	eng := fake.New()
	eng.AddNetwork(engine.Network{Name: "p2-lan", Subnets: []string{"10.20.0.0/16"}})
	got, err := Find(context.Background(), eng, "p2", lab())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Kind != Subnet || got[1].Kind != Name {
		t.Fatalf("conflicts %v", got)
	}
	if s := got[1].String(); s != "network name p2-lan is held by network p2-lan, which proeftuin did not make; remove it or use another instance name (--name)" {
		t.Errorf("name conflict: %s", s)
	}
}

// TestExplainClassifiesTheRefusal: the engine's typed refusal is
// explained by the conflicts of its kind, and stays findable by errors.Is.
func TestExplainClassifiesTheRefusal(t *testing.T) {
	eng := held(t)
	ctx := context.Background()
	_, nerr := eng.CreateNetwork(ctx, engine.NetworkSpec{Name: "p2-lan", Subnet: "10.20.0.0/24"})
	id, err := eng.CreateContainer(ctx, engine.ContainerSpec{Name: "p2-web", Image: "img",
		Ports: []engine.PortBinding{{ContainerPort: 80, HostPort: 18080, HostIP: "127.0.0.1", Protocol: "tcp"}}})
	if err != nil {
		t.Fatal(err)
	}
	perr := eng.StartContainer(ctx, id)
	_, cerr := eng.CreateContainer(ctx, engine.ContainerSpec{Name: "p1-web", Image: "img"})
	for _, tc := range []struct {
		err  error
		kind error
		want Kind
	}{
		{nerr, engine.ErrSubnetTaken, Subnet},
		{perr, engine.ErrPortTaken, Port},
		{cerr, engine.ErrNameConflict, Name},
	} {
		if !errors.Is(tc.err, tc.kind) {
			t.Fatalf("the fake's refusal %v is not %v", tc.err, tc.kind)
		}
		env := lab()
		inst := "p2"
		if tc.want == Name {
			inst = "p1" // p1-web exists; a second p1 of another checkout
			env.Name = "other"
		}
		err := Explain(ctx, eng, inst, env, tc.err)
		var ce *Error
		if !errors.As(err, &ce) || !errors.Is(err, tc.kind) {
			t.Fatalf("Explain(%v) = %v", tc.err, err)
		}
		if tc.want != Name && (len(ce.Conflicts) != 1 || ce.Conflicts[0].Kind != tc.want || ce.Conflicts[0].Holder.Instance != "p1") {
			t.Errorf("Explain(%v) conflicts %v", tc.err, ce.Conflicts)
		}
	}
	plain := errors.New("something else")
	if err := Explain(ctx, eng, "p2", lab(), plain); err != plain {
		t.Errorf("a non-refusal was changed: %v", err)
	}
}

// TestConflictSaysWhereTheLabDeclaresIt: the advice "publish another host
// port" or "give this lab subnet = auto" names the file and line to change,
// as up's own port check does.
func TestConflictSaysWhereTheLabDeclaresIt(t *testing.T) {
	eng := held(t)
	env := lab()
	env.Networks[0].DeclRange = hcl.Range{Filename: "lab.hcl", Start: hcl.Pos{Line: 3, Column: 1}}
	env.Services[0].Ports[0].DeclRange = hcl.Range{Filename: "lab.hcl", Start: hcl.Pos{Line: 12, Column: 3}}
	got, err := Find(context.Background(), eng, "p2", env)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !strings.HasSuffix(got[0].String(), `subnet = "auto" (lab.hcl:3)`) ||
		!strings.HasSuffix(got[1].String(), "publish another host port (lab.hcl:12)") {
		t.Fatalf("conflicts %q", got)
	}
}
