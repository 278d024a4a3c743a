package grade

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/proeftuin/proeftuin/internal/htmlwrap/htmlwraptest"
)

// TestOverviewInChromium lays overview.html out in headless Chromium, in
// Dutch and English: no word split, no student, status or number on two
// lines, no table past the page.
func TestOverviewInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("needs chromium")
	}
	for _, lang := range []string{"nl", "en"} {
		t.Run(lang, func(t *testing.T) {
			c, _ := testClass(time.Time{})
			c.Lang = lang
			c.Results[0].Student = "Annemarie-van-den-Berg"
			c.Results[0].PlanHash = "p"
			c.Results = append(c.Results, &Result{Student: "ben", Status: "timed_out", PlanHash: "p"})
			html, err := c.Overview()
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(html), `lang="`+lang+`"`) {
				t.Errorf("overview is not in %s", lang)
			}
			path := filepath.Join(t.TempDir(), "overview.html")
			if err := os.WriteFile(path, html, 0o644); err != nil {
				t.Fatal(err)
			}
			for _, p := range htmlwraptest.Problems(t, path) {
				t.Error(p)
			}
		})
	}
}

// TestReportFeedbackInChromium lays a student's report with its feedback
// section (expected and actual shown) out in headless Chromium, in Dutch
// and English.
func TestReportFeedbackInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("needs chromium")
	}
	due := time.Date(2026, 12, 20, 16, 0, 0, 0, time.UTC)
	for _, lang := range []string{"nl", "en"} {
		t.Run(lang, func(t *testing.T) {
			c, _ := testClass(due)
			c.Lang = lang
			c.Results[0].Missing = []string{"service db", "requirement SEC-01"}
			out := t.TempDir()
			if err := c.writeReport(out, c.Results[0], due.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			for _, p := range htmlwraptest.Problems(t, filepath.Join(out, "bob", "report", "report.html")) {
				t.Error(p)
			}
		})
	}
}
