package e2e

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/proeftuin/proeftuin/internal/engine"
)

// TestDefaultNetworkIsolates runs two instances of a lab whose services
// declare no network. Each instance gets its own labelled default network
// with an auto subnet; a container of one instance cannot reach the other
// instance by address, and lab-mates reach each other by name.
func TestDefaultNetworkIsolates(t *testing.T) {
	needEngine(t)
	t.Parallel()
	dir := labDir(t, "nonetwork")
	a, b := newInstance(t, "a"), newInstance(t, "b")
	mustRun(t, dir, "--name", a, "up")
	mustRun(t, dir, "--name", b, "up")
	ctx := t.Context()

	webAddr := map[string]string{}
	for _, inst := range []string{a, b} {
		nets, err := eng.Networks(ctx, map[string]string{engine.LabelInstance: inst})
		if err != nil {
			t.Fatal(err)
		}
		if len(nets) != 1 {
			t.Fatalf("instance %s has networks %v, want one default network", inst, nets)
		}
		n := nets[0]
		if n.Name != inst+"-default" || n.Labels[engine.LabelNetwork] != "default" || n.Labels[engine.LabelSubnet] != "auto" || len(n.Subnets) == 0 {
			t.Fatalf("instance %s default network: name %s labels %v subnets %v", inst, n.Name, n.Labels, n.Subnets)
		}
		subnet := netip.MustParsePrefix(n.Subnets[0])
		for svc, c := range containers(t, inst) {
			d, err := eng.InspectContainer(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := d.Endpoints["bridge"]; ok {
				t.Errorf("instance %s service %s is on the engine's shared bridge", inst, svc)
			}
			ep, ok := d.Endpoints[n.Name]
			if !ok || len(d.Endpoints) != 1 {
				t.Fatalf("instance %s service %s networks %v, want only %s", inst, svc, d.Endpoints, n.Name)
			}
			if ip, err := netip.ParseAddr(ep.IPv4Address); err != nil || !subnet.Contains(ip) {
				t.Errorf("instance %s service %s address %q outside %s", inst, svc, ep.IPv4Address, subnet)
			}
			if svc == "web" {
				webAddr[inst] = ep.IPv4Address
			}
		}
	}

	// The control: A's client reaches A's web by address, so a refusal
	// below is isolation, not a broken client.
	get := func(addr string) engine.ExecResult {
		return execIn(t, a, "client", "sh", "-c", `printf 'GET / HTTP/1.0\r\n\r\n' | nc -w 3 `+addr+` 80`)
	}
	if res := get(webAddr[a]); res.ExitCode != 0 || !strings.HasSuffix(string(res.Stdout), "hello\n") {
		t.Fatalf("A's client cannot reach A's web at %s: exit %d %s %s", webAddr[a], res.ExitCode, res.Stdout, res.Stderr)
	}
	if res := get(webAddr[b]); res.ExitCode == 0 || strings.Contains(string(res.Stdout), "hello") {
		t.Errorf("A's client reached B's web at %s: %s", webAddr[b], res.Stdout)
	}

	// By name, through Docker's DNS on the instance's network: the check
	// runs from inside A's client.
	r := mustRun(t, dir, "--name", a, "check")
	if !strings.Contains(r.Stdout+r.Stderr, "web-by-name") {
		t.Errorf("check output does not name the check:\n%s", r)
	}

	// The default network goes with the instance.
	mustRun(t, dir, "--name", a, "down")
	assertNothingLeft(t, a)
}
