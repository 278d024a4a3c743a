package e2e

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/proeftuin/proeftuin/internal/engine"
)

// TestRoutingExample brings up examples/routing (three routers on an
// adjacent /30 and /31 point-to-point link, PCs without the bridge's
// default route, a fixed interface order and a MAC address) and checks
// what the network helper set, through the engine: its own checks pass,
// the traceroute path crosses r1, r2 and r3, interfaces are named in
// declared order, the routes are there and nothing is left after down.
// A recreated r2 gets both its links back.
func TestRoutingExample(t *testing.T) {
	needEngine(t)
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "routing")
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(repoRoot, "examples", "routing"))); err != nil {
		t.Fatal(err)
	}
	inst := newInstance(t, "")
	mustRun(t, dir, "--name", inst, "up")
	// run: the plan (a web server on pc3) and then every check.
	if r := run(t, dir, "--name", inst, "run"); r.Code != 0 {
		t.Fatalf("the example's plan or checks do not pass:\n%s", r)
	}

	addr := func(service, iface string) string {
		t.Helper()
		out := execOK(t, inst, service, "ip", "-o", "-4", "addr", "show", "dev", iface)
		m := regexp.MustCompile(`inet ([0-9.]+)/`).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("%s has no IPv4 address on %s: %q", service, iface, out)
		}
		return m[1]
	}
	// Interface names in declared order, the links' addresses.
	for _, c := range []struct{ service, iface, want string }{
		{"r1", "eth1", "10.16.0.1"}, {"r2", "eth0", "10.16.0.2"}, {"r2", "eth1", "10.16.0.4"}, {"r3", "eth0", "10.16.0.5"},
	} {
		if got := addr(c.service, c.iface); got != c.want {
			t.Errorf("%s %s: address %s, want %s", c.service, c.iface, got, c.want)
		}
	}
	r1, pc3 := addr("r1", "eth0"), addr("pc3", "eth0")
	if mac := execOK(t, inst, "r3", "cat", "/sys/class/net/eth1/address"); strings.TrimSpace(mac) != "02:16:00:00:03:01" {
		t.Errorf("r3 eth1 MAC address %q, want 02:16:00:00:03:01", mac)
	}

	// Routes: no default route through the bridge, the declared ones.
	if routes := execOK(t, inst, "pc1", "ip", "route"); !strings.Contains(routes, "default via "+r1+" dev eth0") || strings.Count(routes, "default") != 1 {
		t.Errorf("pc1 routes, want only the default via r1 (%s):\n%s", r1, routes)
	}
	if routes := execOK(t, inst, "r1", "ip", "route"); strings.Contains(routes, "default") || !strings.Contains(routes, "via 10.16.0.2 dev eth1") {
		t.Errorf("r1 routes, want no default and a route via r2:\n%s", routes)
	}
	if routes := execOK(t, inst, "r2", "ip", "route"); !strings.Contains(routes, "via 10.16.0.1 dev eth0") || !strings.Contains(routes, "via 10.16.0.5 dev eth1") {
		t.Errorf("r2 routes, want routes via r1 and r3:\n%s", routes)
	}

	tracePath := func() []string {
		t.Helper()
		out := execOK(t, inst, "pc1", "traceroute", "-n", "-q", "1", "-w", "2", "-m", "6", pc3)
		var hops []string
		for _, line := range strings.Split(out, "\n")[1:] {
			if f := strings.Fields(line); len(f) >= 2 {
				hops = append(hops, f[1])
			}
		}
		return hops
	}
	want := []string{r1, "10.16.0.2", "10.16.0.5", pc3}
	if got := tracePath(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("traceroute pc1 -> pc3: hops %v, want %v", got, want)
	}

	// status shows the links and routes, which the engine does not
	// report, as recorded at up, and no drift for them.
	st := mustRun(t, dir, "--name", inst, "status")
	for _, want := range []string{"r1 eth1 10.16.0.1/30 <-> r2 eth0 10.16.0.2/30", "r2 eth1 10.16.0.4/31 <-> r3 eth0 10.16.0.5/31",
		"default via " + r1, "recorded", "eth1 lan3 02:16:00:00:03:01"} {
		if !strings.Contains(st.Stdout, want) {
			t.Errorf("status lacks %q:\n%s", want, st.Stdout)
		}
	}
	if strings.Contains(st.Stdout, "missing") || strings.Contains(st.Stdout, "disconnected") {
		t.Errorf("status shows drift of a lab just up:\n%s", st.Stdout)
	}
	var js struct {
		Links []struct {
			Name, Source string
			Ends         []struct{ Service, Interface, Address string }
		}
	}
	if err := json.Unmarshal([]byte(mustRun(t, dir, "--name", inst, "--output", "json", "status").Stdout), &js); err != nil {
		t.Fatal(err)
	}
	if len(js.Links) != 2 || js.Links[0].Name != "r1r2" || js.Links[0].Source != "recorded at up" || len(js.Links[0].Ends) != 2 {
		t.Errorf("status --output json links: %+v", js.Links)
	}

	// A recreated r2 gets both links back, and r1 and r3 their routes.
	if err := eng.RemoveContainer(t.Context(), containers(t, inst)["r2"].ID); err != nil {
		t.Fatal(err)
	}
	mustRun(t, dir, "--name", inst, "up")
	if got := tracePath(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("after r2 was recreated: hops %v, want %v", got, want)
	}
	helpers, err := eng.Containers(t.Context(), map[string]string{engine.LabelInstance: inst, engine.LabelProbe: ""})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range helpers {
		t.Errorf("a helper was left: %s (%s)", c.Name, c.Labels[engine.LabelProbe])
	}
	mustRun(t, dir, "--name", inst, "down")
	assertNothingLeft(t, inst)
}

// execOK runs cmd in a service and fails the test unless it exits 0.
func execOK(t *testing.T, inst, service string, cmd ...string) string {
	t.Helper()
	res := execIn(t, inst, service, cmd...)
	if res.ExitCode != 0 {
		t.Fatalf("%v in %s: exit %d: %s", cmd, service, res.ExitCode, res.Stderr)
	}
	return string(res.Stdout)
}

// TestIPv6 brings up a network with subnet6: fixed and computed IPv6
// addresses are given, reach each other, and a second up changes nothing.
func TestIPv6(t *testing.T) {
	needEngine(t)
	t.Parallel()
	dir := labDir(t, "ipv6")
	inst := newInstance(t, "")
	mustRun(t, dir, "--name", inst, "up")
	if r := run(t, dir, "--name", inst, "check"); r.Code != 0 {
		t.Fatalf("ping over IPv6 failed:\n%s", r)
	}
	if out := execOK(t, inst, "b", "ip", "-6", "addr", "show", "dev", "eth0"); !strings.Contains(out, "fd00:1616:1616::b/64") {
		t.Errorf("b has not its computed IPv6 address:\n%s", out)
	}
	if r := mustRun(t, dir, "--name", inst, "up"); !strings.Contains(r.Stdout, "0 created, 0 recreated, 0 removed") {
		t.Errorf("a second up changed something:\n%s", r)
	}
}

// TestRoutingAfterRestart restarts routers of examples/routing behind
// proeftuin's back and through a plan: a container started again has a
// new network namespace, without the links, names and routes the helper
// set. A plan's restart action sets them up again at once; after a
// `docker restart`, plan names the lost setup and up re-applies it
// without recreating anything. Both times the traceroute path is back.
func TestRoutingAfterRestart(t *testing.T) {
	needEngine(t)
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "routing")
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(repoRoot, "examples", "routing"))); err != nil {
		t.Fatal(err)
	}
	// The example's plan, then a step that restarts r2 (both links go)
	// and r3 and traces.
	plan := `
step "restart-routers" {
  title = "Restart r2 and r3"
  restart {
    service = service.r2
  }
  restart {
    service = service.r3
  }
  check "path" {
    exec {
      service         = service.pc1
      command         = ["traceroute", "-n", "-q", "1", "-w", "2", "-m", "6", local.pc3]
      stdout_contains = "10.16.0.5"
    }
  }
}
`
	f, err := os.OpenFile(filepath.Join(dir, "plan.hcl"), os.O_APPEND|os.O_WRONLY, 0)
	if err == nil {
		_, err = f.WriteString(plan)
		err = errors.Join(err, f.Close())
	}
	if err != nil {
		t.Fatal(err)
	}
	inst := newInstance(t, "")
	mustRun(t, dir, "--name", inst, "up")
	pc3 := func() string {
		out := execOK(t, inst, "pc3", "ip", "-o", "-4", "addr", "show", "dev", "eth0")
		m := regexp.MustCompile(`inet ([0-9.]+)/`).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("pc3 has no address on eth0: %q", out)
		}
		return m[1]
	}()
	r1 := strings.Fields(execOK(t, inst, "pc1", "ip", "route", "show", "default"))[2]
	want := strings.Join([]string{r1, "10.16.0.2", "10.16.0.5", pc3}, " ")
	trace := func() string {
		t.Helper()
		out := execOK(t, inst, "pc1", "traceroute", "-n", "-q", "1", "-w", "2", "-m", "6", pc3)
		var hops []string
		for _, line := range strings.Split(out, "\n")[1:] {
			if f := strings.Fields(line); len(f) >= 2 {
				hops = append(hops, f[1])
			}
		}
		return strings.Join(hops, " ")
	}
	ids := func() map[string]string {
		out := map[string]string{}
		for s, c := range containers(t, inst) {
			out[s] = c.ID
		}
		return out
	}
	before := ids()

	// Through the plan: its own check traces across r2 and r3.
	if r := run(t, dir, "--name", inst, "run"); r.Code != 0 {
		t.Fatalf("the plan's restart lost the routes:\n%s", r)
	}
	if got := trace(); got != want {
		t.Errorf("after the plan restarted r2 and r3: hops %s, want %s", got, want)
	}
	if r := mustRun(t, dir, "--name", inst, "plan"); !strings.Contains(r.Stdout, "No changes") {
		t.Errorf("plan after the plan's restarts (already set up again) wants changes:\n%s", r)
	}

	// Behind proeftuin's back: docker restart r2.
	if err := eng.RestartContainer(t.Context(), before["r2"], 0); err != nil {
		t.Fatal(err)
	}
	if got := trace(); got == want {
		t.Fatalf("r2 restarted by the engine still routes (hops %s): the test shows nothing", got)
	}
	if r := mustRun(t, dir, "--name", inst, "plan"); !strings.Contains(r.Stdout, "reapply service r2: network setup lost after a restart") ||
		!strings.Contains(r.Stdout, "1 network setup to re-apply") {
		t.Errorf("plan does not name r2's lost network setup:\n%s", r)
	}
	if r := mustRun(t, dir, "--name", inst, "up"); !strings.Contains(r.Stdout+r.Stderr, "1 network setup re-applied") {
		t.Errorf("up does not report the re-applied setup:\n%s", r)
	}
	if got := trace(); got != want {
		t.Errorf("after docker restart r2 and up: hops %s, want %s", got, want)
	}
	if routes := execOK(t, inst, "r2", "ip", "route"); !strings.Contains(routes, "via 10.16.0.1 dev eth0") || !strings.Contains(routes, "via 10.16.0.5 dev eth1") {
		t.Errorf("r2 routes after up, want routes via r1 and r3:\n%s", routes)
	}
	if after := ids(); after["r2"] != before["r2"] || after["r1"] != before["r1"] {
		t.Errorf("up recreated a router instead of setting it up again: %v -> %v", before, after)
	}
	if r := mustRun(t, dir, "--name", inst, "up"); strings.Contains(r.Stdout+r.Stderr, "re-applied") {
		t.Errorf("a second up re-applied again:\n%s", r)
	}

	// Without the record (another folder, an older proeftuin) up sets
	// every service up again on intact namespaces: the old link ends are
	// replaced, not doubled.
	if err := os.RemoveAll(filepath.Join(dir, ".proeftuin", "netsetup")); err != nil {
		t.Fatal(err)
	}
	if r := mustRun(t, dir, "--name", inst, "up"); !strings.Contains(r.Stdout+r.Stderr, "5 network setups re-applied") {
		t.Errorf("up without a record does not re-apply all five setups:\n%s", r)
	}
	if got := trace(); got != want {
		t.Errorf("after re-applying on intact namespaces: hops %s, want %s", got, want)
	}
	if out := execOK(t, inst, "r2", "ip", "-o", "-4", "addr"); strings.Count(out, "10.16.0.2/") != 1 || strings.Count(out, "10.16.0.4/") != 1 {
		t.Errorf("r2 after re-applying on an intact namespace, want each link address once:\n%s", out)
	}
	mustRun(t, dir, "--name", inst, "down")
	assertNothingLeft(t, inst)
}

// TestRoutingFaultRestart: a fault whose inject restarts r2 keeps the
// routed path (the runner sets r2 up again and rebuilds both its links),
// so its recovered check passes at once; fault reset recreates r2 and up
// makes its links again.
func TestRoutingFaultRestart(t *testing.T) {
	needEngine(t)
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "routing")
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(repoRoot, "examples", "routing"))); err != nil {
		t.Fatal(err)
	}
	faults := `
fault "r2-restarted" {
  title    = "r2 restarted"
  ticket   = { nl = "Router r2 is herstart.", en = "Router r2 was restarted." }
  priority = "low"
  category = "network"
  inject {
    restart {
      service = service.r2
    }
  }
  recovered {
    checks = [check.path-crosses-three-routers]
  }
  solution {
    restart {
      service = service.r2
    }
  }
}
`
	if err := os.WriteFile(filepath.Join(dir, "faults.hcl"), []byte(faults), 0o644); err != nil {
		t.Fatal(err)
	}
	inst := newInstance(t, "")
	mustRun(t, dir, "--name", inst, "up")
	mustRun(t, dir, "--name", inst, "fault", "start", "r2-restarted")
	if r := run(t, dir, "--name", inst, "fault", "check"); r.Code != 0 {
		t.Errorf("after the inject restarted r2, the path is gone:\n%s", r)
	}
	mustRun(t, dir, "--name", inst, "fault", "start", "r2-restarted")
	mustRun(t, dir, "--name", inst, "fault", "reset")
	pc3 := regexp.MustCompile(`inet ([0-9.]+)/`).FindStringSubmatch(execOK(t, inst, "pc3", "ip", "-o", "-4", "addr", "show", "dev", "eth0"))
	if pc3 == nil {
		t.Fatal("pc3 has no address on eth0")
	}
	if out := execOK(t, inst, "pc1", "traceroute", "-n", "-q", "1", "-w", "2", "-m", "6", pc3[1]); !regexp.MustCompile(`(?s) 2 +10\.16\.0\.2 .* 3 +10\.16\.0\.5 .* 4 +` + regexp.QuoteMeta(pc3[1])).MatchString(out) {
		t.Errorf("after fault reset recreated r2, the path does not cross r2 and r3:\n%s", out)
	}
	if r := mustRun(t, dir, "--name", inst, "plan"); !strings.Contains(r.Stdout, "No changes") {
		t.Errorf("plan after fault reset wants changes:\n%s", r)
	}
	mustRun(t, dir, "--name", inst, "down")
	assertNothingLeft(t, inst)
}
