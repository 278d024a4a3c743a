package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/proeftuin/proeftuin/internal/engine"
)

// incidentDoc is the part of an incident report the tests read.
type incidentDoc struct {
	ID       string `json:"id"`
	Status   string `json:"status"`
	Timeline []struct {
		Kind string `json:"kind"`
		Text string `json:"text"`
	} `json:"timeline"`
	HintsUsed int `json:"hints_used"`
	After     []struct {
		Name   string `json:"name"`
		Status string `json:"status"`
	} `json:"after"`
	TimeToRepairS *int64 `json:"time_to_repair_s"`
	Inject        any    `json:"inject"`
}

// TestFaultRepair: a student starts a fault, diagnoses with exec (which
// is recorded), takes a hint, repairs it and gets the incident report.
func TestFaultRepair(t *testing.T) {
	needEngine(t)
	t.Parallel()
	dir := labDir(t, "faults")
	inst := newInstance(t, "")
	mustRun(t, dir, "--name", inst, "up")

	if r := run(t, dir, "--name", inst, "fault", "start", "httpd-dwn"); r.Code != 2 || !strings.Contains(r.Stderr, `Did you mean "httpd-down"?`) {
		t.Errorf("unknown fault: want exit 2 with a suggestion:\n%s", r)
	}
	r := mustRun(t, dir, "--name", inst, "fault", "start", "--lang", "en", "httpd-down")
	if !strings.Contains(r.Stdout, "The website no longer responds.") || strings.Contains(r.Stdout, "kill") || strings.Contains(r.Stdout, "httpd") {
		t.Errorf("the ticket, without its cause:\n%s", r)
	}
	if r := run(t, dir, "--name", inst, "fault", "start", "disk-full"); r.Code != 2 || !strings.Contains(r.Stderr, "still open") {
		t.Errorf("a second fault while one is open: want exit 2:\n%s", r)
	}
	if r := run(t, dir, "--name", inst, "fault", "check"); r.Code != 1 || !strings.Contains(r.Stdout, "failed   httpd-runs") {
		t.Errorf("check before the repair: want exit 1:\n%s", r)
	}
	mustRun(t, dir, "--name", inst, "exec", "web", "--", "ps")
	if r := mustRun(t, dir, "--name", inst, "fault", "hint"); !strings.Contains(r.Stdout, "hint 1 of 2") {
		t.Errorf("hint:\n%s", r)
	}
	mustRun(t, dir, "--name", inst, "exec", "web", "--", "httpd", "-p", "80", "-h", "/www")
	mustRun(t, dir, "--name", inst, "fault", "check", "--author", "Sam")

	doc := readIncident(t, dir)
	kinds := []string{}
	for _, e := range doc.Timeline {
		kinds = append(kinds, e.Kind+":"+e.Text)
	}
	got := strings.Join(kinds, "\n")
	for _, want := range []string{"start:", "injected:", "exec:web -- ps", "hint:hint 1 of 2", "check:0 of 2", "exec:web -- httpd -p 80 -h /www", "check:2 of 2", "resolved:"} {
		if !strings.Contains(got, want) {
			t.Errorf("timeline lacks %q:\n%s", want, got)
		}
	}
	if doc.Status != "resolved" || doc.HintsUsed != 1 || len(doc.After) != 2 || doc.TimeToRepairS == nil || doc.Inject != nil {
		t.Errorf("report: %+v", doc)
	}
	md, err := os.ReadFile(filepath.Join(dir, ".proeftuin", "incidents", doc.ID, "incident.md"))
	if err != nil || !strings.Contains(string(md), "Time to repair") || !strings.Contains(string(md), "Sam") {
		t.Errorf("incident.md: %v\n%s", err, md)
	}
	for _, name := range []string{"incident.html", "incident-junit.xml"} {
		if _, err := os.Stat(filepath.Join(dir, ".proeftuin", "incidents", doc.ID, name)); err != nil {
			t.Errorf("incident report: %v", err)
		}
	}
	if r := mustRun(t, dir, "fault", "report", "--format", "html", "--lang", "nl", doc.ID); !strings.Contains(r.Stdout, "Incidentrapport") || strings.Contains(r.Stdout, "kill") {
		t.Errorf("html report in Dutch:\n%s", r)
	}
	teacher := mustRun(t, dir, "fault", "report", "--show-solution", doc.ID)
	if !strings.Contains(teacher.Stdout, "Cause (teacher)") || !strings.Contains(teacher.Stdout, "kill -KILL httpd") {
		t.Errorf("teacher's report:\n%s", teacher)
	}
	if student := mustRun(t, dir, "fault", "report", doc.ID); strings.Contains(student.Stdout, "kill") || strings.Contains(student.Stdout, "Cause") {
		t.Errorf("student's report shows the cause:\n%s", student)
	}
	mustRun(t, dir, "--name", inst, "down")
	assertNothingLeft(t, inst)
}

func readIncident(t *testing.T, dir string) incidentDoc {
	t.Helper()
	matches, _ := filepath.Glob(filepath.Join(dir, ".proeftuin", "incidents", "INC-*", "incident-report.json"))
	if len(matches) != 1 {
		t.Fatalf("want one incident report, found %v", matches)
	}
	data, err := os.ReadFile(matches[0])
	if err != nil {
		t.Fatal(err)
	}
	var doc incidentDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestFaultActions injects every fault action of the lab, sees a
// recovered check fail, and resets: the check passes again, the touched
// service is a new container and the incident is closed as reset.
func TestFaultActions(t *testing.T) {
	needEngine(t)
	t.Parallel()
	dir := labDir(t, "faults")
	inst := newInstance(t, "")
	mustRun(t, dir, "--name", inst, "up")
	for _, id := range []string{"page-locked", "disk-full", "web-cut-off", "httpd-down", "port-blocked"} {
		before := containers(t, inst)["web"].ID
		mustRun(t, dir, "--name", inst, "fault", "start", id)
		if r := run(t, dir, "--name", inst, "fault", "check"); r.Code != 1 {
			t.Errorf("%s: check after the inject: want exit 1:\n%s", id, r)
		}
		if id == "web-cut-off" {
			d, err := eng.InspectContainer(t.Context(), before)
			if err != nil || len(d.Networks) != 0 {
				t.Errorf("web-cut-off: web still on %v (%v)", d.Networks, err)
			}
		}
		if id == "port-blocked" {
			helpers, err := eng.Containers(t.Context(), map[string]string{engine.LabelInstance: inst, "proeftuin.fault": id})
			if err != nil || len(helpers) != 1 {
				t.Errorf("%s: want one helper sidecar, got %d (%v)", id, len(helpers), err)
			}
		}
		mustRun(t, dir, "--name", inst, "fault", "reset")
		if after := containers(t, inst)["web"]; after.ID == before || after.State != engine.StateRunning {
			t.Errorf("%s: reset did not recreate web: %s -> %s (%s)", id, before, after.ID, after.State)
		}
		if r := run(t, dir, "--name", inst, "fault", "check"); r.Code != 2 || !strings.Contains(r.Stderr, "no incident is open") {
			t.Errorf("%s: check after reset:\n%s", id, r)
		}
	}
	left, err := eng.Containers(t.Context(), map[string]string{engine.LabelInstance: inst, "proeftuin.fault": "port-blocked"})
	if err != nil || len(left) != 0 {
		t.Errorf("fault containers left after reset: %v %v", left, err)
	}
	// down removes a fault's helper sidecar too, with an incident open.
	mustRun(t, dir, "--name", inst, "fault", "start", "port-blocked")
	mustRun(t, dir, "--name", inst, "down")
	assertNothingLeft(t, inst)
}

// TestFaultVerify: lab verify proves that each fault breaks something and
// that its solution repairs it, and names the one that breaks nothing.
func TestFaultVerify(t *testing.T) {
	needEngine(t)
	t.Parallel()
	dir := labDir(t, "faults")
	inst := instanceName(t, "")
	t.Cleanup(func() { sweep(t, inst) })
	r := run(t, dir, "--name", inst, "--output", "json", "lab", "verify")
	var res struct {
		Sound  bool `json:"sound"`
		Faults []struct {
			ID      string `json:"id"`
			Source  string `json:"source"`
			Verdict string `json:"verdict"`
		} `json:"faults"`
		Problems []string `json:"problems"`
	}
	var netemVerdict struct {
		ID      string `json:"id"`
		Source  string `json:"source"`
		Verdict string `json:"verdict"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &res); err != nil {
		t.Fatalf("lab verify output: %v\n%s", err, r)
	}
	want := map[string]string{"httpd-down": "ok", "page-locked": "ok", "disk-full": "ok", "web-cut-off": "ok", "web-lossy": "", "port-blocked": "ok", "harmless": "breaks nothing"}
	for _, f := range res.Faults {
		if f.ID == "web-lossy" {
			netemVerdict = f
		} else if want[f.ID] != f.Verdict {
			t.Errorf("fault %s (%s): verdict %q, want %q", f.ID, f.Source, f.Verdict, want[f.ID])
		}
		delete(want, f.ID)
	}
	if len(want) > 0 {
		t.Errorf("faults not verified: %v\n%s", want, r)
	}
	// netem needs sch_netem in the engine's kernel; without it the
	// verdict must say so, and it is one more problem.
	problems := 1
	switch {
	case netemVerdict.Verdict == "ok":
	case netemVerdict.Verdict == "inject failed" && strings.Contains(r.Stdout, "no netem qdisc"):
		t.Log("this engine's kernel has no netem: web-lossy cannot be verified here")
		problems++
	default:
		t.Errorf("fault web-lossy: verdict %q\n%s", netemVerdict.Verdict, r)
	}
	if r.Code != 1 || res.Sound || len(res.Problems) != problems || !strings.Contains(strings.Join(res.Problems, "\n"), "fault harmless (faults.hcl:") {
		t.Errorf("lab verify: want exit 1 and %d problems naming faults.hcl:\n%s", problems, r)
	}
	assertNothingLeft(t, inst)
}

// TestFaultResetKeepsStoppedServicesStopped: a service that was stopped
// before the fault (a plan may stop one on purpose) is still stopped
// after fault reset; the service the fault touched is recreated and runs.
// exec and logs from any folder land in the incident's timeline.
func TestFaultResetKeepsStoppedServicesStopped(t *testing.T) {
	needEngine(t)
	t.Parallel()
	dir := labDir(t, "faults")
	inst := newInstance(t, "")
	mustRun(t, dir, "--name", inst, "up")
	spare := containers(t, inst)["spare"].ID
	if err := eng.StopContainer(t.Context(), spare, time.Second); err != nil {
		t.Fatal(err)
	}
	web := containers(t, inst)["web"].ID
	mustRun(t, dir, "--name", inst, "fault", "start", "disk-full")
	// Diagnosis from another folder (no lab there) is recorded in the
	// incident of the lab folder the instance was brought up from.
	elsewhere := t.TempDir()
	mustRun(t, elsewhere, "--name", inst, "exec", "web", "--", "df", "/tmp")
	mustRun(t, elsewhere, "--name", inst, "logs", "--tail", "1", "web")
	events, _ := filepath.Glob(filepath.Join(dir, ".proeftuin", "incidents", "INC-*", "events.jsonl"))
	if len(events) != 1 {
		t.Fatalf("want one incident with events, found %v", events)
	}
	if data, err := os.ReadFile(events[0]); err != nil || !strings.Contains(string(data), `"kind":"exec","text":"web -- df /tmp"`) || !strings.Contains(string(data), `"kind":"logs","text":"web"`) {
		t.Errorf("diagnosis from another folder not recorded: %v\n%s", err, data)
	}
	if _, err := os.Stat(filepath.Join(elsewhere, ".proeftuin")); err == nil {
		t.Errorf("an incident folder was made where the command ran")
	}
	mustRun(t, dir, "--name", inst, "fault", "reset")
	after := containers(t, inst)
	if after["spare"].ID != spare || after["spare"].State == engine.StateRunning {
		t.Errorf("reset started or replaced the stopped service spare: %s -> %s (%s)", spare, after["spare"].ID, after["spare"].State)
	}
	if after["web"].ID == web || after["web"].State != engine.StateRunning {
		t.Errorf("reset did not recreate web: %s -> %s (%s)", web, after["web"].ID, after["web"].State)
	}
	mustRun(t, dir, "--name", inst, "down")
	assertNothingLeft(t, inst)
}
