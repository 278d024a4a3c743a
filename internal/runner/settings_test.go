package runner

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestReportFlags(t *testing.T) {
	notes := filepath.Join(t.TempDir(), "notes.md")
	os.WriteFile(notes, []byte("# Reflectie"), 0o644)
	o, err := ReportFlags{Formats: " JSON, markdown ,", Lang: "nl", Dir: "out", Notes: notes, Author: "Sam"}.Options()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(o.Formats, []string{"json", "md"}) || o.Lang != "nl" || !filepath.IsAbs(o.ReportDir) || o.Notes != "# Reflectie" || o.Author != "Sam" {
		t.Errorf("Options() = %+v", o)
	}
	for _, tc := range []struct {
		f    ReportFlags
		want string
	}{
		{ReportFlags{Formats: "pdf", Lang: "en"}, `invalid --format "pdf"`},
		{ReportFlags{Formats: ",", Lang: "en"}, "--format names no format"},
		{ReportFlags{Formats: "json", Lang: "de"}, `invalid --lang "de"`},
		{ReportFlags{Formats: "json", Lang: "en", Notes: notes + ".missing"}, "--notes:"},
	} {
		if _, err := tc.f.Options(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.f, err, tc.want)
		}
	}
}
