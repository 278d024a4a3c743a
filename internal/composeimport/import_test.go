package composeimport

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/proeftuin/proeftuin/internal/config"
)

// copyLab copies testdata/name to a new folder and returns it.
func copyLab(t *testing.T, name string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), name)
	if err := os.CopyFS(dst, os.DirFS(filepath.Join("testdata", name))); err != nil {
		t.Fatal(err)
	}
	return dst
}

// TestImportEveryCarriedKey imports a compose file that uses every key
// the importer carries: the lab validates, and each key arrived.
func TestImportEveryCarriedKey(t *testing.T) {
	dir := copyLab(t, "full")
	res, err := Import(context.Background(), Options{File: filepath.Join(dir, "compose.yaml")})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range res.Notes {
		t.Errorf("unexpected note: line %d %s: %s", n.Line, n.Key, n.Reason)
	}
	env, diags := config.Load(config.Options{Dir: dir})
	if diags.HasErrors() {
		src, _ := os.ReadFile(res.Path)
		t.Fatalf("the imported lab does not validate:\n%s\n%s", diags.Error(), src)
	}
	if env.Name != "shop" {
		t.Errorf("name %q", env.Name)
	}
	db, api, migrate, side := env.Service("db"), env.Service("api"), env.Service("migrate"), env.Service("sidecar")
	checks := []struct {
		what string
		ok   bool
	}{
		{"env_file and environment", db.Env["DB_NAME"] == "shop" && db.Env["MODE"] == "production"},
		{"secret with mode", len(db.Secrets) == 1 && env.Secret("db_password").Mode == 0o440 && strings.HasPrefix(string(env.Secret("db_password").Value), "Geheim")},
		{"expose", len(db.Expose) == 1 && db.Expose[0] == "3306/tcp"},
		{"mounts", len(db.Mounts) == 3},
		{"ipv4 and aliases", len(db.Networks) == 1 && db.Networks[0].IPv4Address == "172.31.250.10" && db.Networks[0].Aliases[0] == "database"},
		{"ipv6_address, mac_address, interface_name", db.Networks[0].IPv6Address == "fd00:31:250::10" && db.Networks[0].MACAddress == "02:42:ac:1f:fa:0a" && db.Networks[0].Interface == "lan0"},
		{"enable_ipv6 with an IPv6 pool", env.Network("backend").Subnet6 == "fd00:31:250::/64"},
		{"healthcheck", db.Healthcheck != nil && db.Healthcheck.Retries == 3},
		{"ready on health (service_healthy)", db.Ready != nil && db.Ready.Healthcheck},
		{"stop_timeout", db.StopTimeout != nil && db.StopTimeout.Seconds() == 2},
		{"restart, labels, pull", db.Restart == "unless-stopped" && db.Labels["tier"] == "data" && db.Pull == "never"},
		{"resources", db.Resources != nil && db.Resources.MemoryBytes == 256<<20 && db.Resources.CPUs == 0.5},
		{"${APP_TAG} from .env", migrate.Image == "shop/app:1"},
		{"build shared by image", migrate.Build != nil && api.Build == migrate.Build && migrate.Build.Target == "final" && migrate.Build.Args["GREETING"] == "hallo"},
		{"depends_on healthy as list", migrate.Condition("db") == config.DependReady},
		{"depends_on conditions", api.Condition("db") == config.DependStarted && api.Condition("migrate") == config.DependCompleted},
		{"command, entrypoint, working_dir, user, hostname", api.Entrypoint[0] == "sh" && api.WorkingDir == "/srv" && api.User == "0:0" && api.Hostname == "api-host"},
		{"ports", len(api.Ports) == 2 && api.Ports[0].Host == 18080 && api.Ports[0].HostIP == "127.0.0.1" && api.Ports[1].Protocol == "udp"},
		{"networks", len(api.Networks) == 2},
		{"cap_add, sysctls, deploy limits", api.CapAdd[0] == "NET_ADMIN" && api.Sysctls["net.ipv4.ip_forward"] == "1" && api.Resources.MemoryBytes == 128<<20},
		{"network_mode, privileged, devices", side.NetworkMode == "service:api" && side.Privileged && side.Devices[0] == "/dev/fuse"},
		{"internal network with subnet", env.Network("backend").Internal && env.Network("backend").Subnet == "172.31.250.0/24"},
		{"volume", len(env.Volumes) == 1},
		{"a secret a non-root user reads is readable", env.Secret("api_key").Mode == 0o444},
		{"configs as files", len(env.Service("worker").Files) == 3 && env.Service("worker").Files[1].Path == "/etc/site.conf" &&
			env.Service("worker").Files[1].Mode == 0o640 && string(env.Service("worker").Files[2].Content) == "welkom\n" && env.Service("worker").Files[2].Path == "/motd"},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("not carried: %s", c.what)
		}
	}
	// The written file is formatted as proeftuin fmt would.
	src, _ := os.ReadFile(res.Path)
	if !regexp.MustCompile(`depends_on +=  ?\{ db = "started", migrate = "completed" \}`).Match(src) {
		t.Errorf("depends_on not written in the map form:\n%s", src)
	}
	if _, err := Import(context.Background(), Options{File: filepath.Join(dir, "compose.yaml")}); err == nil {
		t.Error("a second import overwrote environment.hcl without --force")
	}
}

// TestImportNamesUnsupportedKeys: every key that cannot be carried is
// named with its line in the compose file, and the rest still validates.
func TestImportNamesUnsupportedKeys(t *testing.T) {
	dir := copyLab(t, "unsupported")
	out := filepath.Join(t.TempDir(), "lab")
	res, err := Import(context.Background(), Options{File: filepath.Join(dir, "compose.yaml"), Out: out})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, n := range res.Notes {
		got[n.Key] = n.Line
		if n.Reason == "" {
			t.Errorf("%s has no reason", n.Key)
		}
	}
	want := map[string]int{
		"version":                            1,
		"services.web.container_name":        5,
		"services.web.logging":               6,
		"services.web.environment":           8,
		"services.web.deploy.labels":         11,
		"services.web.x-custom":              15,
		"services.web.extra_hosts":           16,
		"services.web.depends_on.db.restart": 22,
		"services.db.command":                25,
		"networks.outside.external":          28,
		"volumes.data.driver_opts":           32,
		"x-common":                           34,
	}
	for _, n := range res.Notes {
		if n.Key == "services.db.command" && !strings.Contains(n.Reason, "${HOME_DIR}") {
			t.Errorf("the interpolation note does not name the variable: %s", n.Reason)
		}
	}
	for k, line := range want {
		if got[k] != line {
			t.Errorf("note for %s at line %d, want line %d (notes: %v)", k, got[k], line, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("notes %v, want exactly %v", got, want)
	}
	if _, diags := config.Load(config.Options{Dir: out}); diags.HasErrors() {
		t.Errorf("the imported lab does not validate: %s", diags.Error())
	}
}

// TestImportElsewhereNamesOutsidePaths: with --out in another folder, the
// env file, secret file and build context are outside the lab; each is
// named with its line, so the teacher knows what to copy.
func TestImportElsewhereNamesOutsidePaths(t *testing.T) {
	dir := copyLab(t, "full")
	res, err := Import(context.Background(), Options{File: filepath.Join(dir, "compose.yaml"), Out: filepath.Join(t.TempDir(), "lab")})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, n := range res.Notes {
		if strings.Contains(n.Reason, "outside the lab folder") {
			got[n.Key] = n.Line
		}
	}
	for key, line := range map[string]int{"services.db.env_file": 7, "secrets.db_password.file": 109, "services.migrate.build.context": 40} {
		if l, ok := got[key]; !ok || l != line {
			t.Errorf("no note for %s at line %d: %v", key, line, got)
		}
	}
}

// TestImportIPv6Pools: enable_ipv6 without an IPv6 prefix, an IPv6
// gateway, a second IPv4 pool and an IPv6 pool without enable_ipv6 are
// each named with their line; the first IPv4 and IPv6 pools are carried.
func TestImportIPv6Pools(t *testing.T) {
	dir := t.TempDir()
	src := `services:
  a:
    image: proeftuin/busybox:1
    networks: [v6, nov6, off]
networks:
  v6:
    enable_ipv6: true
    ipam:
      config:
        - subnet: 10.77.1.0/24
        - subnet: fd00:77:1::/64
          gateway: fd00:77:1::fe
        - subnet: 10.77.2.0/24
  nov6:
    enable_ipv6: true
  off:
    ipam:
      config:
        - subnet: fd00:77:3::/64
`
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Import(context.Background(), Options{File: filepath.Join(dir, "compose.yaml")})
	if err != nil {
		t.Fatal(err)
	}
	var notes []string
	for _, n := range res.Notes {
		notes = append(notes, fmt.Sprintf("%d %s", n.Line, n.Key))
	}
	want := "9 networks.v6.ipam.config 9 networks.v6.ipam.config 15 networks.nov6.enable_ipv6 18 networks.off.ipam.config"
	if got := strings.Join(notes, " "); got != want {
		t.Errorf("notes %q, want %q", got, want)
	}
	env, diags := config.Load(config.Options{Dir: dir})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if v6 := env.Network("v6"); v6.Subnet != "10.77.1.0/24" || v6.Subnet6 != "fd00:77:1::/64" {
		t.Errorf("network v6: subnet %q subnet6 %q", v6.Subnet, v6.Subnet6)
	}
	if env.Network("off").Subnet6 != "" || env.Network("nov6").Subnet6 != "" {
		t.Error("an IPv6 prefix was carried without enable_ipv6 or from nowhere")
	}
}
