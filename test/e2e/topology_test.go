package e2e

import (
	"archive/tar"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/proeftuin/proeftuin/internal/engine"
)

// statusJSON is the part of `status --output json` the tests read.
type statusJSON struct {
	Instance string `json:"instance"`
	Declared bool   `json:"declared"`
	Services []struct {
		Name      string `json:"name"`
		Container string `json:"container"`
		ID        string `json:"id"`
		State     string `json:"state"`
		Health    string `json:"health"`
		Drift     string `json:"drift"`
		Ports     []struct {
			HostIP        string `json:"host_ip"`
			HostPort      int    `json:"host_port"`
			ContainerPort int    `json:"container_port"`
		} `json:"ports"`
		Networks []struct {
			Network string `json:"network"`
			Address string `json:"address"`
		} `json:"networks"`
	} `json:"services"`
}

func status(t *testing.T, dir string, args ...string) statusJSON {
	t.Helper()
	r := mustRun(t, dir, append(args, "--output", "json", "status")...)
	var st statusJSON
	if err := json.Unmarshal([]byte(r.Stdout), &st); err != nil {
		t.Fatalf("status output is not JSON: %v\n%s", err, r)
	}
	return st
}

var topologyServices = []string{"web", "api", "db", "cache", "worker", "isolated", "client", "reporter"}

func TestTopology(t *testing.T) {
	needEngine(t)
	t.Parallel()
	dir := labDir(t, "topology")
	inst := newInstance(t, "")
	up := mustRun(t, dir, "--name", inst, "up")
	if !strings.Contains(up.Stdout, "is up") {
		t.Errorf("up printed no summary on stdout:\n%s", up)
	}
	if !strings.Contains(up.Stderr, "service web") {
		t.Errorf("up printed no progress on stderr:\n%s", up)
	}

	ctx := t.Context()
	cs := containers(t, inst)
	details := map[string]engine.ContainerDetail{}
	for _, name := range topologyServices {
		c, ok := cs[name]
		if !ok {
			t.Fatalf("service %s has no container; have %v", name, ids(cs))
		}
		if c.Name != inst+"-"+name {
			t.Errorf("service %s: container name %q, want %q", name, c.Name, inst+"-"+name)
		}
		for _, k := range []string{engine.LabelInstance, engine.LabelService, engine.LabelConfigHash, engine.LabelVersion} {
			if c.Labels[k] == "" {
				t.Errorf("service %s: label %s missing", name, k)
			}
		}
		if c.Labels[engine.LabelInstance] != inst || c.Labels[engine.LabelService] != name {
			t.Errorf("service %s: labels %v", name, c.Labels)
		}
		d, err := eng.InspectContainer(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.State != "running" {
			t.Errorf("service %s is %s", name, d.State)
		}
		details[name] = d
	}

	t.Run("networks", func(t *testing.T) {
		nets, err := eng.Networks(ctx, map[string]string{engine.LabelInstance: inst})
		if err != nil {
			t.Fatal(err)
		}
		byName := map[string]engine.Network{}
		for _, n := range nets {
			byName[n.Labels[engine.LabelNetwork]] = n
			if n.Name != inst+"-"+n.Labels[engine.LabelNetwork] {
				t.Errorf("network %s has engine name %s", n.Labels[engine.LabelNetwork], n.Name)
			}
		}
		if len(byName) != 3 {
			t.Fatalf("networks %v, want front, back, data", byName)
		}
		if !byName["back"].Internal || byName["front"].Internal {
			t.Errorf("internal flags: back %v, front %v", byName["back"].Internal, byName["front"].Internal)
		}
		data := byName["data"]
		if data.Labels[engine.LabelSubnet] != "auto" || len(data.Subnets) == 0 {
			t.Fatalf("data network: labels %v subnets %v", data.Labels, data.Subnets)
		}
		subnet := netip.MustParsePrefix(data.Subnets[0])
		for svc, n := range map[string]int{"api": 10, "db": 11, "cache": 12} {
			want := cidrhost(t, subnet, n)
			ep, ok := details[svc].Endpoints[data.Name]
			if !ok {
				t.Errorf("service %s not on %s: %v", svc, data.Name, details[svc].Endpoints)
				continue
			}
			if ep.IPv4Address != want.String() {
				t.Errorf("service %s on data: address %s, want %s (cidrhost(%s, %d))", svc, ep.IPv4Address, want, subnet, n)
			}
		}
		if _, ok := details["isolated"].Endpoints[byName["front"].Name]; ok || len(details["isolated"].Endpoints) != 1 {
			t.Errorf("isolated should be on back only: %v", details["isolated"].Endpoints)
		}
	})

	t.Run("files", func(t *testing.T) {
		for _, f := range []struct {
			service, path, content string
			mode                   int64
		}{
			{"web", "/www/index.html", "hello from web\n", 0o644},
			{"db", "/etc/db.conf", "password=oefenen\n", 0o600},
			{"worker", "/usr/local/bin/job.sh", "#!/bin/sh\necho job done\n", 0o755},
		} {
			content, mode := readFile(t, cs[f.service].ID, f.path)
			if content != f.content {
				t.Errorf("%s:%s = %q, want %q", f.service, f.path, content, f.content)
			}
			if mode != f.mode {
				t.Errorf("%s:%s mode %o, want %o", f.service, f.path, mode, f.mode)
			}
		}
		if r := execIn(t, inst, "worker", "/usr/local/bin/job.sh"); r.ExitCode != 0 || string(r.Stdout) != "job done\n" {
			t.Errorf("job.sh: exit %d, %q", r.ExitCode, r.Stdout)
		}
	})

	t.Run("volume", func(t *testing.T) {
		vols, err := eng.Volumes(ctx, map[string]string{engine.LabelInstance: inst})
		if err != nil {
			t.Fatal(err)
		}
		if len(vols) != 1 || vols[0].Name != inst+"-store" {
			t.Fatalf("volumes %v, want %s-store", vols, inst)
		}
		if r := execIn(t, inst, "db", "cat", "/data/db.conf"); string(r.Stdout) != "password=oefenen\n" {
			t.Errorf("volume content: %q (exit %d)", r.Stdout, r.ExitCode)
		}
	})

	t.Run("dependencies", func(t *testing.T) {
		for svc, deps := range map[string][]string{"worker": {"api", "db"}, "client": {"web", "cache"}, "reporter": {"worker"}} {
			for _, dep := range deps {
				if !details[svc].StartedAt.After(details[dep].StartedAt) {
					t.Errorf("%s started at %s, not after its dependency %s (%s)", svc, details[svc].StartedAt, dep, details[dep].StartedAt)
				}
			}
		}
	})

	t.Run("name resolution", func(t *testing.T) {
		for _, target := range []string{"web", "api", "cache"} {
			r := execIn(t, inst, "client", "nslookup", target)
			if r.ExitCode != 0 {
				t.Errorf("client: nslookup %s: exit %d\n%s%s", target, r.ExitCode, r.Stdout, r.Stderr)
			}
		}
		api := details["api"].Endpoints[inst+"-data"].IPv4Address
		if r := execIn(t, inst, "client", "ping", "-c1", "-W1", api); r.ExitCode != 0 {
			t.Errorf("client: ping api at %s: exit %d\n%s%s", api, r.ExitCode, r.Stdout, r.Stderr)
		}
		// isolated shares no network with db.
		if r := execIn(t, inst, "isolated", "nslookup", "db"); r.ExitCode == 0 {
			t.Errorf("isolated resolves db, which is on no network of its own:\n%s", r.Stdout)
		}
	})

	t.Run("isolation", func(t *testing.T) {
		webBack := details["web"].Endpoints[inst+"-back"].IPv4Address
		webFront := details["web"].Endpoints[inst+"-front"].IPv4Address
		// Controls: where a network is shared, the web server answers.
		if out, ok := httpFrom(t, inst, "isolated", webBack, 80); !ok || !strings.Contains(out, "hello from web") {
			t.Errorf("isolated cannot reach web on the internal network:\n%s", out)
		}
		if out, ok := httpFrom(t, inst, "client", webFront, 80); !ok || !strings.Contains(out, "hello from web") {
			t.Errorf("client cannot reach web on front:\n%s", out)
		}
		// Only on the internal network: nothing outside it answers, not
		// web's other address, not the host's published port through the
		// front gateway, not the outside world.
		if out, ok := httpFrom(t, inst, "isolated", webFront, 80); ok {
			t.Errorf("isolated reached web's front address %s:\n%s", webFront, out)
		}
		port := publishedPort(t, details["web"], 80)
		gw := gateway(t, inst+"-front")
		if out, ok := httpFrom(t, inst, "isolated", gw.String(), port.HostPort); ok {
			t.Errorf("isolated reached the published port %d through %s:\n%s", port.HostPort, gw, out)
		}
		if out, ok := httpFrom(t, inst, "isolated", "1.1.1.1", 80); ok {
			t.Errorf("isolated reached the internet:\n%s", out)
		}
	})

	t.Run("published port", func(t *testing.T) {
		port := publishedPort(t, details["web"], 80)
		if port.HostIP != "127.0.0.1" {
			t.Errorf("published on %s, want 127.0.0.1", port.HostIP)
		}
		body := httpGet(t, fmt.Sprintf("http://127.0.0.1:%d/index.html", port.HostPort))
		if body != "hello from web\n" {
			t.Errorf("GET / = %q", body)
		}
	})

	t.Run("status", func(t *testing.T) {
		st := status(t, dir, "--name", inst)
		if !st.Declared || len(st.Services) != len(topologyServices) {
			t.Fatalf("status: %+v", st)
		}
		for _, s := range st.Services {
			if s.State != "running" || s.Drift != "" {
				t.Errorf("status of %s: state %s drift %q", s.Name, s.State, s.Drift)
			}
		}
		text := mustRun(t, dir, "--name", inst, "status").Stdout
		for _, want := range []string{"SERVICE", "web", inst + "-web", "running", "127.0.0.1:"} {
			if !strings.Contains(text, want) {
				t.Errorf("status text lacks %q:\n%s", want, text)
			}
		}
		// Without the definition: what the engine holds, no drift.
		bare := status(t, t.TempDir(), "--name", inst)
		if bare.Declared || len(bare.Services) != len(topologyServices) {
			t.Errorf("status without HCL: declared %v, %d services", bare.Declared, len(bare.Services))
		}
	})

	t.Run("exec", func(t *testing.T) {
		r := mustRun(t, dir, "--name", inst, "exec", "client", "--", "cat", "/etc/hostname")
		if strings.TrimSpace(r.Stdout) == "" {
			t.Errorf("exec printed nothing: %s", r)
		}
		if r := run(t, dir, "--name", inst, "exec", "client", "--", "sh", "-c", "echo out; echo err >&2; exit 7"); r.Code != 7 || r.Stdout != "out\n" || r.Stderr != "err\n" {
			t.Errorf("exit code and streams not passed through:\n%s", r)
		}
		if r := runIn(t, dir, []byte("from stdin\n"), "--name", inst, "exec", "-i", "client", "--", "cat"); r.Stdout != "from stdin\n" {
			t.Errorf("exec -i: %s", r)
		}
		if r := run(t, dir, "--name", inst, "exec", "nosuch", "--", "true"); r.Code == 0 || !strings.Contains(r.Stderr, "nosuch") {
			t.Errorf("exec in an unknown service: %s", r)
		}
	})

	t.Run("logs", func(t *testing.T) {
		r := mustRun(t, dir, "--name", inst, "logs", "db")
		if r.Stdout != "db started\n" {
			t.Errorf("logs db = %q", r.Stdout)
		}
		r = mustRun(t, dir, "--name", inst, "logs", "--tail", "5", "db", "web")
		if !strings.Contains(r.Stdout, "db  | db started\n") {
			t.Errorf("logs of two services are not prefixed:\n%s", r.Stdout)
		}
	})

	t.Run("doctor", func(t *testing.T) {
		r := mustRun(t, dir, "--name", inst, "doctor")
		for _, want := range []string{"engine", "API", testImage + " present"} {
			if !strings.Contains(r.Stdout, want) {
				t.Errorf("doctor lacks %q:\n%s", want, r.Stdout)
			}
		}
	})

	mustRun(t, dir, "--name", inst, "down", "--volumes")
	assertNothingLeft(t, inst)
}

// cidrhost is Terraform's cidrhost for IPv4.
func cidrhost(t *testing.T, p netip.Prefix, n int) netip.Addr {
	t.Helper()
	a := p.Masked().Addr().As4()
	v := uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])
	v += uint32(n)
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// readFile reads a file out of a container with its mode, through the API.
func readFile(t *testing.T, id, path string) (string, int64) {
	t.Helper()
	rc, err := eng.CopyFrom(t.Context(), id, path)
	if err != nil {
		t.Fatalf("copy %s: %v", path, err)
	}
	defer rc.Close()
	tr := tar.NewReader(rc)
	h, err := tr.Next()
	if err != nil {
		t.Fatalf("copy %s: %v", path, err)
	}
	b, err := io.ReadAll(tr)
	if err != nil {
		t.Fatal(err)
	}
	return string(b), h.Mode & 0o7777
}

// httpFrom sends a GET for /index.html to ip:port from inside a service
// with busybox nc (busybox's static wget crashes in a scratch image) and
// reports whether a connection was made.
func httpFrom(t *testing.T, inst, service, ip string, port int) (string, bool) {
	t.Helper()
	script := fmt.Sprintf(`printf 'GET /index.html HTTP/1.0\r\n\r\n' | nc -w2 %s %d`, ip, port)
	r := execIn(t, inst, service, "sh", "-c", script)
	return string(r.Stdout) + string(r.Stderr), r.ExitCode == 0 && len(r.Stdout) > 0
}

func publishedPort(t *testing.T, d engine.ContainerDetail, container int) engine.PublishedPort {
	t.Helper()
	for _, p := range d.Ports {
		if p.ContainerPort == container {
			return p
		}
	}
	t.Fatalf("port %d not published: %v", container, d.Ports)
	return engine.PublishedPort{}
}

func gateway(t *testing.T, network string) netip.Addr {
	t.Helper()
	nets, err := eng.Networks(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range nets {
		if n.Name == network && len(n.Subnets) > 0 {
			return cidrhost(t, netip.MustParsePrefix(n.Subnets[0]), 1)
		}
	}
	t.Fatalf("network %s not found", network)
	return netip.Addr{}
}

func httpGet(t *testing.T, url string) string {
	t.Helper()
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %s", url, resp.Status)
	}
	return string(b)
}
