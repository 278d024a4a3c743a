package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/proeftuin/proeftuin/internal/phrase"
)

// secret is the database password that leaks into one action's output.
const secret = "oefenen123"

func intp(i int) *int { return &i }

// longOutput is 60 lines of output with things that break naive renderers:
// backtick fences, table pipes, HTML, a terminal colour code, a carriage
// return progress line and the secret.
func longOutput() string {
	var b strings.Builder
	for i := 1; i <= 55; i++ {
		fmt.Fprintf(&b, "line %02d | col a | col b\n", i)
	}
	b.WriteString("```\nnot a fence end ```` either\n")
	b.WriteString("<script>alert('x')</script> & done\n")
	b.WriteString("\x1b[31mred error\x1b[0m\n")
	b.WriteString("progress 10%\rprogress 100%\n")
	b.WriteString("mysql -p" + secret + " connected\n")
	return b.String()
}

// sampleResult is a realistic run: a resumed step, passing steps, a step
// that passed on its second attempt, a failed step with on_failure
// continue, a rolled-back step, an interrupted step and a skipped one;
// acceptance checks passing and failing; a requirement without checks.
// The interrupted and skipped steps carry the reasons the runner gives; the
// failed step's error is free text without a reason, as in documents
// written before reasons existed.
func sampleResult() *Result {
	zone := time.FixedZone("", 3600)
	start := time.Date(2026, 3, 12, 9, 15, 0, 0, zone)
	at := func(sec int) time.Time { return start.Add(time.Duration(sec) * time.Second) }
	r := &Result{
		Schema: SchemaVersion,
		Kind:   "run",
		RunID:  "20260312-091500-7f3a",
		Tool:   Tool{Name: "proeftuin", Version: "0.4.0"},
		Environment: EnvInfo{
			Name:     "webshop",
			Title:    "Webshop Bakkerij Jansen",
			Version:  "1.0",
			Instance: "klas4a-sanne",
			Hash:     "sha256:5d41402abc4b2a76b9719d911017c592",
		},
		Engine: EngineInfo{ServerVersion: "27.3.1", APIVersion: "1.47", OS: "linux", Arch: "amd64"},
		Images: []Image{
			{Service: "db", Ref: "proeftuin/mariadb:test", ID: "sha256:9b1c2d3e4f5a"},
			{Service: "web", Ref: "nginx:1.27", ID: "sha256:aa11bb22cc33"},
		},
		Author:     "Sanne de Vries",
		Notes:      "Het schema lukte pas de tweede keer, omdat de database nog niet klaar was.\n\n- Volgende keer wacht ik eerst op `db`.\n- De **migratie** moet ik opnieuw bekijken.\n",
		Started:    start,
		Finished:   at(95),
		DurationMS: 95_000,
		Plan:       &PlanInfo{Name: "rollout", Title: "Implementatieplan webshop v1", Hash: "sha256:c4ca4238a0b923820dcc"},
		Steps: []Step{
			{
				ID: "volumes", Title: "Volumes aanmaken", Implements: []string{"FR-02"},
				Status: Passed, Attempts: 1, Started: at(0), Resumed: true,
			},
			{
				ID: "network", Title: "Netwerken controleren", Implements: []string{"FR-02"},
				Status: Passed, Attempts: 1, Started: at(1), DurationMS: 1200, PlannedMS: 60_000,
				Actions: []Action{{Kind: "exec", Service: "web", Command: []string{"ip", "addr"}, Status: Passed, ExitCode: intp(0), Stdout: "1: lo\n2: eth0\n", DurationMS: 300}},
				Checks: []Check{texts(Check{Name: "frontend-exists", Kind: "dns", From: "web", Status: Passed, Attempts: 1, DurationMS: 40},
					phrase.Of(phrase.P("resolves", "db")), phrase.Of(phrase.P("resolved_to", "172.20.0.10")), "")},
			},
			{
				ID: "schema", Title: "Database van de shop aanmaken", Implements: []string{"FR-01"},
				Status: Passed, Attempts: 2, Started: at(3), DurationMS: 7400, PlannedMS: 5000,
				Actions: []Action{{Kind: "exec", Service: "db", Command: []string{"sh", "-c", "mariadb < /seed/schema.sql"}, Status: Passed, ExitCode: intp(0), DurationMS: 900}},
				Checks: []Check{texts(Check{Name: "tables", Kind: "exec", From: "db", Status: Passed, Attempts: 2, DurationMS: 150, Source: "plan.hcl:21"},
					phrase.Of(phrase.P("exit_code", "0"), phrase.P("stdout_matches", "orders|customers")), phrase.Of(phrase.P("exit_code", "0"), phrase.P("stdout_was", "customers⏎orders⏎products")), "")},
			},
			{
				ID: "config", Title: "Nginx-configuratie plaatsen", Implements: []string{"FR-03"},
				Status: Failed, Attempts: 1, Started: at(11), DurationMS: 2300,
				Actions: []Action{
					{Kind: "copy", Service: "web", Detail: "files/shop.conf -> /etc/nginx/conf.d/shop.conf", Status: Passed, DurationMS: 80},
					{Kind: "exec", Service: "web", Command: []string{"nginx", "-t"}, Status: Failed, ExitCode: intp(1), Stdout: longOutput(), Stderr: "nginx: [emerg] unknown directive \"servr\" in /etc/nginx/conf.d/shop.conf:3\n", Truncated: true, DurationMS: 210},
				},
				Checks: []Check{texts(Check{Name: "config-valid", Title: "Configuratie is geldig", Kind: "exec", From: "web", Status: Failed, Attempts: 1, DurationMS: 220},
					phrase.Of(phrase.P("exit_code", "0")), phrase.Of(phrase.P("exit_code", "1"), phrase.P("stderr_was", "nginx: [emerg] unknown directive \"servr\"")), "stderr: nginx: [emerg] unknown directive \"servr\"")},
			},
			{
				ID: "migrate", Title: "Migratie uitvoeren", Implements: []string{"FR-04"},
				Status: RolledBack, Attempts: 1, Started: at(14), DurationMS: 4100,
				Actions: []Action{{Kind: "exec", Service: "db", Command: []string{"mariadb", "-e", "ALTER TABLE orders ADD note TEXT"}, Status: Failed, ExitCode: intp(2), Stderr: "ERROR 1146 (42S02): Table 'shop.orders2' doesn't exist\n", DurationMS: 300}},
				Checks: []Check{texts(Check{Name: "migrated", Kind: "exec", From: "db", Status: Failed, Attempts: 1, DurationMS: 90},
					phrase.Of(phrase.P("exit_code", "0"), phrase.P("stdout_matches", "note")), phrase.Of(phrase.P("exit_code", "0"), phrase.P("stdout_empty")), "")},
				Rollback:       []Action{{Kind: "exec", Service: "db", Command: []string{"mariadb", "-e", "ALTER TABLE orders DROP COLUMN IF EXISTS note"}, Status: Passed, ExitCode: intp(0), DurationMS: 120}},
				RollbackStatus: Passed,
			},
			{
				ID: "reload", Title: "Webserver herladen", Implements: []string{"FR-05"},
				Status: Interrupted, Attempts: 1, Started: at(19), DurationMS: 800,
				Actions: []Action{{Kind: "restart", Service: "web", Status: Interrupted, DurationMS: 800, Error: "interrupted", Reason: &Reason{Code: ReasonActionInterrupted}}},
				Checks:  []Check{texts(Check{Name: "reloaded", Kind: "http", Status: Skipped}, phrase.Of(phrase.P("http_status", "200")), nil, "")},
				Error:   "interrupted while the step ran",
				Reason:  &Reason{Code: ReasonInterrupted},
			},
			{
				ID: "cleanup", Title: "Opruimen", Status: Skipped, Error: "not run: the run was interrupted",
				Reason: &Reason{Code: ReasonRunInterrupted},
			},
		},
		Acceptance: []Check{
			texts(Check{Name: "shop-answers", Title: "De shop antwoordt", Kind: "http", Verifies: []string{"FR-01"}, Status: Passed, Attempts: 1, DurationMS: 35, Source: "checks.hcl:3"},
				phrase.Of(phrase.P("http_status", "200")), phrase.Of(phrase.P("http_status", "200")), ""),
			texts(Check{Name: "db-isolated", Kind: "tcp", From: "web", Verifies: []string{"SEC-01"}, Status: Failed, Attempts: 1, DurationMS: 2000, Source: "checks.hcl:12"},
				phrase.Of(phrase.P("not_reachable")), phrase.Of(phrase.P("reachable")), "connected to 172.20.0.10:3306"),
		},
		Matrix: []MatrixRow{
			{ID: "FR-01", Title: "Klanten openen de shop op http://localhost:8080", Kind: "functional", Priority: "must", SatisfiedBy: []string{"web", "db"}},
			{ID: "FR-02", Title: "Netwerken en volumes bestaan", Kind: "functional", Priority: "must"},
			{ID: "FR-03", Title: "Nginx | serveert de shop", Kind: "functional", Priority: "must", SatisfiedBy: []string{"web"}},
			{ID: "FR-04", Title: "Bestellingen hebben een notitie", Kind: "functional", Priority: "should", SatisfiedBy: []string{"db"}},
			{ID: "FR-05", Title: "Nieuwe configuratie is actief", Kind: "functional", Priority: "could"},
			{ID: "SEC-01", Title: "De database is niet bereikbaar vanaf het frontend-netwerk", Kind: "security", Priority: "must", SatisfiedBy: []string{"db"}},
			{ID: "NFR-01", Title: "Dagelijkse back-up", Kind: "non-functional", Priority: "should"},
		},
	}
	Summarize(r)
	return r
}

// texts is c with what it expected and found as the check package writes
// them: phrases, their English text, and detail on the next line.
func texts(c Check, exp, act phrase.Text, detail string) Check {
	c.Expected, c.ExpectedText = English(exp), exp
	c.Actual, c.ActualText = English(act), act
	if detail != "" {
		c.Actual += "\n" + detail
	}
	return c
}
