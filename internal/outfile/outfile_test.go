package outfile

import (
	"strings"
	"testing"
)

func TestFormat(t *testing.T) {
	exts := map[string]string{".md": "md", ".html": "html", ".htm": "html"}
	for _, tc := range []struct{ out, set, want, err string }{
		{"", "", "text", ""},
		{"-", "html", "html", ""},
		{"report", "md", "md", ""},
		{"report.HTM", "", "html", ""},
		{"report.pdf", "", "", "use one of html (.htm, .html), md (.md)"},
		{"report.md", "html", "", "--format html does not match report.md"},
	} {
		got, err := Format(tc.out, tc.set, "text", exts)
		if got != tc.want || (err == nil) != (tc.err == "") || err != nil && !strings.Contains(err.Error(), tc.err) {
			t.Errorf("Format(%q, %q) = %q, %v; want %q, %q", tc.out, tc.set, got, err, tc.want, tc.err)
		}
	}
}
