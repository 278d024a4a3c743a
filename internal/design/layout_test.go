package design

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/htmlwrap/htmlwraptest"
)

// TestHTMLLayoutInChromium lays the design of the demo lab and the
// webserver lab out in headless Chromium at A4 width, in both languages:
// no word of a table cell is split, no id cell takes two lines, no table
// is wider than the page.
func TestHTMLLayoutInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("needs chromium")
	}
	for _, dir := range []string{"../../examples/hello", "../../environments/webserver"} {
		env, diags := config.Load(config.Options{Dir: dir})
		if diags.HasErrors() {
			t.Fatalf("%s: %s", dir, diags.Error())
		}
		for _, lang := range Langs {
			t.Run(filepath.Base(dir)+"-"+lang, func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "design.html")
				f, err := os.Create(path)
				if err != nil {
					t.Fatal(err)
				}
				if err := Write(f, env, "html", Options{Lang: lang, Author: "Sanne de Vries", StudentID: "123456", Class: "ICT4A", Date: "12-03-2026"}); err != nil {
					t.Fatal(err)
				}
				f.Close()
				for _, p := range htmlwraptest.Problems(t, path) {
					t.Error(p)
				}
			})
		}
	}
}
