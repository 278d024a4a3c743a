package policy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/proeftuin/proeftuin/internal/config"
)

func rng(line int) hcl.Range {
	return hcl.Range{Filename: "main.hcl", Start: hcl.Pos{Line: line, Column: 3}, End: hcl.Pos{Line: line, Column: 20}}
}

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "escape")); err != nil {
		t.Fatal(err)
	}
	decl := rng(1)

	tests := []struct {
		name    string
		svc     config.Service
		allow   []string
		refused []string // names of settings refused, in order
		line    int      // expected subject line of the first diagnostic
	}{
		{name: "plain service", svc: config.Service{}},
		{name: "privileged", svc: config.Service{Privileged: true, AttrRanges: map[string]hcl.Range{"privileged": rng(5)}},
			refused: []string{Privileged}, line: 5},
		{name: "privileged allowed", svc: config.Service{Privileged: true}, allow: []string{"privileged"}},
		{name: "host network", svc: config.Service{NetworkMode: "host", AttrRanges: map[string]hcl.Range{"network_mode": rng(7)}},
			refused: []string{HostNetwork}, line: 7},
		{name: "service network mode is fine", svc: config.Service{NetworkMode: "service:db"}},
		{name: "docker socket", svc: config.Service{Mounts: []*config.Mount{{Bind: "/var/run/docker.sock", Target: "/var/run/docker.sock", DeclRange: rng(9)}}},
			refused: []string{DockerSocket}, line: 9},
		{name: "docker socket elsewhere", svc: config.Service{Mounts: []*config.Mount{{Bind: "/home/x/.docker/desktop/docker.sock", Target: "/s"}}},
			refused: []string{DockerSocket}, line: 1},
		{name: "docker socket allowed is not also bind-outside", svc: config.Service{Mounts: []*config.Mount{{Bind: "/run/docker.sock", Target: "/s"}}},
			allow: []string{DockerSocket}},
		{name: "bind inside", svc: config.Service{Mounts: []*config.Mount{{Bind: filepath.Join(dir, "data"), Target: "/d"}}}},
		{name: "bind inside, not yet existing", svc: config.Service{Mounts: []*config.Mount{{Bind: filepath.Join(dir, "new", "x"), Target: "/d"}}}},
		{name: "bind outside", svc: config.Service{Mounts: []*config.Mount{{Bind: "/etc", Target: "/host-etc"}}},
			refused: []string{BindOutside}, line: 1},
		{name: "bind through symlink out", svc: config.Service{Mounts: []*config.Mount{{Bind: filepath.Join(dir, "escape", "x"), Target: "/d"}}},
			refused: []string{BindOutside}},
		{name: "bind dot-dot", svc: config.Service{Mounts: []*config.Mount{{Bind: dir + "/../", Target: "/d"}}},
			refused: []string{BindOutside}},
		{name: "bind outside allowed", svc: config.Service{Mounts: []*config.Mount{{Bind: "/etc", Target: "/e"}}}, allow: []string{BindOutside}},
		{name: "volume mounts are fine", svc: config.Service{Mounts: []*config.Mount{{Volume: "data", Target: "/d"}, {Tmpfs: true, Target: "/t"}}}},
		{name: "devices", svc: config.Service{Devices: []string{"/dev/kvm"}, AttrRanges: map[string]hcl.Range{"devices": rng(11)}},
			refused: []string{Devices}, line: 11},
		{name: "safe capabilities", svc: config.Service{CapAdd: []string{"NET_ADMIN", "cap_net_raw", "SYS_TIME"}}},
		{name: "unsafe capability", svc: config.Service{CapAdd: []string{"NET_ADMIN", "SYS_ADMIN"}, AttrRanges: map[string]hcl.Range{"cap_add": rng(13)}},
			refused: []string{Capabilities}, line: 13},
		{name: "everything", svc: config.Service{Privileged: true, NetworkMode: "host", Devices: []string{"/dev/fuse"}, CapAdd: []string{"ALL"},
			Mounts: []*config.Mount{{Bind: "/var/run/docker.sock"}, {Bind: "/"}}},
			refused: []string{Privileged, HostNetwork, DockerSocket, BindOutside, Devices, Capabilities}},
		{name: "everything allowed", svc: config.Service{Privileged: true, NetworkMode: "host", Devices: []string{"/dev/fuse"}, CapAdd: []string{"ALL"},
			Mounts: []*config.Mount{{Bind: "/var/run/docker.sock"}, {Bind: "/"}}},
			allow: Names},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := tt.svc
			svc.Name = "web"
			svc.DeclRange = decl
			env := &config.Environment{Dir: dir, Services: []*config.Service{&svc}}
			diags := Check(env, tt.allow)
			if len(diags) != len(tt.refused) {
				t.Fatalf("got %d diagnostics, want %d: %v", len(diags), len(tt.refused), diags)
			}
			for i, d := range diags {
				if d.Severity != hcl.DiagError || d.Summary != "Unsafe setting refused" {
					t.Errorf("diag %d: %v %q", i, d.Severity, d.Summary)
				}
				flag := "--allow " + tt.refused[i]
				if !strings.Contains(d.Detail, flag) || !strings.Contains(d.Detail, `"web"`) {
					t.Errorf("diag %d detail %q lacks %q or the service name", i, d.Detail, flag)
				}
				if d.Subject == nil {
					t.Errorf("diag %d has no subject", i)
				}
			}
			if tt.line != 0 && diags[0].Subject.Start.Line != tt.line {
				t.Errorf("subject line %d, want %d", diags[0].Subject.Start.Line, tt.line)
			}
		})
	}
}

func TestCheckUnknownAllow(t *testing.T) {
	diags := Check(&config.Environment{}, []string{"privileged", "priviledged"})
	if len(diags) != 1 || diags[0].Summary != "Unknown unsafe setting" || !strings.Contains(diags[0].Detail, "priviledged") {
		t.Fatalf("got %v", diags)
	}
}
