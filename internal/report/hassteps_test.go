package report

import (
	"bytes"
	"strings"
	"testing"
)

// TestCheckReportHasNoStepsRow: a 'proeftuin check' report has no plan,
// so its summary has no steps row ("Steps: 0 total" only puzzled
// readers); a run's report keeps it, even with no step done.
func TestCheckReportHasNoStepsRow(t *testing.T) {
	for _, kind := range []string{"check", "run"} {
		r := sampleResult()
		r.Kind = kind
		r.Steps = nil
		r.Summary.Steps = Counts{}
		for _, f := range []string{"text", "md", "html"} {
			for _, lang := range []string{"en", "nl"} {
				var buf bytes.Buffer
				if err := Render(&buf, r, f, lang); err != nil {
					t.Fatal(err)
				}
				row := map[string]string{"text": map[string]string{"en": "\nSteps: ", "nl": "\nStappen: "}[lang],
					"md": map[string]string{"en": "| Steps |", "nl": "| Stappen |"}[lang], "html": `id="summary-steps-total"`}[f]
				if got, want := strings.Contains(buf.String(), row), kind == "run"; got != want {
					t.Errorf("%s report, %s %s: steps row %q shown %v, want %v", kind, f, lang, row, got, want)
				}
			}
		}
	}
}
