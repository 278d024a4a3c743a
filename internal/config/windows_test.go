package config

import (
	"path/filepath"
	"strings"
	"testing"
)

// Labs written on Windows: paths with backslashes or drive letters, and
// files with CRLF line ends. These run on Linux; the rules do not depend
// on the OS proeftuin runs on.

func TestLabRelative(t *testing.T) {
	for in, want := range map[string]string{
		`files\index.html`:       "files/index.html",
		`files/www\about.html`:   "files/www/about.html",
		`.\files\..\files\a.txt`: "files/a.txt",
		`images\web`:             "images/web",
	} {
		got, err := labRelative(in)
		if err != nil || got != want {
			t.Errorf("labRelative(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for in, msg := range map[string]string{
		`C:\Users\student\index.html`: "absolute path",
		`c:index.html`:                "absolute path",
		`\\server\share\x`:            "absolute path",
		`\files\x`:                    "absolute path",
		`/etc/passwd`:                 "absolute path",
		`..\..\secret`:                "leaves the environment folder",
		`files\..\..\x`:               "leaves the environment folder",
	} {
		if _, err := labRelative(in); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("labRelative(%q) = %v, want %q", in, err, msg)
		}
	}
}

func TestWindowsWrittenLab(t *testing.T) {
	src := strings.ReplaceAll(`environment "win" {
  title = "written on Windows"
}

service "web" {
  image = "busybox:1"
  file "/www/index.html" {
    source = "files\\index.html"
  }
}
`, "\n", "\r\n")
	dir := writeFiles(t, map[string]string{
		"main.hcl":         src,
		"files/index.html": "<h1>hi</h1>\r\n",
	})
	env, diags := Load(Options{Dir: dir})
	if diags.HasErrors() {
		t.Fatalf("a CRLF lab with a backslash path does not load:\n%s", diagList(diags))
	}
	f := env.Service("web").Files[0]
	want, _ := filepath.EvalSymlinks(filepath.Join(dir, "files", "index.html"))
	if f.Source != want {
		t.Errorf("file source %q, want %q", f.Source, want)
	}

	// Diagnostics in a CRLF file point at the right line and column.
	bad := strings.ReplaceAll("environment \"win\" {\n  title = \"x\"\n}\n\nservice \"web\" {\n  image = 42\n  bogus = 1\n}\n", "\n", "\r\n")
	dir = writeFiles(t, map[string]string{"main.hcl": bad})
	_, diags = Load(Options{Dir: dir})
	found := false
	for _, d := range diags {
		if d.Subject != nil && d.Subject.Start.Line == 7 && d.Subject.Start.Column == 3 {
			found = true
		}
	}
	if !found {
		t.Errorf("no diagnostic at 7:3 for the unknown attribute:\n%s", diagList(diags))
	}
}
