package report

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/proeftuin/proeftuin/internal/htmlwrap/htmlwraptest"
)

// TestHTMLLayoutInChromium lays report.html out in headless Chromium at
// the width of an A4 page: no word of a table cell is split across lines,
// no id, status or number cell takes more than one line, and no table is
// wider than the page.
func TestHTMLLayoutInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("needs chromium")
	}
	for _, lang := range []string{"nl", "en"} {
		t.Run(lang, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "report.html")
			if err := os.WriteFile(path, []byte(render(t, sampleResult(), "html", lang)), 0o644); err != nil {
				t.Fatal(err)
			}
			for _, p := range htmlwraptest.Problems(t, path) {
				t.Error(p)
			}
		})
	}
}
