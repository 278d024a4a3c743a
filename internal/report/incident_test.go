package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/proeftuin/proeftuin/internal/htmlwrap/htmlwraptest"
)

func sampleIncident(teacher bool) *Incident {
	t0 := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	inc := &Incident{
		Schema: IncidentSchema, ID: "INC-20261202-100000", Environment: "webserver", Instance: "webserver-sam",
		Fault: "php-down", Ticket: "De webwinkel geeft sinds vanmorgen een foutmelding (502).\nGraag snel <oplossen>.",
		Priority: "high", Category: "service", Status: "resolved", ReportedAt: t0, ClosedAt: t0.Add(754 * time.Second),
		TimeToRepairS: 754, HintsUsed: 1, HintsTotal: 2, Author: "Sam de Vries",
		Timeline: []IncidentEvent{
			{Time: t0, Kind: "start", Text: "incident reported"},
			{Time: t0.Add(time.Second), Kind: "injected", Text: "the fault was injected"},
			{Time: t0.Add(60 * time.Second), Kind: "exec", Text: "web -- ps aux"},
			{Time: t0.Add(90 * time.Second), Kind: "logs", Text: "web"},
			{Time: t0.Add(300 * time.Second), Kind: "hint", Text: "hint 1 of 2", N: 1, Of: 2},
			{Time: t0.Add(600 * time.Second), Kind: "check", Text: "1 of 2 recovered checks pass", N: 1, Of: 2},
			{Time: t0.Add(754 * time.Second), Kind: "check", Text: "2 of 2 recovered checks pass", N: 2, Of: 2},
			{Time: t0.Add(754 * time.Second), Kind: "resolved", Text: "every recovered check passes"},
		},
		Before: []Check{{Name: "winkel-https", Kind: "http", Status: Passed}, {Name: "fpm-runs", Kind: "process", Status: Passed}},
		After:  []Check{{Name: "winkel-https", Kind: "http", Status: Passed}, {Name: "fpm-runs", Kind: "process", Status: Passed}},
		Notes: "## Oorzaak\nphp-fpm was gestopt en het programma verplaatst.\n\n" +
			"## Wat zou je een volgende keer anders doen?\nEerst de logboeken lezen.\n\n## Herstel\nTeruggezet en gestart.\n",
	}
	if teacher {
		inc.Cause = &IncidentCause{Title: "PHP-FPM stopped",
			Inject:   []Action{{Kind: "exec", Service: "web", Command: []string{"sh", "-c", "pkill php-fpm"}, Status: Passed}},
			Solution: []string{"exec in web: sh -c php-fpm8.2 -D"}}
	}
	return inc
}

func renderIncident(t *testing.T, inc *Incident, format, lang string) string {
	t.Helper()
	var b bytes.Buffer
	if err := RenderIncident(&b, inc, format, lang); err != nil {
		t.Fatalf("%s %s: %v", format, lang, err)
	}
	return b.String()
}

// TestIncidentGolden renders the student's and the teacher's report in
// every format and language and compares them with testdata.
func TestIncidentGolden(t *testing.T) {
	ext := map[string]string{"md": "md", "html": "html", "json": "json", "junit": "xml"}
	for _, view := range []string{"student", "teacher"} {
		for _, lang := range []string{"nl", "en"} {
			for _, f := range IncidentFormats {
				out := renderIncident(t, sampleIncident(view == "teacher"), f, lang)
				golden(t, fmt.Sprintf("incident.%s.%s.%s.golden", view, lang, ext[f]), []byte(out))
			}
		}
	}
}

func TestIncidentTranslatedWithReflectionHeadings(t *testing.T) {
	for lang, want := range map[string][]string{
		"nl": {"# Incidentrapport INC-20261202-100000", "| Hersteltijd | 12 min 34 s |", "| Prioriteit | hoog |", "**opdracht** `web -- ps aux`",
			"#### Wat was de oorzaak?\n\nphp-fpm was gestopt", "#### Wat zou je een volgende keer anders doen?\n\nEerst de logboeken lezen.", "#### Overige aantekeningen\n\n##### Herstel", "Sam de Vries", "**controle** 1 van 2 herstelcontroles geslaagd", "**hint** hint 1 van 2"},
		"en": {"# Incident report INC-20261202-100000", "| Time to repair |", "| Priority | high |", "**command** `web -- ps aux`",
			"#### What was the cause?\n\nphp-fpm was gestopt", "### Reflection", "**check** 1 of 2 recovered checks pass", "Hints used | 1 / 2"},
	} {
		md := renderIncident(t, sampleIncident(false), "md", lang)
		for _, w := range want {
			if !strings.Contains(md, w) {
				t.Errorf("%s: report lacks %q:\n%s", lang, w, md)
			}
		}
		// The evaluation report asks the same questions.
		m, _ := catalogue(lang)
		for _, q := range reflectionQuestions {
			if !strings.Contains(md, "#### "+m.T(q.key)+"\n") {
				t.Errorf("%s: no reflection heading %q", lang, m.T(q.key))
			}
		}
	}
}

func TestIncidentCauseOnlyForTeachers(t *testing.T) {
	for _, f := range IncidentFormats {
		for _, lang := range []string{"nl", "en"} {
			student := renderIncident(t, sampleIncident(false), f, lang)
			for _, bad := range []string{"pkill", "PHP-FPM stopped", "php-fpm8.2 -D", "docent)", "teacher)"} {
				if strings.Contains(student, bad) {
					t.Errorf("%s %s: the student's report shows %q", f, lang, bad)
				}
			}
			if f == "junit" {
				continue
			}
			teacher := renderIncident(t, sampleIncident(true), f, lang)
			for _, want := range []string{"pkill php-fpm", "PHP-FPM stopped", "php-fpm8.2 -D"} {
				if !strings.Contains(teacher, want) {
					t.Errorf("%s %s: the teacher's report lacks %q", f, lang, want)
				}
			}
		}
	}
}

func TestIncidentHTML(t *testing.T) {
	for _, lang := range []string{"nl", "en"} {
		inc := sampleIncident(true)
		inc.Notes += "\n</pre><script>alert(1)</script>"
		inc.Timeline = append(inc.Timeline, IncidentEvent{Kind: "exec", Text: `web -- sh -c "<b>x</b>"`})
		page := renderIncident(t, inc, "html", lang)
		doc := parseHTML(t, page)
		if !strings.Contains(doc.byID["title"], "INC-20261202-100000") || !strings.Contains(doc.byID["ticket-text"], "Graag snel <oplossen>.") {
			t.Errorf("%s: title %q, ticket %q", lang, doc.byID["title"], doc.byID["ticket-text"])
		}
		var kinds, after []string
		for _, row := range doc.rows {
			if k, ok := row["data-kind"]; ok {
				kinds = append(kinds, k)
			}
			if c, ok := row["data-check"]; ok {
				after = append(after, c+"="+row["data-status"])
			}
		}
		if got := strings.Join(kinds, ","); got != "start,injected,exec,logs,hint,check,check,resolved,exec" {
			t.Errorf("%s: timeline rows %s", lang, got)
		}
		if got := strings.Join(after, ","); got != "winkel-https=passed,fpm-runs=passed,winkel-https=passed,fpm-runs=passed" {
			t.Errorf("%s: check rows %s", lang, got)
		}
		if strings.Contains(page, "<script") || strings.Contains(page, "<b>") || doc.tags["script"] != 0 || doc.tags["link"] != 0 {
			t.Errorf("%s: hostile text reached the page unescaped", lang)
		}
		for _, bad := range []string{"src=", "href=", "@import", "url("} {
			if strings.Contains(page, bad) {
				t.Errorf("%s: page refers to an external asset (%s)", lang, bad)
			}
		}
		for _, want := range []string{`<html lang="` + lang + `">`, "@page { size: A4", `class="w"`} {
			if !strings.Contains(page, want) {
				t.Errorf("%s: page lacks %q", lang, want)
			}
		}
	}
}

func TestIncidentJSONAndJUnit(t *testing.T) {
	inc := sampleIncident(false)
	inc.Status = "open"
	inc.After = []Check{{Name: "winkel-https", Kind: "http", Status: Failed, Expected: "200", Actual: "502"}, {Name: "fpm-runs", Status: Passed}}
	var doc map[string]any
	if err := json.Unmarshal([]byte(renderIncident(t, inc, "json", "en")), &doc); err != nil {
		t.Fatal(err)
	}
	if doc["time_to_repair_s"] != float64(754) || doc["cause"] != nil || doc["schema"] != float64(IncidentSchema) {
		t.Errorf("json: %v", doc)
	}
	var suites junitSuites
	if err := xml.Unmarshal([]byte(renderIncident(t, inc, "junit", "nl")), &suites); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"nl", "en"} {
		for _, v := range []*Incident{inc, sampleIncident(false)} {
			if problems := checkJUnit10([]byte(renderIncident(t, v, "junit", lang))); len(problems) > 0 {
				t.Errorf("%s: junit-10.xsd: %v", lang, problems)
			}
		}
	}
	if suites.Tests != 2 || suites.Failures != 1 || len(suites.Suites) != 1 || suites.Suites[0].Cases[0].Failure == nil {
		t.Errorf("junit: %+v", suites)
	}
	dir := t.TempDir()
	paths, err := WriteIncident(dir, sampleIncident(false), "nl")
	if err != nil || len(paths) != 4 {
		t.Fatalf("write: %v %v", paths, err)
	}
	for _, name := range IncidentFiles {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
	if err := RenderIncident(&bytes.Buffer{}, inc, "pdf", "nl"); err == nil || !strings.Contains(err.Error(), "md, html, json, junit") {
		t.Errorf("unknown format: %v", err)
	}
}

// TestIncidentHTMLLayoutInChromium lays the incident report out as
// TestHTMLLayoutInChromium does the evaluation report.
func TestIncidentHTMLLayoutInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("needs chromium")
	}
	for _, lang := range []string{"nl", "en"} {
		t.Run(lang, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "incident.html")
			if err := os.WriteFile(path, []byte(renderIncident(t, sampleIncident(true), "html", lang)), 0o644); err != nil {
				t.Fatal(err)
			}
			for _, p := range htmlwraptest.Problems(t, path) {
				t.Error(p)
			}
		})
	}
}
