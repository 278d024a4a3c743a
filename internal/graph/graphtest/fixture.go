// Package graphtest holds a hand-built environment for golden tests of the
// renderers (graph, design), so they do not depend on the loader.
package graphtest

import (
	"time"

	"github.com/proeftuin/proeftuin/internal/config"
)

// Secret is the value of the sensitive variable in Webshop; it must never
// appear in any rendering.
const Secret = "oefenen-G3h31m"

// Webshop is the example lab from the design sketch, with a few twists
// that renderers must handle: a requirement nobody covers, a pipe and
// markup in titles, a secret inside a command, a build context given as
// an absolute path inside Dir.
func Webshop() *config.Environment {
	exit1 := 1
	return &config.Environment{
		Name:        "webshop",
		Title:       "Webshop Bakkerij Jansen",
		Description: "Testomgeving voor de nieuwe webshop <beta> & co.",
		Version:     "1.0",
		Dir:         "/labs/webshop",
		Variables: []*config.Variable{
			{Name: "web_port", Type: "number", Description: "Host port for the shop", Value: "8080", Source: "default"},
			{Name: "db_password", Type: "string", Description: "Root password of the database", Sensitive: true, Value: `"` + Secret + `"`, Source: "--var"},
		},
		Requirements: []*config.Requirement{
			{ID: "FR-01", Title: "Customers open the shop on http://localhost:8080", Kind: "functional", Priority: config.Must, Source: "intake 2026-03-12"},
			{ID: "SEC-01", Title: "The database is not reachable from the frontend network", Kind: "security", Priority: config.Must},
			{ID: "NFR-01", Title: "Pages load in < 1 s | measured on the school network", Kind: "performance", Priority: config.Should, Source: "teacher"},
			{ID: "FR-02", Title: "Orders are kept after a restart", Kind: "functional", Priority: config.Could},
		},
		Networks: []*config.Network{
			{Name: "frontend"},
			{Name: "backend", Internal: true, AutoSubnet: true},
		},
		Volumes: []*config.Volume{{Name: "dbdata"}},
		Services: []*config.Service{
			{
				Name:  "db",
				Build: &config.Build{Context: "/labs/webshop/images/db", Dockerfile: "Dockerfile"},
				Env:   map[string]string{"MARIADB_ROOT_PASSWORD": Secret},
				Networks: []*config.ServiceNetwork{
					{Network: "backend", IPv4Address: "10.77.0.10"},
				},
				Mounts:       []*config.Mount{{Volume: "dbdata", Target: "/var/lib/mysql"}},
				Satisfies:    []string{"FR-01", "FR-02"},
				SensitiveEnv: []string{"MARIADB_ROOT_PASSWORD"},
			},
			{
				Name:      "web",
				Image:     "nginx:1.27",
				DependsOn: []string{"db"},
				Networks: []*config.ServiceNetwork{
					{Network: "frontend"},
					{Network: "backend"},
				},
				Ports: []*config.Port{
					{Host: 8080, Container: 80, Protocol: "tcp", HostIP: "127.0.0.1"},
					{Host: 0, Container: 5353, Protocol: "udp", HostIP: "127.0.0.1"},
				},
				Mounts:    []*config.Mount{{Tmpfs: true, Target: "/var/cache/nginx"}},
				Satisfies: []string{"FR-01"},
			},
		},
		Checks: []*config.Check{
			{Name: "shop-answers", Title: "The shop answers on port 8080", Verifies: []string{"FR-01"},
				Probe: config.Probe{Kind: "http", HTTP: &config.HTTPProbe{URL: "http://127.0.0.1:8080/", Status: 200}}},
			{Name: "db-isolated", Verifies: []string{"SEC-01"},
				Probe: config.Probe{Kind: "tcp", TCP: &config.TCPProbe{From: "web", Address: "db:3306", Reachable: false}}},
		},
		Plan: &config.Plan{Name: "rollout", Title: "Implementation plan webshop v1"},
		Steps: []*config.Step{
			{
				ID: "schema", Title: "Create the shop database", Implements: []string{"FR-01", "FR-02"},
				Actions:   []*config.Action{{Kind: "exec", Exec: &config.ExecAction{Service: "db", Command: []string{"sh", "-c", "mariadb -p" + Secret + " < /seed/schema.sql"}}}},
				Checks:    []*config.Check{{Name: "tables", Probe: config.Probe{Kind: "exec", Exec: &config.ExecProbe{Service: "db", Command: []string{"mariadb", "-N", "-e", "SHOW TABLES FROM shop"}, Expect: config.Expect{StdoutMatches: "orders", ExitCode: &exit1}}}}},
				Timeout:   2 * time.Minute,
				Retry:     config.Retry{Attempts: 3, Delay: 2 * time.Second},
				OnFailure: "rollback",
				Rollback:  []*config.Action{{Kind: "exec", Exec: &config.ExecAction{Service: "db", Command: []string{"mariadb", "-e", "DROP DATABASE IF EXISTS shop"}}}},
			},
			{
				ID: "restart-web", Title: "Restart the web server", Implements: nil,
				Actions: []*config.Action{{Kind: "restart", Service: "web"}},
			},
		},
		Secrets: []string{Secret},
	}
}
