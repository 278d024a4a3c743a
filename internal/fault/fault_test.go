package fault

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/report"
)

func TestStoreRecordsDiagnosisOnlyWhileOpen(t *testing.T) {
	dir := t.TempDir()
	s := NewStore(dir)
	t0 := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	// No incident: recording is a no-op, not an error.
	if err := Record(dir, "lab", "exec", "web -- ps", t0); err != nil {
		t.Fatal(err)
	}
	inc := &Incident{ID: NewID(t0), Instance: "lab", Status: StatusInjecting, ReportedAt: t0,
		Timeline: []Event{{Time: t0, Kind: "start"}}}
	if err := s.Save(inc); err != nil {
		t.Fatal(err)
	}
	if open, err := s.OpenIncident("lab"); err != nil || open == nil || open.Status != StatusInjecting {
		t.Fatalf("an incident saved before its inject is open: %+v %v", open, err)
	}
	if err := Record(dir, "lab", "exec", "web -- ps", t0.Add(2*time.Second)); err != nil {
		t.Fatal(err)
	}
	inc.Timeline = append(inc.Timeline, Event{Time: t0.Add(time.Second), Kind: "hint"})
	inc.Status, inc.ClosedAt = StatusResolved, t0.Add(90*time.Second)
	if err := s.Save(inc); err != nil {
		t.Fatal(err)
	}
	if open, _ := s.OpenIncident("lab"); open != nil {
		t.Errorf("a resolved incident is still open")
	}
	if err := Record(dir, "lab", "logs", "web", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range s.Timeline(inc) {
		kinds = append(kinds, e.Kind+" "+e.Text)
	}
	if got := strings.Join(kinds, ","); got != "start ,hint ,exec web -- ps" {
		t.Errorf("timeline: %s", got)
	}
	if d := inc.TimeToRepair(time.Now()); d != 90*time.Second {
		t.Errorf("time to repair %s", d)
	}
}

func TestReportHidesTheCauseFromStudents(t *testing.T) {
	dir := t.TempDir()
	s := NewStore(dir)
	t0 := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	f := &config.Fault{ID: "x", Title: "httpd killed", Solution: []*config.Action{{Kind: "restart", Service: "web"}}}
	inc := &Incident{ID: NewID(t0), Instance: "lab", Ticket: "De site is weg.", Status: StatusResolved, ReportedAt: t0,
		ClosedAt: t0.Add(time.Minute), HintsUsed: 1, HintsTotal: 2, Author: "Sam", Notes: "oorzaak gevonden",
		Inject: []report.Action{{Kind: "kill", Service: "web", Detail: "kill -TERM httpd", Status: report.Passed}},
		After:  []report.Check{{Name: "web-answers", Status: report.Passed}}}
	render := func(format, lang string, teacher bool) string {
		var b strings.Builder
		if err := Render(&b, s, inc, f, format, lang, teacher, t0); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	student := render("md", "en", false)
	for _, want := range []string{"Incident report INC-20261202-100000", "De site is weg.", "| Time to repair | 1 min 00 s |", "| Hints used | 1 / 2 |", "web-answers | ✔ Passed", "oorzaak gevonden", "Sam"} {
		if !strings.Contains(student, want) {
			t.Errorf("student report lacks %q:\n%s", want, student)
		}
	}
	for _, format := range []string{"md", "html", "json", "junit"} {
		for _, lang := range []string{"nl", "en"} {
			if out := render(format, lang, false); strings.Contains(out, "httpd killed") || strings.Contains(out, "kill -TERM") || strings.Contains(out, "restart web") {
				t.Errorf("%s %s: student report shows the cause:\n%s", format, lang, out)
			}
		}
	}
	teacher := render("md", "nl", true)
	if !strings.Contains(teacher, "Oorzaak (docent)") || !strings.Contains(teacher, "kill -TERM httpd") || !strings.Contains(teacher, "restart web") {
		t.Errorf("teacher report:\n%s", teacher)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(render("json", "nl", false)), &doc); err != nil || doc["cause"] != nil || doc["time_to_repair_s"] != float64(60) {
		t.Errorf("json: %v %v", err, doc)
	}
	if err := WriteReport(s, inc, f, "nl", t0); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"incident.md", "incident.html", "incident-report.json", "incident-junit.xml"} {
		if _, err := os.Stat(filepath.Join(s.IncidentDir(inc.ID), name)); err != nil {
			t.Errorf("report file: %v", err)
		}
	}
}

func TestFindSuggests(t *testing.T) {
	env := &config.Environment{Name: "lab", Faults: []*config.Fault{{ID: "php-down"}, {ID: "disk-full"}}}
	if _, err := Find(env, "php-dwn", false); err == nil || !strings.Contains(err.Error(), `Did you mean "php-down"?`) {
		t.Errorf("unknown fault: %v", err)
	}
	if f, err := Find(env, "", true); err != nil || f == nil {
		t.Errorf("random: %v %v", f, err)
	}
	if _, err := Find(&config.Environment{Name: "empty"}, "x", false); err == nil || !strings.Contains(err.Error(), "declares no fault") {
		t.Errorf("no faults: %v", err)
	}
}

func TestRestoreRerunsTheStepsOnTouchedServices(t *testing.T) {
	reload := &config.Step{ID: "herladen", Actions: []*config.Action{{Kind: "http", HTTP: &config.HTTPProbe{From: "prometheus"}}}}
	copyStep := &config.Step{ID: "conf", Actions: []*config.Action{{Kind: "copy", Copy: &config.CopyAction{Service: "web"}}}}
	if !actsOn(reload, []string{"prometheus"}) || actsOn(reload, []string{"web"}) {
		t.Error("an http action from a service acts on it, and only on it")
	}
	if !actsOn(copyStep, []string{"db", "web"}) || actsOn(copyStep, []string{"db"}) {
		t.Error("a copy into a service acts on it")
	}
	inject := []*config.Action{
		{Kind: "exec", Exec: &config.ExecAction{Service: "web"}},
		{Kind: "kill", Service: "db", Fault: &config.FaultAction{Service: "db"}},
		{Kind: "http", HTTP: &config.HTTPProbe{From: "client"}},
	}
	if got := strings.Join(touched(inject), ","); got != "db,web" {
		t.Errorf("touched: %s", got)
	}
}
