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
// wider than the page. The results: the sample, and a real run of the
// demo lab (examples/hello, testdata/hello.result.json).
func TestHTMLLayoutInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("needs chromium")
	}
	hello, err := Load(filepath.Join("testdata", "hello.result.json"))
	if err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]*Result{"sample": sampleResult(), "hello": hello} {
		for _, lang := range []string{"nl", "en"} {
			t.Run(name+"-"+lang, func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "report.html")
				if err := os.WriteFile(path, []byte(render(t, r, "html", lang)), 0o644); err != nil {
					t.Fatal(err)
				}
				for _, p := range htmlwraptest.Problems(t, path) {
					t.Error(p)
				}
			})
		}
	}
}
